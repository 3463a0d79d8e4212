/**
 * The audit at organization scale, against its lower bound. Never a test: it prints figures.
 *
 *   npm run bench:audit -- --accounts N --regions R --latency-ms L --concurrency C
 *                          [--batch-size B --workers W] [--backend responder|moto]
 *
 * The organization is the sandbox's five accounts and N − 5 more members (scripts/lib/bench-backend.ts):
 * served by the loopback responder from moto's recorded answers (default), or seeded into moto. Either
 * way every call gets L ms and the rate table is enforced server-side per (account, region, API
 * family), Organizations one bucket for the organization, with the throttle each protocol models.
 *
 * As the nightly state machine does, a planner process runs the engine's planRun once (the
 * organization tree and the shared pieces; batches of B, default the agent's), W worker processes
 * run collectBatch on one batch at a time each, as the Map's Lambdas do, and one evaluator process
 * runs evaluateRun over the plan and the batch states (scripts/lib/bench-worker.ts).
 *
 * Lower bound = max(the slowest bucket's requests beyond its burst ÷ its rate,
 *                   the busiest API family's calls × L ÷ (W × C)):
 * each worker lets C calls of *each* family be in flight, so W × C of a family at most.
 * Findings lost = ERROR findings because a call stayed throttled or a task timed out.
 */
import type { ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { NOW } from "../test/agent/faults/_harness";
import { forkTs, motoBackend, nextMessage, responderBackend, type Backend } from "./lib/bench-backend";
import type { PlanBatch } from "../agent/engine";
import { BATCH_SIZE, BATCH_SIZE_RANGE, DEFAULT_BATCH_SIZE } from "../agent/limits";
import { peakRssMb, type Evaluation, type FromWorker, type ToWorker, type WorkerContext } from "./lib/bench-worker";

/** The 17 regions enabled by default in an AWS account, home region first. */
const REGIONS = [
  "us-east-1",
  "eu-west-1",
  "us-east-2",
  "us-west-1",
  "us-west-2",
  "ca-central-1",
  "eu-west-2",
  "eu-west-3",
  "eu-central-1",
  "eu-north-1",
  "ap-south-1",
  "ap-northeast-1",
  "ap-northeast-2",
  "ap-northeast-3",
  "ap-southeast-1",
  "ap-southeast-2",
  "sa-east-1",
];

const FLAGS = ["accounts", "regions", "latency-ms", "concurrency", "batch-size", "workers", "backend"];

interface Args {
  accounts: number;
  regions: number;
  latencyMs: number;
  concurrency: number;
  batchSize: number;
  workers: number;
  backend: "responder" | "moto";
}

class UsageError extends Error {}

function args(argv: string[]): Args {
  const given = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 2) {
    const flag = argv[i].replace(/^--/, "");
    if (!argv[i].startsWith("--") || !FLAGS.includes(flag))
      throw new UsageError(`${argv[i]}: unknown flag; allowed: ${FLAGS.map((f) => `--${f}`).join(", ")}`);
    if (argv[i + 1] === undefined) throw new UsageError(`--${flag} needs a value`);
    given.set(flag, argv[i + 1]);
  }
  const num = (name: string, dflt: number, min: number) => {
    const raw = given.get(name);
    const v = raw === undefined ? dflt : Number(raw);
    if (!Number.isInteger(v) || v < min) throw new UsageError(`--${name} must be a whole number ≥ ${min}, got ${raw}`);
    return v;
  };
  const accounts = num("accounts", 100, 5);
  const backend = given.get("backend") ?? "responder";
  if (backend !== "responder" && backend !== "moto")
    throw new UsageError(`--backend must be responder or moto, got ${backend}`);
  const o: Args = {
    accounts,
    regions: num("regions", 4, 1),
    latencyMs: num("latency-ms", 50, 0),
    concurrency: num("concurrency", 8, 1),
    batchSize: num("batch-size", DEFAULT_BATCH_SIZE, BATCH_SIZE.min),
    workers: num("workers", 1, 1),
    backend,
  };
  if (o.batchSize > BATCH_SIZE.max)
    throw new UsageError(`--batch-size must be ${BATCH_SIZE_RANGE} (the agent's range), got ${o.batchSize}`);
  if (o.regions > REGIONS.length) throw new UsageError(`--regions must be 1..${REGIONS.length}, got ${o.regions}`);
  return o;
}

