/** The nightly audit's ASL: exact shape, asl-validator on several configs, refusals, and a CreateStateMachine round trip through moto. */
import aslValidator from "asl-validator";
import {
  CreateStateMachineCommand,
  DescribeStateMachineCommand,
  SFNClient,
  StateMachineType,
} from "@aws-sdk/client-sfn";
import { describe, expect, it } from "vitest";
import {
  auditStateMachineDefinition,
  DEFAULT_RETRY,
  type AuditStateMachineInput,
} from "../../infra/audit-state-machine";
import { MOTO_CREDENTIALS, useMoto } from "../helpers/moto";

const fn = (step: string) => `arn:aws:lambda:us-east-1:333333333333:function:orgwarden-prod-audit-agent-${step}`;
const INPUT: AuditStateMachineInput = {
  planFunctionArn: fn("plan"),
  collectFunctionArn: fn("collect"),
  evaluateFunctionArn: fn("evaluate"),
  maxConcurrency: 10,
  taskTimeoutSeconds: { plan: 960, collect: 960, evaluate: 960 },
  executionTimeoutSeconds: 14_400,
  retry: DEFAULT_RETRY,
};

const RETRY = [
  {
    ErrorEquals: [
      "Lambda.ServiceException",
      "Lambda.AWSLambdaException",
      "Lambda.SdkClientException",
      "Lambda.TooManyRequestsException",
    ],
    IntervalSeconds: 2,
    MaxAttempts: 6,
    BackoffRate: 2,
    MaxDelaySeconds: 60,
    JitterStrategy: "FULL",
  },
];
const task = (step: string, next: Record<string, unknown>, catchTo: string) => ({
  Type: "Task",
  Resource: "arn:aws:states:::lambda:invoke",
  Parameters: { FunctionName: fn(step), "Payload.$": "$" },
  OutputPath: "$.Payload",
  TimeoutSeconds: 960,
  Retry: RETRY,
  Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: catchTo }],
  ...next,
});
const failState = (comment: string) => ({
  Type: "Fail",
  Comment: comment,
  ErrorPath: "$.error.Error",
  CausePath: "$.error.Cause",
});

/** asl-validator annotates the states it reads (QueryLanguage), so it gets a copy. */
function validate(definition: unknown) {
  const r = aslValidator(structuredClone(definition) as Parameters<typeof aslValidator>[0]);
  return { isValid: r.isValid, text: r.errorsText("\n") };
}

