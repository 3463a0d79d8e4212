/**
 * The Step Functions engine's documents (baseline/audit-engine-policy.ts) and the workers' part of
 * the agent role: exact content, argument errors, and what they mean under IAM simulation
 * (@cloud-copilot/iam-simulate).
 */
import { describe, expect, it } from "vitest";
import {
  auditAgentPolicy,
  auditScheduleTrustPolicy,
  auditSchedulePolicy,
  auditStateMachinePolicy,
  auditStateMachineTrustPolicy,
  type AuditAgentPolicyInput,
  type PolicyDocument,
} from "../../baseline";
import { ORG, roleCaller, serviceCaller, simulate } from "../helpers/iam-sim";

const A = ORG.security;
const MACHINE = "orgwarden-prod-audit-agent";
const MACHINE_ARN = `arn:aws:states:us-east-1:${A}:stateMachine:${MACHINE}`;
const STEPS = ["plan", "collect", "evaluate"].map((s) => `${MACHINE}-${s}`);
const fnArn = (name: string, account: string = A) => `arn:aws:lambda:us-east-1:${account}:function:${name}`;
const REF = { accountId: A, region: ORG.region, stateMachineName: MACHINE };
const machinePolicy = auditStateMachinePolicy({ ...REF, functionNames: STEPS, tracing: false });

describe("the state machine role's documents", () => {
  it("grants exactly: invoke the three steps, start and manage its own Map Run, deliver its logs", () => {
    expect(machinePolicy).toEqual({
      Version: "2012-10-17",
      Id: "orgwarden-audit-state-machine",
      Statement: [
        {
          Sid: "InvokeTheAuditSteps",
          Effect: "Allow",
          Action: "lambda:InvokeFunction",
          Resource: STEPS.map((n) => fnArn(n)),
        },
        { Sid: "StartItsDistributedMap", Effect: "Allow", Action: "states:StartExecution", Resource: MACHINE_ARN },
        {
          Sid: "ManageItsMapRunExecutions",
          Effect: "Allow",
          Action: ["states:DescribeExecution", "states:StopExecution"],
          Resource: `arn:aws:states:us-east-1:${A}:execution:${MACHINE}/*`,
        },
        {
          Sid: "DeliverItsLogs",
          Effect: "Allow",
          Action: [
            "logs:CreateLogDelivery",
            "logs:GetLogDelivery",
            "logs:UpdateLogDelivery",
            "logs:DeleteLogDelivery",
            "logs:ListLogDeliveries",
            "logs:PutResourcePolicy",
            "logs:DescribeResourcePolicies",
            "logs:DescribeLogGroups",
          ],
          Resource: "*",
        },
      ],
    });
  });

  it("adds X-Ray only when tracing is on", () => {
    const traced = auditStateMachinePolicy({ ...REF, functionNames: STEPS, tracing: true });
    expect(traced.Statement.slice(0, 4)).toEqual(machinePolicy.Statement);
    expect(traced.Statement[4]).toEqual({
      Sid: "SendTraces",
      Effect: "Allow",
      Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets"],
      Resource: "*",
    });
  });

  it("is trusted by Step Functions for this state machine (and its Map Run's children) of this account only", () => {
    expect(auditStateMachineTrustPolicy(REF)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "StepFunctionsForTheAuditStateMachine",
          Effect: "Allow",
          Principal: { Service: "states.amazonaws.com" },
          Action: "sts:AssumeRole",
          Condition: {
            StringEquals: { "aws:SourceAccount": A },
            ArnLike: { "aws:SourceArn": [MACHINE_ARN, `${MACHINE_ARN}/*`] },
          },
        },
      ],
    });
  });

  it.each<[string, () => unknown, string]>([
    [
      "a wildcard function name",
      () => auditStateMachinePolicy({ ...REF, functionNames: ["orgwarden-*"], tracing: false }),
      'auditStateMachinePolicy: functionNames must be Lambda function names without wildcards, got ["orgwarden-*"]',
    ],
    [
      "no function at all",
      () => auditStateMachinePolicy({ ...REF, functionNames: [], tracing: false }),
      "auditStateMachinePolicy: functionNames must be Lambda function names without wildcards, got []",
    ],
    [
      "a state machine name with a slash",
      () => auditStateMachineTrustPolicy({ ...REF, stateMachineName: "a/b" }),
      'auditStateMachineTrustPolicy: stateMachineName must be 1-80 letters, digits, "-" or "_", got "a/b"',
    ],
    [
      "an account id that is not 12 digits",
      () => auditSchedulePolicy({ ...REF, accountId: "12" }),
      'auditSchedulePolicy: accountId must be a 12-digit account id, got "12"',
    ],
    [
      "a wildcard rule name",
      () => auditScheduleTrustPolicy({ ...REF, ruleName: "*" }),
      'auditScheduleTrustPolicy: ruleName must be a rule name without wildcards, got "*"',
    ],
  ])("refuses %s, naming the argument", (_t, build, message) => {
    expect(build).toThrow(new Error(message));
  });
});

