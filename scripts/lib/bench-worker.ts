/**
 * The benchmark's workers, each a child process as each Step Functions step is a Lambda of its own:
 * the planner runs the engine's `planRun` once (the organization tree and the shared pieces), each
 * `collect` worker runs `collectBatch` on one batch of the plan at a time, and the evaluator runs
 * `evaluateRun` over the plan and every batch's state, read one at a time as the nightly evaluator
 * reads them from S3. These are the functions the Lambdas call (agent/lambda-steps.ts); what differs
 * is only where the JSON is kept (files here, S3 objects there). Everything else here is plumbing.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { AuditResult } from "../../agent/finding";
import type { AuditManifest } from "../../baseline";
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
} from "../../agent/engine";

export interface WorkerContext {
  endpoint: string;
  manifest: AuditManifest;
  credentials: { accessKeyId: string; secretAccessKey: string };
  now: string;
  concurrency: number;
  batchSize: number;
  outDir: string;
}

/** Each step opens its own session (starting identity, read roles, clients), as each Lambda invocation does. */
async function withSession<T>(
  ctx: WorkerContext,
  manifest: AuditManifest,
  f: (s: Awaited<ReturnType<typeof openSession>>) => Promise<T>,
): Promise<T> {
  const session = await openSession(manifest, {
    endpointUrl: ctx.endpoint,
    credentials: { ...ctx.credentials },
    concurrency: ctx.concurrency,
  });
  try {
    return await f(session);
  } finally {
    session.close();
  }
}

/** The plan step: written to plan.json, which every batch and the evaluator read. */
export async function planStep(ctx: WorkerContext, runId: string): Promise<{ file: string; batches: PlanBatch[] }> {
  const plan = await withSession(ctx, ctx.manifest, (s) =>
    planRun(
      ctx.manifest,
      { runId, startedAt: new Date(), now: new Date(ctx.now), batchSize: ctx.batchSize },
      s.runtime,
    ),
  );
  const file = join(ctx.outDir, "plan.json");
  writeFileSync(file, JSON.stringify(plan));
  return { file, batches: plan.batches };
}

const readPlan = (file: string): RunPlan => checkPlan(JSON.parse(readFileSync(file, "utf8")), file);

/** One Map item: the plan is read from its file, as the collect Lambda reads plan.json. */
export async function collectStep(ctx: WorkerContext, planFile: string, batch: PlanBatch): Promise<BatchState> {
  const plan = readPlan(planFile);
  checkBatchOfPlan(plan, batch);
  return withSession(ctx, plan.manifest, (s) => collectBatch(plan, batch, s.runtime));
}

/** The evaluate step: every batch of the plan, its state read from its file only when evaluateRun asks for it. */
export async function evaluateStep(planFile: string, stateFiles: Map<number, string>): Promise<AuditResult> {
  const plan = readPlan(planFile);
  const source = async (b: PlanBatch): Promise<BatchOutcome> => {
    const file = stateFiles.get(b.index);
    if (!file) return { failure: { where: `batch ${b.index}`, error: { Error: "NoState" } } };
    return { state: JSON.parse(readFileSync(file, "utf8")) as BatchState };
  };
  return evaluateRun(plan, source);
}

export interface Evaluation {
  findings: number;
  /** ERROR because a call stayed throttled or a task timed out: a fault-free run judges them PASS or FAIL. */
  lost: number;
  lostExamples: string[];
  accountsAudited: number;
  incomplete: string[];
  byStatus: Record<string, number>;
  exitCode: number;
}

export function evaluationOf(r: AuditResult): Evaluation {
  const lost = r.findings.filter(
    (f) => f.status === "ERROR" && (f.error?.kind === "throttled" || f.error?.kind === "timeout"),
  );
  const byStatus: Record<string, number> = {};
  for (const f of r.findings) byStatus[f.status] = (byStatus[f.status] ?? 0) + 1;
  return {
    findings: r.findings.length,
    lost: lost.length,
    lostExamples: lost.slice(0, 5).map((f) => `${f.checkId} ${f.account}/${f.region}: ${f.message}`),
    accountsAudited: r.scope.accounts.length,
    incomplete: r.incomplete,
    byStatus,
    exitCode: r.exitCode,
  };
}

/** Peak resident set of this process so far, MB. */
export const peakRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

export type ToWorker =
  | { type: "plan"; runId: string }
  | { type: "batch"; planFile: string; batch: PlanBatch }
  | { type: "evaluate"; planFile: string; states: [number, string][] }
  | { type: "exit" };
export type FromWorker =
  | { type: "ready" }
  | { type: "planned"; file: string; batches: PlanBatch[]; seconds: number; peakRssMb: number; bytes: number }
  | {
      type: "batch-done";
      index: number;
      file: string;
      seconds: number;
      /** CPU seconds of the worker process over the batch (user + system). */
      cpuSeconds: number;
      bytes: number;
      peakRssMb: number;
      /** Resident set when the batch was done (the peak is the process's high-water mark over all its batches). */
      endRssMb: number;
    }
  | { type: "evaluated"; evaluation: Evaluation; seconds: number; peakRssMb: number }
  | { type: "failed"; error: string };

function send(m: FromWorker): void {
  process.send!(m);
}

async function onMessage(ctx: WorkerContext, m: ToWorker): Promise<void> {
  if (m.type === "exit") return void process.disconnect();
  const start = performance.now();
  const seconds = () => (performance.now() - start) / 1000;
  if (m.type === "plan") {
    const { file, batches } = await planStep(ctx, m.runId);
    const bytes = readFileSync(file).length;
    return send({ type: "planned", file, batches, seconds: seconds(), peakRssMb: peakRssMb(), bytes });
  }
  if (m.type === "evaluate") {
    const result = await evaluateStep(m.planFile, new Map(m.states));
    return send({ type: "evaluated", evaluation: evaluationOf(result), seconds: seconds(), peakRssMb: peakRssMb() });
  }
  const cpu = process.cpuUsage();
  const state = await collectStep(ctx, m.planFile, m.batch);
  const used = process.cpuUsage(cpu);
  const file = join(ctx.outDir, `batch-${m.batch.index}.json`);
  const text = JSON.stringify(state);
  writeFileSync(file, text);
  send({
    type: "batch-done",
    index: m.batch.index,
    file,
    seconds: seconds(),
    cpuSeconds: (used.user + used.system) / 1e6,
    bytes: Buffer.byteLength(text),
    peakRssMb: peakRssMb(),
    endRssMb: Math.round(process.memoryUsage().rss / 2 ** 20),
  });
}

if (process.send && process.argv[2] === "--bench-worker") {
  const ctx = JSON.parse(readFileSync(process.argv[3], "utf8")) as WorkerContext;
  process.on("message", (m: ToWorker) => {
    onMessage(ctx, m).catch((e: unknown) => send({ type: "failed", error: e instanceof Error ? e.stack! : String(e) }));
  });
  send({ type: "ready" });
}
