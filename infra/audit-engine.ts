/**
 * The step-functions engine of the AuditAgent component: the plan, collect and evaluate functions
 * (one bundle, one role with the single function), their log groups, the state machine with its
 * role and log group, the schedule's target and role, and the alarm on unfinished executions. Every
 * resource is the component's child, named `<component>-<suffix>`.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
  AUDIT_SCHEDULE_ROLE,
  AUDIT_STATE_MACHINE_ROLE,
  auditScheduleTrustPolicy,
  auditSchedulePolicy,
  auditStateMachinePolicy,
  auditStateMachineTrustPolicy,
  minify,
  stateMachineArn,
} from "../baseline";
import {
  AGENT_TARGET_IDS,
  executionsAlarm,
  STATE_MACHINE_TARGET_INPUT,
  STEPS,
  stepFunctionName,
  type Step,
} from "../baseline/audit-agent-deployment";
import { auditStateMachineDefinition, DEFAULT_RETRY } from "./audit-state-machine";
import { metricAlarmArgs } from "./audit-run-alarms";
import type { LaidRole } from "./laid-key";

export { STEPS, stateMachineLogGroupName, stepFunctionName, type Step } from "../baseline/audit-agent-deployment";

/**
 * Memory and timeout per step. Lambda gives CPU in proportion to memory, and every step is bound by
 * API latency and JSON, not by CPU, so memory is sized to what a step holds:
 * - plan: the organization tree and the shared (not per-account) state; 512 MB. 900 s because the
 *   Organizations API is paced at a few calls per second for the whole organization.
 * - collect: one batch (audit.batchSize accounts × every governed region); the bound is
 *   512 MB of peak RSS per worker, 1024 MB leaves it twice that. 900 s: a batch that needs more is a
 *   batch to make smaller (audit.batchSize), and Lambda allows no more.
 * - evaluate: every batch's observed state while the checks run, plus the previous report for the
 *   diff; 2048 MB. 900 s, Lambda's ceiling.
 */
export const STEP_SIZING: Record<Step, { memoryMb: number; timeoutSeconds: number }> = {
  plan: { memoryMb: 512, timeoutSeconds: 900 },
  collect: { memoryMb: 1024, timeoutSeconds: 900 },
  evaluate: { memoryMb: 2048, timeoutSeconds: 900 },
};
/** A Task waits a minute longer than its function may run, so a function timeout is reported as the function's own (Sandbox.Timedout), not as States.Timeout. */
export const TASK_TIMEOUT_MARGIN_SECONDS = 60;
/**
 * Six hours: at the defaults (25 accounts × 10 batches at once), that is 22 waves of batches even if
 * every batch ran into its timeout, i.e. 5,500 accounts at worst; a batch typically takes minutes.
 */
export const EXECUTION_TIMEOUT_SECONDS = 21_600;

export interface EngineArgs {
  region: string;
  account: pulumi.Output<string>;
  /** The single function's name; the state machine, its rule and the step functions are named after it. */
  functionName: string;
  /** Roles created here: the state machine's and the schedule's. */
  stateMachineRoleName: string;
  scheduleRoleName: string;
  /** The role the step functions run as (the agent role, which the read role trusts). */
  agentRole: aws.iam.Role;
  /** The bundle (index.js) holding the plan, collect and evaluate handlers. */
  code: pulumi.asset.AssetArchive;
  /** The environment every function of the component reads. */
  environment: Record<string, pulumi.Input<string>>;
  batchSize: number;
  maxConcurrency: number;
  tracing: boolean;
  /** Log groups (already created, encrypted) by step, and the state machine's. */
  logGroups: Record<Step | "stateMachine", aws.cloudwatch.LogGroup>;
  /** What the functions need before they can run (the role policy, the report bucket). */
  functionDependsOn: pulumi.Resource[];
  rule: aws.cloudwatch.EventRule;
  alarmTopicArn?: pulumi.Input<string>;
  waitFor?: pulumi.Input<pulumi.Resource>[];
}

