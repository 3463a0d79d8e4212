/**
 * Step 1, plan: read what the organization shares (its tree and account list, SCPs, trail, log
 * group, archive bucket, key) once, fix the run's scope and clock, and cut the accounts in scope
 * into batches. The plan is what every batch and the evaluator work from.
 */
import { randomUUID } from "node:crypto";
import type { AuditManifest } from "../../baseline";
import { collectShared, type CollectRuntime } from "../collectors";
import { BATCH_SIZE, BATCH_SIZE_RANGE } from "../limits";
import { AuditConfigError } from "../options";
import { plainJson } from "./plain-json";
import type { PlanBatch, RunPlan } from "./types";

export interface PlanOptions {
  runId: string;
  startedAt: Date;
  /** The freshness clock; default startedAt. */
  now?: Date;
  regions?: string[];
  accounts?: string[];
  /** Accounts per batch; default every account in one batch. */
  batchSize?: number;
}

export async function planRun(manifest: AuditManifest, o: PlanOptions, rt: CollectRuntime): Promise<RunPlan> {
  const regions = scopeRegions(manifest, o.regions);
  const b = o.batchSize;
  if (b !== undefined && !(Number.isInteger(b) && b >= BATCH_SIZE.min && b <= BATCH_SIZE.max))
    throw new AuditConfigError(`batchSize must be ${BATCH_SIZE_RANGE}, got ${JSON.stringify(b)}`);
  // No size given: every account in one batch, the in-process run as it always was.
  const batchSize = b ?? Number.MAX_SAFE_INTEGER;
  const now = o.now ?? o.startedAt;
  const shared = await collectShared(rt, manifest, o.accounts, now, regions);
  return plainJson<RunPlan>({
    planVersion: 1,
    runId: o.runId,
    planId: randomUUID(),
    manifest,
    startedAt: o.startedAt.toISOString(),
    now: now.toISOString(),
    regions,
    ...(o.accounts ? { requestedAccounts: o.accounts } : {}),
    shared,
    batches: batchesOf(shared.accounts, batchSize),
  });
}

/** Consecutive slices of the accounts, in their order (sorted by id when the organization listed them). */
export function batchesOf(accounts: string[], size: number): PlanBatch[] {
  const out: PlanBatch[] = [];
  for (let i = 0; i < accounts.length; i += size)
    out.push({ index: out.length, accounts: accounts.slice(i, i + size) });
  return out;
}

/** --regions must stay inside the governed regions: auditing a region the manifest does not govern would judge it against nothing. */
export function scopeRegions(m: AuditManifest, requested: string[] | undefined): string[] {
  if (!requested) return m.regions.governed;
  const outside = requested.filter((r) => !m.regions.governed.includes(r));
  if (outside.length > 0) {
    throw new AuditConfigError(
      `--regions ${outside.join(",")}: not governed by the manifest; allowed: ${m.regions.governed.join(", ")}`,
    );
  }
  return [...new Set(requested)];
}
