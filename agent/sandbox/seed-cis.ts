/**
 * The CIS monitoring controls as infra/detection/cis-alarms.ts lays them, from the same baseline
 * definitions: the alert topic (management account, home region, with its baseline policy), one
 * metric filter per CIS control on the trail's log group, and one alarm per filter notifying the
 * topic. Also the drifts the CIS check must catch, one change each.
 */
import {
  CloudWatchClient,
  DeleteAlarmsCommand,
  DescribeAlarmsCommand,
  DisableAlarmActionsCommand,
  PutMetricAlarmCommand,
} from "@aws-sdk/client-cloudwatch";
import {
  CloudWatchLogsClient,
  DeleteMetricFilterCommand,
  PutMetricFilterCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import { CreateTopicCommand, SNSClient } from "@aws-sdk/client-sns";
import { minify, topicArn } from "../../baseline";
import {
  alertTopicPolicy,
  canonicalFilterPattern,
  CIS_ALARM,
  CIS_FILTERS,
  type CisAlarmsIntent,
  type CisFilterIntent,
} from "../../baseline/detection";
import type { SandboxSession } from "./session";

export interface CisSeedTarget {
  session: SandboxSession;
  account: string;
  region: string;
  logGroupName: string;
  intent: CisAlarmsIntent;
}

/** The alarm infra lays for one filter (infra/detection/cis-alarms.ts), as PutMetricAlarm input. */
function alarmInput(f: CisFilterIntent, intent: CisAlarmsIntent) {
  const cis = CIS_FILTERS.find((x) => x.id === f.cisId);
  return {
    AlarmName: f.alarmName,
    AlarmDescription: `CIS ${f.cisId}${cis?.securityHubControl ? ` (${cis.securityHubControl})` : ""}: ${cis?.title ?? ""}`,
    Namespace: intent.metricNamespace,
    MetricName: f.metricName,
    Statistic: CIS_ALARM.statistic,
    Period: CIS_ALARM.period,
    EvaluationPeriods: CIS_ALARM.evaluationPeriods,
    Threshold: CIS_ALARM.threshold,
    ComparisonOperator: CIS_ALARM.comparisonOperator,
    TreatMissingData: CIS_ALARM.treatMissingData,
    ActionsEnabled: true,
    AlarmActions: [intent.topicArn],
  };
}

export async function seedCisAlarms(t: CisSeedTarget): Promise<void> {
  const topicName = t.intent.topicArn.split(":").pop()!;
  if (topicArn(t.region, t.account, topicName) !== t.intent.topicArn)
    throw new Error(`seedCisAlarms: topic ${t.intent.topicArn} is not in account ${t.account}, ${t.region}`);
  const sns = await t.session.client(SNSClient, t.account, t.region);
  const policy = minify(alertTopicPolicy({ topicArn: t.intent.topicArn, accountId: t.account, region: t.region }));
  await sns.send(new CreateTopicCommand({ Name: topicName, Attributes: { Policy: policy } }));
  const logs = await t.session.client(CloudWatchLogsClient, t.account, t.region);
  const cw = await t.session.client(CloudWatchClient, t.account, t.region);
  for (const f of t.intent.filters) {
    await logs.send(
      new PutMetricFilterCommand({
        logGroupName: t.logGroupName,
        filterName: f.filterName,
        filterPattern: f.pattern,
        metricTransformations: [
          { metricName: f.metricName, metricNamespace: t.intent.metricNamespace, metricValue: CIS_ALARM.metricValue },
        ],
      }),
    );
    await cw.send(new PutMetricAlarmCommand(alarmInput(f, t.intent)));
    // infra/detection/cis-alarms.ts names them detection-cis-<id with "-">-filter / -alarm.
    const id = f.cisId.replace(".", "-");
    t.session.inventory.lay("aws:cloudwatch/logMetricFilter:LogMetricFilter", `detection-cis-${id}-filter`);
    t.session.inventory.lay("aws:cloudwatch/metricAlarm:MetricAlarm", `detection-cis-${id}-alarm`);
  }
}

export const CIS_DRIFT_CHANGES = [
  "filter-deleted",
  "pattern-changed",
  "pattern-reformatted",
  "alarm-actions-disabled",
  "alarm-topic-wrong",
  "alarm-deleted",
] as const;
export type CisDriftChange = (typeof CIS_DRIFT_CHANGES)[number];

/** One change to one control's filter or alarm; "pattern-reformatted" keeps the meaning (the check must still PASS). */
export async function driftCis(t: CisSeedTarget, cisId: string, change: CisDriftChange): Promise<void> {
  const f = t.intent.filters.find((x) => x.cisId === cisId);
  if (!f)
    throw new Error(
      `sandbox drift cis: CIS control "${cisId}" is unknown; allowed: ${t.intent.filters.map((x) => x.cisId).join(", ")}`,
    );
  const logs = await t.session.client(CloudWatchLogsClient, t.account, t.region);
  const cw = await t.session.client(CloudWatchClient, t.account, t.region);
  // AWS replaces a filter put under an existing name; moto 5.2.5 appends a second one, so the old one goes first.
  const putFilter = async (filterPattern: string) => {
    await logs.send(new DeleteMetricFilterCommand({ logGroupName: t.logGroupName, filterName: f.filterName }));
    await logs.send(
      new PutMetricFilterCommand({
        logGroupName: t.logGroupName,
        filterName: f.filterName,
        filterPattern,
        metricTransformations: [
          { metricName: f.metricName, metricNamespace: t.intent.metricNamespace, metricValue: CIS_ALARM.metricValue },
        ],
      }),
    );
  };
  const inner = f.pattern.trim().replace(/^\{/, "").replace(/\}$/, "");
  switch (change) {
    case "filter-deleted":
      return void (await logs.send(
        new DeleteMetricFilterCommand({ logGroupName: t.logGroupName, filterName: f.filterName }),
      ));
    case "pattern-changed":
      // Narrowed to one region: events elsewhere no longer count.
      return void (await putFilter(`{ (${inner}) && ($.awsRegion = "${t.region}") }`));
    case "pattern-reformatted":
      // Terms sorted, values quoted, spacing changed: the same events match.
      return void (await putFilter(`{${canonicalFilterPattern(f.pattern)}}`));
    case "alarm-actions-disabled":
      return void (await cw.send(new DisableAlarmActionsCommand({ AlarmNames: [f.alarmName] })));
    case "alarm-topic-wrong":
      return void (await cw.send(
        new PutMetricAlarmCommand({
          ...alarmInput(f, t.intent),
          AlarmActions: [topicArn(t.region, t.account, "someone-elses-topic")],
        }),
      ));
    case "alarm-deleted": {
      await cw.send(new DeleteAlarmsCommand({ AlarmNames: [f.alarmName] }));
      const left = await cw.send(new DescribeAlarmsCommand({ AlarmNames: [f.alarmName] }));
      if ((left.MetricAlarms ?? []).length > 0)
        throw new Error(`sandbox drift cis: alarm ${f.alarmName} survived DeleteAlarms`);
      return;
    }
  }
}
