/**
 * Step 3, evaluate: every check over the plan and its batches, into the AuditResult the reports
 * render. The checks that read only shared pieces run once on the plan; the per-account checks
 * (PER_BATCH_CHECKS) run batch by batch, each on the plan's shared pieces plus that one batch's
 * state. What is held at once is the plan, one batch state and the findings so far.
 *
 * A batch with no usable state is never a gap: it is evaluated as a state in which every piece of
 * its accounts failed with the batch's error, so each per-account check reports ERROR for each of
 * its accounts and regions, and the run is incomplete (exit 3).
 */
import { CHECKS, evaluateAll, PER_BATCH_CHECKS } from "../checks/registry";
import { explainOutOfScope } from "../checks/scope";
import { unreadableRegionDetection } from "../collectors/detection";
import { memberRolesFailed } from "../collectors/iam-roles";
import { prepareReport } from "../report/prepare";
import { coverageOf } from "../coverage";
import { exitCodeFor, type AuditResult, type Finding } from "../finding";
import { integrityWindow } from "../integrity/collect";
import { failed, type CollectError, type ObservedState } from "../model";
import type { BatchFailure, BatchSource, BatchState, PlanBatch, RunPlan } from "./types";

export interface EvaluateOptions {
  /** The run's end, for the result; default the time evaluation ends. */
  finishedAt?: Date;
}

export async function evaluateRun(plan: RunPlan, source: BatchSource, o: EvaluateOptions = {}): Promise<AuditResult> {
  const m = plan.manifest;
  const now = new Date(plan.now);
  const byCheck = new Map<string, Finding[]>(CHECKS.map((c) => [c.metadata.id, []]));
  const onShared = CHECKS.filter((c) => !PER_BATCH_CHECKS.has(c.metadata.id));
  const perBatch = CHECKS.filter((c) => PER_BATCH_CHECKS.has(c.metadata.id));
  const sharedView = viewOf(plan, emptyState(plan, plan.shared.accounts));
  for (const check of onShared) byCheck.get(check.metadata.id)!.push(...evaluateAll(sharedView, m, now, [check]));

  const failedBatches: string[] = [];
  // A plan with no account in scope still runs the per-account checks once, so each says it judged nothing.
  const batches: (PlanBatch | undefined)[] = plan.batches.length > 0 ? plan.batches : [undefined];
  for (const batch of batches) {
    let state = batch ? undefined : emptyState(plan, []);
    if (batch) {
      const outcome = await source(batch);
      const failure = "state" in outcome ? mismatch(plan, batch, outcome.state) : outcome.failure;
      if (failure) failedBatches.push(failedLine(batch, failure));
      state = failure ? failedBatchState(plan, batch, failure) : (outcome as { state: BatchState }).state;
    }
    const view = viewOf(plan, state!);
    for (const check of perBatch) {
      const kept = byCheck.get(check.metadata.id)!;
      // An organization-wide finding of a per-account check (the account list unreadable, no log auditor role) comes from every batch alike: kept once.
      const earlier = new Set(kept.map((f) => f.id));
      kept.push(...evaluateAll(view, m, now, [check]).filter((f) => !earlier.has(f.id)));
    }
  }

  const findings = explainOutOfScope(
    CHECKS.flatMap((c) => byCheck.get(c.metadata.id)!),
    plan.requestedAccounts,
  );
  const coverage = coverageOf(plan.shared.organization, m, plan.shared.accounts);
  const incomplete = [...coverage.incomplete, ...failedBatches];
  const org = plan.shared.organization.organizationId;
  // Account names and roles, remediation commands filled with the real names, their intended documents.
  return prepareReport(
    {
      reportSchemaVersion: 1,
      runId: plan.runId,
      stack: m.stack,
      organizationId: org.ok ? org.value : m.organization.id,
      securityAccountId: m.organization.securityAccountId,
      homeRegion: m.regions.home,
      now: plan.now,
      startedAt: plan.startedAt,
      finishedAt: (o.finishedAt ?? new Date()).toISOString(),
      scope: {
        accounts: plan.shared.accounts,
        regions: plan.regions,
        organizationAccounts: coverage.organizationAccounts,
      },
      incomplete,
      findings,
      exitCode: exitCodeFor(findings, incomplete),
    },
    plan.shared.organization,
    m,
  );
}

/** What the checks read for one batch: the plan's shared pieces and the batch's own, its accounts as the scope. */
function viewOf(plan: RunPlan, s: BatchState): ObservedState {
  const sh = plan.shared;
  return {
    organization: sh.organization,
    cloudTrail: sh.cloudTrail,
    archive: { ...sh.archive, newestDeliveryByAccount: s.newestDeliveryByAccount },
    key: sh.key,
    ...(sh.keys ? { keys: sh.keys } : {}),
    ...(sh.roles ? { roles: sh.roles } : {}),
    logGroup: sh.logGroup,
    manifestParameter: sh.manifestParameter,
    ...(sh.flowLogBucket ? { flowLogBucket: sh.flowLogBucket } : {}),
    ...(sh.configAggregator ? { configAggregator: sh.configAggregator } : {}),
    ...(sh.athenaCatalog ? { athenaCatalog: sh.athenaCatalog } : {}),
    ...(sh.athenaWorkgroup ? { athenaWorkgroup: sh.athenaWorkgroup } : {}),
    ...(sh.logBuckets ? { logBuckets: sh.logBuckets } : {}),
    ...(sh.detectionPipeline ? { detectionPipeline: sh.detectionPipeline } : {}),
    ...(sh.memberBaseline ? { memberBaseline: sh.memberBaseline } : {}),
    ...(sh.dnsQueryLogs ? { dnsQueryLogs: sh.dnsQueryLogs } : {}),
    ...(sh.guardDutyOrganization ? { guardDutyOrganization: sh.guardDutyOrganization } : {}),
    ...(sh.auditAgent ? { auditAgent: sh.auditAgent } : {}),
    ...(sh.inspectorOrganization ? { inspectorOrganization: sh.inspectorOrganization } : {}),
    ...(sh.securityHub ? { securityHub: sh.securityHub } : {}),
    cis: sh.cis,
    detection: s.detection,
    unreachableAccounts: { ...sh.unreachableAccounts, ...s.unreachableAccounts },
    scope: { accounts: s.accounts, regions: plan.regions },
    ...(s.integrity ? { integrity: s.integrity } : {}),
    ...(s.memberRoles ? { memberRoles: s.memberRoles } : {}),
  };
}

