/**
 * securityhub-standards: in every governed region the security account is subscribed to FSBP and
 * the intended CIS version, each READY (GetEnabledStandards). Under local configuration infra lays
 * them as detection-securityhub-<region>-fsbp and -cis; under central the configuration policy on
 * the root enables them in every account and linked region, so this reads the policy's effect in
 * the account that administers it (securityhub-configuration-policy judges the policy itself).
 */
import type { AuditManifest } from "../../../baseline";
import type { CheckMetadata, Finding } from "../../finding";
import type { ObservedState } from "../../model";
import { verdict, type CheckContext } from "../common";
import { notPublished, readOf, securityHubIntentOf, securityScope } from "../securityhub-scope";

export const metadata: CheckMetadata = {
  id: "securityhub-standards",
  title: "The security account has FSBP and CIS enabled and READY in every governed region",
  area: "detection",
  severity: "MEDIUM",
  risk: "A standard that is not enabled, or not READY (PENDING, INCOMPLETE, FAILED, DELETING), runs none or only part of its controls: the security account's resources in that region are not checked against FSBP or CIS, and the aggregated view has no findings for them.",
  remediation: {
    console:
      "Security Hub console (security account <security-account>, region <region>) → Security standards: enable AWS Foundational Security Best Practices v1.0.0 and the CIS AWS Foundations Benchmark <securityhub-cis-version>; a FAILED or INCOMPLETE standard: see its status reason (an AWS Config recorder must run in the region).",
    cli: "aws securityhub get-enabled-standards --region <region>; aws securityhub batch-enable-standards --region <region> --standards-subscription-requests StandardsArn=<securityhub-fsbp-arn> StandardsArn=<securityhub-cis-arn>  (security account)",
    pulumi:
      "Run `pulumi up` on the orgwarden stack: infra/detection/security-hub.ts lays aws.securityhub.StandardsSubscription detection-securityhub-<region>-fsbp and detection-securityhub-<region>-cis in every governed region under local configuration; under central the configuration policy detection-securityhub-policy on the root enables them (see securityhub-configuration-policy).",
  },
  controls: [],
  references: [
    "https://docs.aws.amazon.com/securityhub/latest/userguide/enable-standards.html",
    "https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_GetEnabledStandards.html",
  ],
};

export function evaluate(observed: ObservedState, intended: AuditManifest, _ctx: CheckContext): Finding[] {
  const intent = securityHubIntentOf(intended);
  if (!intent) return [notPublished(metadata, securityScope(intended, intended.regions.home))];
  return intent.regions.map((region) => {
    const scope = securityScope(intended, region);
    const want = intent.standardsByRegion[region].map((standardsArn) => ({ standardsArn, status: "READY" }));
    const read = readOf(
      metadata,
      observed,
      scope,
      want,
      "GetEnabledStandards",
      (sh) => sh.enabledStandardsByRegion?.[region],
    );
    if ("stop" in read) return read.stop;
    const subs = read.value;
    const problems: string[] = [];
    for (const w of want) {
      const s = subs.find((x) => x.standardsArn === w.standardsArn);
      if (!s) problems.push(`the standard ${w.standardsArn} is not enabled in ${region}`);
      else if (s.status !== "READY")
        problems.push(
          `the standard ${w.standardsArn} is ${s.status ?? "in no status"}${s.statusReason ? ` (${s.statusReason})` : ""} in ${region}, not READY`,
        );
    }
    return verdict(
      metadata,
      scope,
      want,
      subs,
      problems,
      `FSBP and CIS ${intended.securityHub!.cisVersion} are enabled and READY in the security account in ${region}.`,
    );
  });
}
