import type { TrailFacts } from "./facts";
import { defineControl, type Gap, mustBeSet } from "./types";

export interface CloudWatchLogsParams {
  /** The log group the trail must deliver to (without the ":*" suffix); undefined where the side holds no intent. */
  intendedLogGroupArn?: string;
}

/** CloudTrail stores the log group ARN with a ":*" suffix; compare without it. */
export const bareLogGroupArn = (arn: string) => arn.replace(/:\*$/, "");

type Field = "cloudWatchLogsGroupArn" | "cloudWatchLogsRoleArn";

export const cloudtrailCloudwatchLogs = defineControl<Pick<TrailFacts, Field>, CloudWatchLogsParams, Field>(
  {
    id: "cloudtrail-cloudwatch-logs",
    title: "The trail delivers to CloudWatch Logs, with a log group and a role",
    severity: "high",
    risk: "The CIS metric filters and alarms only see what reaches the trail's log group: without delivery every alarm is silent.",
    cis: [{ version: "1.4.0", id: "3.4" }],
    fsbp: ["CloudTrail.5"],
    references: [
      "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/send-cloudtrail-events-to-cloudwatch-logs.html",
      "https://docs.aws.amazon.com/securityhub/latest/userguide/cloudtrail-controls.html",
    ],
  },
  (f, p) => {
    const group = f.cloudWatchLogsGroupArn;
    const gaps: Gap<Field>[] = mustBeSet("cloudWatchLogsGroupArn", group, p.intendedLogGroupArn ?? "a log group ARN");
    if (
      gaps.length === 0 &&
      group.kind === "known" &&
      p.intendedLogGroupArn !== undefined &&
      bareLogGroupArn(group.value) !== p.intendedLogGroupArn
    ) {
      gaps.push({
        field: "cloudWatchLogsGroupArn",
        expected: p.intendedLogGroupArn,
        found: group,
        reason: "not-intended",
      });
    }
    return [...gaps, ...mustBeSet("cloudWatchLogsRoleArn", f.cloudWatchLogsRoleArn, "a role CloudTrail can assume")];
  },
);