const machineRole = roleCaller({
  accountId: A,
  roleName: "orgwarden-audit-agent-states",
  identityPolicies: [machinePolicy],
});
const asMachine = (action: string, resource: string, account: string = A) =>
  simulate({ caller: machineRole, action, resource, resourceAccount: account }).then((r) => r.result);

describe("the state machine role under IAM simulation", () => {
  it.each(STEPS)("may invoke %s", async (name) => {
    expect(await asMachine("lambda:InvokeFunction", fnArn(name))).toBe("Allowed");
  });

  it.each<[string, string, string]>([
    ["the single-function agent", fnArn("orgwarden-prod-audit-agent"), A],
    ["another function of the account", fnArn("orgwarden-prod-something-else"), A],
    ["a qualified version of a step", `${fnArn(STEPS[1])}:$LATEST`, A],
    ["a same-named step in another account", fnArn(STEPS[0], ORG.member), ORG.member],
  ])("may not invoke %s", async (_t, resource, account) => {
    expect(await asMachine("lambda:InvokeFunction", resource, account)).toBe("ImplicitlyDenied");
  });

  it("starts and manages its own Distributed Map's child executions, no other state machine's", async () => {
    expect(await asMachine("states:StartExecution", MACHINE_ARN)).toBe("Allowed");
    const child = `arn:aws:states:us-east-1:${A}:execution:${MACHINE}/CollectBatches:0b1e2c3d`;
    expect(await asMachine("states:DescribeExecution", child)).toBe("Allowed");
    expect(await asMachine("states:StopExecution", child)).toBe("Allowed");
    const other = `arn:aws:states:us-east-1:${A}:stateMachine:someone-elses`;
    expect(await asMachine("states:StartExecution", other)).toBe("ImplicitlyDenied");
    expect(await asMachine("states:StopExecution", `arn:aws:states:us-east-1:${A}:execution:someone-elses:run-1`)).toBe(
      "ImplicitlyDenied",
    );
  });

  it.each<[string, string, string]>([
    ["s3:GetObject", "arn:aws:s3:::orgwarden-prod-audit-reports-111111111111/orgwarden-audit/prod/runs/r/plan.json", A],
    ["sts:AssumeRole", `arn:aws:iam::${ORG.member}:role/orgwarden-audit-read`, ORG.member],
    ["iam:PassRole", `arn:aws:iam::${A}:role/orgwarden-audit-agent`, A],
    ["lambda:UpdateFunctionCode", fnArn(STEPS[0]), A],
    ["states:DeleteStateMachine", MACHINE_ARN, A],
    ["logs:PutLogEvents", `arn:aws:logs:us-east-1:${A}:log-group:/orgwarden/cloudtrail:log-stream:x`, A],
  ])("cannot %s", async (action, resource, account) => {
    expect(await asMachine(action, resource, account)).toBe("ImplicitlyDenied");
  });
});

