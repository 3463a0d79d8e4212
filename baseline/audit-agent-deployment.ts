/**
 * The audit agent's own deployment as infra lays it (infra/audit-agent.ts, infra/audit-engine.ts,
 * infra/audit-run-alarms.ts) and as the manifest's `auditAgent` area publishes it: the schedule
 * rule and its target, the alarms on the agent's runs, and the log groups with their retention.
 * infra builds its resources from these functions and the manifest from the same calls, so what the
 * audit-agent-* checks hold the deployment to is what `pulumi up` laid. Every name is derived from
 * config (the function name, the agent role's name), never from a resource output: the manifest is
 * itself an input of the agent's deployment (its SSM parameter), and may not wait for it.
 */
import { z } from "zod";
import { ACCOUNT_ID, roleArn } from "./arns";
import { lambdaFunctionArn, stateMachineArn } from "./audit-engine-policy";

export type AuditEngine = "lambda" | "step-functions";
export type Step = "plan" | "collect" | "evaluate";
export const STEPS: readonly Step[] = ["plan", "collect", "evaluate"];

/** One year: the agent's own logs are audit evidence too. */
export const AGENT_LOG_RETENTION_DAYS = 365;

/** The step-functions engine's roles are the agent role's name plus these suffixes. */
export const AUDIT_ENGINE_ROLE_SUFFIXES = { stateMachine: "-states", schedule: "-schedule" } as const;

/** The schedule rule's target id, per engine. */
export const AGENT_TARGET_IDS: Record<AuditEngine, string> = {
  lambda: "audit-agent",
  "step-functions": "audit-state-machine",
};

/** The state machine target's input: the contract's plan input; without it the rule would pass its scheduled event. */
export const STATE_MACHINE_TARGET_INPUT = "{}";

/** The agent's own metrics (agent/telemetry.ts METRIC_NAMESPACE / METRIC_DIMENSION). */
export const AGENT_METRIC_NAMESPACE = "orgwarden";
export const AGENT_METRIC_DIMENSION = "Stack";

export function stepFunctionName(functionName: string, step: Step): string {
  return `${functionName}-${step}`;
}

/** Step Functions recommends the /aws/vendedlogs/ prefix: its log delivery then needs no log-group resource policy growth per machine. */
export function stateMachineLogGroupName(stateMachineName: string): string {
  return `/aws/vendedlogs/states/${stateMachineName}`;
}

export type LogGroupNames = Record<"single", string> & Partial<Record<Step | "stateMachine", string>>;

/** The agent's log groups: the single function's always, the steps' and the state machine's with that engine. */
export function agentLogGroupNames(functionName: string, engine: AuditEngine): LogGroupNames {
  const single = `/aws/lambda/${functionName}`;
  if (engine === "lambda") return { single };
  return {
    single,
    ...Object.fromEntries(STEPS.map((s) => [s, `/aws/lambda/${stepFunctionName(functionName, s)}`])),
    stateMachine: stateMachineLogGroupName(functionName),
  };
}

export const TREAT_MISSING_DATA = ["breaching", "notBreaching", "ignore", "missing"] as const;
export type TreatMissingData = (typeof TREAT_MISSING_DATA)[number];

/** One metric of a metric-math alarm (PutMetricAlarm Metrics[].MetricStat). */
export interface AlarmMetricIntent<T = string> {
  id: string;
  namespace: string;
  metricName: string;
  dimensions: Record<string, T>;
  period: number;
  stat: string;
}

/**
 * What an agent alarm must be to alarm: its metric (one, or metric math over several), when it
 * breaches, what missing data means, and whom it notifies. `T` is how an ARN is held: a string in
 * the manifest, a Pulumi input in infra.
 */
export interface AgentAlarmIntent<T = string> {
  name: string;
  /** A single metric; absent for a metric-math alarm. */
  namespace?: string;
  metricName?: string;
  dimensions?: Record<string, T>;
  statistic?: string;
  period?: number;
  /** Metric math: the metrics and the expression whose result is compared (returnData). */
  metrics?: AlarmMetricIntent<T>[];
  expression?: { id: string; expression: string; label: string };
  evaluationPeriods: number;
  threshold: number;
  comparisonOperator: string;
  treatMissingData: TreatMissingData;
  alarmActions: T[];
  /** Absent: none intended (their presence is not judged). */
  okActions?: T[];
}

export interface AgentAlarmInput<T> {
  stack: string;
  functionName: string;
  engine: AuditEngine;
  /** The security-alerts topic every alarm notifies. */
  topicArn: T;
  /** The step-functions engine's state machine (the executions alarm's dimension). */
  stateMachineArn?: T;
  /** The missed-run alarm's period (infra/audit-run-alarms.ts runAlarmPeriodSeconds); no such alarm when absent. */
  runAlarmPeriodSeconds?: number;
  /** Whether the agent sends notifications (then a notification-failed alarm). */
  notifications: boolean;
}

