import { EncryptionConfig, logBucketEncryption } from "../../../../baseline/rules";
import { cis, stackPolicy } from "../../lib/define";
import { policyConfig, z } from "../../lib/config-schema";

export const s3LogBucketKmsEncryption = stackPolicy<EncryptionConfig>(
  {
    name: "s3-log-bucket-kms-encryption",
    description:
      "Checks that log buckets use SSE-KMS with a customer managed key; a bucket that only receives server access logs may use SSE-S3.",
    severity: "high",
    framework: cis("1.4.0", "2.1.1", "Ensure all S3 buckets employ encryption-at-rest"),
    remediationSteps:
      'Add an aws.s3.BucketServerSideEncryptionConfiguration with applyServerSideEncryptionByDefault { sseAlgorithm: "aws:kms", kmsMasterKeyId: <customer key ARN> }. S3 server access logging does not support SSE-KMS targets, which is why access-log buckets may keep SSE-S3 (AES256).',
    controls: ["s3-default-encryption"],
    enforcementLevel: "mandatory",
    configSchema: policyConfig({
      allowSseS3ForAccessLogBuckets: z
        .boolean()
        .default(true)
        .describe("Accept SSE-S3 on buckets that only receive server access logs."),
      logBucketNamePatterns: z
        .array(z.string())
        .default([])
        .describe("Regular expressions naming further buckets to treat as log buckets."),
    }),
  },
  (resources, cfg) => logBucketEncryption(resources, cfg),
);
