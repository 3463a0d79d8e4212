/**
 * The alarms on the agent's own metrics (agent/telemetry.ts): a scheduled run that did not
 * complete, and a run whose notifications failed; and the alarm period derived from the schedule.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
  type AgentAlarmInput,
  type AgentAlarmIntent,
  missedRunAlarm as missedRunAlarmIntent,
  notificationAlarm as notificationAlarmIntent,
} from "../baseline/audit-agent-deployment";
import { EXECUTION_TIMEOUT_SECONDS } from "./audit-engine";

/** The agent's metrics (agent/telemetry.ts METRIC_NAMESPACE / METRIC_DIMENSION). */
export { AGENT_METRIC_DIMENSION, AGENT_METRIC_NAMESPACE } from "../baseline/audit-agent-deployment";
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
 * CloudWatch's limit on an alarm's evaluation range (Period × EvaluationPeriods): seven days, and
 * one day for periods under an hour (PutMetricAlarm, Period).
 */
const MAX_EVALUATION_SECONDS = 7 * DAY_SECONDS;
const MAX_SHORT_PERIOD_EVALUATION_SECONDS = DAY_SECONDS;
/** The configured period's ceiling (audit.runAlarmPeriodHours), CloudWatch's seven days. */
export const MAX_RUN_ALARM_PERIOD_HOURS = MAX_EVALUATION_SECONDS / 3600;

/**
 * Slack for what happens outside the run: EventBridge starting it a little late, and the EMF
 * document becoming a metric after the run has written it (CloudWatch extracts it from the log
 * stream asynchronously).
 */
export const RUN_DELIVERY_MARGIN_SECONDS = 600;

/**
 * The longest a run can take from its start to its RunCompleted metric: one Lambda invocation
 * (Lambda's 900 s ceiling, which is the single-function engine's timeout), or the Step Functions
 * execution's timeout.
 */
export function longestRunSeconds(engine: "lambda" | "step-functions"): number {
  return engine === "lambda" ? 900 : EXECUTION_TIMEOUT_SECONDS;
}

const derivable =
  "(derivable: rate() or a cron that fires daily or hourly at a fixed minute, whose interval plus the longest run and a 10-minute margin is at most 7 days)";

/** One point per run on the dashboard: the schedule's interval, or the configured hours when it has none. */
export function runIntervalSeconds(schedule: string, configuredHours: number): number {
  const interval = scheduleIntervalSeconds(schedule);
  if (interval !== undefined) return interval;
  if (configuredHours > 0) return configuredHours * 3600;
  throw new Error(missingPeriod(schedule));
}

function missingPeriod(schedule: string): string {
  return `orgwarden:audit.runAlarmPeriodHours must be set (1-${MAX_RUN_ALARM_PERIOD_HOURS}): the missed-run alarm's period cannot be derived from orgwarden:audit.schedule "${schedule}" ${derivable}`;
}

/**
 * The missed-run alarm's period. Its evaluation window slides (the default SlidingWindow: "the window
 * advances each time the alarm is evaluated", https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-evaluation-window.html),
 * so a period of exactly the schedule's interval puts the alarm in ALARM whenever a run completes
 * later after its start than the run before it did: the previous datapoint leaves the window before
 * the next arrives ("a daily backup alarm with a sliding window can enter ALARM if consecutive
 * backups are more than 24 hours apart"). Two completions are at most interval + longest run +
 * margin apart, so that is the derived period: no false alarm, and a missed run alarms at most
 * 2 × longest run + margin after its scheduled time (at least longest run + margin), provided the
 * next run is not due before then; with a shorter interval (hourly, step-functions) it alarms only
 * once no run has completed for a whole period. docs/notifications.md tabulates the delays.
 *
 * A wall clock window would align the period to midnight instead, but @pulumi/aws 7 cannot set
 * EvaluationWindow, and a run that crosses midnight would still fall into the next day.
 *
 * orgwarden:audit.runAlarmPeriodHours sets the period as given: shorter alarms sooner and risks that
 * false alarm when runs' durations differ; it may not be shorter than the schedule's interval.
 */
