/** The CLI's plain-text summary: counts, then every FAIL and ERROR on one line each, worst first. */
import { coverageLine } from "./coverage";
import { EXIT, SEVERITY_ORDER, type AuditResult, type Finding, type FindingStatus } from "./finding";
import { changeCounts, changeSeverity, comparedWith, transition, type Change, type RunChanges } from "./report/diff";

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

function changeLine(label: string, c: Change): string {
  const where = `${c.account}/${c.region}`;
  return `${label.padEnd(9)} ${changeSeverity(c).padEnd(13)} ${c.checkId.padEnd(32)} ${where.padEnd(24)} ${transition(c)}: ${c.message}`;
}

/** What changed since the previous run comes first: it is what a reader of the nightly run looks for. */
function changesBlock(c: RunChanges, source: string | undefined): string[] {
  if (c.previousRunId === null) return [`changes: none, ${comparedWith(c)}`];
  return [
    `changes ${comparedWith(c)}${source ? ` (${source})` : ""}: ${changeCounts(c)}`,
    ...c.new.map((x) => changeLine("NEW", x)),
    ...c.resolved.map((x) => changeLine("RESOLVED", x)),
    ...c.changed.map((x) => changeLine("CHANGED", x)),
  ];
}

/** `previousSource` says where the previous report was read (e.g. "--previous a.json"), when there was one. */
export function summaryText(r: AuditResult, previousSource?: string): string {
  const count = (s: FindingStatus) => r.findings.filter((f) => f.status === s).length;
  const out = [
    `orgwarden audit · stack ${r.stack} · organization ${r.organizationId} · clock ${r.now}`,
    `scope: ${coverageLine(r)} (${r.scope.regions.join(", ")})`,
    ...r.incomplete.map((m) => `INCOMPLETE ${m}`),
    ...(r.changes ? changesBlock(r.changes, previousSource) : []),
    `findings: ${STATUSES.map((s) => `${count(s)} ${s}`).join(" · ")}`,
  ];
  const bad = r.findings
    .filter((f) => (f.status === "FAIL" || f.status === "ERROR") && !f.waived)
    .sort(
      (a, b) =>
        SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) || a.checkId.localeCompare(b.checkId),
    );
  if (bad.length > 0) out.push("", ...bad.map(line));
  // Apart from what needs action: accepted, with the terms a reader checks.
  const waived = r.findings.filter((f) => f.waived);
  if (waived.length > 0)
    out.push(
      "",
      `waived: ${waived.length}`,
      ...waived.map(
        (f) => `WAIVED ${line(f)} (until ${f.waived!.expires}, ${f.waived!.approvedBy}: ${f.waived!.reason})`,
      ),
    );
  const verdict =
    r.incomplete.length > 0
      ? "audit incomplete: the run did not cover the organization (INCOMPLETE lines above)"
      : (VERDICT[r.exitCode] ?? "unknown");
  out.push("", `result: ${verdict} (exit ${r.exitCode})`);
  return `${out.join("\n")}\n`;
}