describe("auditStateMachineDefinition", () => {
  it("is exactly the contract: Plan → Distributed Map of Collect (failed batch → { index, error }) → Evaluate, Retry and Catch on every Task", () => {
    expect(auditStateMachineDefinition(INPUT)).toEqual({
      Comment: "orgwarden: the nightly audit: plan the batches, collect each batch, evaluate every check",
      StartAt: "Plan",
      TimeoutSeconds: 14_400,
      States: {
        Plan: task("plan", { Next: "CollectBatches" }, "PlanFailed"),
        PlanFailed: failState("No plan, no audit: the execution fails and the alarm fires."),
        CollectBatches: {
          Type: "Map",
          ItemProcessor: {
            ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" },
            StartAt: "Collect",
            States: {
              Collect: task("collect", { End: true }, "BatchFailed"),
              BatchFailed: {
                Type: "Pass",
                Parameters: {
                  "index.$": "$.batch.index",
                  error: { "Error.$": "$.error.Error", "Cause.$": "$.error.Cause" },
                },
                End: true,
              },
            },
          },
          ItemsPath: "$.batches",
          ItemSelector: { "runId.$": "$.runId", "planKey.$": "$.planKey", "batch.$": "$$.Map.Item.Value" },
          MaxConcurrency: 10,
          ToleratedFailurePercentage: 100,
          ResultPath: "$.batches",
          Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "CollectFailed" }],
          Next: "Evaluate",
        },
        CollectFailed: failState("The Map Run itself failed (not a batch: those are caught); the execution fails."),
        Evaluate: task("evaluate", { End: true }, "EvaluateFailed"),
        EvaluateFailed: failState("No report was written: the execution fails and the alarm fires."),
      },
    });
  });

  it.each<[string, Partial<AuditStateMachineInput>]>([
    ["the default config", {}],
    ["MaxConcurrency 1", { maxConcurrency: 1 }],
    ["MaxConcurrency 10,000 (Step Functions' ceiling for a Distributed Map)", { maxConcurrency: 10_000 }],
    [
      "short task timeouts and a one-hour execution",
      { taskTimeoutSeconds: { plan: 60, collect: 300, evaluate: 120 }, executionTimeoutSeconds: 3600 },
    ],
    [
      "one retry without backoff",
      { retry: { intervalSeconds: 1, maxAttempts: 1, backoffRate: 1, maxDelaySeconds: 1 } },
    ],
    [
      "another partition's and region's functions",
      {
        planFunctionArn: "arn:aws-us-gov:lambda:us-gov-west-1:333333333333:function:p",
        collectFunctionArn: "arn:aws-us-gov:lambda:us-gov-west-1:333333333333:function:c",
        evaluateFunctionArn: "arn:aws-us-gov:lambda:us-gov-west-1:333333333333:function:e",
      },
    ],
  ])("passes asl-validator: %s", (_t, change) => {
    expect(validate(auditStateMachineDefinition({ ...INPUT, ...change }))).toEqual({ isValid: true, text: "" });
  });

  it("control: asl-validator does reject a definition whose Catch names a missing state", () => {
    const d = auditStateMachineDefinition(INPUT) as { States: Record<string, Record<string, unknown>> };
    d.States.Plan.Catch = [{ ErrorEquals: ["States.ALL"], Next: "Nowhere" }];
    expect(validate(d).isValid).toBe(false);
  });

  it.each<[string, Partial<AuditStateMachineInput>, string]>([
    [
      "MaxConcurrency 0 (unbounded)",
      { maxConcurrency: 0 },
      "maxConcurrency (orgwarden:audit.maxConcurrency) must be an integer from 1 to 10000, got 0",
    ],
    [
      "MaxConcurrency above the ceiling",
      { maxConcurrency: 10_001 },
      "maxConcurrency (orgwarden:audit.maxConcurrency) must be an integer from 1 to 10000, got 10001",
    ],
    [
      "a qualified function ARN",
      { collectFunctionArn: `${fn("collect")}:$LATEST` },
      `collectFunctionArn must be an unqualified Lambda function ARN, got "${fn("collect")}:$LATEST"`,
    ],
    [
      "a task timeout above Lambda's",
      { taskTimeoutSeconds: { plan: 960, collect: 1201, evaluate: 960 } },
      "taskTimeoutSeconds.collect must be an integer from 1 to 1200, got 1201",
    ],
    [
      "an execution timeout shorter than its steps",
      { executionTimeoutSeconds: 600 },
      "executionTimeoutSeconds must be an integer from 2880 (the three task timeouts) to 86400, got 600",
    ],
    [
      "no retry at all",
      { retry: { ...DEFAULT_RETRY, maxAttempts: 0 } },
      "retry.maxAttempts must be an integer from 1 to 10, got 0",
    ],
  ])("refuses %s, naming the argument", (_t, change, message) => {
    expect(() => auditStateMachineDefinition({ ...INPUT, ...change })).toThrow(
      new Error(`auditStateMachineDefinition: ${message}`),
    );
  });

  it("lists every bad argument at once", () => {
    expect(() =>
      auditStateMachineDefinition({ ...INPUT, maxConcurrency: 0, retry: { ...DEFAULT_RETRY, backoffRate: 0.5 } }),
    ).toThrow(
      new Error(
        "auditStateMachineDefinition: maxConcurrency (orgwarden:audit.maxConcurrency) must be an integer from 1 to 10000, got 0; retry.backoffRate must be from 1 to 10, got 0.5",
      ),
    );
  });
});

describe("the definition in moto's Step Functions", () => {
  const moto = useMoto();
  const sfn = () => new SFNClient({ endpoint: moto.endpoint, region: "us-east-1", credentials: MOTO_CREDENTIALS });

  it.each<[string, Partial<AuditStateMachineInput>]>([
    ["the default config", {}],
    ["MaxConcurrency 250", { maxConcurrency: 250 }],
  ])(
    "CreateStateMachine (STANDARD) then DescribeStateMachine returns the definition unchanged: %s",
    async (_t, change) => {
      const definition = JSON.stringify(auditStateMachineDefinition({ ...INPUT, ...change }));
      const created = await sfn().send(
        new CreateStateMachineCommand({
          name: "orgwarden-prod-audit-agent",
          definition,
          roleArn: "arn:aws:iam::123456789012:role/orgwarden-audit-agent-states",
          type: StateMachineType.STANDARD,
        }),
      );
      expect(created.stateMachineArn).toBe(
        "arn:aws:states:us-east-1:123456789012:stateMachine:orgwarden-prod-audit-agent",
      );
      const described = await sfn().send(new DescribeStateMachineCommand({ stateMachineArn: created.stateMachineArn }));
      expect(described.type).toBe("STANDARD");
      expect(described.definition).toBe(definition);
      expect(JSON.parse(described.definition ?? "")).toEqual(auditStateMachineDefinition({ ...INPUT, ...change }));
    },
  );
});
