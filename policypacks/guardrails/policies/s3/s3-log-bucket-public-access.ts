import { logBucketPublicAccessAndTls } from "../../../../baseline/rules";
import { cis, stackPolicy } from "../../lib/define";
import { policyConfig, z } from "../../lib/config-schema";

export const s3LogBucketPublicAccess = stackPolicy<{ logBucketNamePatterns: string[] }>(
  {
    name: "s3-log-bucket-public-access",
    description: "Checks that log buckets block all public access and deny requests that do not use TLS.",
    severity: "critical",
    framework: cis(
      "3.0.0",
      "2.1.4",
      "Ensure that S3 Buckets are configured with 'Block public access (bucket settings)'; see also 2.1.1 (deny HTTP requests)",
    ),
    remediationSteps:
      "Add an aws.s3.BucketPublicAccessBlock with blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets all true, and a bucket policy statement { Effect: Deny, Principal: *, Action: s3:*, Condition: { Bool: { aws:SecureTransport: false } } }.",
    controls: ["s3-public-access-block"],
    enforcementLevel: "mandatory",
    configSchema: policyConfig({
      logBucketNamePatterns: z
        .array(z.string())
        .default([])
        .describe("Regular expressions naming further buckets to treat as log buckets."),
    }),
  },
  (resources, cfg) => logBucketPublicAccessAndTls(resources, cfg.logBucketNamePatterns),
);
