import {
  MANIFEST_DIGEST_TAG,
  manifestDigest,
  manifestParameterName,
  ssmParameterArn,
  type AuditManifest,
} from "../../../baseline";
import type { CheckMetadata, Finding } from "../../finding";
import type { ObservedState } from "../../model";
import { blocked, errorFinding, finding, verdict, type CheckContext } from "../common";

export const metadata: CheckMetadata = {
  id: "audit-manifest-parameter",
  title: "The audit manifest this run judges with is the one infra wrote to its SSM parameter",
  area: "organization",
  severity: "CRITICAL",
  // No shared control: the pack sees the parameter infra is about to write, never a later rewrite of it.
  controls: [],
  risk: "The manifest is what the audit calls intended: whoever rewrites the parameter decides what every other check accepts (an extra SCP exemption, a wider bucket policy, a shorter retention), and the nightly audit then reports PASS on a weakened baseline. A changed manifest blinds the audit.",
  remediation: {
    console:
      "Systems Manager console (security account, home region) → Parameter Store → /orgwarden/<stack>/audit-manifest → History: find the version and the principal (Last modified user) that changed it; CloudTrail → Event history → PutParameter / AddTagsToResource on that parameter. Then restore it with `pulumi up`.",
    cli: "aws ssm get-parameter-history --name /orgwarden/<stack>/audit-manifest --region <home-region>; aws ssm list-tags-for-resource --resource-type Parameter --resource-id /orgwarden/<stack>/audit-manifest --region <home-region>",
    pulumi:
      "infra/audit-manifest.ts writes the parameter and its orgwarden:manifest-sha256 tag from the stack; run `pulumi up` on the orgwarden stack to write both again, and find out who changed it (the SCP denies ssm:PutParameter and tag changes on it to every principal but the exempt ones).",
  },
  references: [
    "https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_PutParameter.html",
    "https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_DescribeParameters.html",
    "https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_AddTagsToResource.html",
    "https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-history.html",
  ],
};

/**
 * One finding for the parameter /orgwarden/<stack>/audit-manifest of the security account. The
 * anchor is the parameter's orgwarden:manifest-sha256 tag, which infra sets and PutParameter cannot
 * change: the manifest judged with must hash to it. Its value is not read (the read role is denied
 * ssm:GetParameter*), so against a manifest from a file the PASS says only that the file is the
 * manifest infra last wrote; the nightly run, which judges with the parameter's value, proves the
 * parameter itself.
 */
export function evaluate(observed: ObservedState, intended: AuditManifest, _ctx: CheckContext): Finding[] {
  const account = intended.organization.securityAccountId;
  const region = intended.regions.home;
  const name = manifestParameterName(intended.stack);
  const scope = { account, region, resourceArn: ssmParameterArn(region, account, name) };
  const digest = manifestDigest(intended);
  const want = { name, type: "String", tags: { [MANIFEST_DIGEST_TAG]: digest } };
  const p = observed.manifestParameter;
  if (!p)
    return [
      errorFinding(
        metadata,
        scope,
        { name: "NotCollected", operation: "DescribeParameters", message: "the manifest parameter was not collected" },
        want,
      ),
    ];
  const stop = blocked(metadata, observed, scope, want, p.metadata, p.tags);
  if (stop || !p.metadata.ok || !p.tags.ok) return [stop!];
  const md = p.metadata.value;
  if (!md)
    return [
      finding(metadata, scope, {
        status: "FAIL",
        intended: want,
        observed: { exists: false },
        message: `The audit manifest parameter ${name} does not exist in the security account ${account} (${region}): the nightly audit has no manifest to read, and nothing pins the one this audit judges with; run \`pulumi up\`.`,
      }),
    ];
  const tag = p.tags.value[MANIFEST_DIGEST_TAG];
  const seen = {
    name,
    type: md.type,
    version: md.version,
    lastModifiedDate: md.lastModifiedDate,
    lastModifiedUser: md.lastModifiedUser,
    tags: { [MANIFEST_DIGEST_TAG]: tag ?? null },
    judgedWithSha256: digest,
  };
  const written = `version ${md.version ?? "?"}, last written by ${md.lastModifiedUser ?? "an unknown principal"} at ${md.lastModifiedDate ?? "an unknown time"}`;
  const problems: string[] = [];
  if (tag === undefined)
    problems.push(
      `the parameter ${name} carries no ${MANIFEST_DIGEST_TAG} tag (${written}): whether its content is the manifest infra wrote cannot be told; the tag was removed, or the parameter was not written by infra`,
    );
  else if (tag !== digest)
    problems.push(
      `the manifest this audit judges with (SHA-256 ${digest}) is not the one infra pinned on ${name} (${MANIFEST_DIGEST_TAG} = ${tag}; ${written}): the parameter was rewritten since the last \`pulumi up\`, or this run's manifest is not the stack's. Every other finding of this run was judged against it`,
    );
  if (md.type !== "String") problems.push(`the parameter ${name} is of type ${md.type ?? "unknown"}, not String`);
  return [
    verdict(
      metadata,
      scope,
      want,
      seen,
      problems,
      `The manifest this audit judges with is the one infra wrote: its SHA-256 equals the ${MANIFEST_DIGEST_TAG} tag of ${name} (${written}), which PutParameter cannot change. The parameter's value itself is not read here (the read role is denied ssm:GetParameter*): the nightly run, which judges with that value, is the one that proves the parameter unchanged.`,
    ),
  ];
}