describe("the state machine role's trust under IAM simulation", () => {
  const assume = (sourceArn: string, sourceAccount: string, service = "states.amazonaws.com") =>
    simulate({
      caller: serviceCaller({ service, sourceArn, sourceAccount }),
      action: "sts:AssumeRole",
      resource: `arn:aws:iam::${A}:role/orgwarden-audit-agent-states`,
      resourceAccount: A,
      resourcePolicy: auditStateMachineTrustPolicy(REF),
    }).then((r) => r.result);

  it("lets Step Functions assume it for the audit state machine and its Map Run", async () => {
    expect(await assume(MACHINE_ARN, A)).toBe("Allowed");
    expect(await assume(`${MACHINE_ARN}/CollectBatches`, A)).toBe("Allowed");
  });

  it("refuses another state machine, another account, and another service", async () => {
    expect(await assume(`arn:aws:states:us-east-1:${A}:stateMachine:${MACHINE}-x`, A)).toBe("ImplicitlyDenied");
    expect(await assume(`arn:aws:states:us-east-1:${ORG.member}:stateMachine:${MACHINE}`, ORG.member)).toBe(
      "ImplicitlyDenied",
    );
    expect(await assume(MACHINE_ARN, A, "lambda.amazonaws.com")).toBe("ImplicitlyDenied");
  });
});

describe("the schedule role", () => {
  const RULE = MACHINE;
  const RULE_ARN = `arn:aws:events:us-east-1:${A}:rule/${RULE}`;
  const schedule = auditSchedulePolicy(REF);

  it("is exactly: start this state machine; trusted by EventBridge for this rule of this account", () => {
    expect(schedule).toEqual({
      Version: "2012-10-17",
      Id: "orgwarden-audit-schedule",
      Statement: [
        { Sid: "StartTheAuditStateMachine", Effect: "Allow", Action: "states:StartExecution", Resource: MACHINE_ARN },
      ],
    });
    expect(auditScheduleTrustPolicy({ ...REF, ruleName: RULE })).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "EventBridgeForTheAuditSchedule",
          Effect: "Allow",
          Principal: { Service: "events.amazonaws.com" },
          Action: "sts:AssumeRole",
          Condition: { StringEquals: { "aws:SourceAccount": A, "aws:SourceArn": RULE_ARN } },
        },
      ],
    });
  });

  const caller = roleCaller({ accountId: A, roleName: "orgwarden-audit-agent-schedule", identityPolicies: [schedule] });
  const does = (action: string, resource: string) =>
    simulate({ caller, action, resource, resourceAccount: A }).then((r) => r.result);

  it("may start exactly this state machine", async () => {
    expect(await does("states:StartExecution", MACHINE_ARN)).toBe("Allowed");
    expect(await does("states:StartExecution", `arn:aws:states:us-east-1:${A}:stateMachine:other`)).toBe(
      "ImplicitlyDenied",
    );
    expect(await does("states:StopExecution", `arn:aws:states:us-east-1:${A}:execution:${MACHINE}:run-1`)).toBe(
      "ImplicitlyDenied",
    );
    expect(await does("lambda:InvokeFunction", fnArn(STEPS[0]))).toBe("ImplicitlyDenied");
  });

  it("is assumed by EventBridge for this rule only", async () => {
    const assume = (sourceArn: string) =>
      simulate({
        caller: serviceCaller({ service: "events.amazonaws.com", sourceArn, sourceAccount: A }),
        action: "sts:AssumeRole",
        resource: `arn:aws:iam::${A}:role/orgwarden-audit-agent-schedule`,
        resourceAccount: A,
        resourcePolicy: auditScheduleTrustPolicy({ ...REF, ruleName: RULE }),
      }).then((r) => r.result);
    expect(await assume(RULE_ARN)).toBe("Allowed");
    expect(await assume(`arn:aws:events:us-east-1:${A}:rule/another-rule`)).toBe("ImplicitlyDenied");
  });
});

