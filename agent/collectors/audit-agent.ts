/**
 * The audit agent's own deployment as it is (security account, home region), read once by the plan
 * when the manifest has an auditAgent area: the schedule rule and its targets (DescribeRule,
 * ListTargetsByRule, by the rule's intended name), the agent's alarms (DescribeAlarms by their
 * names) and its log groups (DescribeLogGroups by each name as prefix, the exact name kept).
 */
import { CloudWatchClient, paginateDescribeAlarms, type MetricAlarm } from "@aws-sdk/client-cloudwatch";
import { CloudWatchLogsClient, paginateDescribeLogGroups } from "@aws-sdk/client-cloudwatch-logs";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import type { AuditManifest } from "../../baseline";
import { failed, type Collected, type CollectError } from "../model";
import { attempt, drain } from "./common";
import { collectRules, type ObservedRule } from "./detection-pipeline";
import type { CollectRuntime, Task } from "./index";

/** One metric of a metric-math alarm, or the expression (`expression` set, no metric). */
export interface ObservedAlarmQuery {
  id: string;
  expression?: string;
  returnData?: boolean;
  namespace?: string;
  metricName?: string;
  dimensions?: Record<string, string>;
  period?: number;
  stat?: string;
}

export interface ObservedAlarm {
  name: string;
  actionsEnabled?: boolean;
  alarmActions: string[];
  okActions: string[];
  namespace?: string;
  metricName?: string;
  dimensions?: Record<string, string>;
  statistic?: string;
  period?: number;
  metrics: ObservedAlarmQuery[];
  evaluationPeriods?: number;
  threshold?: number;
  comparisonOperator?: string;
  treatMissingData?: string;
}

export interface ObservedAgentLogGroup {
  name: string;
  exists: boolean;
  /** DescribeLogGroups retentionInDays; absent: the group never expires its events. */
  retentionDays?: number;
  /** DescribeLogGroups kmsKeyId: the key ARN; absent: CloudWatch Logs' own encryption. */
  kmsKeyId?: string;
}

export interface ObservedAgentDeployment {
  account: string;
  region: string;
  /** The rule by its intended name (its `rule` undefined when it does not exist). */
  schedule: ObservedRule;
  /** Every alarm found under the intended names; a name missing here does not exist. */
  alarms: Collected<ObservedAlarm[]>;
  /** One entry per intended name, in the manifest's order. */
  logGroups: Collected<ObservedAgentLogGroup>[];
}

const dimensionsOf = (ds: { Name?: string; Value?: string }[] | undefined) =>
  ds ? Object.fromEntries(ds.map((d) => [d.Name ?? "", d.Value ?? ""])) : undefined;

export function alarmOf(a: MetricAlarm): ObservedAlarm {
  return {
    name: a.AlarmName ?? "",
    actionsEnabled: a.ActionsEnabled,
    alarmActions: a.AlarmActions ?? [],
    okActions: a.OKActions ?? [],
    namespace: a.Namespace,
    metricName: a.MetricName,
    dimensions: dimensionsOf(a.Dimensions),
    statistic: a.Statistic ?? a.ExtendedStatistic,
    period: a.Period,
    metrics: (a.Metrics ?? []).map((q) => ({
      id: q.Id ?? "",
      ...(q.Expression !== undefined ? { expression: q.Expression } : {}),
      ...(q.ReturnData !== undefined ? { returnData: q.ReturnData } : {}),
      ...(q.MetricStat
        ? {
            namespace: q.MetricStat.Metric?.Namespace,
            metricName: q.MetricStat.Metric?.MetricName,
            dimensions: dimensionsOf(q.MetricStat.Metric?.Dimensions) ?? {},
            period: q.MetricStat.Period,
            stat: q.MetricStat.Stat,
          }
        : {}),
    })),
    evaluationPeriods: a.EvaluationPeriods,
    threshold: a.Threshold,
    comparisonOperator: a.ComparisonOperator,
    treatMissingData: a.TreatMissingData,
  };
}

