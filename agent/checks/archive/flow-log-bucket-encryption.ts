import type { AuditManifest } from "../../../baseline";
import { ABSENT, factOf, gapOf, known, s3DefaultEncryption, s3PublicAccessBlock } from "../../../baseline/controls";
import type { CheckMetadata, Finding } from "../../finding";
import type { ObservedState } from "../../model";
import { blocked, verdict, type CheckContext } from "../common";
import { sameKmsKey } from "../kms-key-ref";
import { flowLogSubject } from "../flow-log-scope";

export const metadata: CheckMetadata = {
  id: "flow-log-bucket-encryption",
  title: "The flow-log bucket encrypts with its own key (SSE-KMS) and blocks all public access",
  area: "archive",
  severity: "HIGH",
  risk: "Flow logs map every conversation of every workload. Under SSE-S3 or another key they are readable by anyone the bucket policy lets through, and without the public access block one policy or ACL edit can publish them.",
  remediation: {
    console:
      "S3 console (log-archive account) → the flow-log bucket → Properties → Default encryption → Edit: SSE-KMS with the intended key by ARN, Bucket Key disabled; Permissions → Block public access: all four on.",
    cli: 'aws s3api put-bucket-encryption --bucket <flow-log-bucket> --server-side-encryption-configuration \'{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"aws:kms","KMSMasterKeyID":"<flow-log-key-arn>"},"BucketKeyEnabled":false}]}\' && aws s3api put-public-access-block --bucket <flow-log-bucket> --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true',
    pulumi:
      "Run `pulumi up` on the orgwarden stack: infra/network/flow-log-bucket.ts sets SSE-KMS with the bucket's own key and the four public access block settings.",
  },
  controls: ["s3-default-encryption", "s3-public-access-block"],
  references: [
    "https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-cmk-policy.html",
    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html",
  ],
};

const FLAGS = ["blockPublicAcls", "ignorePublicAcls", "blockPublicPolicy", "restrictPublicBuckets"] as const;

export function evaluate(observed: ObservedState, intended: AuditManifest, _ctx: CheckContext): Finding[] {
  const subject = flowLogSubject(metadata, observed, intended);
  if ("checkId" in subject) return [subject];
  const { scope, intended: want, observed: bucket } = subject;
  const target = { algorithm: "aws:kms", kmsKeyId: want.keyArn, publicAccessBlock: "all four on" };
  const stop = blocked(metadata, observed, scope, target, bucket.encryption, bucket.publicAccessBlock);
  if (stop) return [stop];
  const enc = bucket.encryption.ok ? bucket.encryption.value : undefined;
  const pab = bucket.publicAccessBlock.ok ? bucket.publicAccessBlock.value : undefined;
  const key = sameKmsKey(enc?.kmsKeyId, want.keyArn, { account: scope.account, region: scope.region });
  const e = s3DefaultEncryption.judge(
    { algorithm: factOf(enc?.algorithm || undefined), kmsKeyId: factOf(enc?.kmsKeyId), intendedKey: known(key) },
    { allowSseS3: false },
  );
  const p = s3PublicAccessBlock.judge({
    blockPublicAcls: pab ? factOf(pab.blockPublicAcls) : ABSENT,
    ignorePublicAcls: pab ? factOf(pab.ignorePublicAcls) : ABSENT,
    blockPublicPolicy: pab ? factOf(pab.blockPublicPolicy) : ABSENT,
    restrictPublicBuckets: pab ? factOf(pab.restrictPublicBuckets) : ABSENT,
  });
  const problems: string[] = [];
  if (gapOf(e, "algorithm"))
    problems.push(
      `default encryption of ${want.bucketName} is ${enc?.algorithm || "not configured"}, intended aws:kms with ${want.keyArn}`,
    );
  else if (gapOf(e, "kmsKeyId"))
    problems.push(
      `default encryption of ${want.bucketName} is ${enc?.algorithm} but ${key.same ? "the key is an AWS managed key" : key.reason}`,
    );
  const off = FLAGS.filter((f) => gapOf(p, f));
  if (!pab) problems.push(`${want.bucketName} has no public access block; turn all four settings on`);
  else if (off.length)
    problems.push(
      `the public access block of ${want.bucketName} has ${off.join(", ")} off; turn ${off.length === 1 ? "it" : "them"} on`,
    );
  return [
    verdict(
      metadata,
      scope,
      target,
      { algorithm: enc?.algorithm ?? null, kmsKeyId: enc?.kmsKeyId ?? null, publicAccessBlock: pab ?? null },
      problems,
      `${want.bucketName} encrypts by default with aws:kms under its intended key, and all four public access block settings are on.`,
    ),
  ];
}
