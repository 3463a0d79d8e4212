/**
 * The generated state machine executed by moto's ASL interpreter (`execute_state_machine`). moto
 * cannot run Lambda (no Docker here), so each Task's resource is swapped for the SQS
 * `.waitForTaskToken` integration and an in-process worker answers as the Lambda integration would
 * (`{ Payload: <handler result> }`, or the error Lambda would raise). Everything else — the
 * Distributed Map's ItemSelector, ResultPath, the Catch into BatchFailed, the Fail states' ErrorPath
 * and CausePath, Retry — is the generated definition as deployed. moto's interpreter also parses the
 * definition with its ASL grammar on CreateStateMachine, a third reading after asl-validator and cfn-lint.
 */
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
} from "@aws-sdk/client-sfn";
import { CreateQueueCommand, DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditStateMachineDefinition, type AslDefinition } from "../../infra/audit-state-machine";
import { MOTO_CREDENTIALS, useMoto } from "../helpers/moto";

const ACCOUNT = "123456789012";
const fn = (step: string) => `arn:aws:lambda:us-east-1:${ACCOUNT}:function:orgwarden-prod-audit-agent-${step}`;

/** The deployed definition with one retry of 1 s, so the retried batch below does not wait long. */
const deployed = () =>
  auditStateMachineDefinition({
    planFunctionArn: fn("plan"),
    collectFunctionArn: fn("collect"),
    evaluateFunctionArn: fn("evaluate"),
    maxConcurrency: 2,
    taskTimeoutSeconds: { plan: 960, collect: 960, evaluate: 960 },
    executionTimeoutSeconds: 3600,
    retry: { intervalSeconds: 1, maxAttempts: 2, backoffRate: 1, maxDelaySeconds: 1 },
  });

/** Each lambda:invoke Task becomes an SQS message carrying the step, the task's input and its token. */
function throughQueue(node: unknown, queueUrl: string): unknown {
  if (Array.isArray(node)) return node.map((n) => throughQueue(n, queueUrl));
  if (node === null || typeof node !== "object") return node;
  const o = Object.fromEntries(Object.entries(node).map(([k, v]) => [k, throughQueue(v, queueUrl)]));
  if (o.Type === "Task" && o.Resource === "arn:aws:states:::lambda:invoke") {
    const step = String((o.Parameters as { FunctionName: string }).FunctionName)
      .split("-")
      .pop();
    o.Resource = "arn:aws:states:::sqs:sendMessage.waitForTaskToken";
    o.Parameters = { QueueUrl: queueUrl, MessageBody: { step, "input.$": "$", "token.$": "$$.Task.Token" } };
  }
  return o;
}

type Answer = { payload: unknown } | { error: string; cause: string };

/**
 * moto 5.2's SendTaskFailure handler passes the error on and drops the cause
 * (moto/stepfunctions/responses.py, send_task_failure), so every cause below arrives as null here;
 * AWS carries it. The error proves the same paths (Catch ResultPath, ErrorPath).
 */
const MOTO_DROPS_CAUSE = null;
interface Seen {
  step: string;
  input: Record<string, unknown>;
}