export function runAlarmPeriodSeconds(schedule: string, configuredHours: number, longestRun: number): number {
  const interval = scheduleIntervalSeconds(schedule);
  if (configuredHours > 0) {
    const period = configuredHours * 3600;
    if (interval !== undefined && period < interval)
      throw new Error(
        `orgwarden:audit.runAlarmPeriodHours (${configuredHours}) is shorter than the interval of orgwarden:audit.schedule "${schedule}" (${interval / 3600} h): the missed-run alarm would be in ALARM between every two runs`,
      );
    return period;
  }
  if (interval === undefined || interval % 60 !== 0) throw new Error(missingPeriod(schedule));
  const period = interval + longestRun + RUN_DELIVERY_MARGIN_SECONDS;
  const limit = period < 3600 ? MAX_SHORT_PERIOD_EVALUATION_SECONDS : MAX_EVALUATION_SECONDS;
  if (period > limit) throw new Error(missingPeriod(schedule));
  return period;
}

/** "30 h 10 min", "40 min": the period as the alarm's description says it. */
export function hoursAndMinutes(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.round((seconds % 3600) / 60);
  return [h > 0 ? `${h} h` : "", m > 0 ? `${m} min` : ""].filter(Boolean).join(" ");
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
 * A MetricAlarm's arguments from the baseline's alarm intent (baseline/audit-agent-deployment.ts), the
 * same object the manifest's auditAgent area publishes: what infra lays is what the audit holds it to.
 */
export function metricAlarmArgs(
  a: AgentAlarmIntent<pulumi.Input<string>>,
  alarmDescription: string,
): aws.cloudwatch.MetricAlarmArgs {
  return {
    name: a.name,
    alarmDescription,
    ...(a.metricName
      ? {
          namespace: a.namespace,
          metricName: a.metricName,
          dimensions: a.dimensions,
          statistic: a.statistic,
          period: a.period,
        }
      : {}),
    ...(a.metrics
      ? {
          metricQueries: [
            ...a.metrics.map((m) => ({
              id: m.id,
              returnData: false,
              metric: {
                namespace: m.namespace,
                metricName: m.metricName,
                dimensions: m.dimensions,
                period: m.period,
                stat: m.stat,
              },
            })),
            ...(a.expression
              ? [
                  {
                    id: a.expression.id,
                    label: a.expression.label,
                    expression: a.expression.expression,
                    returnData: true,
                  },
                ]
              : []),
          ],
        }
      : {}),
    evaluationPeriods: a.evaluationPeriods,
    threshold: a.threshold,
    comparisonOperator: a.comparisonOperator,
    treatMissingData: a.treatMissingData,
    actionsEnabled: true,
    alarmActions: a.alarmActions,
    ...(a.okActions ? { okActions: a.okActions } : {}),
  };
}

function alarmInput(r: RunAlarmScope, topicArn: pulumi.Input<string>): AgentAlarmInput<pulumi.Input<string>> {
  return { stack: r.stack, functionName: r.functionName, engine: "lambda", topicArn, notifications: true };
}

/**
 * "The scheduled run did not complete": no RunCompleted metric (agent/telemetry.ts) within the
 * period (runAlarmPeriodSeconds); the alarm itself is baseline's missedRunAlarm.
 */
export function missedRunAlarm(
  r: RunAlarmScope,
  period: number,
  topicArn: pulumi.Input<string>,
  fn: pulumi.Resource,
): string {
  const a = missedRunAlarmIntent(alarmInput(r, topicArn), period);
  new aws.cloudwatch.MetricAlarm(
    `${r.name}-missed-run-alarm`,
    metricAlarmArgs(
      a,
      `orgwarden: no scheduled audit run of stack ${r.stack} completed in the last ${hoursAndMinutes(period)} (schedule ${r.schedule}); no report was written`,
    ),
    { parent: r.parent, dependsOn: [fn] },
  );
  return a.name;
}

/** A run whose message or event was not sent (NotificationFailures ≥ 1): the reports are written, nobody was told. */
export function notificationAlarm(r: RunAlarmScope, topicArn: pulumi.Input<string>, fn: pulumi.Resource): string {
  const a = notificationAlarmIntent(alarmInput(r, topicArn));
  new aws.cloudwatch.MetricAlarm(
    `${r.name}-notification-alarm`,
    metricAlarmArgs(
      a,
      "orgwarden: the scheduled audit wrote its reports but could not publish its SNS message or put its EventBridge event (see the run's log line)",
    ),
    { parent: r.parent, dependsOn: [fn] },
  );
  return a.name;
}
