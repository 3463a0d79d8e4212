/** The CLI's plain-text summary: counts, then every FAIL and ERROR on one line each, worst first. */
import { coverageLine } from "./coverage";
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
    `scope: ${coverageLine(r)} (${r.scope.regions.join(", ")})`,
    ...r.incomplete.map((m) => `INCOMPLETE ${m}`),
    `findings: ${STATUSES.map((s) => `${count(s)} ${s}`).join(" · ")}`,
  ];
  const bad = r.findings
    .filter((f) => f.status === "FAIL" || f.status === "ERROR")
    .sort(
      (a, b) =>
        SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) || a.checkId.localeCompare(b.checkId),
    );
  if (bad.length > 0) out.push("", ...bad.map(line));
  const verdict =
    r.incomplete.length > 0
      ? "audit incomplete: the run did not cover the organization (INCOMPLETE lines above)"
      : (VERDICT[r.exitCode] ?? "unknown");
  out.push("", `result: ${verdict} (exit ${r.exitCode})`);
  return `${out.join("\n")}\n`;
}