/** DescribeAlarms takes at most 100 names a call; the agent has four alarms. */
export async function collectAgentAlarms(
  cw: CloudWatchClient,
  account: string,
  region: string,
  names: string[],
): Promise<Collected<ObservedAlarm[]>> {
  if (names.length === 0) return { ok: true, value: [] };
  return attempt({ service: "cloudwatch", operation: "DescribeAlarms", account, region }, async () =>
    (
      await drain(
        paginateDescribeAlarms({ client: cw }, { AlarmNames: names, AlarmTypes: ["MetricAlarm"] }),
        (p) => p.MetricAlarms,
      )
    ).map(alarmOf),
  );
}

export async function collectAgentLogGroup(
  logs: CloudWatchLogsClient,
  account: string,
  region: string,
  name: string,
): Promise<Collected<ObservedAgentLogGroup>> {
  return attempt({ service: "logs", operation: "DescribeLogGroups", account, region }, async () => {
    const groups = await drain(
      paginateDescribeLogGroups({ client: logs }, { logGroupNamePrefix: name }),
      (p) => p.logGroups,
    );
    // The prefix also matches longer names (…-audit-agent-plan under …-audit-agent): only the exact group counts.
    const g = groups.find((x) => x.logGroupName === name);
    if (!g) return { name, exists: false };
    return {
      name,
      exists: true,
      ...(g.retentionInDays !== undefined ? { retentionDays: g.retentionInDays } : {}),
      ...(g.kmsKeyId ? { kmsKeyId: g.kmsKeyId } : {}),
    };
  });
}

export function unreadableAgentDeployment(
  a: NonNullable<AuditManifest["auditAgent"]>,
  account: string,
  region: string,
  e: CollectError,
): ObservedAgentDeployment {
  return {
    account,
    region,
    schedule: { name: a.schedule.ruleName, rule: failed(e), targets: failed(e) },
    alarms: failed(e),
    logGroups: a.logGroups.names.map(() => failed(e)),
  };
}

type Exec = <T>(t: Task<T>) => Promise<T>;

/** The plan's reads of the agent's deployment: one task per service (events, cloudwatch, logs), all in the security account's home region. */
export async function auditAgentTask(
  rt: CollectRuntime,
  exec: Exec,
  m: AuditManifest,
): Promise<ObservedAgentDeployment | undefined> {
  const a = m.auditAgent;
  if (!a) return undefined;
  const account = m.organization.securityAccountId;
  const region = m.regions.home;
  const fallback = (e: CollectError) => unreadableAgentDeployment(a, account, region, e);
  rt.progress?.add(3);
  const schedule = exec<ObservedRule>({
    account,
    region,
    service: "events",
    run: async () =>
      (
        await collectRules(rt.clients.get(EventBridgeClient, account, region), account, region, undefined, [
          a.schedule.ruleName,
        ])
      )[0],
    unreadable: (e) => fallback(e).schedule,
  });
  const alarms = exec<Collected<ObservedAlarm[]>>({
    account,
    region,
    service: "cloudwatch",
    run: () =>
      collectAgentAlarms(
        rt.clients.get(CloudWatchClient, account, region),
        account,
        region,
        a.alarms.map((x) => x.name),
      ),
    unreadable: (e) => failed(e),
  });
  const logGroups = exec<Collected<ObservedAgentLogGroup>[]>({
    account,
    region,
    service: "logs",
    run: () => {
      const logs = rt.clients.get(CloudWatchLogsClient, account, region);
      return Promise.all(a.logGroups.names.map((n) => collectAgentLogGroup(logs, account, region, n)));
    },
    unreadable: (e) => fallback(e).logGroups,
  });
  return { account, region, schedule: await schedule, alarms: await alarms, logGroups: await logGroups };
}
