import { LOG_GROUP_TYPE, logGroupRetention, RetentionConfig } from "../../../../baseline/rules";
import { resourcePolicy } from "../../lib/define";
import { policyConfig, z } from "../../lib/config-schema";

export const cloudwatchLogGroupRetention = resourcePolicy<RetentionConfig>(
  {
    name: "cloudwatch-log-group-retention",
    description: "Checks that log groups keep events at least the minimum number of days.",
    severity: "medium",
    remediationSteps:
      "Set retentionInDays on the aws.cloudwatch.LogGroup to a CloudWatch Logs retention value at or above the minimum (0 or unset keeps events forever).",
    controls: ["log-group-retention"],
    enforcementLevel: "mandatory",
    configSchema: policyConfig({
      minRetentionDays: z.int().min(1).default(365).describe("Shortest retention accepted, in days."),
    }),
  },
  [LOG_GROUP_TYPE],
  (r, cfg) => logGroupRetention(r.props, cfg),
);