interface BatchFigure {
  index: number;
  accounts: number;
  seconds: number;
  cpuSeconds: number;
  bytes: number;
  endRssMb: number;
}

/** W workers, each taking the next batch of the plan when it is done with one, as the Map's MaxConcurrency allows. */
async function runBatches(
  children: ChildProcess[],
  planFile: string,
  batches: PlanBatch[],
): Promise<{ states: [number, string][]; figures: BatchFigure[]; workerRssMb: number[] }> {
  const queue = [...batches];
  const states: [number, string][] = [];
  const figures: BatchFigure[] = [];
  const workerRssMb: number[] = [];
  const worker = async (child: ChildProcess): Promise<void> => {
    let rss = 0;
    for (let next = queue.shift(); next; next = queue.shift()) {
      const m = await ask(child, { type: "batch", planFile, batch: next }, "batch-done");
      states.push([m.index, m.file]);
      figures.push({
        index: m.index,
        accounts: next.accounts.length,
        seconds: m.seconds,
        cpuSeconds: m.cpuSeconds,
        bytes: m.bytes,
        endRssMb: m.endRssMb,
      });
      rss = Math.max(rss, m.peakRssMb);
    }
    child.send({ type: "exit" });
    workerRssMb.push(rss);
  };
  await Promise.all(children.map(worker));
  return { states, figures, workerRssMb };
}

/** Sends one step to a worker and waits for its answer; a worker's failure ends the benchmark. */
async function ask<T extends FromWorker["type"]>(
  child: ChildProcess,
  m: ToWorker,
  type: T,
): Promise<Extract<FromWorker, { type: T }>> {
  const answer = nextMessage<FromWorker>(child, (a) => a.type === type || a.type === "failed");
  child.send(m);
  const a = await answer;
  if (a.type === "failed") throw new Error(`worker ${child.pid}, ${m.type}: ${a.error}`);
  return a as Extract<FromWorker, { type: T }>;
}

function report(o: Args, backend: Backend, stats: Awaited<ReturnType<Backend["stats"]>>, run: RunFigures): void {
  const line = (k: string, v: string) => console.log(`${k.padEnd(24)} ${v}`);
  const e: Evaluation = run.evaluation;
  const busiest = Object.entries(stats.byFamily).sort((a, b) => b[1] - a[1])[0] ?? ["none", 0];
  const inFlight = o.workers * o.concurrency;
  const latencyBound = (busiest[1] * o.latencyMs) / 1000 / inFlight;
  const bound = Math.max(stats.slowest.seconds, latencyBound);
  const slowestBatch = run.figures.reduce((a, b) => (b.seconds > a.seconds ? b : a));
  line("backend", `${o.backend} (organization ready in ${backend.seedSeconds.toFixed(1)} s)`);
  line(
    "command",
    `--accounts ${o.accounts} --regions ${o.regions} --latency-ms ${o.latencyMs} --concurrency ${o.concurrency} --batch-size ${o.batchSize} --workers ${o.workers} --backend ${o.backend}`,
  );
  line("organization", `${e.accountsAudited} of ${o.accounts} accounts audited × ${o.regions} regions`);
  line(
    "batches",
    `${run.figures.length} of ≤ ${o.batchSize} accounts, ${o.workers} workers × ${o.concurrency} per family`,
  );
  line(
    "wall time",
    `${run.wall.toFixed(1)} s (plan ${run.planSeconds.toFixed(1)} s, collect ${run.collect.toFixed(1)} s, evaluate ${run.evaluateSeconds.toFixed(1)} s)`,
  );
  line("calls made", `${stats.calls} (${stats.requests} requests with retries)`);
  line("throttles received", String(stats.throttles));
  line(
    "slowest bucket",
    `${stats.slowest.key}: ${stats.slowest.calls} admitted (+${stats.slowest.refused} throttled) → ${stats.slowest.seconds.toFixed(1)} s`,
  );
  line(
    "busiest family",
    `${busiest[0]}: ${busiest[1]} requests × ${o.latencyMs} ms ÷ ${inFlight} = ${latencyBound.toFixed(1)} s`,
  );
  line("peak calls in flight", String(stats.peakInFlight));
  line("lower bound", `${bound.toFixed(1)} s`);
  line("efficiency", (bound / run.wall).toFixed(2));
  line("peak RSS per worker", `${Math.max(...run.workerRssMb)} MB (max of ${run.workerRssMb.join(", ")})`);
  line("RSS at a batch's end", `${Math.max(...run.figures.map((f) => f.endRssMb))} MB at most`);
  line("peak RSS planner", `${run.plannerRssMb} MB (plan.json ${(run.planBytes / 2 ** 20).toFixed(1)} MiB)`);
  line(
    "peak RSS evaluator",
    `${run.evaluatorRssMb} MB (largest batch state ${(Math.max(...run.figures.map((f) => f.bytes)) / 2 ** 20).toFixed(1)} MiB)`,
  );
  line(
    "peak RSS backend",
    stats.peakRssMb ? `${stats.peakRssMb} MB (responder process)` : `in this process: ${peakRssMb()} MB`,
  );
  line(
    "slowest batch",
    `#${slowestBatch.index}: ${slowestBatch.accounts} accounts in ${slowestBatch.seconds.toFixed(1)} s (worker CPU ${slowestBatch.cpuSeconds.toFixed(1)} s)`,
  );
  line(
    "findings",
    `${e.findings} (${Object.entries(e.byStatus)
      .map(([s, n]) => `${s} ${n}`)
      .join(", ")}), exit code ${e.exitCode}`,
  );
  line("findings lost", String(e.lost));
  for (const x of e.lostExamples) line("  lost", x);
  if (e.accountsAudited !== o.accounts) line("SCOPE", `audited ${e.accountsAudited} of ${o.accounts} accounts`);
  for (const i of e.incomplete) line("INCOMPLETE", i);
  if (stats.unrecorded > 0) {
    line("UNRECORDED", `${stats.unrecorded} requests had no recorded answer: these figures are void`);
    for (const x of stats.unrecordedExamples) line("  unrecorded", x.split("\n")[0]);
  }
}

