/**
 * The documents of the nightly audit's Step Functions engine: the state machine's role (invoke the
 * three step functions, run its own Distributed Map, deliver its logs) and the schedule's role
 * (start this one state machine). Every ARN is built from names, so the policies are known before
 * the state machine exists (CreateStateMachine checks its role's logging permissions).
 */
import { ACCOUNT_ID, arn, eventRuleArn, PARTITION } from "./arns";
import { policy, PolicyDocument } from "./policy-types";

/**
 * The step-functions engine's two roles as infra/audit-engine.ts lays and publishes them (and the
 * sandbox, agent/sandbox/seed-agent-roles.ts): each one's `roles.shared` entry and its one inline policy's name.
 */
export const AUDIT_STATE_MACHINE_ROLE = {
  entry: "audit-state-machine-role",
  purpose: "the audit state machine's role",
  policyName: "orgwarden-audit-state-machine",
} as const;
export const AUDIT_SCHEDULE_ROLE = {
  entry: "audit-schedule-role",
  purpose: "the audit schedule's role",
  policyName: "orgwarden-audit-schedule",
} as const;

export const STATES_SERVICE = "states.amazonaws.com";
export const EVENTS_SERVICE = "events.amazonaws.com";

/** Step Functions state machine names: 1-80 characters, no "/" (a Map Run's child is <name>/<label>). */
const STATE_MACHINE_NAME = /^[A-Za-z0-9_-]{1,80}$/;
const FUNCTION_NAME = /^[A-Za-z0-9_-]{1,64}$/;

export function stateMachineArn(region: string, accountId: string, name: string): string {
  return arn(PARTITION, "states", region, accountId, `stateMachine:${name}`);
}

/** The child executions a Distributed Map of that state machine starts (execution:<name>/<label>:<id>). */
export function mapRunExecutionsArn(region: string, accountId: string, name: string): string {
  return arn(PARTITION, "states", region, accountId, `execution:${name}/*`);
}

/** Unqualified: the ARN the state machine invokes (a version or alias ARN is a different resource). */
export function lambdaFunctionArn(region: string, accountId: string, name: string): string {
  return arn(PARTITION, "lambda", region, accountId, `function:${name}`);
}

/**
 * CloudWatch Logs delivery for a state machine's logging (Step Functions Developer Guide, "Logging
 * Step Functions using CloudWatch Logs", https://docs.aws.amazon.com/step-functions/latest/dg/cw-logs.html,
 * IAM policy example): these actions take no resource-level
 * permission, so their Resource is "*"; which log group receives the logs is the state machine's
 * loggingConfiguration, not this policy.
 */
export const STATES_LOG_DELIVERY_ACTIONS = [
  "logs:CreateLogDelivery",
  "logs:GetLogDelivery",
  "logs:UpdateLogDelivery",
  "logs:DeleteLogDelivery",
  "logs:ListLogDeliveries",
  "logs:PutResourcePolicy",
  "logs:DescribeResourcePolicies",
  "logs:DescribeLogGroups",
];

/** X-Ray tracing of a state machine (Step Functions Developer Guide, "IAM policies for using AWS X-Ray in Step Functions"). */
export const STATES_XRAY_ACTIONS = [
  "xray:PutTraceSegments",
  "xray:PutTelemetryRecords",
  "xray:GetSamplingRules",
  "xray:GetSamplingTargets",
];

export interface AuditStateMachineRef {
  /** The security account, where the state machine, its functions and its schedule live. */
  accountId: string;
  region: string;
  stateMachineName: string;
}

function check(fn: string, i: AuditStateMachineRef): void {
  if (!ACCOUNT_ID.test(i.accountId))
    throw new Error(`${fn}: accountId must be a 12-digit account id, got "${i.accountId}"`);
  if (!STATE_MACHINE_NAME.test(i.stateMachineName))
    throw new Error(`${fn}: stateMachineName must be 1-80 letters, digits, "-" or "_", got "${i.stateMachineName}"`);
}

/**
 * Trust of the state machine's role: Step Functions only, for this state machine of this account.
 * The Distributed Map's child executions run as the same role; their state machine is
 * `<name>/<label>`, hence the second pattern (a name cannot hold "/", so it names no other machine).
 */
