/**
 * The alarms on the agent's own metrics (agent/telemetry.ts): a scheduled run that did not
 * complete, and a run whose notifications failed; and the alarm period derived from the schedule.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** The agent's metrics (agent/telemetry.ts METRIC_NAMESPACE / METRIC_DIMENSION). */
export const AGENT_METRIC_NAMESPACE = "orgwarden";
export const AGENT_METRIC_DIMENSION = "Stack";
const DAY_SECONDS = 86_400;

/**
 * How often a schedule fires, in seconds: rate(N minutes|hours|days), or a cron that fires once a
 * day (fixed minute and hour, every day) or once an hour (fixed minute, every hour). Undefined for
 * anything else (the caller then needs an explicit alarm period).
 */
export function scheduleIntervalSeconds(schedule: string): number | undefined {
  const rate = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(schedule);
  if (rate)
    return Number(rate[1]) * { minute: 60, hour: 3600, day: DAY_SECONDS }[rate[2].replace(/s$/, "") as "minute"];
  const cron = /^cron\((\S+) (\S+) (\S+) (\S+) (\S+) (\S+)\)$/.exec(schedule);
  if (!cron) return undefined;
  const [, minute, hour, dom, month, dow, year] = cron;
  const every = (f: string) => f === "*" || f === "?";
  if (!/^\d+$/.test(minute) || !every(dom) || month !== "*" || !every(dow) || year !== "*") return undefined;
  if (/^\d+$/.test(hour)) return DAY_SECONDS;
  if (hour === "*") return 3600;
  return undefined;
}

/**
 * The missed-run alarm's period: the configured hours, else the schedule's interval. CloudWatch
 * evaluates at most one day (period × evaluation periods ≤ 86 400 s, PutMetricAlarm), so a
 * schedule rarer than daily needs an explicit period of at most 24 hours.
 */
export function runAlarmPeriodSeconds(schedule: string, configuredHours: number): number {
  if (configuredHours > 0) return configuredHours * 3600;
  const interval = scheduleIntervalSeconds(schedule);
  if (interval === undefined || interval > DAY_SECONDS || interval % 60 !== 0)
    throw new Error(
      `orgwarden:audit.runAlarmPeriodHours must be set (1-24): the missed-run alarm's period cannot be derived from orgwarden:audit.schedule "${schedule}" ` +
        "(derivable: rate() of at most 1 day, or a cron that fires daily or hourly at a fixed minute)",
    );
  return interval;
}

/** Where the alarms go and what they are named after (the AuditAgent component). */
export interface RunAlarmScope {
  parent: pulumi.Resource;
  /** The component's name: the alarms' resource names start with it. */
  name: string;
  stack: string;
  functionName: string;
  schedule: string;
}

/**
 * "The scheduled run did not complete": no RunCompleted metric (agent/telemetry.ts) in one period
 * of the schedule. Missing data is breaching: a run that never started, crashed or timed out
 * writes no metric at all, and that silence is exactly what this alarm is for.
 */
export function missedRunAlarm(
  r: RunAlarmScope,
  period: number,
  topicArn: pulumi.Input<string>,
  fn: pulumi.Resource,
): string {
  new aws.cloudwatch.MetricAlarm(
    `${r.name}-missed-run-alarm`,
    {
      name: `${r.functionName}-missed-run`,
      alarmDescription: `orgwarden: no scheduled audit run of stack ${r.stack} completed in the last ${period / 3600} h (schedule ${r.schedule}); no report was written`,
      namespace: AGENT_METRIC_NAMESPACE,
      metricName: "RunCompleted",
      dimensions: { [AGENT_METRIC_DIMENSION]: r.stack },
      statistic: "Sum",
      period,
      evaluationPeriods: 1,
      threshold: 1,
      comparisonOperator: "LessThanThreshold",
      treatMissingData: "breaching",
      actionsEnabled: true,
      alarmActions: [topicArn],
      okActions: [topicArn],
    },
    { parent: r.parent, dependsOn: [fn] },
  );
  return `${r.functionName}-missed-run`;
}

/** A run whose message or event was not sent (NotificationFailures ≥ 1): the reports are written, nobody was told. */
export function notificationAlarm(r: RunAlarmScope, topicArn: pulumi.Input<string>, fn: pulumi.Resource): string {
  new aws.cloudwatch.MetricAlarm(
    `${r.name}-notification-alarm`,
    {
      name: `${r.functionName}-notification-failed`,
      alarmDescription:
        "orgwarden: the scheduled audit wrote its reports but could not publish its SNS message or put its EventBridge event (see the run's log line)",
      namespace: AGENT_METRIC_NAMESPACE,
      metricName: "NotificationFailures",
      dimensions: { [AGENT_METRIC_DIMENSION]: r.stack },
      statistic: "Maximum",
      period: 3600,
      evaluationPeriods: 1,
      threshold: 1,
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      // No run in the hour means no failure to report; the missed-run alarm covers runs that did not happen.
      treatMissingData: "notBreaching",
      actionsEnabled: true,
      alarmActions: [topicArn],
    },
    { parent: r.parent, dependsOn: [fn] },
  );
  return `${r.functionName}-notification-failed`;
}
