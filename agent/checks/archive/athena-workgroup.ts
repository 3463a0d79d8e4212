/**
 * athena-workgroup: the workgroup the responder queries the logs in (security account, home
 * region) has the settings infra laid (the manifest's athena.workgroup, from
 * baseline/athena/workgroup.ts): ENABLED, its configuration enforced over the client's, results
 * written under the query-results bucket (owned by the security account) SSE_KMS with the results
 * key, CloudWatch metrics on, and a per-query scan limit no larger than intended. Query results
 * hold log content: a workgroup that stops enforcing, or writes elsewhere or unencrypted, lets a
 * query copy the archive out of its protections.
 */
import { workgroupArn } from "../../../baseline/athena/policies";
import type { AuditManifest } from "../../../baseline";
import type { WorkgroupSpec } from "../../../baseline/athena/workgroup";
import type { CheckMetadata, Finding } from "../../finding";
import type { ObservedAthenaWorkgroupSettings, ObservedState } from "../../model";
import { blocked, finding, verdict, type CheckContext, type Scope } from "../common";

export const metadata: CheckMetadata = {
  id: "athena-workgroup",
  title: "The Athena log workgroup enforces the results location, encryption and scan limit infra laid",
  area: "archive",
  severity: "HIGH",
  risk: "Athena query results hold log content. A log workgroup that no longer enforces its configuration lets any query send its results to a bucket of the caller's choosing, unencrypted; another results location or key moves copies of the archive out of the results bucket's protections; without a scan limit one query can scan, and bill, the whole archive; a disabled workgroup leaves the responder no way to query at all during an incident.",
  remediation: {
    console:
      "Athena console (security account, home region) → Administration → Workgroups → the orgwarden log workgroup → Edit: enable it, set Query result location to the manifest's athena.workgroup.resultsLocation with Encrypt query results (SSE_KMS, the results key) and the expected bucket owner, turn on Override client-side settings and Publish query metrics to CloudWatch, and set the per-query data usage limit; a deleted workgroup is laid again by `pulumi up`.",
    cli: "aws athena update-work-group --region <region> --work-group <log-workgroup> --state ENABLED --configuration-updates 'EnforceWorkGroupConfiguration=true,PublishCloudWatchMetricsEnabled=true,BytesScannedCutoffPerQuery=<bytes-cutoff>,ResultConfigurationUpdates={OutputLocation=<results-location>,EncryptionConfiguration={EncryptionOption=SSE_KMS,KmsKey=<results-key-arn>},ExpectedBucketOwner=<account>}'",
    pulumi:
      "Run `pulumi up` on the orgwarden stack: the athena-workgroup resource (infra/athena/log-analytics.ts) is laid from baseline/athena/workgroup.ts and restores every setting, or lays the workgroup again if it was deleted.",
  },
  controls: [],
  references: [
    "https://docs.aws.amazon.com/athena/latest/ug/workgroups-settings-override.html",
    "https://docs.aws.amazon.com/athena/latest/ug/encrypting-query-results-stored-in-s3.html",
    "https://docs.aws.amazon.com/athena/latest/ug/workgroups-setting-control-limits-cloudwatch.html",
    "https://docs.aws.amazon.com/athena/latest/APIReference/API_GetWorkGroup.html",
  ],
};

const show = (v: unknown) => JSON.stringify(v ?? null);

