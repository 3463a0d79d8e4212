/**
 * The audit agent's deployment in the sandbox (security account, home region), laid as
 * infra/audit-agent.ts lays it, from the manifest's auditAgent area (baseline's auditAgentArea):
 * the log groups under the agent log key with their retention, the schedule rule and its target,
 * and the alarms. The functions and the state machine themselves are not laid (Lambda needs
 * Docker in moto, and no check reads them): the target names the state machine's ARN, as infra's does.
 */
import {
  CloudWatchClient,
  PutMetricAlarmCommand,
  type ComparisonOperator,
  type Statistic,
} from "@aws-sdk/client-cloudwatch";
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  PutRetentionPolicyCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from "@aws-sdk/client-eventbridge";
import type { AgentAlarm, AuditAgentIntent } from "../../baseline";
import type { SandboxSession } from "./session";

const dims = (d: Record<string, string> | undefined) =>
  d ? Object.entries(d).map(([Name, Value]) => ({ Name, Value })) : undefined;

/** PutMetricAlarm's input for one alarm of the area, as infra's metricAlarmArgs lays it. */
export function putAlarmInput(a: AgentAlarm) {
  return {
    AlarmName: a.name,
    ActionsEnabled: true,
    AlarmActions: a.alarmActions,
    ...(a.okActions ? { OKActions: a.okActions } : {}),
    ...(a.metricName
      ? {
          Namespace: a.namespace,
          MetricName: a.metricName,
          Dimensions: dims(a.dimensions),
          Statistic: a.statistic as Statistic,
          Period: a.period,
        }
      : {}),
    ...(a.metrics
      ? {
          Metrics: [
            ...a.metrics.map((m) => ({
              Id: m.id,
              ReturnData: false,
              MetricStat: {
                Metric: { Namespace: m.namespace, MetricName: m.metricName, Dimensions: dims(m.dimensions) },
                Period: m.period,
                Stat: m.stat,
              },
            })),
            ...(a.expression
              ? [
                  {
                    Id: a.expression.id,
                    Label: a.expression.label,
                    Expression: a.expression.expression,
                    ReturnData: true,
                  },
                ]
              : []),
          ],
        }
      : {}),
    EvaluationPeriods: a.evaluationPeriods,
    Threshold: a.threshold,
    ComparisonOperator: a.comparisonOperator as ComparisonOperator,
    TreatMissingData: a.treatMissingData,
  };
}

const ALARM_RESOURCES: Record<string, string> = {
  errors: "audit-agent-errors-alarm",
  executions: "audit-agent-executions-alarm",
  "missed-run": "audit-agent-missed-run-alarm",
  "notification-failed": "audit-agent-notification-alarm",
};
const GROUP_RESOURCES = [
  "audit-agent-logs",
  "audit-agent-plan-logs",
  "audit-agent-collect-logs",
  "audit-agent-evaluate-logs",
  "audit-agent-states-logs",
];

export async function seedAuditAgent(
  session: SandboxSession,
  account: string,
  region: string,
  a: AuditAgentIntent,
): Promise<void> {
  const logs = await session.client(CloudWatchLogsClient, account, region);
  for (const [i, name] of a.logGroups.names.entries()) {
    await logs.send(new CreateLogGroupCommand({ logGroupName: name, kmsKeyId: a.logGroups.keyArn }));
    await logs.send(new PutRetentionPolicyCommand({ logGroupName: name, retentionInDays: a.logGroups.retentionDays }));
    session.inventory.lay("aws:cloudwatch/logGroup:LogGroup", GROUP_RESOURCES[i]);
  }
  const events = await session.client(EventBridgeClient, account, region);
  await events.send(
    new PutRuleCommand({
      Name: a.schedule.ruleName,
      Description: "orgwarden: runs the scheduled audit agent",
      ScheduleExpression: a.schedule.expression,
      State: "ENABLED",
    }),
  );
  session.inventory.lay("aws:cloudwatch/eventRule:EventRule", "audit-agent-schedule");
  const t = a.schedule.target;
  await events.send(
    new PutTargetsCommand({
      Rule: a.schedule.ruleName,
      Targets: [
        {
          Id: t.id,
          Arn: t.arn,
          ...(t.roleArn ? { RoleArn: t.roleArn } : {}),
          ...(t.input !== undefined ? { Input: t.input } : {}),
        },
      ],
    }),
  );
  session.inventory.lay(
    "aws:cloudwatch/eventTarget:EventTarget",
    t.roleArn ? "audit-agent-states-target" : "audit-agent-target",
  );
  const cw = await session.client(CloudWatchClient, account, region);
  for (const alarm of a.alarms) {
    await cw.send(new PutMetricAlarmCommand(putAlarmInput(alarm)));
    const kind = Object.keys(ALARM_RESOURCES).find((k) => alarm.name.endsWith(`-${k}`));
    if (kind) session.inventory.lay("aws:cloudwatch/metricAlarm:MetricAlarm", ALARM_RESOURCES[kind]);
  }
}