const UNFINISHED_METRICS = { failed: "ExecutionsFailed", timedOut: "ExecutionsTimedOut", aborted: "ExecutionsAborted" };

export function errorsAlarmName(functionName: string): string {
  return `${functionName}-errors`;
}
export function executionsAlarmName(functionName: string): string {
  return `${functionName}-executions`;
}
export function missedRunAlarmName(functionName: string): string {
  return `${functionName}-missed-run`;
}
export function notificationAlarmName(functionName: string): string {
  return `${functionName}-notification-failed`;
}

/** A thrown handler (configuration error, crash, timeout) is an Error; a completed audit with drift is not. */
export function errorsAlarm<T>(i: AgentAlarmInput<T>): AgentAlarmIntent<T> {
  return {
    name: errorsAlarmName(i.functionName),
    namespace: "AWS/Lambda",
    metricName: "Errors",
    dimensions: { FunctionName: i.functionName as T },
    statistic: "Sum",
    period: 300,
    evaluationPeriods: 1,
    threshold: 1,
    comparisonOperator: "GreaterThanOrEqualToThreshold",
    // No invocation in a period means nothing failed, not missing data.
    treatMissingData: "notBreaching",
    alarmActions: [i.topicArn],
  };
}

/** One alarm on failed + timed-out + aborted executions (metric math; a metric with no datapoint in a period counts 0). */
export function executionsAlarm<T>(i: AgentAlarmInput<T> & { stateMachineArn: T }): AgentAlarmIntent<T> {
  return {
    name: executionsAlarmName(i.functionName),
    metrics: Object.entries(UNFINISHED_METRICS).map(([id, metricName]) => ({
      id,
      namespace: "AWS/States",
      metricName,
      dimensions: { StateMachineArn: i.stateMachineArn },
      period: 300,
      stat: "Sum",
    })),
    expression: {
      id: "unfinished",
      label: "Executions failed, timed out or aborted",
      expression: "FILL(failed, 0) + FILL(timedOut, 0) + FILL(aborted, 0)",
    },
    evaluationPeriods: 1,
    threshold: 1,
    comparisonOperator: "GreaterThanOrEqualToThreshold",
    treatMissingData: "notBreaching",
    alarmActions: [i.topicArn],
  };
}

/**
 * "The scheduled run did not complete": no RunCompleted metric within the period. Missing data is
 * breaching: a run that never started, crashed or timed out writes no metric at all, and that
 * silence is exactly what this alarm is for. One period, one datapoint.
 */
export function missedRunAlarm<T>(i: AgentAlarmInput<T>, period: number): AgentAlarmIntent<T> {
  return {
    name: missedRunAlarmName(i.functionName),
    namespace: AGENT_METRIC_NAMESPACE,
    metricName: "RunCompleted",
    dimensions: { [AGENT_METRIC_DIMENSION]: i.stack as T },
    statistic: "Sum",
    period,
    evaluationPeriods: 1,
    threshold: 1,
    comparisonOperator: "LessThanThreshold",
    treatMissingData: "breaching",
    alarmActions: [i.topicArn],
    okActions: [i.topicArn],
  };
}

/** A run whose message or event was not sent (NotificationFailures ≥ 1): the reports are written, nobody was told. */
export function notificationAlarm<T>(i: AgentAlarmInput<T>): AgentAlarmIntent<T> {
  return {
    name: notificationAlarmName(i.functionName),
    namespace: AGENT_METRIC_NAMESPACE,
    metricName: "NotificationFailures",
    dimensions: { [AGENT_METRIC_DIMENSION]: i.stack as T },
    statistic: "Maximum",
    period: 3600,
    evaluationPeriods: 1,
    threshold: 1,
    comparisonOperator: "GreaterThanOrEqualToThreshold",
    // No run in the hour means no failure to report; the missed-run alarm covers runs that did not happen.
    treatMissingData: "notBreaching",
    alarmActions: [i.topicArn],
  };
}

/** Every alarm infra lays on the agent, in the order it lays them. */
export function agentAlarms<T>(i: AgentAlarmInput<T>): AgentAlarmIntent<T>[] {
  return [
    errorsAlarm(i),
    ...(i.engine === "step-functions" && i.stateMachineArn !== undefined
      ? [executionsAlarm({ ...i, stateMachineArn: i.stateMachineArn })]
      : []),
    ...(i.runAlarmPeriodSeconds ? [missedRunAlarm(i, i.runAlarmPeriodSeconds)] : []),
    ...(i.notifications ? [notificationAlarm(i)] : []),
  ];
}

const arnString = z.string().regex(/^arn:aws[a-z-]*:/, "must be an ARN");
const dimensions = z.record(z.string().min(1), z.string().min(1));

