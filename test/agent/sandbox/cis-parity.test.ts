/**
 * The sandbox lays the CIS filters and alarms exactly as infra does: the infra program (mock
 * runtime, dev stack) and the seeded moto sandbox are read side by side, field by field. A filter
 * or alarm setting infra adds or changes that the sandbox does not follow fails here.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { CloudWatchClient, DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import { CloudWatchLogsClient, DescribeMetricFiltersCommand } from "@aws-sdk/client-cloudwatch-logs";
import { GetTopicAttributesCommand, SNSClient } from "@aws-sdk/client-sns";
import type { ProgramRun } from "../../../harness/run-program";
import { seedSandboxOrganization } from "../../../agent/sandbox/seed";
import { SANDBOX } from "../../../agent/sandbox/layout";
import { alertTopicPolicy } from "../../../baseline/detection";
import { useMoto } from "../../helpers/moto";
import { ofType, runStack } from "../../infra/stack";

const topicName = (arn: unknown) => String(arn).split(":").pop();

describe("sandbox CIS filters and alarms = infra's", () => {
  const moto = useMoto();
  let run: ProgramRun;
  beforeAll(async () => {
    run = await runStack("dev");
  });

  it("every filter and alarm infra lays, with the same names, patterns, metrics and alarm settings", async () => {
    const sb = await seedSandboxOrganization({ endpoint: moto.endpoint });
    const mgmt = sb.accounts.management;
    const logs = await sb.session.client(CloudWatchLogsClient, mgmt, sb.region);
    const cw = await sb.session.client(CloudWatchClient, mgmt, sb.region);

    const infraFilters = ofType(run, "aws:cloudwatch/logMetricFilter:LogMetricFilter").map((r) => ({
      name: r.inputs.name,
      pattern: r.inputs.pattern,
      metric: r.inputs.metricTransformation,
    }));
    const seeded = (await logs.send(new DescribeMetricFiltersCommand({ logGroupName: SANDBOX.logGroupName })))
      .metricFilters!;
    expect(
      seeded.map((f) => ({
        name: f.filterName,
        pattern: f.filterPattern,
        metric: {
          name: f.metricTransformations![0].metricName,
          namespace: f.metricTransformations![0].metricNamespace,
          value: f.metricTransformations![0].metricValue,
        },
      })),
    ).toEqual(expect.arrayContaining(infraFilters));
    expect(seeded).toHaveLength(infraFilters.length);

    const infraAlarms = ofType(run, "aws:cloudwatch/metricAlarm:MetricAlarm")
      .filter((r) => r.name.startsWith("detection-cis-"))
      .map((r) => ({
        name: r.inputs.name,
        description: r.inputs.alarmDescription,
        namespace: r.inputs.namespace,
        metricName: r.inputs.metricName,
        statistic: r.inputs.statistic,
        period: r.inputs.period,
        evaluationPeriods: r.inputs.evaluationPeriods,
        threshold: r.inputs.threshold,
        comparisonOperator: r.inputs.comparisonOperator,
        treatMissingData: r.inputs.treatMissingData,
        actionsEnabled: r.inputs.actionsEnabled,
        topics: (r.inputs.alarmActions as string[]).map(topicName),
      }));
    expect(infraAlarms).toHaveLength(15);
    const alarms = (await cw.send(new DescribeAlarmsCommand({}))).MetricAlarms!;
    expect(
      alarms.map((a) => ({
        name: a.AlarmName,
        description: a.AlarmDescription,
        namespace: a.Namespace,
        metricName: a.MetricName,
        statistic: a.Statistic,
        period: a.Period,
        evaluationPeriods: a.EvaluationPeriods,
        threshold: a.Threshold,
        comparisonOperator: a.ComparisonOperator,
        treatMissingData: a.TreatMissingData,
        actionsEnabled: a.ActionsEnabled,
        topics: (a.AlarmActions ?? []).map(topicName),
      })),
    ).toEqual(expect.arrayContaining(infraAlarms));
    expect(alarms).toHaveLength(infraAlarms.length);

    // The topic the alarms notify, with the policy infra's AlertTopic gives it.
    const sns = await sb.session.client(SNSClient, mgmt, sb.region);
    const topic = sb.manifest.detection.cisAlarms.topicArn;
    const attrs = (await sns.send(new GetTopicAttributesCommand({ TopicArn: topic }))).Attributes!;
    expect(JSON.parse(attrs.Policy)).toEqual(alertTopicPolicy({ topicArn: topic, accountId: mgmt, region: sb.region }));
    expect(topicName(topic)).toBe(
      topicName(
        ofType(run, "aws:sns/topic:Topic").find((t) => t.name === "detection-cis-alarms-topic-topic")!.inputs.name,
      ),
    );
  });
});
