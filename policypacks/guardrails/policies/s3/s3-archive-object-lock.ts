import { archiveObjectLock, ObjectLockConfig } from "../../../../baseline/rules";
import { stackPolicy } from "../../lib/define";
import { policyConfig, z } from "../../lib/config-schema";

export const s3ArchiveObjectLock = stackPolicy<ObjectLockConfig>(
  {
    name: "s3-archive-object-lock",
    description:
      "Checks that the trail's archive bucket has Object Lock enabled at creation, with a default retention in an allowed mode and at least the minimum days.",
    severity: "critical",
    remediationSteps:
      "Create the bucket with objectLockEnabled: true (it cannot be added later without AWS support) and add an aws.s3.BucketObjectLockConfiguration with rule.defaultRetention { mode: COMPLIANCE, days: >= minRetentionDays }.",
    controls: ["s3-object-lock"],
    enforcementLevel: "mandatory",
    configSchema: policyConfig({
      allowedModes: z
        .array(z.enum(["COMPLIANCE", "GOVERNANCE"]))
        .min(1)
        .default(["COMPLIANCE"])
        .describe("Object Lock modes accepted for the default retention."),
      minRetentionDays: z
        .int()
        .min(1)
        .default(365)
        .describe("Minimum default retention in days (years count as 365 days)."),
    }),
  },
  (resources, cfg) => archiveObjectLock(resources, cfg),
);
