import type { AuditManifest } from "../../../baseline";
import type { CheckMetadata, Finding } from "../../finding";
import type { ObservedState } from "../../model";
import { archiveScope } from "../archive-scope";
import { blocked, verdict, type CheckContext } from "../common";
import { factOf, gapOf, known, s3DefaultEncryption } from "../../../baseline/controls";
import { sameKmsKey } from "../kms-key-ref";

export const metadata: CheckMetadata = {
  id: "archive-encryption",
  title: "The archive bucket's default encryption is SSE-KMS with the intended key",
  area: "archive",
  severity: "HIGH",
  risk: "The log key is what separates who may write logs from who may read them; objects encrypted with SSE-S3 or another key are readable by anyone the bucket policy lets through.",
  remediation: {
    console:
      "S3 console (log-archive account) → the archive bucket → Properties → Default encryption → Edit: SSE-KMS, choose the intended key by ARN, Bucket Key enabled.",
    cli: 'aws s3api put-bucket-encryption --bucket <archive-bucket> --server-side-encryption-configuration \'{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"aws:kms","KMSMasterKeyID":"<key-arn>"},"BucketKeyEnabled":true}]}\'',
    pulumi:
      'The baseline\'s aws.s3.BucketServerSideEncryptionConfiguration sets sseAlgorithm "aws:kms" and kmsMasterKeyId to the log key ARN; run `pulumi up` on the orgwarden stack.',
  },
  controls: ["s3-default-encryption"],
  references: [
    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html",
    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-encryption.html",
  ],
};

export function evaluate(observed: ObservedState, intended: AuditManifest, _ctx: CheckContext): Finding[] {
  const scope = archiveScope(intended);
  const want = { algorithm: "aws:kms", kmsKeyId: intended.key.arn };
  const stop = blocked(metadata, observed, scope, want, observed.archive.encryption);
  if (stop) return [stop];
  const enc = observed.archive.encryption.ok ? observed.archive.encryption.value : undefined;
  const have = { algorithm: enc?.algorithm ?? null, kmsKeyId: enc?.kmsKeyId ?? null };
  // A bare key id in a bucket's encryption is resolved in the bucket owner's account and region.
  const key = sameKmsKey(enc?.kmsKeyId, intended.key.arn, { account: scope.account, region: scope.region });
  // The archive receives CloudTrail logs, never server access logs, so SSE-S3 is never enough here.
  const v = s3DefaultEncryption.judge(
    { algorithm: factOf(enc?.algorithm || undefined), kmsKeyId: factOf(enc?.kmsKeyId), intendedKey: known(key) },
    { allowSseS3: false },
  );
  const problems: string[] = [];
  if (gapOf(v, "algorithm"))
    problems.push(
      `default encryption is ${enc?.algorithm || "not configured"}, intended aws:kms with ${intended.key.arn}`,
    );
  else if (gapOf(v, "kmsKeyId"))
    problems.push(
      `default encryption is ${enc?.algorithm} but ${key.same ? "the key is an AWS managed key" : key.reason}`,
    );
  return [
    verdict(
      metadata,
      scope,
      want,
      have,
      problems,
      `Default encryption of ${intended.archive.bucketName} is ${enc?.algorithm} with the intended key.`,
    ),
  ];
}
