/**
 * The one orchestrator behind the CLI and the Lambda handler: validate the manifest and options,
 * then run the engine's three steps in-process (plan → collect every batch → evaluate, see
 * agent/engine/) and compute the exit code. A failed read becomes an ERROR finding (exit 3); only a
 * bad manifest or option throws (the callers turn it into exit 2).
 */
import { randomUUID } from "node:crypto";
import { parseAuditManifest } from "../baseline";
import {
  collectBatch,
  evaluateRun,
  mergeObserved,
  openSession,
  planRun,
  scopeRegions,
  type BatchState,
} from "./engine";
import type { AuditResult } from "./finding";
import type { ObservedState } from "./model";
import { checkRunOptions, type AuditOptions } from "./options";

export interface AuditRun {
  result: AuditResult;
  /** The raw observation, for debugging and for the tests that look behind a finding. */
  observed: ObservedState;
}

export async function runAudit(options: AuditOptions): Promise<AuditResult> {
  return (await runAuditDetailed(options)).result;
}

/**
 * In-process, the batches run one after another on one session, and their states are kept for
 * `observed`: this path holds the whole organization, as it always did. The nightly evaluator
 * (agent/lambda-steps.ts) holds one batch at a time.
 */
export async function runAuditDetailed(options: AuditOptions): Promise<AuditRun> {
  const startedAt = new Date();
  const runId = options.runId ?? randomUUID();
  const manifest = parseAuditManifest(options.manifest);
  checkRunOptions(options);
  // Before any AWS call: a region the manifest does not govern is a usage error.
  scopeRegions(manifest, options.regions);
  const session = await openSession(manifest, options, progressOf(options.onProgress));
  try {
    const plan = await planRun(
      manifest,
      {
        runId,
        startedAt,
        now: options.now,
        regions: options.regions,
        accounts: options.accounts,
        batchSize: options.batchSize,
      },
      session.runtime,
    );
    const states: BatchState[] = [];
    for (const batch of plan.batches) states.push(await collectBatch(plan, batch, session.runtime));
    const byIndex = new Map(states.map((s) => [s.index, s]));
    const result = await evaluateRun(plan, async (b) => ({ state: byIndex.get(b.index)! }));
    return { result, observed: mergeObserved(plan, states) };
  } finally {
    session.close();
  }
}

/** The CLI's progress line counts tasks; the total grows as the plan learns the accounts. */
function progressOf(report: AuditOptions["onProgress"]) {
  if (!report) return undefined;
  let done = 0;
  let total = 0;
  return {
    add: (n: number) => {
      total += n;
    },
    done: () => report(++done, total),
  };
}
