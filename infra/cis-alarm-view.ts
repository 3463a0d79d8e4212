/**
 * The CIS alarm states as the security account can show them. The 15 CIS alarms live in the
 * management account with the trail's log group; CloudWatch cross-account observability shares
 * metrics, not alarms (infra/observability-link.ts), so an alarm widget here cannot show them. In an
 * OAM monitoring account an alarm can watch a source account's metric (MetricDataQuery.AccountId,
 * PutMetricAlarm), so each CIS alarm is evaluated here as well, on the linked metric, with the
 * management alarm's statistic, period, threshold, comparison and missing-data treatment
 * (baseline CIS_ALARM): the same data under the same rule gives the same state.
 *
 * The CIS alarms treat missing data as not breaching (no matching event, no datapoint). Here that
 * would also turn "this account cannot see the metric" into OK, so one more alarm watches what the
 * filters read: the trail log group's IncomingLogEvents (AWS/Logs, published by CloudWatch Logs in
 * the management account, linked with the CIS namespace). Missing data breaches there: no trail
 * event in an hour, or a broken link, puts it in ALARM, and the dashboard says the CIS alarms' OK
 * means something only while it is OK.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { CIS_ALARM, CIS_FILTERS, CIS_METRIC_NAMESPACE, cisAlarmName, type CisFilter } from "../baseline/detection";

/** CloudWatch Logs' own per-log-group metric (dimension LogGroupName), in the management account. */
export const TRAIL_EVENTS_METRIC = { namespace: "AWS/Logs", metricName: "IncomingLogEvents" } as const;
/** An organization trail delivers events around the clock; an hour without one is an outage, not a quiet hour. */
export const VISIBILITY_PERIOD_SECONDS = 3600;

export interface CisView {
  /** The management account's link to this account's sink: the metrics are readable here once it exists. */
  link: pulumi.Resource;
  /** The organization trail's log group (management account, home region), which the CIS filters read. */
  trailLogGroupName: string;
  /** Topic of this account and region that hears when the CIS metrics stop being visible (security-alerts). */
  topicArn: pulumi.Input<string>;
}

/** Alarm names are per account; the stack in the name keeps two stacks' alarms apart in one security account. */
export function cisViewAlarmName(stack: string, f: CisFilter): string {
  return `orgwarden-${stack}-${cisAlarmName(f)}`;
}

export function cisVisibilityAlarmName(stack: string): string {
  return `orgwarden-${stack}-cis-metrics-not-visible`;
}

/** Lays the visibility alarm and the 15 CIS alarms in the parent's account; returns their names, visibility first. */
export function cisViewAlarms(
  parent: pulumi.Resource,
  name: string,
  stack: string,
  managementAccountId: string,
  view: CisView,
): string[] {
  const opts = { parent, dependsOn: [view.link] };
  const visibility = cisVisibilityAlarmName(stack);
  new aws.cloudwatch.MetricAlarm(
    `${name}-cis-visibility-alarm`,
    {
      name: visibility,
      alarmDescription: `orgwarden: no CloudTrail event reached ${view.trailLogGroupName} (management account ${managementAccountId}) in the last hour, or this account cannot see that account's metrics (CloudWatch cross-account observability link); the CIS alarms of stack ${stack} shown here cannot be trusted while this is in ALARM`,
      metricQueries: [
        {
          id: "events",
          accountId: managementAccountId,
          returnData: true,
          metric: {
            namespace: TRAIL_EVENTS_METRIC.namespace,
            metricName: TRAIL_EVENTS_METRIC.metricName,
            dimensions: { LogGroupName: view.trailLogGroupName },
            stat: "Sum",
            period: VISIBILITY_PERIOD_SECONDS,
          },
        },
      ],
      evaluationPeriods: 1,
      threshold: 1,
      comparisonOperator: "LessThanThreshold",
      treatMissingData: "breaching",
      actionsEnabled: true,
      alarmActions: [view.topicArn],
      okActions: [view.topicArn],
    },
    opts,
  );
  return [visibility, ...CIS_FILTERS.map((f) => cisViewAlarm(name, stack, managementAccountId, f, opts))];
}

/** No actions: the management account's alarm notifies; this one is what the dashboard shows. */
function cisViewAlarm(
  name: string,
  stack: string,
  managementAccountId: string,
  f: CisFilter,
  opts: pulumi.CustomResourceOptions,
): string {
  const alarmName = cisViewAlarmName(stack, f);
  new aws.cloudwatch.MetricAlarm(
    `${name}-cis-${f.id.replace(".", "-")}-alarm`,
    {
      name: alarmName,
      alarmDescription: `CIS ${f.id}${f.securityHubControl ? ` (${f.securityHubControl})` : ""}: ${f.title}. The management account ${managementAccountId}'s alarm ${cisAlarmName(f)}, evaluated here on its linked metric ${CIS_METRIC_NAMESPACE}/${f.metricName}; no actions (that alarm notifies)`,
      metricQueries: [
        {
          id: "events",
          accountId: managementAccountId,
          returnData: true,
          metric: {
            namespace: CIS_METRIC_NAMESPACE,
            metricName: f.metricName,
            stat: CIS_ALARM.statistic,
            period: CIS_ALARM.period,
          },
        },
      ],
      evaluationPeriods: CIS_ALARM.evaluationPeriods,
      threshold: CIS_ALARM.threshold,
      comparisonOperator: CIS_ALARM.comparisonOperator,
      treatMissingData: CIS_ALARM.treatMissingData,
      actionsEnabled: false,
    },
    opts,
  );
  return alarmName;
}
