import type { LogGroupFacts } from "./facts";
import { defineControl } from "./types";

export interface RetentionParams {
  minRetentionDays: number;
}

/** A retention of 0, or none, means "never expire", which is at or above any minimum. */
export const logGroupRetention = defineControl<Pick<LogGroupFacts, "retentionDays">, RetentionParams, "retentionDays">(
  {
    id: "log-group-retention",
    title: "CloudWatch Logs groups keep events at least the minimum number of days",
    severity: "medium",
    risk: "A short retention erases the evidence the CIS alarms point to before anyone reads it.",
    cis: [],
    fsbp: ["CloudWatch.16"],
    references: [
      "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/Working-with-log-groups-and-streams.html",
      "https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html",
    ],
  },
  (f, p) => {
    const d = f.retentionDays;
    if (d.kind === "unknown") return [{ field: "retentionDays", expected: `≥ ${p.minRetentionDays}`, found: d }];
    if (d.kind === "known" && d.value !== 0 && d.value < p.minRetentionDays)
      return [{ field: "retentionDays", expected: `≥ ${p.minRetentionDays}`, found: d }];
    return [];
  },
);
