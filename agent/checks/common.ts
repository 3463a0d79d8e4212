/** Shared shape and helpers of every check: how a finding is built, how a failed read becomes ERROR, how ages read. */
import type { AuditManifest } from "../../baseline";
import type { CheckMetadata, Finding, FindingStatus, Severity } from "../finding";
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
}

export interface Outcome {
  status: FindingStatus;
  intended: unknown;
  observed: unknown;
  message: string;
  /** Overrides the check's severity, e.g. CRITICAL for a foreign principal. */
  severity?: Severity;
}

export function finding(meta: CheckMetadata, scope: Scope, o: Outcome): Finding {
  return {
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

export function errorFinding(meta: CheckMetadata, scope: Scope, err: Pick<CollectError, "name" | "operation" | "message">, intended: unknown): Finding {
  return {
    ...finding(meta, scope, {
      status: "ERROR",
      intended,
      observed: `not read: ${err.operation} failed with ${err.name}`,
      message: `${meta.title}: not evaluated, because ${err.operation} failed with ${err.name} (${err.message}). Grant the audit role read access or fix the failure, then run the audit again.`,
    }),
    error: { name: err.name, operation: err.operation, message: err.message },
  };
}

/** ERROR if the account could not be entered or any piece could not be read; undefined when the check can go on. */
export function blocked(meta: CheckMetadata, o: ObservedState, scope: Scope, intended: unknown, ...pieces: Collected<unknown>[]): Finding | undefined {
  const unreachable = o.unreachableAccounts[scope.account];
  if (unreachable) return errorFinding(meta, scope, unreachable, intended);
  for (const p of pieces) if (!p.ok) return errorFinding(meta, scope, p.error, intended);
  return undefined;
}

/** PASS when there are no problems, else one FAIL whose message lists them all. */
export function verdict(meta: CheckMetadata, scope: Scope, intended: unknown, observed: unknown, problems: string[], passMessage: string): Finding {
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