interface RunFigures {
  wall: number;
  planSeconds: number;
  planBytes: number;
  collect: number;
  evaluateSeconds: number;
  figures: BatchFigure[];
  workerRssMb: number[];
  plannerRssMb: number;
  evaluatorRssMb: number;
  evaluation: Evaluation;
}

async function main(): Promise<void> {
  const o = args(process.argv.slice(2));
  const tmp = mkdtempSync(join(tmpdir(), "orgwarden-bench-"));
  const options = { accounts: o.accounts, regions: REGIONS.slice(0, o.regions), latencyMs: o.latencyMs, now: NOW, tmp };
  const backend = o.backend === "moto" ? await motoBackend(options) : await responderBackend(options);
  try {
    const ctx: WorkerContext = {
      endpoint: backend.endpoint,
      manifest: backend.sandbox.manifest,
      credentials: { ...backend.sandbox.credentials },
      now: NOW.toISOString(),
      concurrency: o.concurrency,
      batchSize: o.batchSize,
      outDir: tmp,
    };
    const ctxFile = join(tmp, "context.json");
    writeFileSync(ctxFile, JSON.stringify(ctx));
    // Started before the clock, as warm Lambdas: a process start is no part of the audit's work.
    const started = async () => {
      const child = forkTs(join(__dirname, "lib", "bench-worker.ts"), ["--bench-worker", ctxFile]);
      await nextMessage<FromWorker>(child, (m) => m.type === "ready");
      return child;
    };
    const workerCount = Math.min(o.workers, Math.ceil(backend.accounts.length / o.batchSize));
    const [planner, evaluator, ...workers] = await Promise.all(Array.from({ length: 2 + workerCount }, started));
    const start = performance.now();
    const planned = await ask(planner, { type: "plan", runId: randomUUID() }, "planned");
    planner.send({ type: "exit" });
    const { states, figures, workerRssMb } = await runBatches(workers, planned.file, planned.batches);
    const collect = (performance.now() - start) / 1000 - planned.seconds;
    const evaluated = await ask(evaluator, { type: "evaluate", planFile: planned.file, states }, "evaluated");
    evaluator.send({ type: "exit" });
    const wall = (performance.now() - start) / 1000;
    const stats = await backend.stats();
    report(o, backend, stats, {
      wall,
      planSeconds: planned.seconds,
      planBytes: planned.bytes,
      collect,
      evaluateSeconds: evaluated.seconds,
      figures,
      workerRssMb,
      plannerRssMb: planned.peakRssMb,
      evaluatorRssMb: evaluated.peakRssMb,
      evaluation: evaluated.evaluation,
    });
  } finally {
    await backend.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof UsageError ? e.message : e);
  process.exit(e instanceof UsageError ? 2 : 1);
});
