/** The CLI's plain-text summary: counts, then every FAIL and ERROR on one line each, worst first. */
import { coverageLine } from "./coverage";
import { EXIT, type AuditResult, type Finding, type FindingStatus } from "./finding";
import { accountLabel } from "./report/accounts";
import { changeCounts, changeSeverity, comparedWith, transition, type Change, type RunChanges } from "./report/diff";
import { actionItems, groupTitle, type ActionItem } from "./report/groups";

const STATUSES: FindingStatus[] = ["PASS", "FAIL", "ERROR", "NOT_APPLICABLE"];

const VERDICT: Record<number, string> = {
  [EXIT.CLEAN]: "clean: every check passed",
  [EXIT.DRIFT]: "drift found",
  [EXIT.INCOMPLETE]: "audit incomplete: some state could not be read (ERROR findings)",
};

type Accounts = Pick<AuditResult, "accounts">;

function line(r: Accounts, f: Finding): string {
  const where = `${accountLabel(r, f.account)}/${f.region}`;
  const why = f.status === "ERROR" && f.error ? ` [${f.error.operation}: ${f.error.name}]` : "";
  return `${f.status.padEnd(5)} ${f.severity.padEnd(13)} ${f.checkId.padEnd(32)} ${where.padEnd(24)} ${f.message}${why}`;
}

/** One line for the group, then its account × region pairs on one indented line. */
function itemLines(r: Accounts, i: ActionItem): string[] {
  if (i.kind === "finding") return [line(r, i.finding)];
  const g = i.group;
  const head = `ERROR ${g.severity.padEnd(13)} ${g.checkId.padEnd(32)} ${`${g.findings.length} pairs`.padEnd(24)} ${groupTitle(g)}: ${g.name}: ${g.message}`;
  const pairs = g.findings.map((f) => `${accountLabel(r, f.account)}/${f.region}`).join(", ");
  return [head, `      pairs: ${pairs}`];
}

function changeLine(r: Accounts, label: string, c: Change): string {
  const where = `${accountLabel(r, c.account)}/${c.region}`;
  return `${label.padEnd(9)} ${changeSeverity(c).padEnd(13)} ${c.checkId.padEnd(32)} ${where.padEnd(24)} ${transition(c)}: ${c.message}`;
}

/** What changed since the previous run comes first: it is what a reader of the nightly run looks for. */
function changesBlock(r: Accounts, c: RunChanges, source: string | undefined): string[] {
  if (c.previousRunId === null) return [`changes: none, ${comparedWith(c)}`];
  return [
    `changes ${comparedWith(c)}${source ? ` (${source})` : ""}: ${changeCounts(c)}`,
    ...c.new.map((x) => changeLine(r, "NEW", x)),
    ...c.resolved.map((x) => changeLine(r, "RESOLVED", x)),
    ...c.changed.map((x) => changeLine(r, "CHANGED", x)),
  ];
}

/** `previousSource` says where the previous report was read (e.g. "--previous a.json"), when there was one. */
export function summaryText(r: AuditResult, previousSource?: string): string {
  const count = (s: FindingStatus) => r.findings.filter((f) => f.status === s).length;
  const out = [
    `orgwarden audit · stack ${r.stack} · organization ${r.organizationId} · clock ${r.now}`,
    `scope: ${coverageLine(r)} (${r.scope.regions.join(", ")})`,
    ...r.incomplete.map((m) => `INCOMPLETE ${m}`),
    ...(r.changes ? changesBlock(r, r.changes, previousSource) : []),
    `findings: ${STATUSES.map((s) => `${count(s)} ${s}`).join(" · ")}`,
  ];
  // Worst first; the same ERROR in many accounts and regions is one entry with its pairs.
  const items = actionItems(r.findings);
  if (items.length > 0) out.push("", ...items.flatMap((i) => itemLines(r, i)));
  // Apart from what needs action: accepted, with the terms a reader checks.
  const waived = r.findings.filter((f) => f.waived);
  if (waived.length > 0)
    out.push(
      "",
      `waived: ${waived.length}`,
      ...waived.map(
        (f) => `WAIVED ${line(r, f)} (until ${f.waived!.expires}, ${f.waived!.approvedBy}: ${f.waived!.reason})`,
      ),
    );
  const verdict =
    r.incomplete.length > 0
      ? "audit incomplete: the run did not cover the organization (INCOMPLETE lines above)"
      : (VERDICT[r.exitCode] ?? "unknown");
  out.push("", `result: ${verdict} (exit ${r.exitCode})`);
  return `${out.join("\n")}\n`;
}