const alarmIntentSchema = z.strictObject({
  name: z.string().min(1),
  namespace: z.string().min(1).optional(),
  metricName: z.string().min(1).optional(),
  dimensions: dimensions.optional(),
  statistic: z.string().min(1).optional(),
  period: z.number().int().positive().optional(),
  metrics: z
    .array(
      z.strictObject({
        id: z.string().min(1),
        namespace: z.string().min(1),
        metricName: z.string().min(1),
        dimensions,
        period: z.number().int().positive(),
        stat: z.string().min(1),
      }),
    )
    .min(1)
    .optional(),
  expression: z
    .strictObject({ id: z.string().min(1), expression: z.string().min(1), label: z.string().min(1) })
    .optional(),
  evaluationPeriods: z.number().int().positive(),
  threshold: z.number(),
  comparisonOperator: z.string().min(1),
  treatMissingData: z.enum(TREAT_MISSING_DATA),
  alarmActions: z.array(arnString).min(1),
  okActions: z.array(arnString).min(1).optional(),
});

/**
 * The manifest's `auditAgent` area (security account, home region): the engine, the schedule rule
 * (name, expression, its one target and, for the state machine, the role it starts it as), the
 * alarms, and the log groups with their retention and key. Absent in manifests published before it:
 * the audit-agent-* checks are then NOT_APPLICABLE, saying so.
 */
export const auditAgentManifestSchema = z.strictObject({
  engine: z.enum(["lambda", "step-functions"]),
  schedule: z.strictObject({
    ruleName: z.string().regex(/^[\w.-]{1,64}$/, "must be an EventBridge rule name"),
    expression: z.string().regex(/^(rate|cron)\(.+\)$/, "must be a rate(...) or cron(...) expression"),
    target: z.strictObject({
      id: z.string().min(1),
      arn: arnString,
      /** The role EventBridge starts the state machine as; absent for the function (its resource policy admits the rule). */
      roleArn: arnString.optional(),
      /** The target's constant JSON input (the state machine's plan input, "{}"); absent: the scheduled event itself. */
      input: z.string().optional(),
    }),
  }),
  alarms: z.array(alarmIntentSchema),
  logGroups: z.strictObject({
    names: z.array(z.string().regex(/^[\w/.#-]{1,512}$/, "must be a log group name")).min(1),
    retentionDays: z.number().int().positive(),
    /** The agent log key (keys.others entry audit-agent-logs-key). */
    keyArn: z.string().regex(/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[\w-]+$/, "must be a KMS key ARN"),
  }),
});
export type AuditAgentIntent = z.infer<typeof auditAgentManifestSchema>;
export type AgentAlarm = AuditAgentIntent["alarms"][number];

export interface AuditAgentAreaInput {
  stack: string;
  region: string;
  securityAccountId: string;
  functionName: string;
  agentRoleName: string;
  engine: AuditEngine;
  schedule: string;
  topicArn: string;
  runAlarmPeriodSeconds?: number;
  notifications: boolean;
  logKeyArn: string;
}

/** The rule infra lays (named after the function, shared by both engines) and its one target. */
export function agentSchedule(i: Omit<AuditAgentAreaInput, "topicArn" | "logKeyArn" | "stack" | "notifications">) {
  const target =
    i.engine === "lambda"
      ? { id: AGENT_TARGET_IDS.lambda, arn: lambdaFunctionArn(i.region, i.securityAccountId, i.functionName) }
      : {
          id: AGENT_TARGET_IDS["step-functions"],
          arn: stateMachineArn(i.region, i.securityAccountId, i.functionName),
          roleArn: roleArn(i.securityAccountId, `${i.agentRoleName}${AUDIT_ENGINE_ROLE_SUFFIXES.schedule}`),
          input: STATE_MACHINE_TARGET_INPUT,
        };
  return { ruleName: i.functionName, expression: i.schedule, target };
}

/** The manifest's auditAgent area, from the same functions infra lays the deployment with. */
export function auditAgentArea(i: AuditAgentAreaInput): AuditAgentIntent {
  if (!ACCOUNT_ID.test(i.securityAccountId))
    throw new Error(`auditAgentArea: securityAccountId "${i.securityAccountId}" is not a 12-digit account id`);
  return {
    engine: i.engine,
    schedule: agentSchedule(i),
    alarms: agentAlarms({
      stack: i.stack,
      functionName: i.functionName,
      engine: i.engine,
      topicArn: i.topicArn,
      stateMachineArn: stateMachineArn(i.region, i.securityAccountId, i.functionName),
      runAlarmPeriodSeconds: i.runAlarmPeriodSeconds,
      notifications: i.notifications,
    }),
    logGroups: {
      names: Object.values(agentLogGroupNames(i.functionName, i.engine)) as string[],
      retentionDays: AGENT_LOG_RETENTION_DAYS,
      keyArn: i.logKeyArn,
    },
  };
}
