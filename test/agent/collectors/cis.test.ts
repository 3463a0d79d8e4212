import { afterEach, describe, expect, it } from "vitest";
import { mockClient } from "aws-sdk-client-mock";
import { CloudWatchClient, DescribeAlarmsCommand, PutMetricAlarmCommand } from "@aws-sdk/client-cloudwatch";
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  DescribeMetricFiltersCommand,
  PutMetricFilterCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import { collectCisMonitoring } from "../../../agent/collectors/cis";
import { CIS_ALARM, cisAlarmsIntent } from "../../../baseline/detection";
import { topicArn } from "../../../baseline";
import { useMoto } from "../../helpers/moto";
import { agentClients, MOTO_DEFAULT_ACCOUNT, REGION } from "./_clients";

const moto = useMoto();
let env: ReturnType<typeof agentClients>;
afterEach(() => env?.destroy());

const GROUP = "/orgwarden/cloudtrail";
const TOPIC = topicArn(REGION, MOTO_DEFAULT_ACCOUNT, "orgwarden-cis-alarms");
const intent = cisAlarmsIntent(TOPIC);
const root = intent.filters.find((f) => f.cisId === "4.3")!;

describe("collectCisMonitoring (moto: DescribeMetricFilters, DescribeAlarms)", () => {
  it("reads the log group's filters with their metrics, and only the alarms on CIS metrics", async () => {
    env = agentClients(moto.endpoint);
    const logs = await env.get(CloudWatchLogsClient, MOTO_DEFAULT_ACCOUNT);
    const cw = await env.get(CloudWatchClient, MOTO_DEFAULT_ACCOUNT);
    await logs.send(new CreateLogGroupCommand({ logGroupName: GROUP }));
    await logs.send(
      new PutMetricFilterCommand({
        logGroupName: GROUP,
        filterName: root.filterName,
        filterPattern: root.pattern,
        metricTransformations: [
          { metricName: root.metricName, metricNamespace: intent.metricNamespace, metricValue: "1" },
        ],
      }),
    );
    const alarm = {
      Namespace: intent.metricNamespace,
      MetricName: root.metricName,
      Statistic: CIS_ALARM.statistic,
      Period: CIS_ALARM.period,
      EvaluationPeriods: CIS_ALARM.evaluationPeriods,
      Threshold: CIS_ALARM.threshold,
      ComparisonOperator: CIS_ALARM.comparisonOperator,
      ActionsEnabled: true,
      AlarmActions: [TOPIC],
    };
    await cw.send(new PutMetricAlarmCommand({ AlarmName: root.alarmName, ...alarm }));
    // Same CIS metric name in another namespace: kept, so the check can name it.
    await cw.send(new PutMetricAlarmCommand({ ...alarm, AlarmName: "elsewhere", Namespace: "Other" }));
    await cw.send(
      new PutMetricAlarmCommand({
        ...alarm,
        AlarmName: "unrelated",
        Namespace: "AWS/EC2",
        MetricName: "CPUUtilization",
      }),
    );

    const got = await collectCisMonitoring(logs, cw, MOTO_DEFAULT_ACCOUNT, REGION, {
      logGroupName: GROUP,
      intent,
    });
    expect(got.filters).toEqual({
      ok: true,
      value: [
        {
          name: root.filterName,
          pattern: root.pattern,
          metrics: [{ name: root.metricName, namespace: intent.metricNamespace, value: "1" }],
        },
      ],
    });
    expect(got.alarms.ok && got.alarms.value.map((a) => a.name).sort()).toEqual([root.alarmName, "elsewhere"]);
    const a = got.alarms.ok ? got.alarms.value.find((x) => x.name === root.alarmName) : undefined;
    expect(a).toEqual({
      name: root.alarmName,
      arn: `arn:aws:cloudwatch:${REGION}:${MOTO_DEFAULT_ACCOUNT}:alarm:${root.alarmName}`,
      namespace: intent.metricNamespace,
      metricName: root.metricName,
      statistic: "Sum",
      extendedStatistic: undefined,
      dimensions: [],
      usesMetricMath: false,
      period: 300,
      evaluationPeriods: 1,
      datapointsToAlarm: undefined,
      threshold: 1,
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      actionsEnabled: true,
      alarmActions: [TOPIC],
    });
  });

  it("moto answers an empty list for a log group that does not exist: no filters", async () => {
    env = agentClients(moto.endpoint);
    const logs = await env.get(CloudWatchLogsClient, MOTO_DEFAULT_ACCOUNT);
    const cw = await env.get(CloudWatchClient, MOTO_DEFAULT_ACCOUNT);
    const got = await collectCisMonitoring(logs, cw, MOTO_DEFAULT_ACCOUNT, REGION, { logGroupName: GROUP, intent });
    expect(got).toEqual({ logGroupName: GROUP, filters: { ok: true, value: [] }, alarms: { ok: true, value: [] } });
  });
});

describe("collectCisMonitoring — recorded AWS responses (moto never answers ResourceNotFoundException here)", () => {
  it("recorded: ResourceNotFoundException on DescribeMetricFilters means the group is absent (undefined), not unreadable", async () => {
    const logs = mockClient(CloudWatchLogsClient);
    const cw = mockClient(CloudWatchClient);
    try {
      logs.on(DescribeMetricFiltersCommand).rejects(
        Object.assign(new Error("The specified log group does not exist."), {
          name: "ResourceNotFoundException",
          $metadata: { httpStatusCode: 400 },
        }),
      );
      cw.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [] });
      const got = await collectCisMonitoring(
        new CloudWatchLogsClient({ region: REGION }),
        new CloudWatchClient({ region: REGION }),
        MOTO_DEFAULT_ACCOUNT,
        REGION,
        { logGroupName: GROUP, intent },
      );
      expect(got.filters).toEqual({ ok: true, value: undefined });
      expect(got.alarms).toEqual({ ok: true, value: [] });
    } finally {
      logs.restore();
      cw.restore();
    }
  });
});
