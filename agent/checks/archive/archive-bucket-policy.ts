import type { AuditManifest } from "../../../baseline";
import type { CheckMetadata, Finding } from "../../finding";
import type { ObservedState } from "../../model";
import { archiveScope } from "../archive-scope";
import { blocked, finding, type CheckContext } from "../common";
import { policyDriftFindings, trustedPrincipals } from "../policy-drift";

export const metadata: CheckMetadata = {
  id: "archive-bucket-policy",
  title: "The archive bucket policy means exactly what the baseline intends",
  area: "archive",
  severity: "HIGH",
  risk: "The bucket policy is what keeps the organization's logs readable only by the auditors and writable only by the organization trail. An added statement can hand the logs to an outsider; a removed Deny lets someone overwrite or read them.",
  remediation: {
    console:
      "S3 console (log-archive account) → the archive bucket → Permissions → Bucket policy → Edit: restore the intended document (the finding shows the statement that drifted).",
    cli: "aws s3api put-bucket-policy --bucket <archive-bucket> --policy file://<intended-file>",
    pulumi:
      "Run `pulumi up` on the orgwarden stack: its aws.s3.BucketPolicy is built from baseline/bucket-policies.ts (archiveBucketPolicy).",
    document: "bucket-policy",
  },
  controls: [],
  references: [
    "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html",
    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-policies.html",
  ],
};

export function evaluate(observed: ObservedState, intended: AuditManifest, _ctx: CheckContext): Finding[] {
  const scope = archiveScope(intended);
  const want = intended.archive.expectedBucketPolicy;
  if (!want) return [controlTowerOwned(intended, scope)];
  const stop = blocked(metadata, observed, scope, want, observed.archive.policy);
  if (stop) return [stop];
  const have = observed.archive.policy.ok ? observed.archive.policy.value : undefined;
  if (!have) {
    return [
      finding(metadata, scope, {
        status: "FAIL",
        intended: want,
        observed: null,
        message: `The archive bucket ${intended.archive.bucketName} has no bucket policy: nothing denies insecure transport, foreign readers or overwrites. Apply the intended policy.`,
      }),
    ];
  }
  return policyDriftFindings(
    metadata,
    scope,
    `The bucket policy of ${intended.archive.bucketName}`,
    want,
    have,
    trustedPrincipals(observed, intended),
  );
}

/**
 * Under controlTower the archive is Control Tower's bucket and its policy Control Tower's document
 * (changes denied by its mandatory control), so orgwarden publishes no intended policy to compare;
 * the manifest schema allows the absence only then. Said, never a silent PASS.
 */
function controlTowerOwned(intended: AuditManifest, scope: ReturnType<typeof archiveScope>): Finding {
  const role = intended.controlTower?.executionRoleName ?? "AWSControlTowerExecution";
  return finding(metadata, scope, {
    status: "NOT_APPLICABLE",
    intended: "Control Tower's own bucket policy (orgwarden publishes none)",
    observed: "not compared",
    message: `The bucket policy of ${intended.archive.bucketName} was not judged: the bucket belongs to AWS Control Tower, whose mandatory control "Disallow Changes to Bucket Policy for AWS Control Tower Created Amazon S3 Buckets in Log Archive" lets only ${role} change it, and orgwarden has no intended document for it (docs/control-tower.md). Encryption, versioning, public access and delivery of the bucket are still judged.`,
  });
}
