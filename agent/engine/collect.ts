/** Step 2, collect: one batch of the plan, every region of the plan for each of its accounts. */
import { parseAuditManifest } from "../../baseline";
import { collectAccounts, type CollectRuntime } from "../collectors";
import { AuditConfigError } from "../options";
import { plainJson } from "./plain-json";
import type { BatchState, PlanBatch, RunPlan } from "./types";

export async function collectBatch(plan: RunPlan, batch: PlanBatch, rt: CollectRuntime): Promise<BatchState> {
  checkBatchOfPlan(plan, batch);
  const status = plan.shared.cloudTrail.status;
  const observed = await collectAccounts(rt, {
    manifest: plan.manifest,
    now: new Date(plan.now),
    accounts: batch.accounts,
    regions: plan.regions,
    latestDigestDeliveryTime: status.ok ? status.value?.latestDigestDeliveryTime : undefined,
  });
  return plainJson<BatchState>({
    stateVersion: 1,
    runId: plan.runId,
    planId: plan.planId,
    index: batch.index,
    accounts: batch.accounts,
    ...observed,
  });
}

/** A batch must be one of the plan's, exactly: a worker handed another run's item must not collect for this one. */
export function checkBatchOfPlan(plan: RunPlan, batch: PlanBatch): void {
  const own = plan.batches.find((b) => b.index === batch.index);
  if (!own || own.accounts.join(",") !== batch.accounts.join(","))
    throw new AuditConfigError(
      `batch ${batch.index} (${batch.accounts.join(", ")}) is not a batch of run ${plan.runId}, which has ${plan.batches.length} batch${plan.batches.length === 1 ? "" : "es"}`,
    );
}

/** A plan as read back (plan.json): its version, and the manifest it carries, checked before any step relies on them. */
export function checkPlan(value: unknown, where: string): RunPlan {
  const p = value as Partial<RunPlan> | null;
  if (typeof p !== "object" || p === null || p.planVersion !== 1)
    throw new AuditConfigError(`${where}: not an orgwarden run plan of version 1`);
  if (
    typeof p.runId !== "string" ||
    typeof p.planId !== "string" ||
    !Array.isArray(p.batches) ||
    !Array.isArray(p.regions) ||
    !p.shared
  )
    throw new AuditConfigError(`${where}: the run plan lacks runId, planId, regions, shared or batches`);
  return { ...(p as RunPlan), manifest: parseAuditManifest(p.manifest) };
}