export interface Engine {
  functions: Record<Step, aws.lambda.Function>;
  stateMachine: aws.sfn.StateMachine;
  stateMachineArn: pulumi.Output<string>;
  /** The state machine's and the schedule's roles as laid, for the audit manifest's `roles`. */
  laidRoles: [LaidRole, LaidRole];
}

const STATES_POLICY_NAME = AUDIT_STATE_MACHINE_ROLE.policyName;
const SCHEDULE_POLICY_NAME = AUDIT_SCHEDULE_ROLE.policyName;

export function deployEngine(parent: pulumi.Resource, name: string, a: EngineArgs): Engine {
  const opts = { parent };
  const functions = Object.fromEntries(STEPS.map((step) => [step, stepFunction(parent, name, a, step)])) as Record<
    Step,
    aws.lambda.Function
  >;
  const machineName = a.functionName;
  const machineArn = a.account.apply((id) => stateMachineArn(a.region, id, machineName));
  const statesTrust = a.account.apply((accountId) =>
    auditStateMachineTrustPolicy({ accountId, region: a.region, stateMachineName: machineName }),
  );
  const statesPolicy = a.account.apply((accountId) =>
    auditStateMachinePolicy({
      accountId,
      region: a.region,
      stateMachineName: machineName,
      functionNames: STEPS.map((s) => stepFunctionName(a.functionName, s)),
      tracing: a.tracing,
    }),
  );
  const role = new aws.iam.Role(
    `${name}-states-role`,
    {
      name: a.stateMachineRoleName,
      description: "orgwarden: the nightly audit's state machine (Step Functions)",
      assumeRolePolicy: statesTrust.apply(minify),
    },
    opts,
  );
  const policy = new aws.iam.RolePolicy(
    `${name}-states-policy`,
    { role: role.name, name: STATES_POLICY_NAME, policy: statesPolicy.apply(minify) },
    opts,
  );
  const statesRole: LaidRole = {
    name: AUDIT_STATE_MACHINE_ROLE.entry,
    purpose: AUDIT_STATE_MACHINE_ROLE.purpose,
    account: a.account,
    roleName: a.stateMachineRoleName,
    trustPolicy: statesTrust,
    inlinePolicies: { [STATES_POLICY_NAME]: statesPolicy },
    managedPolicyArns: [],
  };
  const stateMachine = new aws.sfn.StateMachine(
    `${name}-state-machine`,
    {
      name: machineName,
      type: "STANDARD",
      roleArn: role.arn,
      definition: pulumi
        .all([functions.plan.arn, functions.collect.arn, functions.evaluate.arn])
        .apply(([plan, collect, evaluate]) => JSON.stringify(definition(a.maxConcurrency, plan, collect, evaluate))),
      // ERROR without execution data: failures are logged, the organization's observed state is not.
      loggingConfiguration: {
        logDestination: pulumi.interpolate`${a.logGroups.stateMachine.arn}:*`,
        level: "ERROR",
        includeExecutionData: false,
      },
      tracingConfiguration: { enabled: a.tracing },
    },
    // CreateStateMachine checks that the role may deliver logs, so the policy comes first.
    { parent, dependsOn: [policy, a.logGroups.stateMachine] },
  );
  const scheduleRole = scheduleTarget(parent, name, a, machineArn, stateMachine);
  if (a.alarmTopicArn) unfinishedAlarm(parent, name, a.functionName, machineArn, stateMachine, a.alarmTopicArn);
  return { functions, stateMachine, stateMachineArn: machineArn, laidRoles: [statesRole, scheduleRole] };
}

function definition(maxConcurrency: number, plan: string, collect: string, evaluate: string) {
  const task = (s: Step) => STEP_SIZING[s].timeoutSeconds + TASK_TIMEOUT_MARGIN_SECONDS;
  return auditStateMachineDefinition({
    planFunctionArn: plan,
    collectFunctionArn: collect,
    evaluateFunctionArn: evaluate,
    maxConcurrency,
    taskTimeoutSeconds: { plan: task("plan"), collect: task("collect"), evaluate: task("evaluate") },
    executionTimeoutSeconds: EXECUTION_TIMEOUT_SECONDS,
    retry: DEFAULT_RETRY,
  });
}