describe("the workers' part of the agent role (steps set)", () => {
  const BUCKET = "orgwarden-prod-audit-reports-111111111111";
  const INPUT: AuditAgentPolicyInput = {
    securityAccountId: A,
    orgId: ORG.orgId,
    region: ORG.region,
    readRoleName: "orgwarden-audit-read",
    manifestParameterName: "/orgwarden/prod/audit-manifest",
    reportBucketName: BUCKET,
    reportPrefix: "orgwarden-audit",
    logGroupName: "/aws/lambda/orgwarden-prod-audit-agent",
  };
  const stepGroups = STEPS.map((n) => `/aws/lambda/${n}`);
  const single = auditAgentPolicy(INPUT);
  const workers = auditAgentPolicy({ ...INPUT, steps: { logGroupNames: stepGroups } });

  it("adds exactly: read runs/ under the report prefix, and the three step log groups; nothing else changes", () => {
    const bySid = (d: PolicyDocument) => Object.fromEntries(d.Statement.map((s) => [s.Sid, s]));
    const before = bySid(single);
    const after = bySid(workers);
    expect(Object.keys(after)).toEqual([
      ...Object.keys(before).slice(0, 4),
      "ReadRunState",
      ...Object.keys(before).slice(4),
    ]);
    for (const sid of Object.keys(before).filter((s) => s !== "WriteOwnLogs")) expect(after[sid]).toEqual(before[sid]);
    expect(after.ReadRunState).toEqual({
      Sid: "ReadRunState",
      Effect: "Allow",
      Action: "s3:GetObject",
      Resource: `arn:aws:s3:::${BUCKET}/orgwarden-audit/*/runs/*`,
    });
    expect(after.WriteOwnLogs).toEqual({
      ...before.WriteOwnLogs,
      Resource: [INPUT.logGroupName, ...stepGroups].map((g) => `arn:aws:logs:us-east-1:${A}:log-group:${g}:*`),
    });
  });

  it("refuses a wildcard step log group", () => {
    expect(() => auditAgentPolicy({ ...INPUT, steps: { logGroupNames: ["/aws/lambda/*"] } })).toThrow(
      new Error(
        'auditAgentPolicy: steps.logGroupNames must name log groups without wildcards, got "["/aws/lambda/*"]"',
      ),
    );
  });

  const worker = roleCaller({ accountId: A, roleName: "orgwarden-audit-agent", identityPolicies: [workers] });
  const s3 = (action: string, key: string, bucket = BUCKET) =>
    simulate({ caller: worker, action, resource: `arn:aws:s3:::${bucket}/${key}`, resourceAccount: A }).then(
      (r) => r.result,
    );

  it.each(["orgwarden-audit/prod/runs/2026-12-01T05-00-00Z/plan.json", "orgwarden-audit/prod/runs/r/batches/7.json"])(
    "writes and reads back %s",
    async (key) => {
      expect(await s3("s3:PutObject", key)).toBe("Allowed");
      expect(await s3("s3:GetObject", key)).toBe("Allowed");
    },
  );

  it.each<[string, string, string | undefined]>([
    ["s3:GetObject", "orgwarden-audit/prod/2026-12-01T05-00-00Z/report.json", undefined],
    ["s3:GetObject", "runs/r/plan.json", undefined],
    ["s3:GetObject", "orgwarden-audit/prod/runs/r/plan.json", "orgwarden-prod-cloudtrail-111111111111"],
    ["s3:DeleteObject", "orgwarden-audit/prod/runs/r/plan.json", undefined],
  ])("cannot %s %s (bucket %s)", async (action, key, bucket) => {
    expect(await s3(action, key, bucket)).toBe("ImplicitlyDenied");
  });

  it("writes each step's log group, and still no other", async () => {
    const stream = (g: string) => `arn:aws:logs:us-east-1:${A}:log-group:${g}:log-stream:2026/12/01/[$LATEST]abc`;
    for (const g of [INPUT.logGroupName, ...stepGroups]) {
      const r = await simulate({
        caller: worker,
        action: "logs:PutLogEvents",
        resource: stream(g),
        resourceAccount: A,
      });
      expect(r.result, g).toBe("Allowed");
    }
    const other = await simulate({
      caller: worker,
      action: "logs:PutLogEvents",
      resource: stream("/aws/vendedlogs/states/orgwarden-prod-audit-agent"),
      resourceAccount: A,
    });
    expect(other.result).toBe("ImplicitlyDenied");
  });
});
