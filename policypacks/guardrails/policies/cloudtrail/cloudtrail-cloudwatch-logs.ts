import { TRAIL_TYPE, trailCloudWatchLogs } from "../../../../baseline/rules";
import { cis, resourcePolicy } from "../../lib/define";

export const cloudtrailCloudwatchLogs = resourcePolicy(
  {
    name: "cloudtrail-cloudwatch-logs",
    description: "Checks that trails deliver to CloudWatch Logs, with both a log group and a role.",
    severity: "high",
    framework: cis("1.4.0", "3.4", "Ensure CloudTrail trails are integrated with CloudWatch Logs"),
    remediationSteps:
      "Create an aws.cloudwatch.LogGroup and an IAM role CloudTrail can assume with logs:CreateLogStream and logs:PutLogEvents on it; set cloudWatchLogsGroupArn (the group ARN followed by :*) and cloudWatchLogsRoleArn on the trail.",
    controls: ["cloudtrail-cloudwatch-logs"],
    enforcementLevel: "mandatory",
  },
  [TRAIL_TYPE],
  (r) => trailCloudWatchLogs(r.props),
);