const DESCRIPTIONS: Record<Step, string> = {
  plan: "orgwarden: nightly audit, step 1: walk the organization into batches of accounts",
  collect: "orgwarden: nightly audit, step 2: collect one batch of accounts in every governed region",
  evaluate: "orgwarden: nightly audit, step 3: run every check over all batches and write the reports",
};

function stepFunction(parent: pulumi.Resource, name: string, a: EngineArgs, step: Step): aws.lambda.Function {
  const variables =
    step === "plan" ? { ...a.environment, ORGWARDEN_BATCH_SIZE: String(a.batchSize) } : { ...a.environment };
  return new aws.lambda.Function(
    `${name}-${step}-function`,
    {
      name: stepFunctionName(a.functionName, step),
      description: DESCRIPTIONS[step],
      role: a.agentRole.arn,
      runtime: aws.lambda.Runtime.NodeJS22dX,
      handler: `index.${step}`,
      code: a.code,
      architectures: ["arm64"],
      memorySize: STEP_SIZING[step].memoryMb,
      timeout: STEP_SIZING[step].timeoutSeconds,
      environment: { variables },
    },
    // Without the log group first, Lambda would create an unencrypted one that never expires.
    { parent, dependsOn: [a.logGroups[step], ...a.functionDependsOn] },
  );
}

/** The rule (shared with the lambda engine, so switching engines keeps one schedule) starts the state machine through a role of its own. */
function scheduleTarget(
  parent: pulumi.Resource,
  name: string,
  a: EngineArgs,
  machineArn: pulumi.Output<string>,
  stateMachine: aws.sfn.StateMachine,
): LaidRole {
  const ref = (accountId: string) => ({ accountId, region: a.region, stateMachineName: a.functionName });
  const trust = a.account.apply((id) => auditScheduleTrustPolicy({ ...ref(id), ruleName: a.functionName }));
  const permissions = a.account.apply((id) => auditSchedulePolicy(ref(id)));
  const role = new aws.iam.Role(
    `${name}-schedule-role`,
    {
      name: a.scheduleRoleName,
      description: "orgwarden: lets the nightly audit's EventBridge rule start its state machine",
      assumeRolePolicy: trust.apply(minify),
    },
    { parent },
  );
  const policy = new aws.iam.RolePolicy(
    `${name}-schedule-policy`,
    { role: role.name, name: SCHEDULE_POLICY_NAME, policy: permissions.apply(minify) },
    { parent },
  );
  new aws.cloudwatch.EventTarget(
    `${name}-states-target`,
    {
      rule: a.rule.name,
      arn: machineArn,
      roleArn: role.arn,
      targetId: AGENT_TARGET_IDS["step-functions"],
      // The contract's plan input; without it the rule would pass its scheduled event.
      input: STATE_MACHINE_TARGET_INPUT,
    },
    { parent, dependsOn: [policy, stateMachine, ...(a.waitFor ?? [])] },
  );
  return {
    name: AUDIT_SCHEDULE_ROLE.entry,
    purpose: AUDIT_SCHEDULE_ROLE.purpose,
    account: a.account,
    roleName: a.scheduleRoleName,
    trustPolicy: trust,
    inlinePolicies: { [SCHEDULE_POLICY_NAME]: permissions },
    managedPolicyArns: [],
  };
}

/** One alarm on failed + timed-out + aborted executions (baseline's executionsAlarm: metric math, a metric with no datapoint in a period counts 0). */
function unfinishedAlarm(
  parent: pulumi.Resource,
  name: string,
  functionName: string,
  machineArn: pulumi.Output<string>,
  stateMachine: aws.sfn.StateMachine,
  topicArn: pulumi.Input<string>,
): void {
  const a = executionsAlarm<pulumi.Input<string>>({
    stack: "",
    functionName,
    engine: "step-functions",
    topicArn,
    stateMachineArn: machineArn,
    notifications: false,
  });
  new aws.cloudwatch.MetricAlarm(
    `${name}-executions-alarm`,
    metricAlarmArgs(
      a,
      "orgwarden: a nightly audit execution failed, timed out or was aborted; no report was written for that run",
    ),
    { parent, dependsOn: [stateMachine] },
  );
}
