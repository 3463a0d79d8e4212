import type { AuditManifest } from "../../../baseline";
import type { CheckMetadata, Finding } from "../../finding";
import type { ObservedState } from "../../model";
import { blocked, finding, type CheckContext } from "../common";
import { policyDriftFindings, trustedPrincipals } from "../policy-drift";
import { flowLogSubject } from "../flow-log-scope";

export const metadata: CheckMetadata = {
  id: "flow-log-bucket-policy",
  title: "The flow-log bucket policy means exactly what the baseline intends",
  area: "archive",
  severity: "HIGH",
  risk: "The bucket policy is what admits only the organization's flow-log delivery, each account under its own prefix, and keeps anyone from deleting or reading the network record. An added statement can let another organization write or an outsider read; a removed Deny lets a member erase its traffic history.",
  remediation: {
    console:
      "S3 console (log-archive account) → the flow-log bucket → Permissions → Bucket policy → Edit: restore the intended document (the finding shows the statement that drifted).",
    cli: "aws s3api put-bucket-policy --bucket <flow-log-bucket> --policy file://intended-flow-log-bucket-policy.json",
    pulumi:
      "Run `pulumi up` on the orgwarden stack: its aws.s3.BucketPolicy is built from baseline/network/flow-log-policies.ts (flowLogBucketPolicy).",
  },
  controls: [],
  references: [
    "https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-permissions.html",
    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-policies.html",
  ],
};

export function evaluate(observed: ObservedState, intended: AuditManifest, _ctx: CheckContext): Finding[] {
  const subject = flowLogSubject(metadata, observed, intended);
  if ("checkId" in subject) return [subject];
  const { scope, intended: want } = subject;
  const stop = blocked(metadata, observed, scope, want.expectedBucketPolicy, subject.observed.policy);
  if (stop) return [stop];
  const have = subject.observed.policy.ok ? subject.observed.policy.value : undefined;
  if (!have) {
    return [
      finding(metadata, scope, {
        status: "FAIL",
        intended: want.expectedBucketPolicy,
        observed: null,
        message: `The flow-log bucket ${want.bucketName} has no bucket policy: flow-log delivery is refused, and nothing denies plain HTTP or deletes. Apply the intended policy.`,
      }),
    ];
  }
  return policyDriftFindings(
    metadata,
    scope,
    `The bucket policy of ${want.bucketName}`,
    want.expectedBucketPolicy,
    have,
    trustedPrincipals(observed, intended),
  );
}