describe("the audit state machine executed by moto", () => {
  const moto = useMoto();
  const sfn = () => new SFNClient({ endpoint: moto.endpoint, region: "us-east-1", credentials: MOTO_CREDENTIALS });
  const sqs = () => new SQSClient({ endpoint: moto.endpoint, region: "us-east-1", credentials: MOTO_CREDENTIALS });
  const config = (execute: boolean) =>
    fetch(`${moto.endpoint}/moto-api/config`, {
      method: "POST",
      body: JSON.stringify({ stepfunctions: { execute_state_machine: execute } }),
    });
  beforeAll(async () => {
    expect((await config(true)).status).toBe(201);
  });
  afterAll(async () => {
    await config(false);
  });

  /** Runs one execution, answering every task with `answer` until the execution ends. */
  async function execute(answer: (seen: Seen, attempt: number) => Answer) {
    const { QueueUrl } = await sqs().send(new CreateQueueCommand({ QueueName: "audit-steps" }));
    const definition = throughQueue(deployed(), QueueUrl!) as AslDefinition;
    const { stateMachineArn } = await sfn().send(
      new CreateStateMachineCommand({
        name: "orgwarden-prod-audit-agent",
        // The same JSON number written 100.0: moto 5.2's ASL grammar takes only a decimal literal here (AWS takes 100).
        definition: JSON.stringify(definition).replace(
          '"ToleratedFailurePercentage":100,',
          '"ToleratedFailurePercentage":100.0,',
        ),
        roleArn: `arn:aws:iam::${ACCOUNT}:role/orgwarden-audit-agent-states`,
        type: "STANDARD",
      }),
    );
    // moto's interpreter names an unnamed execution "None"; AWS would generate a UUID.
    const { executionArn } = await sfn().send(
      new StartExecutionCommand({ stateMachineArn, name: "nightly-1", input: "{}" }),
    );
    const seen: Seen[] = [];
    const attempts = new Map<string, number>();
    for (;;) {
      const d = await sfn().send(new DescribeExecutionCommand({ executionArn }));
      if (d.status !== "RUNNING") {
        // moto's DescribeExecution leaves out the cause; the history's ExecutionFailed event has both.
        const { events = [] } = await sfn().send(new GetExecutionHistoryCommand({ executionArn }));
        const failed = events.find((e) => e.type === "ExecutionFailed")?.executionFailedEventDetails;
        return { execution: d, failed, seen };
      }
      const { Messages = [] } = await sqs().send(
        new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
      );
      for (const m of Messages) {
        await sqs().send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: m.ReceiptHandle }));
        const body = JSON.parse(m.Body!) as { step: string; input: Record<string, unknown>; token: string };
        const s = { step: body.step, input: body.input };
        seen.push(s);
        const key = JSON.stringify(s);
        const attempt = (attempts.get(key) ?? 0) + 1;
        attempts.set(key, attempt);
        const a = answer(s, attempt);
        if ("payload" in a) {
          await sfn().send(
            new SendTaskSuccessCommand({ taskToken: body.token, output: JSON.stringify({ Payload: a.payload }) }),
          );
        } else {
          await sfn().send(new SendTaskFailureCommand({ taskToken: body.token, error: a.error, cause: a.cause }));
        }
      }
    }
  }

  const PLAN = {
    runId: "2026-12-01T05-00-00Z",
    planKey: "orgwarden-audit/prod/runs/2026-12-01T05-00-00Z/plan.json",
    batches: [
      { index: 0, accounts: ["111111111111", "222222222222"] },
      { index: 1, accounts: ["333333333333"] },
      { index: 2, accounts: ["444444444444"] },
    ],
  };
  const stateKey = (i: number) => `orgwarden-audit/prod/runs/2026-12-01T05-00-00Z/batches/${i}.json`;

  it("plans, collects every batch (a throttled one retried, a failed one caught as { index, error }) and evaluates them all", async () => {
    const { execution, seen } = await execute((s, attempt) => {
      if (s.step === "plan") return { payload: PLAN };
      if (s.step === "evaluate") return { payload: { exitCode: 1, findings: 42 } };
      const index = (s.input.batch as { index: number }).index;
      if (index === 1) return { error: "Sandbox.Timedout", cause: "Task timed out after 900.00 seconds" };
      if (index === 2 && attempt === 1) return { error: "Lambda.TooManyRequestsException", cause: "Rate exceeded" };
      return { payload: { index, stateKey: stateKey(index) } };
    });
    expect(execution.status).toBe("SUCCEEDED");
    expect(JSON.parse(execution.output ?? "null")).toEqual({ exitCode: 1, findings: 42 });

    expect(seen.filter((s) => s.step === "plan").map((s) => s.input)).toEqual([{}]);
    // Each Map item is { runId, planKey, batch }.
    const collects = seen.filter((s) => s.step === "collect").map((s) => s.input);
    expect([...new Set(collects.map((c) => JSON.stringify(c)))].sort()).toEqual(
      PLAN.batches.map((batch) => JSON.stringify({ runId: PLAN.runId, planKey: PLAN.planKey, batch })).sort(),
    );
    const tries = (index: number) => collects.filter((c) => (c.batch as { index: number }).index === index).length;
    // Sandbox.Timedout is not a Lambda service error: caught at once, not retried. The throttled batch
    // is retried (moto's interpreter delivers the retried task's message more than once; AWS once).
    expect([tries(0), tries(1)]).toEqual([1, 1]);
    expect(tries(2)).toBeGreaterThanOrEqual(2);
    const evaluate = seen.filter((s) => s.step === "evaluate").map((s) => s.input);
    expect(evaluate).toEqual([
      {
        runId: PLAN.runId,
        planKey: PLAN.planKey,
        batches: [
          { index: 0, stateKey: stateKey(0) },
          { index: 1, error: { Error: "Sandbox.Timedout", Cause: MOTO_DROPS_CAUSE } },
          { index: 2, stateKey: stateKey(2) },
        ],
      },
    ]);
  });

  it("fails the execution with the plan's error and cause when Plan fails (so the alarm fires), and collects nothing", async () => {
    const { execution, failed, seen } = await execute((s) =>
      s.step === "plan" ? { error: "OrganizationsUnreadable", cause: "AccessDenied on ListRoots" } : { payload: null },
    );
    expect(execution.status).toBe("FAILED");
    expect(failed).toEqual({ error: "OrganizationsUnreadable" });
    expect(seen.map((s) => s.step)).toEqual(["plan"]);
  });

  it("fails the execution when Evaluate fails: no report is a failed run, never a success", async () => {
    const { execution, failed } = await execute((s) => {
      if (s.step === "plan") return { payload: { ...PLAN, batches: [PLAN.batches[0]] } };
      if (s.step === "collect") return { payload: { index: 0, stateKey: stateKey(0) } };
      return { error: "Error", cause: '{"errorMessage":"report bucket unreachable"}' };
    });
    expect(execution.status).toBe("FAILED");
    expect(failed).toEqual({ error: "Error" });
  });
});
