/**
 * The benchmark's workers, each a child process as each Step Functions Map item is a Lambda of its
 * own: `collect` workers audit one batch of accounts at a time, the `evaluate` process reads every
 * batch's state and gives the run's findings. The two functions below are the whole per-batch and
 * per-run work; everything else here is plumbing.
 *
 *   auditBatch(ctx, accounts)  — today runAuditDetailed() narrowed to the batch (it walks the
 *                                organization, reads the shared pieces and evaluates, per batch);
 *                                to become the engine's collectBatch().
 *   evaluateBatches(files)     — today the union of the batches' findings (a finding id names check,
 *                                account, region and resource, so the shared pieces every batch judged
 *                                are one finding); to become the engine's evaluateRun().
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { AuditResult, Finding } from "../../agent/finding";
import type { AuditManifest } from "../../baseline";
import { runAuditDetailed } from "../../agent/run-audit";

export interface WorkerContext {
  endpoint: string;
  manifest: AuditManifest;
  credentials: { accessKeyId: string; secretAccessKey: string };
  now: string;
  concurrency: number;
  outDir: string;
}

export async function auditBatch(ctx: WorkerContext, accounts: string[]): Promise<AuditResult> {
  const { result } = await runAuditDetailed({
    manifest: ctx.manifest,
    endpointUrl: ctx.endpoint,
    credentials: { ...ctx.credentials },
    now: new Date(ctx.now),
    concurrency: ctx.concurrency,
    accounts,
  });
  return result;
}

export interface Evaluation {
  findings: number;
  /** ERROR because a call stayed throttled or a task timed out: a fault-free run judges them PASS or FAIL. */
  lost: number;
  lostExamples: string[];
  /** Findings with one id to which two batches gave different statuses (must be 0). */
  conflicts: number;
  /**
   * Same id and status, different message: today the shared findings (SCPs, trail, archive) of a batch
   * that does not hold the management account carry runAuditDetailed's "outside --accounts" note.
   */
  reworded: number;
  conflictExamples: string[];
  accountsAudited: number;
  incomplete: string[];
  byStatus: Record<string, number>;
  exitCode: number;
}

export function evaluateBatches(files: string[]): Evaluation {
  const byId = new Map<string, Finding>();
  const accounts = new Set<string>();
  const incomplete = new Set<string>();
  let conflicts = 0;
  let reworded = 0;
  const conflictExamples: string[] = [];
  let exitCode = 0;
  for (const file of files) {
    const r = JSON.parse(readFileSync(file, "utf8")) as AuditResult;
    for (const a of r.scope.accounts) accounts.add(a);
    for (const i of r.incomplete) incomplete.add(i);
    exitCode = Math.max(exitCode, r.exitCode);
    for (const f of r.findings) {
      const seen = byId.get(f.id);
      if (seen && seen.status === f.status && seen.message !== f.message) reworded++;
      if (seen && seen.status !== f.status) {
        conflicts++;
        if (conflictExamples.length < 5)
          conflictExamples.push(`${f.id}: ${seen.status} "${seen.message}" / ${f.status} "${f.message}"`);
      }
      byId.set(f.id, f);
    }
  }
  const all = [...byId.values()];
  const lost = all.filter(
    (f) => f.status === "ERROR" && (f.error?.kind === "throttled" || f.error?.kind === "timeout"),
  );
  const byStatus: Record<string, number> = {};
  for (const f of all) byStatus[f.status] = (byStatus[f.status] ?? 0) + 1;
  return {
    findings: all.length,
    lost: lost.length,
    lostExamples: lost.slice(0, 5).map((f) => `${f.checkId} ${f.account}/${f.region}: ${f.message}`),
    conflicts,
    reworded,
    conflictExamples,
    accountsAudited: accounts.size,
    incomplete: [...incomplete],
    byStatus,
    exitCode,
  };
}

/** Peak resident set of this process so far, MB. */
export const peakRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

export type ToWorker =
  { type: "batch"; index: number; accounts: string[] } | { type: "evaluate"; files: string[] } | { type: "exit" };
export type FromWorker =
  | { type: "ready" }
  | {
      type: "batch-done";
      index: number;
      file: string;
      seconds: number;
      /** CPU seconds of the worker process over the batch (user + system). */
      cpuSeconds: number;
      findings: number;
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
  if (m.type === "evaluate") {
    const evaluation = evaluateBatches(m.files);
    return send({ type: "evaluated", evaluation, seconds: (performance.now() - start) / 1000, peakRssMb: peakRssMb() });
  }
  const cpu = process.cpuUsage();
  const result = await auditBatch(ctx, m.accounts);
  const used = process.cpuUsage(cpu);
  const file = join(ctx.outDir, `batch-${m.index}.json`);
  writeFileSync(file, JSON.stringify(result));
  send({
    type: "batch-done",
    index: m.index,
    file,
    seconds: (performance.now() - start) / 1000,
    cpuSeconds: (used.user + used.system) / 1e6,
    findings: result.findings.length,
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