/** Each setting that differs from the intended one, naming what it is and what to restore. */
export function workgroupProblems(want: WorkgroupSpec, have: ObservedAthenaWorkgroupSettings): string[] {
  const out: string[] = [];
  const wg = `workgroup ${want.name}`;
  if (have.state !== want.state) out.push(`${wg} is ${show(have.state)}, intended ${show(want.state)}`);
  if (have.enforced !== true)
    out.push(`${wg} does not enforce its configuration, so a client may override the results location and encryption`);
  if (have.resultsLocation !== want.resultsLocation)
    out.push(`${wg} writes results to ${show(have.resultsLocation)}, intended ${show(want.resultsLocation)}`);
  if (have.encryptionOption === undefined) out.push(`${wg} leaves query results unencrypted, intended SSE_KMS`);
  else if (have.encryptionOption !== want.encryption.option)
    out.push(`${wg} encrypts results with ${have.encryptionOption}, intended ${want.encryption.option}`);
  // Under another option the key is beside the point: the option is the problem.
  if (have.encryptionOption === want.encryption.option && have.kmsKey !== want.encryption.kmsKeyArn)
    out.push(`${wg} encrypts results with key ${show(have.kmsKey)}, intended ${want.encryption.kmsKeyArn}`);
  if (have.expectedBucketOwner !== want.expectedBucketOwner)
    out.push(
      `${wg} expects the results bucket's owner to be ${show(have.expectedBucketOwner)}, intended ${want.expectedBucketOwner}`,
    );
  if (have.bytesScannedCutoff === undefined)
    out.push(`${wg} has no per-query scan limit, intended ${want.bytesScannedCutoff} bytes`);
  else if (have.bytesScannedCutoff > want.bytesScannedCutoff)
    out.push(
      `${wg} lets one query scan ${have.bytesScannedCutoff} bytes, more than the intended ${want.bytesScannedCutoff}`,
    );
  if (have.publishMetrics !== true) out.push(`${wg} does not publish query metrics to CloudWatch`);
  return out;
}

function notApplicable(scope: Scope): Finding {
  return finding(metadata, scope, {
    status: "NOT_APPLICABLE",
    intended: "no Athena log workgroup (athena.enabled is false)",
    observed: null,
    message: `${metadata.title}: not applicable, the audit manifest has no athena area (the stack sets athena.enabled to false).`,
  });
}

const error = (scope: Scope, intended: unknown, message: string): Finding =>
  finding(metadata, scope, { status: "ERROR", intended, observed: "not collected", message });

export function evaluate(observed: ObservedState, intended: AuditManifest, _ctx: CheckContext): Finding[] {
  const account = intended.organization.securityAccountId;
  const region = intended.regions.home;
  const athena = intended.athena;
  if (!athena) return [notApplicable({ account, region, resourceArn: workgroupArn(region, account, "*") })];
  const scope: Scope = { account, region, resourceArn: workgroupArn(region, account, athena.workgroupName) };
  const want = athena.workgroup;
  if (!want)
    return [
      error(
        scope,
        athena.workgroupName,
        `${metadata.title}: not evaluated, because the audit manifest names the workgroup ${athena.workgroupName} without its settings (athena.workgroup, published since athena-workgroup). Run \`pulumi up\` to republish the manifest.`,
      ),
    ];
  const o = observed.athenaWorkgroup;
  if (!o || o.name !== want.name)
    return [
      error(
        scope,
        want,
        `${metadata.title}: not evaluated, because the observed state holds no reading of the workgroup ${want.name}. Run the audit with an agent that collects the Athena workgroup.`,
      ),
    ];
  const stop = blocked(metadata, observed, scope, want, o.workgroup);
  if (stop) return [stop];
  const have = o.workgroup.ok ? o.workgroup.value : undefined;
  const problems = have
    ? workgroupProblems(want, have)
    : [`the workgroup ${want.name} does not exist, so the responder has nowhere to query the logs; run \`pulumi up\``];
  return [
    verdict(
      metadata,
      scope,
      want,
      have ?? "absent",
      problems,
      `The workgroup ${want.name} is ENABLED and enforces results under ${want.resultsLocation}, SSE_KMS with ${want.encryption.kmsKeyArn}, with a per-query scan limit of ${have?.bytesScannedCutoff ?? want.bytesScannedCutoff} bytes (intended at most ${want.bytesScannedCutoff}) and CloudWatch metrics.`,
    ),
  ];
}