function emptyState(plan: RunPlan, accounts: string[]): BatchState {
  return {
    stateVersion: 1,
    runId: plan.runId,
    planId: plan.planId,
    index: -1,
    accounts,
    detection: [],
    newestDeliveryByAccount: {},
    unreachableAccounts: {},
  };
}

/** The whole observed state of an in-process run (for debugging and the tests): the plan's pieces and every batch's. */
export function mergeObserved(plan: RunPlan, states: BatchState[]): ObservedState {
  const all = viewOf(plan, emptyState(plan, plan.shared.accounts));
  for (const s of states) {
    all.detection.push(...s.detection);
    Object.assign(all.archive.newestDeliveryByAccount, s.newestDeliveryByAccount);
    Object.assign(all.unreachableAccounts, s.unreachableAccounts);
    if (s.memberRoles) all.memberRoles = [...(all.memberRoles ?? []), ...s.memberRoles];
    if (s.integrity)
      all.integrity = all.integrity
        ? { ...all.integrity, scopes: [...all.integrity.scopes, ...s.integrity.scopes] }
        : { ...s.integrity, scopes: [...s.integrity.scopes] };
  }
  return all;
}

/** A state read back must be the one this batch of this run wrote; anything else is a failed batch. */
function mismatch(plan: RunPlan, batch: PlanBatch, s: BatchState): BatchFailure | undefined {
  const same =
    s.stateVersion === 1 &&
    s.runId === plan.runId &&
    s.planId === plan.planId &&
    s.index === batch.index &&
    Array.isArray(s.accounts) &&
    s.accounts.join(",") === batch.accounts.join(",");
  if (same) return undefined;
  return {
    where: `the state of batch ${batch.index}`,
    error: {
      Error: "BatchStateMismatch",
      Cause: `the state object names run ${String(s.runId)}, plan ${String(s.planId)}, batch ${String(s.index)} (version ${String(s.stateVersion)}), not run ${plan.runId}, plan ${plan.planId}, batch ${batch.index} with accounts ${batch.accounts.join(", ")}`,
    },
  };
}

/** The Map's Cause of a Lambda error is its JSON error object: its type and message are what a reader needs. */
export function causeText(cause: string | undefined): string | undefined {
  if (!cause) return undefined;
  try {
    const c = JSON.parse(cause) as { errorType?: unknown; errorMessage?: unknown };
    if (typeof c.errorMessage === "string")
      return typeof c.errorType === "string" ? `${c.errorType}: ${c.errorMessage}` : c.errorMessage;
  } catch {
    // Not JSON: a Step Functions cause is free text, shown as given.
  }
  return cause.length > 1000 ? `${cause.slice(0, 1000)}…` : cause;
}

function failureText(batch: PlanBatch, f: BatchFailure): string {
  const cause = causeText(f.error?.Cause);
  const reported = f.error
    ? `; Step Functions reported ${f.error.Error}${cause ? `: ${cause}` : ""}`
    : "; the Map reported no error for it";
  return `batch ${batch.index} (accounts ${batch.accounts.join(", ")}) left no usable state at ${f.where}${reported}`;
}

function failedLine(batch: PlanBatch, f: BatchFailure): string {
  const n = batch.accounts.length;
  return `${failureText(batch, f)}: its ${n} account${n === 1 ? " is" : "s are"} ERROR in every per-account check`;
}

/** The state of a batch that has none: every piece of each account and region failed with the batch's error. */
export function failedBatchState(plan: RunPlan, batch: PlanBatch, f: BatchFailure): BatchState {
  const base: Omit<CollectError, "account" | "region"> = {
    name: f.error?.Error ?? "BatchStateMissing",
    message: failureText(batch, f),
    kind: f.error?.Error === "States.Timeout" ? "timeout" : "other",
    operation: `collect batch ${batch.index}`,
    service: "lambda",
  };
  const m = plan.manifest;
  const error = (account: string, region: string): CollectError => ({ ...base, account, region });
  const roleArn = m.audit.logAuditorRoleArn;
  const window = integrityWindow(m, new Date(plan.now));
  return {
    stateVersion: 1,
    runId: plan.runId,
    planId: plan.planId,
    index: batch.index,
    accounts: batch.accounts,
    detection: batch.accounts.flatMap((a) => plan.regions.map((r) => unreadableRegionDetection(a, r, error(a, r)))),
    newestDeliveryByAccount: Object.fromEntries(
      batch.accounts.map((a) => [
        a,
        Object.fromEntries(plan.regions.map((r) => [r, failed<string | undefined>(error(a, r))])),
      ]),
    ),
    unreachableAccounts: {},
    ...memberRolesFailed(m, batch.accounts, (a) => error(a, "global")),
    ...(roleArn
      ? {
          integrity: {
            window: { from: window.from.toISOString(), to: window.to.toISOString() },
            roleArn,
            scopes: batch.accounts.flatMap((account) =>
              plan.regions.map((region) => ({ account, region, result: failed(error(account, region)) })),
            ),
          },
        }
      : {}),
  };
}
