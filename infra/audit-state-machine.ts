/**
 * The nightly audit's Step Functions definition (Amazon States Language), generated from code so
 * that every Task's Retry, Catch and timeout is stated once. The shape is the contract shared with
 * agent/ (the plan, collect and evaluate handlers):
 *
 *   Plan (Task) → CollectBatches (Distributed Map over $.batches; Collect Task, a failed batch
 *   becomes { index, error }) → Evaluate (Task)
 *
 * A failed Plan or Evaluate fails the execution (through a Fail state carrying the error and cause),
 * so the ExecutionsFailed alarm fires; a failed batch never fails the run, it reaches Evaluate as an
 * error, which reports its accounts as ERROR findings.
 */

/** The Lambda service errors worth retrying (AWS Step Functions Developer Guide, "Handling errors … Lambda"). */
export const LAMBDA_SERVICE_ERRORS = [
  "Lambda.ServiceException",
  "Lambda.AWSLambdaException",
  "Lambda.SdkClientException",
  "Lambda.TooManyRequestsException",
] as const;

/** Step Functions' bounds for a Distributed Map's MaxConcurrency: 0 would mean "unbounded" (10,000), which is never what a config asks for. */
export const MAX_CONCURRENCY = { min: 1, max: 10_000 } as const;
/** Lambda's own ceiling. */
const LAMBDA_MAX_TIMEOUT = 900;
/** A Standard execution may run for a year; a nightly audit that runs this long is broken. */
const MAX_EXECUTION_TIMEOUT = 86_400;

export interface RetrySettings {
  /** Seconds before the first retry. */
  intervalSeconds: number;
  /** Retries after the first attempt. */
  maxAttempts: number;
  backoffRate: number;
  /** Cap on one wait, whatever the backoff has grown to. */
  maxDelaySeconds: number;
}

export interface AuditStateMachineInput {
  /** Function ARNs of the three steps (index.plan, index.collect, index.evaluate). */
  planFunctionArn: string;
  collectFunctionArn: string;
  evaluateFunctionArn: string;
  /** Batches collected at once (the Map's MaxConcurrency; config orgwarden:audit.maxConcurrency). */
  maxConcurrency: number;
  /** Each step's Task timeout in seconds; at least its function's timeout, so the function's own timeout is the one reported. */
  taskTimeoutSeconds: { plan: number; collect: number; evaluate: number };
  /** Timeout of the whole execution, in seconds. */
  executionTimeoutSeconds: number;
  retry: RetrySettings;
}

/** Enough for Lambda's throttles and transient faults; each retry is a billed state transition. */
export const DEFAULT_RETRY: RetrySettings = { intervalSeconds: 2, maxAttempts: 6, backoffRate: 2, maxDelaySeconds: 60 };

/** The ASL document; JSON-serialisable, keys in the order AWS documents them. */
export type AslDefinition = Record<string, unknown>;

const FUNCTION_ARN = /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]{1,64}$/;

function problems(i: AuditStateMachineInput): string[] {
  const out: string[] = [];
  const int = (v: number, min: number, max: number) => Number.isInteger(v) && v >= min && v <= max;
  for (const step of ["plan", "collect", "evaluate"] as const) {
    const arn = i[`${step}FunctionArn`];
    if (!FUNCTION_ARN.test(arn))
      out.push(`${step}FunctionArn must be an unqualified Lambda function ARN, got "${arn}"`);
    const t = i.taskTimeoutSeconds[step];
    if (!int(t, 1, LAMBDA_MAX_TIMEOUT + 300))
      out.push(`taskTimeoutSeconds.${step} must be an integer from 1 to ${LAMBDA_MAX_TIMEOUT + 300}, got ${t}`);
  }
  if (!int(i.maxConcurrency, MAX_CONCURRENCY.min, MAX_CONCURRENCY.max))
    out.push(
      `maxConcurrency (orgwarden:audit.maxConcurrency) must be an integer from ${MAX_CONCURRENCY.min} to ${MAX_CONCURRENCY.max}, got ${i.maxConcurrency}`,
    );
  const stepsTotal = i.taskTimeoutSeconds.plan + i.taskTimeoutSeconds.collect + i.taskTimeoutSeconds.evaluate;
  if (!int(i.executionTimeoutSeconds, stepsTotal, MAX_EXECUTION_TIMEOUT))
    out.push(
      `executionTimeoutSeconds must be an integer from ${stepsTotal} (the three task timeouts) to ${MAX_EXECUTION_TIMEOUT}, got ${i.executionTimeoutSeconds}`,
    );
  const r = i.retry;
  if (!int(r.intervalSeconds, 1, 3600))
    out.push(`retry.intervalSeconds must be an integer from 1 to 3600, got ${r.intervalSeconds}`);
  if (!int(r.maxAttempts, 1, 10)) out.push(`retry.maxAttempts must be an integer from 1 to 10, got ${r.maxAttempts}`);
  if (!(r.backoffRate >= 1 && r.backoffRate <= 10))
    out.push(`retry.backoffRate must be from 1 to 10, got ${r.backoffRate}`);
  if (!int(r.maxDelaySeconds, r.intervalSeconds, 3600))
    out.push(`retry.maxDelaySeconds must be an integer from retry.intervalSeconds to 3600, got ${r.maxDelaySeconds}`);
  return out;
}

