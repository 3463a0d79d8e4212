import { EncryptionConfig, logBucketEncryption } from "../../../../baseline/rules";
import { cis, stackPolicy } from "../../lib/define";

export const s3LogBucketKmsEncryption = stackPolicy<EncryptionConfig>(
  {
    name: "s3-log-bucket-kms-encryption",
    description: "Checks that log buckets use SSE-KMS with a customer managed key; a bucket that only receives server access logs may use SSE-S3.",
    severity: "high",
    framework: cis("1.4.0", "2.1.1", "Ensure all S3 buckets employ encryption-at-rest"),
    remediationSteps: "Add an aws.s3.BucketServerSideEncryptionConfiguration with applyServerSideEncryptionByDefault { sseAlgorithm: \"aws:kms\", kmsMasterKeyId: <customer key ARN> }. S3 server access logging does not support SSE-KMS targets, which is why access-log buckets may keep SSE-S3 (AES256).",
    controls: ["s3-default-encryption"],
    enforcementLevel: "mandatory",
    configSchema: {
      properties: {
        allowSseS3ForAccessLogBuckets: { type: "boolean", default: true, description: "Accept SSE-S3 on buckets that only receive server access logs." },
        logBucketNamePatterns: { type: "array", items: { type: "string" }, default: [], description: "Regular expressions naming further buckets to treat as log buckets." },
      },
    },
  },
  (resources, cfg) => logBucketEncryption(resources, cfg),
);
