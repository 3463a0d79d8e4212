import type { AuditManifest } from "../../../baseline";
import type { CheckMetadata, Finding } from "../../finding";
import type { ObservedState } from "../../model";
import { blocked, finding, type CheckContext } from "../common";
import { keyScope } from "../kms-scope";
import { policyDriftFindings, trustedPrincipals } from "../policy-drift";

export const metadata: CheckMetadata = {
  id: "kms-key-policy",
  title: "The log key's policy means exactly what the baseline intends",
  area: "kms",
  severity: "HIGH",
  risk: "The key policy is the only thing that decides who can decrypt the organization's logs: an added principal can read every log file, a changed condition can let CloudTrail encrypt for another trail, a removed statement can stop delivery.",
  remediation: {
    console:
      "KMS console (security account, key region) → Customer managed keys → the log key → Key policy → Edit: restore the intended document (the finding names the drifted statement).",
    cli: "aws kms put-key-policy --key-id <key-arn> --policy-name default --policy file://<intended-file>",
    pulumi:
      "Run `pulumi up` on the orgwarden stack: its aws.kms.Key policy is built from baseline/key-policy.ts (logKeyPolicy).",
    document: "key-policy",
  },
  controls: [],
  references: [
    "https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html",
    "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html",
  ],
};

export function evaluate(observed: ObservedState, intended: AuditManifest, _ctx: CheckContext): Finding[] {
  const scope = keyScope(intended);
  const want = intended.key.expectedKeyPolicy;
  if (!want)
    return [
      finding(metadata, scope, {
        status: "NOT_APPLICABLE",
        intended: "the landing zone key's own policy (orgwarden publishes none)",
        observed: "not compared",
        message: `The key policy of ${intended.key.arn} was not judged: it is the AWS Control Tower landing zone's key (controlTower.kmsKeyArn), whose policy its owner wrote for Control Tower, and orgwarden lays no document for it (docs/control-tower.md). Its state, rotation and grants are still judged.`,
      }),
    ];
  const stop = blocked(metadata, observed, scope, want, observed.key.policy);
  if (stop) return [stop];
  const have = observed.key.policy.ok ? observed.key.policy.value : want;
  return policyDriftFindings(
    metadata,
    scope,
    `The key policy of ${intended.key.arn}`,
    want,
    have,
    trustedPrincipals(observed, intended),
  );
}
