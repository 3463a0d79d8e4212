/** Shared shape and helpers of every check: how a finding is built, how a failed read becomes ERROR, how ages read. */
import type { AuditManifest } from "../../baseline";
import { findingId, type CheckMetadata, type Finding, type FindingStatus, type Severity } from "../finding";
import { iamAction } from "../aws/error-kind";
import type { Collected, CollectError, ObservedState } from "../model";

export interface CheckContext {
  /** The clock freshness is measured against (--now, or the real time). */
  now: Date;
}

export interface Check {
  metadata: CheckMetadata;
  evaluate(observed: ObservedState, intended: AuditManifest, ctx: CheckContext): Finding[];
}

/** What a finding is about. */
export interface Scope {
  account: string;
  region: string;
  resourceArn: string;
  /** Set only when the check emits more than one finding for the same account, region and resource. */
  key?: string;
}

export interface Outcome {
  status: FindingStatus;
  intended: unknown;
  observed: unknown;
  message: string;
  /** Overrides the check's severity, e.g. CRITICAL for a foreign principal. */
  severity?: Severity;
}

// The one place a finding is built, so every finding carries its id.
export function finding(meta: CheckMetadata, scope: Scope, o: Outcome): Finding {
  const where = { checkId: meta.id, ...scope };
  return {
    id: findingId(where),
    ...(scope.key !== undefined ? { key: scope.key } : {}),
    checkId: meta.id,
    status: o.status,
    severity: o.severity ?? meta.severity,
    account: scope.account,
    region: scope.region,
    resourceArn: scope.resourceArn,
    intended: o.intended,
    observed: o.observed,
    message: o.message,
    remediation: meta.remediation,
  };
}

/** What an ERROR finding needs of a failed read; `service` (the IAM prefix) and the rest only sharpen the advice. */
export type ReadFailure = Pick<CollectError, "name" | "operation" | "message"> &
  Partial<Pick<CollectError, "kind" | "attempts" | "httpStatus" | "service">>;

const times = (n: number | undefined) => (n === undefined ? "" : ` after ${n} attempt${n === 1 ? "" : "s"}`);

/** Why the read failed and what to do, by kind: the advice for a denial is not the advice for throttling. */
export function failureAdvice(err: ReadFailure): string {
  const detail = `${err.name}: ${err.message}`;
  switch (err.kind) {
    case "access-denied":
      if (err.operation === "AssumeRole")
        return `the read role could not be assumed (${detail}). Allow the starting identity sts:AssumeRole on the read role, and the role's trust policy to admit it, then run the audit again`;
      return `${err.operation} was denied (${detail}). Grant the audit read role ${err.service ? iamAction(err.service, err.operation) : err.operation}, then run the audit again`;
    case "throttled":
      return `${err.operation} was throttled by AWS${times(err.attempts)} (${err.name}); ask AWS for a higher ${err.service ?? "API"} request rate (Service Quotas) or run the audit again later`;
    case "server-error":
      return `AWS answered ${err.operation} with HTTP ${err.httpStatus ?? "5xx"}${times(err.attempts)} (${detail}); the failure is on AWS's side: run the audit again later`;
    case "network":
      return `the connection failed during ${err.operation}${times(err.attempts)} (${detail}); check the network path to AWS (proxy, VPC endpoint, DNS), then run the audit again`;
    case "timeout":
      return `${err.operation} timed out${times(err.attempts)} (${detail}); check the network path to AWS or raise the timeout, then run the audit again`;
    default:
      return `${err.operation} failed with ${err.name} (${err.message}). Fix the failure, then run the audit again`;
  }
}

export function errorFinding(meta: CheckMetadata, scope: Scope, err: ReadFailure, intended: unknown): Finding {
  return {
    ...finding(meta, scope, {
      status: "ERROR",
      intended,
      observed: `not read: ${err.operation} failed with ${err.name}`,
      message: `${meta.title}: not evaluated, because ${sentenceEnd(failureAdvice(err))}`,
    }),
    error: {
      name: err.name,
      operation: err.operation,
      message: err.message,
      kind: err.kind ?? "other",
      ...(err.attempts !== undefined ? { attempts: err.attempts } : {}),
    },
  };
}

const sentenceEnd = (t: string) => (/[.!?]$/.test(t) ? t : `${t}.`);

/** ERROR if the account could not be entered or any piece could not be read; undefined when the check can go on. */
export function blocked(
  meta: CheckMetadata,
  o: ObservedState,
  scope: Scope,
  intended: unknown,
  ...pieces: Collected<unknown>[]
): Finding | undefined {
  const unreachable = o.unreachableAccounts[scope.account];
  if (unreachable) return errorFinding(meta, scope, unreachable, intended);
  for (const p of pieces) if (!p.ok) return errorFinding(meta, scope, p.error, intended);
  return undefined;
}

/** PASS when there are no problems, else one FAIL whose message lists them all. */
export function verdict(
  meta: CheckMetadata,
  scope: Scope,
  intended: unknown,
  observed: unknown,
  problems: string[],
  passMessage: string,
): Finding {
  return finding(meta, scope, {
    status: problems.length === 0 ? "PASS" : "FAIL",
    intended,
    observed,
    message: problems.length === 0 ? passMessage : sentence(problems.join("; ")),
  });
}

/** "3h 12m", "1h", "2d 5m", "45m", "30s": how long ago something happened, for people. */
export function formatAge(ms: number): string {
  if (ms < 60_000) return `${Math.max(0, Math.floor(ms / 1000))}s`;
  const minutes = Math.floor(ms / 60_000);
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  const parts = [
    [d, "d"],
    [h, "h"],
    [m, "m"],
  ].filter(([n]) => n !== 0);
  return parts.map(([n, unit]) => `${n}${unit}`).join(" ");
}

export interface Freshness {
  fresh: boolean;
  age: string;
}

/** Fresh when the age is at most the threshold (exactly at the threshold is still fresh). A future time is fresh at age 0. */
export function freshness(iso: string, now: Date, maxAgeMinutes: number): Freshness {
  const ms = now.getTime() - Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`freshness: "${iso}" is not an ISO-8601 time`);
  return { fresh: ms <= maxAgeMinutes * 60_000, age: formatAge(Math.max(0, ms)) };
}

export function minutesText(minutes: number): string {
  return formatAge(minutes * 60_000);
}

/** Capitalised, ending with a full stop: problems are written as clauses and joined. */
export function sentence(text: string): string {
  const t = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(t) ? t : `${t}.`;
}
