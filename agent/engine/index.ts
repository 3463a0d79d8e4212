/** The audit as three steps: plan → collect (per batch) → evaluate. The CLI runs them in-process; the nightly run in Step Functions. */
export { batchesOf, planRun, scopeRegions, type PlanOptions } from "./plan";
export { checkBatchOfPlan, checkPlan, collectBatch } from "./collect";
export { causeText, evaluateRun, failedBatchState, mergeObserved, type EvaluateOptions } from "./evaluate";
export { plainJson } from "./plain-json";
export { openSession, type Session, type SessionOptions } from "./session";
export type { BatchFailure, BatchOutcome, BatchSource, BatchState, PlanBatch, RunPlan } from "./types";
