/**
 * The nightly run's three Step Functions steps, each a Lambda handler of the one bundle:
 * plan (the execution input → plan.json and the Map's items), collect (one Map item → its batch
 * state), evaluate (the Map's results → the reports, as `handler` writes them). The run's state
 * lives in the report bucket under `<prefix>/<stack>/runs/<runId>/` (plan.json,
 * batches/<index>.json), which the bucket's lifecycle expires.
 *
 * The evaluator trusts the plan, not the Map's results: every batch of plan.json is read from its
 * own key, and a batch without a state object is an ERROR for each of its accounts, named with the
 * Step Functions error and cause when the Map reported one.
 */
import { randomUUID } from "node:crypto";
import { GetObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { z } from "zod";
import { parseAuditManifest } from "../baseline";
import {
  checkBatchOfPlan,
  checkPlan,
  collectBatch,
  evaluateRun,
  openSession,
  planRun,
  type BatchOutcome,
  type BatchState,
  type PlanBatch,
  type RunPlan,
} from "./engine";
import {
  functionContext,
  LAMBDA_ROLE,
  loadManifest,
  publishResult,
  type FunctionContext,
  type LambdaResult,
} from "./lambda-common";
import { AuditConfigError, type LambdaEnv } from "./options";

export interface PlanInput {
  runId?: string;
}
export interface PlanOutput {
  runId: string;
  planKey: string;
  batches: PlanBatch[];
}
export interface CollectInput {
  runId: string;
  planKey: string;
  batch: PlanBatch;
}
export interface CollectOutput {
  index: number;
  stateKey: string;
}
export interface EvaluateInput {
  runId: string;
  planKey: string;
  batches: ({ index: number; stateKey: string } | { index: number; error: { Error: string; Cause?: string } })[];
}

/** The run id names the run's S3 keys and every report of the run, which carry a UUID (agent/report/write.ts). */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const runId = z.string().regex(UUID, "runId must be a UUID such as 7d444840-9dc0-11d1-b245-5ffdce74fad2");
const index = z.number().int().min(0);
const batch = z.strictObject({ index, accounts: z.array(z.string().regex(/^\d{12}$/)).min(1) });
const planInput = z.strictObject({ runId: runId.optional() });
const collectInput = z.strictObject({ runId, planKey: z.string().min(1), batch });
const evaluateInput = z.strictObject({
  runId,
  planKey: z.string().min(1),
  batches: z.array(
    z.union([
      z.strictObject({ index, stateKey: z.string().min(1) }),
      z.strictObject({ index, error: z.object({ Error: z.string(), Cause: z.string().optional() }) }),
    ]),
  ),
});

function parseInput<T>(step: string, schema: z.ZodType<T>, event: unknown): T {
  const r = schema.safeParse(event ?? {});
  if (r.success) return r.data;
  const problems = r.error.issues.map((i) => `${i.path.length > 0 ? i.path.join(".") : "(input)"}: ${i.message}`);
  throw new AuditConfigError(`${step} step input: ${problems.join("; ")}`);
}

/** Every step needs the bucket: checked before any call. */
function requireBucket(ctx: FunctionContext): string {
  if (!ctx.s.bucket)
    throw new AuditConfigError(
      "ORGWARDEN_REPORT_BUCKET must name the report bucket: the plan, collect and evaluate steps keep the run's state there",
    );
  return ctx.s.bucket;
}

/** The run's directory in the report bucket. */
function runDir(ctx: FunctionContext, stack: string, id: string): { bucket: string; dir: string } {
  return { bucket: requireBucket(ctx), dir: `${ctx.s.prefix}/${stack}/runs/${id}` };
}

const planKeyOf = (dir: string) => `${dir}/plan.json`;
const stateKeyOf = (dir: string, i: number) => `${dir}/batches/${i}.json`;

/** The same session options for every step: the function's role enters every account through the read role. */
const sessionOptions = (ctx: FunctionContext) => ({
  endpointUrl: ctx.s.endpointUrl,
  concurrency: ctx.s.concurrency,
  retryDelayScale: ctx.s.retryDelayScale,
  assumeReadRoleEverywhere: true,
  startingCredentialsName: LAMBDA_ROLE,
});

export async function runPlanStep(
  event: unknown,
  env: LambdaEnv = process.env as LambdaEnv,
  now?: Date,
): Promise<PlanOutput> {
  const input = parseInput("plan", planInput, event);
  const ctx = functionContext(env);
  try {
    requireBucket(ctx);
    const manifest = parseAuditManifest(await loadManifest(ctx.ssm, ctx.s.parameter));
    const id = input.runId ?? randomUUID();
    const { bucket, dir } = runDir(ctx, manifest.stack, id);
    const session = await openSession(manifest, sessionOptions(ctx));
    let plan: RunPlan;
    try {
      plan = await planRun(
        manifest,
        { runId: id, startedAt: new Date(), now, batchSize: ctx.s.batchSize },
        session.runtime,
      );
    } finally {
      session.close();
    }
    const planKey = planKeyOf(dir);
    await putJson(ctx.s3, bucket, planKey, plan);
    return { runId: id, planKey, batches: plan.batches };
  } finally {
    ctx.close();
  }
}

export async function runCollectStep(
  event: unknown,
  env: LambdaEnv = process.env as LambdaEnv,
): Promise<CollectOutput> {
  const input = parseInput("collect", collectInput, event);
  const ctx = functionContext(env);
  try {
    const { plan, bucket, dir } = await readPlan(ctx, input.runId, input.planKey);
    checkBatchOfPlan(plan, input.batch);
    const session = await openSession(plan.manifest, sessionOptions(ctx));
    let state: BatchState;
    try {
      state = await collectBatch(plan, input.batch, session.runtime);
    } finally {
      session.close();
    }
    const stateKey = stateKeyOf(dir, input.batch.index);
    await putJson(ctx.s3, bucket, stateKey, state);
    return { index: input.batch.index, stateKey };
  } finally {
    ctx.close();
  }
}

export async function runEvaluateStep(
  event: unknown,
  env: LambdaEnv = process.env as LambdaEnv,
): Promise<LambdaResult> {
  const input = parseInput("evaluate", evaluateInput, event);
  const ctx = functionContext(env);
  try {
    const { plan, bucket, dir } = await readPlan(ctx, input.runId, input.planKey);
    // The Map's results only say why a batch failed; which batches exist, and their states, come from the plan and the bucket.
    const reported = new Map(input.batches.map((b) => [b.index, "error" in b ? b.error : undefined]));
    const source = async (b: PlanBatch): Promise<BatchOutcome> => {
      const key = stateKeyOf(dir, b.index);
      const where = `s3://${bucket}/${key}`;
      const text = await getText(ctx.s3, bucket, key);
      if (text === undefined) return { failure: { where, error: reported.get(b.index) } };
      try {
        return { state: JSON.parse(text) as BatchState };
      } catch (err) {
        return { failure: { where, error: { Error: "BatchStateUnreadable", Cause: (err as Error).message } } };
      }
    };
    const result = await evaluateRun(plan, source);
    return await publishResult(ctx, plan.manifest, result);
  } finally {
    ctx.close();
  }
}

/** plan.json of the run: the key must be the run's own, and the plan must name the run. */
async function readPlan(
  ctx: FunctionContext,
  id: string,
  planKey: string,
): Promise<{ plan: RunPlan; bucket: string; dir: string }> {
  const suffix = `/runs/${id}/plan.json`;
  const stack =
    planKey.startsWith(`${ctx.s.prefix}/`) && planKey.endsWith(suffix)
      ? planKey.slice(ctx.s.prefix.length + 1, -suffix.length)
      : "";
  if (!stack || stack.includes("/"))
    throw new AuditConfigError(
      `planKey ${planKey}: not the plan of run ${id}; expected ${ctx.s.prefix}/<stack>${suffix}`,
    );
  const { bucket, dir } = runDir(ctx, stack, id);
  const where = `s3://${bucket}/${planKey}`;
  const text = await getText(ctx.s3, bucket, planKey);
  if (text === undefined) throw new AuditConfigError(`${where}: no such object (the plan step writes it first)`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new AuditConfigError(`${where}: not JSON (${(err as Error).message})`);
  }
  const plan = checkPlan(value, where);
  if (plan.runId !== id || plan.manifest.stack !== stack)
    throw new AuditConfigError(
      `${where}: names run ${plan.runId} of stack ${plan.manifest.stack}, not run ${id} of ${stack}`,
    );
  return { plan, bucket, dir };
}

async function putJson(s3: S3Client, bucket: string, key: string, value: unknown): Promise<void> {
  await s3.send(
    new PutObjectCommand({ Bucket: bucket, Key: key, Body: JSON.stringify(value), ContentType: "application/json" }),
  );
}

/** The object's text; undefined when there is none (NoSuchKey). Any other failure throws: Step Functions retries the step. */
async function getText(s3: S3Client, bucket: string, key: string): Promise<string | undefined> {
  try {
    const r = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return (await r.Body?.transformToString("utf8")) ?? "";
  } catch (err) {
    if ((err as Error).name === "NoSuchKey") return undefined;
    throw err;
  }
}

/** Lambda entry points: `index.plan`, `index.collect`, `index.evaluate`. */
export const plan = async (event: unknown): Promise<PlanOutput> => runPlanStep(event);
export const collect = async (event: unknown): Promise<CollectOutput> => runCollectStep(event);
export const evaluate = async (event: unknown): Promise<LambdaResult> => runEvaluateStep(event);
