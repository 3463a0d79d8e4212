/**
 * The audit agent's deployment in the check fixtures: the manifest's auditAgent area as infra builds
 * it (baseline's auditAgentArea), and the observed state a collector reads from exactly that
 * deployment. Self-contained (no import of fixtures.ts, which imports it).
 */
import { auditAgentArea, type AuditAgentIntent, type AuditEngine } from "../../../baseline";
import type { ObservedAgentDeployment } from "../../../agent/collectors/audit-agent";

export const AGENT_FUNCTION = "orgwarden-prod-audit-agent";

export function agentLogKeyArn(account: string, region: string): string {
  return `arn:aws:kms:${region}:${account}:key/7a7a7a7a-1b1b-4c4c-8d8d-9e9e9e9e9e9e`;
}

export function agentArea(account: string, region: string, engine: AuditEngine = "step-functions"): AuditAgentIntent {
  return auditAgentArea({
    stack: "prod",
    region,
    securityAccountId: account,
    functionName: AGENT_FUNCTION,
    agentRoleName: "orgwarden-audit-agent",
    engine,
    schedule: "cron(0 3 * * ? *)",
    topicArn: `arn:aws:sns:${region}:${account}:orgwarden-security-alerts`,
    runAlarmPeriodSeconds: 108_600,
    notifications: true,
    logKeyArn: agentLogKeyArn(account, region),
  });
}

/** What DescribeRule, ListTargetsByRule, DescribeAlarms and DescribeLogGroups return for the deployment as laid. */
export function observedAgent(a: AuditAgentIntent, account: string, region: string): ObservedAgentDeployment {
  const t = a.schedule.target;
  return {
    account,
    region,
    schedule: {
      name: a.schedule.ruleName,
      rule: {
        ok: true,
        value: {
          state: "ENABLED",
          scheduleExpression: a.schedule.expression,
          arn: `arn:aws:events:${region}:${account}:rule/${a.schedule.ruleName}`,
        },
      },
      targets: {
        ok: true,
        value: [
          {
            id: t.id,
            arn: t.arn,
            ...(t.roleArn ? { roleArn: t.roleArn } : {}),
            ...(t.input !== undefined ? { input: t.input } : {}),
          },
        ],
      },
    },
    alarms: {
      ok: true,
      value: a.alarms.map((x) => ({
        name: x.name,
        actionsEnabled: true,
        alarmActions: [...x.alarmActions],
        okActions: [...(x.okActions ?? [])],
        namespace: x.namespace,
        metricName: x.metricName,
        dimensions: x.dimensions ? { ...x.dimensions } : undefined,
        statistic: x.statistic,
        period: x.period,
        metrics: [
          ...(x.metrics ?? []).map((m) => ({ ...m, dimensions: { ...m.dimensions }, returnData: false })),
          ...(x.expression ? [{ id: x.expression.id, expression: x.expression.expression, returnData: true }] : []),
        ],
        evaluationPeriods: x.evaluationPeriods,
        threshold: x.threshold,
        comparisonOperator: x.comparisonOperator,
        treatMissingData: x.treatMissingData,
      })),
    },
    logGroups: a.logGroups.names.map((name) => ({
      ok: true,
      value: { name, exists: true, retentionDays: a.logGroups.retentionDays, kmsKeyId: a.logGroups.keyArn },
    })),
  };
}
