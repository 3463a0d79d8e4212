/** Counts and ordering shared by every report format, so JSON, Markdown and HTML can never disagree. */
import { EXIT, SEVERITY_ORDER, type AuditResult, type Finding, type FindingStatus, type Severity } from "../finding";

/** Display order: what needs action first. */
export const STATUS_ORDER: FindingStatus[] = ["FAIL", "ERROR", "PASS", "NOT_APPLICABLE"];

export type StatusCounts = Record<FindingStatus, number>;

export interface ReportSummary {
  total: number;
  byStatus: StatusCounts;
  bySeverity: Record<Severity, number>;
  /** severity → status → count */
  bySeverityAndStatus: Record<Severity, StatusCounts>;
  /** One row per account that has findings, in scope order, then any other account, "-" (organization-wide) last. */
  byAccount: { account: string; counts: StatusCounts; total: number }[];
  verdict: "CLEAN" | "DRIFT" | "INCOMPLETE";
}

export const zeroStatusCounts = (): StatusCounts => ({ FAIL: 0, ERROR: 0, PASS: 0, NOT_APPLICABLE: 0 });

function zeroBySeverity<T>(make: () => T): Record<Severity, T> {
  return Object.fromEntries(SEVERITY_ORDER.map((s) => [s, make()])) as Record<Severity, T>;
}

function accountOrder(result: AuditResult): (a: string, b: string) => number {
  const rank = (a: string) => {
    if (a === "-") return Number.MAX_SAFE_INTEGER;
    const i = result.scope.accounts.indexOf(a);
    return i === -1 ? result.scope.accounts.length : i;
  };
  return (a, b) => rank(a) - rank(b) || a.localeCompare(b);
}

export function summarize(result: AuditResult): ReportSummary {
  const byStatus = zeroStatusCounts();
  const bySeverity = zeroBySeverity(() => 0);
  const bySeverityAndStatus = zeroBySeverity(zeroStatusCounts);
  const accounts = new Map<string, StatusCounts>();
  for (const f of result.findings) {
    byStatus[f.status] += 1;
    bySeverity[f.severity] += 1;
    bySeverityAndStatus[f.severity][f.status] += 1;
    const counts = accounts.get(f.account) ?? zeroStatusCounts();
    counts[f.status] += 1;
    accounts.set(f.account, counts);
  }
  const byAccount = [...accounts.keys()].sort(accountOrder(result)).map((account) => {
    const counts = accounts.get(account)!;
    return { account, counts, total: STATUS_ORDER.reduce((n, s) => n + counts[s], 0) };
  });
  return {
    total: result.findings.length,
    byStatus,
    bySeverity,
    bySeverityAndStatus,
    byAccount,
    verdict: verdictOf(result.exitCode),
  };
}

export function verdictOf(exitCode: number): ReportSummary["verdict"] {
  if (exitCode === EXIT.INCOMPLETE) return "INCOMPLETE";
  if (exitCode === EXIT.DRIFT) return "DRIFT";
  if (exitCode === EXIT.CLEAN) return "CLEAN";
  throw new Error(`AuditResult.exitCode must be 0, 1 or 3, got ${exitCode}`);
}

/** Severity (CRITICAL first), then status (FAIL, ERROR, PASS, N/A), then check, account, region, resource. */
export function sortFindings(findings: Finding[]): Finding[] {
  const sev = (f: Finding) => SEVERITY_ORDER.indexOf(f.severity);
  const st = (f: Finding) => STATUS_ORDER.indexOf(f.status);
  return [...findings].sort(
    (a, b) =>
      sev(a) - sev(b) ||
      st(a) - st(b) ||
      a.checkId.localeCompare(b.checkId) ||
      a.account.localeCompare(b.account) ||
      a.region.localeCompare(b.region) ||
      a.resourceArn.localeCompare(b.resourceArn),
  );
}

export const needsAction = (f: Finding) => f.status === "FAIL" || f.status === "ERROR";

/** A value as one line for people: strings as they are, everything else as compact JSON. */
export function displayValue(v: unknown): string {
  if (v === undefined) return "(absent)";
  if (typeof v === "string") return v;
  return JSON.stringify(v) ?? String(v);
}
