/**
 * The CIS monitoring controls as deployed (management account, home region): the metric filters of
 * the trail's log group (CloudWatch Logs DescribeMetricFilters) and the metric alarms that watch the
 * CIS metrics (CloudWatch DescribeAlarms). The check compares them with the manifest.
 */
import { paginateDescribeAlarms, type CloudWatchClient, type MetricAlarm } from "@aws-sdk/client-cloudwatch";
import { paginateDescribeMetricFilters, type CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import type { CisAlarmsIntent } from "../../baseline/detection";
import { failed, type CollectError, type ObservedCisMonitoring, type ObservedMetricAlarm } from "../model";
import { attempt, attemptOrAbsent, drain, type CallScope } from "./common";

export interface CisTarget {
  logGroupName: string;
  intent: Pick<CisAlarmsIntent, "metricNamespace" | "filters">;
}

export async function collectCisMonitoring(
  logs: CloudWatchLogsClient,
  cloudwatch: CloudWatchClient,
  account: string,
  region: string,
  t: CisTarget,
): Promise<ObservedCisMonitoring> {
  const scope = (service: string, operation: string): CallScope => ({ service, operation, account, region });
  const metricNames = new Set(t.intent.filters.map((f) => f.metricName));
  const [filters, alarms] = await Promise.all([
    // A log group that does not exist has no filters; the check says the group is missing.
    attemptOrAbsent(scope("logs", "DescribeMetricFilters"), ["ResourceNotFoundException"], async () =>
      (
        await drain(
          paginateDescribeMetricFilters({ client: logs }, { logGroupName: t.logGroupName }),
          (p) => p.metricFilters,
        )
      ).map((f) => ({
        name: f.filterName ?? "",
        pattern: f.filterPattern ?? "",
        metrics: (f.metricTransformations ?? []).map((m) => ({
          name: m.metricName ?? "",
          namespace: m.metricNamespace ?? "",
          value: m.metricValue ?? "",
          ...(m.defaultValue !== undefined ? { defaultValue: m.defaultValue } : {}),
        })),
      })),
    ),
    attempt(scope("cloudwatch", "DescribeAlarms"), async () =>
      (
        await drain(
          paginateDescribeAlarms({ client: cloudwatch }, { AlarmTypes: ["MetricAlarm"] }),
          (p) => p.MetricAlarms,
        )
      )
        // An alarm on a CIS metric name in another namespace is kept, so the check can name the wrong namespace.
        .filter((a) => a.Namespace === t.intent.metricNamespace || metricNames.has(a.MetricName ?? ""))
        .map(toAlarm),
    ),
  ]);
  return { logGroupName: t.logGroupName, filters, alarms };
}

function toAlarm(a: MetricAlarm): ObservedMetricAlarm {
  return {
    name: a.AlarmName ?? "",
    arn: a.AlarmArn,
    namespace: a.Namespace,
    metricName: a.MetricName,
    statistic: a.Statistic,
    extendedStatistic: a.ExtendedStatistic,
    dimensions: (a.Dimensions ?? []).map((d) => ({ name: d.Name ?? "", value: d.Value ?? "" })),
    usesMetricMath: (a.Metrics ?? []).length > 0,
    period: a.Period,
    evaluationPeriods: a.EvaluationPeriods,
    datapointsToAlarm: a.DatapointsToAlarm,
    threshold: a.Threshold,
    comparisonOperator: a.ComparisonOperator,
    // AWS's default when the alarm was created without it.
    actionsEnabled: a.ActionsEnabled ?? true,
    alarmActions: a.AlarmActions ?? [],
  };
}

/** Both pieces carry the error that kept the task from running (AssumeRole refused, task timed out). */
export function unreadableCis(logGroupName: string, e: CollectError): ObservedCisMonitoring {
  return { logGroupName, filters: failed(e), alarms: failed(e) };
}
