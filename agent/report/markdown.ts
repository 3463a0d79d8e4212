/**
 * report.md: the changes, then what needs action — every unwaived FAIL and ERROR in full, grouped by
 * severity (CRITICAL first), identical ERRORs across accounts × regions as one entry listing the
 * pairs — then the waived findings, the summary tables, and every PASS / NOT_APPLICABLE listed: a
 * pass is shown, never implied. Accounts are named by their Organizations name and role.
 */
import { coverageLine } from "../coverage";
import { SEVERITY_ORDER, type AuditResult, type Finding } from "../finding";
import { accountLabel } from "./accounts";
import { changeCounts, changeSeverity, comparedWith, transition, type RunChanges } from "./diff";
import { actionItems, generalise, groupTitle, itemSize, type ErrorGroup } from "./groups";
import { displayValue, needsAction, sortFindings, STATUS_ORDER, summarize, type StatusCounts } from "./summary";

/** Text outside code spans: HTML-significant characters are escaped so no renderer runs a finding's text as markup. */
export function mdText(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\r?\n/g, " ");
}

/** A table cell: text rules plus pipes escaped. */
export function mdCell(s: string): string {
  return mdText(s).replace(/\|/g, "\\|");
}

/** An inline code span that survives backticks inside the value (CommonMark: fence longer than any run inside). */
export function mdCode(s: string): string {
  const one = s.replace(/\r?\n/g, " ");
  const longest = Math.max(0, ...(one.match(/`+/g) ?? []).map((r) => r.length));
  const fence = "`".repeat(longest + 1);
  const pad = one.startsWith("`") || one.endsWith("`") ? " " : "";
  return `${fence}${pad}${one}${pad}${fence}`;
}

const LONG_VALUE = 100;

function valueBlock(label: string, v: unknown): string[] {
  const one = displayValue(v);
  if (one.length <= LONG_VALUE) return [`- ${label}: ${mdCode(one)}`];
  const pretty = typeof v === "string" ? v : JSON.stringify(v, null, 2);
  const fence = "~".repeat(Math.max(3, ...(pretty.match(/~+/g) ?? []).map((r) => r.length + 1)));
  return [
    `- ${label}:`,
    "",
    `  ${fence}${typeof v === "string" ? "" : "json"}`,
    ...pretty.split("\n").map((l) => `  ${l}`),
    `  ${fence}`,
    "",
  ];
}

const statusCells = (c: StatusCounts, total: number) => `${STATUS_ORDER.map((s) => c[s]).join(" | ")} | ${total}`;

function header(r: AuditResult): string[] {
  const s = summarize(r);
  return [
    `# orgwarden audit report — ${mdText(r.stack)}`,
    "",
    `- Result: **${s.verdict}** (exit code ${r.exitCode})`,
    `- Organization: ${mdCode(r.organizationId)}`,
    `- Clock (now): ${r.now}`,
    `- Started: ${r.startedAt} · Finished: ${r.finishedAt}`,
    `- Run id: ${mdCode(r.runId)}`,
    `- Scope: ${coverageLine(r)} (${r.scope.accounts.map((a) => mdText(accountLabel(r, a))).join(", ") || "none"}) · regions: ${r.scope.regions.join(", ") || "none"}`,
    "",
    // Run-level errors lead: a reader must see that the findings below do not cover the organization.
    ...(r.incomplete.length > 0 ? ["> **Audit incomplete.**", ...r.incomplete.map((m) => `> - ${mdText(m)}`), ""] : []),
  ];
}

// First after the header: what changed since the previous run is what the morning reader looks for.
function changesSection(r: AuditResult, c: RunChanges): string[] {
  const out = ["## Changes", "", `${mdText(comparedWith(c))}: ${changeCounts(c)}.`, ""];
  const rows = [
    ...c.new.map((x) => ["New", x] as const),
    ...c.resolved.map((x) => ["Resolved", x] as const),
    ...c.changed.map((x) => ["Changed", x] as const),
  ];
  if (rows.length === 0) return out;
  out.push("| Change | Severity | Check | Account | Region | Status | Message |", "|---|---|---|---|---|---|---|");
  for (const [label, x] of rows)
    out.push(
      `| ${label} | ${changeSeverity(x)} | ${mdCell(x.checkId)} | ${mdCell(accountLabel(r, x.account))} | ${mdCell(x.region)} | ${transition(x)} | ${mdCell(x.message)} |`,
    );
  return [...out, ""];
}

function summaryTable(r: AuditResult): string[] {
  const s = summarize(r);
  const head = `| Severity | ${STATUS_ORDER.join(" | ")} | Total |`;
  const rule = `|---|${STATUS_ORDER.map(() => "---:").join("|")}|---:|`;
  const rows = SEVERITY_ORDER.map(
    (sev) => `| ${sev} | ${statusCells(s.bySeverityAndStatus[sev], s.bySeverity[sev])} |`,
  );
  return ["## Summary", "", head, rule, ...rows, `| **Total** | ${statusCells(s.byStatus, s.total)} |`, ""];
}

function accountTable(r: AuditResult): string[] {
  const s = summarize(r);
  if (s.byAccount.length === 0) return [];
  const rows = s.byAccount.map((a) => `| ${mdCell(accountLabel(r, a.account))} | ${statusCells(a.counts, a.total)} |`);
  return [
    "## Accounts",
    "",
    `| Account | ${STATUS_ORDER.join(" | ")} | Total |`,
    `|---|${STATUS_ORDER.map(() => "---:").join("|")}|---:|`,
    ...rows,
    "",
  ];
}

function remediationLines(rem: Finding["remediation"]): string[] {
  return [
    "- Remediation:",
    `  - Console: ${mdText(rem.console)}`,
    `  - CLI: ${mdCode(rem.cli)}`,
    ...(rem.intendedFile
      ? [
          `  - Intended document: ${mdCode(rem.intendedFile)} (beside this report; run the CLI command in the report directory)`,
        ]
      : []),
    `  - Pulumi: ${mdText(rem.pulumi)}`,
    "",
  ];
}

function findingBlock(r: AuditResult, f: Finding): string[] {
  const lines = [
    `#### ${f.status} · ${mdText(f.checkId)} · ${mdText(accountLabel(r, f.account))} · ${mdText(f.region)}`,
    "",
    `- Resource: ${mdCode(f.resourceArn || "(none)")}`,
    `- Message: ${mdText(f.message)}`,
    ...valueBlock("Intended", f.intended),
    ...valueBlock("Observed", f.observed),
  ];
  if (f.error)
    lines.push(`- Error: ${mdCode(f.error.name)} in ${mdCode(f.error.operation)}: ${mdText(f.error.message)}`);
  return [...lines, ...remediationLines(f.remediation)];
}

/** One entry for the same ERROR in many places: what failed once, then every account × region pair. */
function groupBlock(r: AuditResult, g: ErrorGroup): string[] {
  const first = g.findings[0];
  const general = (t: string) => generalise(t, first);
  return [
    `#### ERROR · ${mdText(g.checkId)} · ${groupTitle(g)}`,
    "",
    `- Error: ${mdCode(g.name)} in ${mdCode(g.operation)}${g.kind ? ` (${g.kind})` : ""}: ${mdText(g.message)}`,
    `- Message: ${mdText(g.summary)}`,
    `- Pairs (${g.findings.length}): ${g.findings.map((f) => `${mdText(accountLabel(r, f.account))} / ${mdText(f.region)}`).join(" · ")}`,
    ...remediationLines({
      ...first.remediation,
      console: general(first.remediation.console),
      cli: general(first.remediation.cli),
      pulumi: general(first.remediation.pulumi),
      // Each pair has its own file; a group never names one of them for all.
      intendedFile: undefined,
    }),
  ];
}

function waivedSection(r: AuditResult, sorted: Finding[]): string[] {
  const waived = sorted.filter((f) => f.waived);
  if (waived.length === 0) return [];
  const out = [
    `## Waived (${waived.length})`,
    "",
    "| Status | Severity | Check | Account | Region | Expires | Approved by | Reason |",
  ];
  out.push("|---|---|---|---|---|---|---|---|");
  for (const f of waived)
    out.push(
      `| ${f.status} | ${f.severity} | ${mdCell(f.checkId)} | ${mdCell(accountLabel(r, f.account))} | ${mdCell(f.region)} | ${f.waived!.expires} | ${mdCell(f.waived!.approvedBy)} | ${mdCell(f.waived!.reason)} |`,
    );
  return [...out, ""];
}

// Waived findings are listed apart (waivedSection): they need no action until their waiver expires.
function actionSection(r: AuditResult): string[] {
  const items = actionItems(r.findings);
  const total = items.reduce((n, i) => n + itemSize(i), 0);
  const out = [`## Findings needing action (${total})`, ""];
  if (items.length === 0) return [...out, "None: every check passed or did not apply, or was waived.", ""];
  for (const sev of SEVERITY_ORDER) {
    const group = items.filter((i) => (i.kind === "group" ? i.group.severity : i.finding.severity) === sev);
    if (group.length === 0) continue;
    out.push(`### ${sev} (${group.reduce((n, i) => n + itemSize(i), 0)})`, "");
    for (const i of group) out.push(...(i.kind === "group" ? groupBlock(r, i.group) : findingBlock(r, i.finding)));
  }
  return out;
}

function passedSection(r: AuditResult, sorted: Finding[]): string[] {
  const rest = sorted.filter((f) => !needsAction(f));
  const out = [`## Passed and not applicable (${rest.length})`, ""];
  if (rest.length === 0) return [...out, "None.", ""];
  out.push("| Status | Severity | Check | Account | Region | Message |", "|---|---|---|---|---|---|");
  for (const f of rest)
    out.push(
      `| ${f.status} | ${f.severity} | ${mdCell(f.checkId)} | ${mdCell(accountLabel(r, f.account))} | ${mdCell(f.region)} | ${mdCell(f.message)} |`,
    );
  return [...out, ""];
}

export function renderMarkdown(result: AuditResult): string {
  const sorted = sortFindings(result.findings);
  const lines = [
    ...header(result),
    ...(result.changes ? changesSection(result, result.changes) : []),
    ...actionSection(result),
    ...waivedSection(result, sorted),
    ...summaryTable(result),
    ...accountTable(result),
    ...passedSection(result, sorted),
  ];
  return `${lines.join("\n").replace(/\n+$/, "")}\n`;
}