/** Retry on Lambda's service errors only, with exponential backoff and full jitter (so retried batches do not arrive together). */
function retry(r: RetrySettings): Record<string, unknown>[] {
  return [
    {
      ErrorEquals: [...LAMBDA_SERVICE_ERRORS],
      IntervalSeconds: r.intervalSeconds,
      MaxAttempts: r.maxAttempts,
      BackoffRate: r.backoffRate,
      MaxDelaySeconds: r.maxDelaySeconds,
      JitterStrategy: "FULL",
    },
  ];
}

/** A lambda:invoke Task passing the whole state as the payload and returning the function's result. */
function invoke(functionArn: string, timeoutSeconds: number, r: RetrySettings): Record<string, unknown> {
  return {
    Type: "Task",
    Resource: "arn:aws:states:::lambda:invoke",
    Parameters: { FunctionName: functionArn, "Payload.$": "$" },
    OutputPath: "$.Payload",
    TimeoutSeconds: timeoutSeconds,
    Retry: retry(r),
  };
}

/** A Catch of everything that keeps the state and adds the error under $.error, then goes to `next`. */
function catchAll(next: string): Record<string, unknown>[] {
  return [{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: next }];
}

/** A Fail state that fails the execution with the caught error and cause. */
function fail(comment: string): Record<string, unknown> {
  return { Type: "Fail", Comment: comment, ErrorPath: "$.error.Error", CausePath: "$.error.Cause" };
}

/**
 * The state machine definition. Throws one error listing every bad argument, each named (the
 * config-backed ones with their `orgwarden:` key).
 */
export function auditStateMachineDefinition(i: AuditStateMachineInput): AslDefinition {
  const bad = problems(i);
  if (bad.length > 0) throw new Error(`auditStateMachineDefinition: ${bad.join("; ")}`);
  return {
    Comment: "orgwarden: the nightly audit: plan the batches, collect each batch, evaluate every check",
    StartAt: "Plan",
    TimeoutSeconds: i.executionTimeoutSeconds,
    States: {
      Plan: {
        ...invoke(i.planFunctionArn, i.taskTimeoutSeconds.plan, i.retry),
        Catch: catchAll("PlanFailed"),
        Next: "CollectBatches",
      },
      PlanFailed: fail("No plan, no audit: the execution fails and the alarm fires."),
      CollectBatches: {
        Type: "Map",
        ItemProcessor: {
          ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" },
          StartAt: "Collect",
          States: {
            Collect: {
              ...invoke(i.collectFunctionArn, i.taskTimeoutSeconds.collect, i.retry),
              Catch: catchAll("BatchFailed"),
              End: true,
            },
            // The batch's accounts become ERROR findings in Evaluate, which also checks plan.json itself.
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
        MaxConcurrency: i.maxConcurrency,
        // Every item catches its own failure, so the Map Run itself never fails on a batch.
        ToleratedFailurePercentage: 100,
        ResultPath: "$.batches",
        Catch: catchAll("CollectFailed"),
        Next: "Evaluate",
      },
      CollectFailed: fail("The Map Run itself failed (not a batch: those are caught); the execution fails."),
      Evaluate: {
        ...invoke(i.evaluateFunctionArn, i.taskTimeoutSeconds.evaluate, i.retry),
        Catch: catchAll("EvaluateFailed"),
        End: true,
      },
      EvaluateFailed: fail("No report was written: the execution fails and the alarm fires."),
    },
  };
}
