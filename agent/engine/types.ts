/**
 * The shapes the three steps hand each other: the plan (written once, read by every batch and by
 * the evaluator) and one batch's state. Both are plain JSON (times as ISO-8601 strings, no Date,
 * Map or class instance), because the nightly run keeps them as S3 objects between Lambdas.
 */
import type { AuditManifest } from "../../baseline";
import type { SharedCollection } from "../collectors";
import type { ObservedIntegrity } from "../integrity/observed";
import type { Collected, CollectError, ObservedRegionDetection, ObservedRole } from "../model";

/** One Distributed Map item: a batch's index and its accounts (every governed region of each). */
export interface PlanBatch {
  index: number;
  accounts: string[];
}

export interface RunPlan {
  /** Version of this shape; a step refuses a plan of another version. */
  planVersion: 1;
  runId: string;
  /**
   * A fresh UUID per plan written, which every batch state repeats: a state left under the same run
   * id by an earlier plan (a re-run with an explicit runId) is never read as this plan's.
   */
  planId: string;
  /** The manifest the whole run judges against, as parsed: the batches and the evaluator never read another one. */
  manifest: AuditManifest;
  /** ISO-8601: when the plan started, and the clock the freshness checks use (--now, or the plan's start). */
  startedAt: string;
  now: string;
  regions: string[];
  /** --accounts, when the run was narrowed to them. */
  requestedAccounts?: string[];
  /** What is not per account, collected once; `shared.accounts` is every account the batches cover, in batch order. */
  shared: SharedCollection;
  batches: PlanBatch[];
}

/** What one batch observed of its accounts, every region of the plan. */
export interface BatchState {
  stateVersion: 1;
  runId: string;
  /** The planId of the plan the batch was collected for. */
  planId: string;
  index: number;
  accounts: string[];
  detection: ObservedRegionDetection[];
  /** The newest CloudTrail object in the archive, per account of the batch and governed region. */
  newestDeliveryByAccount: Record<string, Record<string, Collected<string | undefined>>>;
  /** The batch's digest chains; absent when the manifest names no log auditor role. */
  integrity?: ObservedIntegrity;
  /** The read role and the forwarder role of the batch's accounts; absent when the manifest has no `roles.perAccount`. */
  memberRoles?: ObservedRole[];
  /** Accounts of the batch whose read role could not be assumed. */
  unreachableAccounts: Record<string, CollectError>;
}

/** Why a batch has no state: the Step Functions error of its Map item, when the Map reported one. */
export interface BatchFailure {
  /** Where its state should have been (e.g. an S3 URI), for the message. */
  where: string;
  /** The Map item's Catch output (`{ Error, Cause }`), or the reason the state object could not be used. */
  error?: { Error: string; Cause?: string };
}

/** What the evaluator gets for each batch of the plan: its state, or why there is none. */
export type BatchOutcome = { state: BatchState } | { failure: BatchFailure };

/** Reads one batch's outcome; the evaluator asks for each batch of the plan in turn and keeps only one state at a time. */
export type BatchSource = (batch: PlanBatch) => Promise<BatchOutcome>;
