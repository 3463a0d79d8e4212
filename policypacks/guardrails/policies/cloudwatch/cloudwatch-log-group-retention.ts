import { LOG_GROUP_TYPE, logGroupRetention, RetentionConfig } from "../../../../baseline/rules";
import { resourcePolicy } from "../../lib/define";

export const cloudwatchLogGroupRetention = resourcePolicy<RetentionConfig>(
  {
    name: "cloudwatch-log-group-retention",
    description: "Checks that log groups keep events at least the minimum number of days.",
    severity: "medium",
    remediationSteps: "Set retentionInDays on the aws.cloudwatch.LogGroup to a CloudWatch Logs retention value at or above the minimum (0 or unset keeps events forever).",
    controls: ["log-group-retention"],
    enforcementLevel: "mandatory",
    configSchema: {
      properties: {
        minRetentionDays: { type: "integer", minimum: 1, default: 365, description: "Shortest retention accepted, in days." },
      },
    },
  },
  [LOG_GROUP_TYPE],
  (r, cfg) => logGroupRetention(r.props, cfg),
);
