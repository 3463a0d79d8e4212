import { flowLogBucketGuardrail } from "../../../../baseline/rules";
import { cis, stackPolicy } from "../../lib/define";

export const s3FlowLogBucket = stackPolicy(
  {
    name: "s3-flow-log-bucket",
    description:
      "Checks that every bucket VPC Flow Logs deliver to uses SSE-KMS with a customer managed key, blocks all public access and denies requests that do not use TLS (it needs no Object Lock).",
    severity: "high",
    framework: cis(
      "3.0.0",
      "2.1.1",
      "Ensure S3 Bucket Policy is set to deny HTTP requests; see also 2.1.4 and 1.4.0 2.1.1",
    ),
    remediationSteps:
      'Give the flow-log bucket an aws.s3.BucketServerSideEncryptionConfiguration { sseAlgorithm: "aws:kms", kmsMasterKeyId: <customer key ARN> }, an aws.s3.BucketPublicAccessBlock with all four settings true, and a bucket policy statement { Effect: Deny, Principal: *, Action: s3:*, Condition: { Bool: { aws:SecureTransport: false } } }.',
    controls: ["s3-tls-only", "s3-default-encryption", "s3-public-access-block"],
    enforcementLevel: "mandatory",
  },
  (resources) => flowLogBucketGuardrail(resources),
);
