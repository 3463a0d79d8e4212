/** The CLI's plain-text summary: counts, then every FAIL and ERROR on one line each, worst first. */
import { EXIT, SEVERITY_ORDER, type AuditResult, type Finding, type FindingStatus } from "./finding";

const STATUSES: FindingStatus[] = ["PASS", "FAIL", "ERROR", "NOT_APPLICABLE"];

const VERDICT: Record<number, string> = {
  [EXIT.CLEAN]: "clean: every check passed",
  [EXIT.DRIFT]: "drift found",
  [EXIT.INCOMPLETE]: "audit incomplete: some state could not be read (ERROR findings)",
};

function line(f: Finding): string {
  const where = `${f.account}/${f.region}`;
  const why = f.status === "ERROR" && f.error ? ` [${f.error.operation}: ${f.error.name}]` : "";
  return `${f.status.padEnd(5)} ${f.severity.padEnd(13)} ${f.checkId.padEnd(32)} ${where.padEnd(24)} ${f.message}${why}`;
}

export function summaryText(r: AuditResult): string {
  const count = (s: FindingStatus) => r.findings.filter((f) => f.status === s).length;
  const out = [
    `orgwarden audit · stack ${r.stack} · organization ${r.organizationId} · clock ${r.now}`,
    `scope: ${r.scope.accounts.length} account(s) × ${r.scope.regions.length} region(s) (${r.scope.regions.join(", ")})`,
    `findings: ${STATUSES.map((s) => `${count(s)} ${s}`).join(" · ")}`,
  ];
  const bad = r.findings
    .filter((f) => f.status === "FAIL" || f.status === "ERROR")
    .sort((a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) || a.checkId.localeCompare(b.checkId));
  if (bad.length > 0) out.push("", ...bad.map(line));
  out.push("", `result: ${VERDICT[r.exitCode] ?? "unknown"} (exit ${r.exitCode})`);
  return `${out.join("\n")}\n`;
}
