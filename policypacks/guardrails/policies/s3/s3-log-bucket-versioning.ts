import { logBucketVersioning } from "../../../../baseline/rules";
import { stackPolicy } from "../../lib/define";
import { policyConfig, z } from "../../lib/config-schema";

export const s3LogBucketVersioning = stackPolicy<{ logBucketNamePatterns: string[] }>(
  {
    name: "s3-log-bucket-versioning",
    description: "Checks that log buckets (trail, Config and access-log buckets) have versioning enabled.",
    severity: "high",
    remediationSteps: 'Add an aws.s3.BucketVersioning with versioningConfiguration.status "Enabled" for the bucket.',
    controls: ["s3-versioning"],
    enforcementLevel: "mandatory",
    configSchema: policyConfig({
      logBucketNamePatterns: z
        .array(z.string())
        .default([])
        .describe("Regular expressions naming further buckets to treat as log buckets."),
    }),
  },
  (resources, cfg) => logBucketVersioning(resources, cfg.logBucketNamePatterns),
);