export function auditStateMachineTrustPolicy(i: AuditStateMachineRef): PolicyDocument {
  check("auditStateMachineTrustPolicy", i);
  const machine = stateMachineArn(i.region, i.accountId, i.stateMachineName);
  return policy([
    {
      Sid: "StepFunctionsForTheAuditStateMachine",
      Effect: "Allow",
      Principal: { Service: STATES_SERVICE },
      Action: "sts:AssumeRole",
      Condition: {
        StringEquals: { "aws:SourceAccount": i.accountId },
        ArnLike: { "aws:SourceArn": [machine, `${machine}/*`] },
      },
    },
  ]);
}

export interface AuditStateMachinePolicyInput extends AuditStateMachineRef {
  /** The plan, collect and evaluate functions (names, same account and region). */
  functionNames: string[];
  /** X-Ray tracing of the state machine. */
  tracing: boolean;
}

/**
 * Permissions of the state machine's role: invoke the three step functions (unqualified ARNs, as the
 * definition names them), start and manage its own Distributed Map's child executions (Step
 * Functions Developer Guide, "IAM policies for using Distributed Map states":
 * https://docs.aws.amazon.com/step-functions/latest/dg/iam-policies-eg-dist-map.html), and deliver
 * its logs. Nothing else: the workers, not the state machine, read and write the report bucket.
 */
export function auditStateMachinePolicy(i: AuditStateMachinePolicyInput): PolicyDocument {
  check("auditStateMachinePolicy", i);
  if (i.functionNames.length === 0 || i.functionNames.some((n) => !FUNCTION_NAME.test(n)))
    throw new Error(
      `auditStateMachinePolicy: functionNames must be Lambda function names without wildcards, got ${JSON.stringify(i.functionNames)}`,
    );
  const statements = [
    {
      Sid: "InvokeTheAuditSteps",
      Effect: "Allow" as const,
      Action: "lambda:InvokeFunction",
      Resource: i.functionNames.map((n) => lambdaFunctionArn(i.region, i.accountId, n)),
    },
    {
      Sid: "StartItsDistributedMap",
      Effect: "Allow" as const,
      Action: "states:StartExecution",
      Resource: stateMachineArn(i.region, i.accountId, i.stateMachineName),
    },
    {
      Sid: "ManageItsMapRunExecutions",
      Effect: "Allow" as const,
      Action: ["states:DescribeExecution", "states:StopExecution"],
      Resource: mapRunExecutionsArn(i.region, i.accountId, i.stateMachineName),
    },
    { Sid: "DeliverItsLogs", Effect: "Allow" as const, Action: STATES_LOG_DELIVERY_ACTIONS, Resource: "*" },
  ];
  if (i.tracing)
    statements.push({ Sid: "SendTraces", Effect: "Allow" as const, Action: STATES_XRAY_ACTIONS, Resource: "*" });
  return policy(statements, "orgwarden-audit-state-machine");
}

export interface AuditScheduleRef extends AuditStateMachineRef {
  /** The EventBridge rule (default bus) that starts the state machine. */
  ruleName: string;
}

/** Trust of the schedule's role: EventBridge only, for this one rule of this account. */
export function auditScheduleTrustPolicy(i: AuditScheduleRef): PolicyDocument {
  check("auditScheduleTrustPolicy", i);
  if (i.ruleName === "" || i.ruleName.includes("*"))
    throw new Error(`auditScheduleTrustPolicy: ruleName must be a rule name without wildcards, got "${i.ruleName}"`);
  return policy([
    {
      Sid: "EventBridgeForTheAuditSchedule",
      Effect: "Allow",
      Principal: { Service: EVENTS_SERVICE },
      Action: "sts:AssumeRole",
      Condition: {
        StringEquals: {
          "aws:SourceAccount": i.accountId,
          "aws:SourceArn": eventRuleArn(i.region, i.accountId, i.ruleName),
        },
      },
    },
  ]);
}

/** Permissions of the schedule's role: start an execution of this one state machine. */
export function auditSchedulePolicy(i: AuditStateMachineRef): PolicyDocument {
  check("auditSchedulePolicy", i);
  return policy(
    [
      {
        Sid: "StartTheAuditStateMachine",
        Effect: "Allow",
        Action: "states:StartExecution",
        Resource: stateMachineArn(i.region, i.accountId, i.stateMachineName),
      },
    ],
    "orgwarden-audit-schedule",
  );
}
