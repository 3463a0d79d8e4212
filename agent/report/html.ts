/**
 * report.html: one self-contained file for people. It opens on what changed since the previous run,
 * then on what needs action (unwaived FAIL and ERROR, by severity, identical ERRORs as one entry
 * with their account × region pairs), then the waived findings; the counts follow, and every
 * finding — PASS and NOT_APPLICABLE included — is one click away in "All findings", with filters.
 * Rows are rendered server-side (the report reads without JavaScript); the inline script only
 * filters. Every value from a finding is HTML-escaped.
 */
import { coverageLine } from "../coverage";
import { SEVERITY_ORDER, type AuditResult, type Finding, type Remediation } from "../finding";
import { accountLabel } from "./accounts";
import { REPORT_CSS, REPORT_JS } from "./html-assets";
import { changeCounts, changeSeverity, comparedWith, transition, type RunChanges } from "./diff";
import { actionItems, generalise, groupTitle, itemSize, type ActionItem, type ErrorGroup } from "./groups";
import { displayValue, sortFindings, STATUS_ORDER, summarize, type ReportSummary } from "./summary";

export function escapeHtml(s: string): string {
  return s
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}
const e = escapeHtml;

/** Strict CSP: nothing may load from anywhere; only the inline style and script run. */
const CSP =
  "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

/** A cell that names its column, so the narrow layout (one cell per line) can label it. */
const td = (label: string, html: string, cls?: string) =>
  `<td data-label="${e(label)}"${cls ? ` class="${cls}"` : ""}>${html}</td>`;

function pretty(v: unknown): string {
  if (v === undefined) return "(absent)";
  return typeof v === "string" ? v : (JSON.stringify(v, null, 2) ?? displayValue(v));
}

function headerHtml(r: AuditResult, s: ReportSummary): string {
  const meta: [string, string][] = [
    ["Organization", r.organizationId],
    ["Clock (now)", r.now],
    ["Started", r.startedAt],
    ["Finished", r.finishedAt],
    ["Run id", r.runId],
    ["Coverage", coverageLine(r)],
    ["Accounts in scope", r.scope.accounts.map((a) => accountLabel(r, a)).join(", ") || "none"],
    ["Regions in scope", r.scope.regions.join(", ") || "none"],
  ];
  return `<header>
<h1>orgwarden audit report — ${e(r.stack)}</h1>
<p class="verdict verdict-${s.verdict}" id="verdict" data-verdict="${s.verdict}">${s.verdict} · exit code ${r.exitCode}</p>
<dl class="meta">${meta.map(([k, v]) => `<dt>${e(k)}</dt><dd>${e(v)}</dd>`).join("")}</dl>
${r.incomplete.length > 0 ? `<section class="incomplete" id="incomplete" role="alert"><h2>Audit incomplete</h2><ul>${r.incomplete.map((m) => `<li>${e(m)}</li>`).join("")}</ul></section>` : ""}
</header>`;
}

function countsHtml(s: ReportSummary): string {
  const cards = STATUS_ORDER.map(
    (st) =>
      `<li data-status-count="${st}" class="s-${st}" title="Show only ${st}"><span class="n">${s.byStatus[st]}</span>${st}</li>`,
  ).join("");
  const head = `<tr><th>Severity</th>${STATUS_ORDER.map((st) => `<th class="num">${st}</th>`).join("")}<th class="num">Total</th></tr>`;
  const rows = SEVERITY_ORDER.map(
    (sev) =>
      `<tr data-severity-row="${sev}"><th>${sev}</th>${STATUS_ORDER.map((st) => `<td class="num" data-label="${st}" data-cell="${sev}:${st}">${s.bySeverityAndStatus[sev][st]}</td>`).join("")}<td class="num" data-label="Total" data-severity-count="${sev}">${s.bySeverity[sev]}</td></tr>`,
  ).join("\n");
  const total = `<tr><th>Total</th>${STATUS_ORDER.map((st) => `<td class="num" data-label="${st}">${s.byStatus[st]}</td>`).join("")}<td class="num" data-label="Total" id="total-findings">${s.total}</td></tr>`;
  return `<section id="counts">
<h2>By status</h2>
<ul class="cards">${cards}</ul>
<h2>By severity</h2>
<table id="severity-table"><thead>${head}</thead><tbody>
${rows}
${total}
</tbody></table>
</section>`;
}

// Right after the header: the morning reader looks for what changed since the previous run first.
function changesHtml(r: AuditResult, c: RunChanges): string {
  const rows = [
    ...c.new.map((x) => ["new", x] as const),
    ...c.resolved.map((x) => ["resolved", x] as const),
    ...c.changed.map((x) => ["changed", x] as const),
  ]
    .map(
      ([label, x]) =>
        `<tr data-change="${label}">${td("Change", label)}${td("Severity", changeSeverity(x))}${td("Check", e(x.checkId))}${td("Account", e(accountLabel(r, x.account)))}${td("Region", e(x.region))}${td("Status", e(transition(x)))}${td("Message", e(x.message), "message")}</tr>`,
    )
    .join("\n");
  const table = rows
    ? `\n<table id="changes-table"><thead><tr><th>Change</th><th>Severity</th><th>Check</th><th>Account</th><th>Region</th><th>Status</th><th>Message</th></tr></thead>\n<tbody>\n${rows}\n</tbody></table>`
    : "";
  return `<section id="changes">
<h2>Changes</h2>
<p>${e(comparedWith(c))}: ${e(changeCounts(c))}.</p>${table}
</section>
`;
}

function accountsHtml(r: AuditResult, s: ReportSummary): string {
  const rows = s.byAccount
    .map(
      (a) =>
        `<tr data-account-row="${e(a.account)}">${td("Account", e(accountLabel(r, a.account)))}${STATUS_ORDER.map((st) => `<td class="num" data-label="${st}" data-account-cell="${st}">${a.counts[st]}</td>`).join("")}<td class="num" data-label="Total">${a.total}</td></tr>`,
    )
    .join("\n");
  return `<section id="accounts">
<h2>Accounts</h2>
<table id="accounts-table"><thead><tr><th>Account</th>${STATUS_ORDER.map((st) => `<th class="num">${st}</th>`).join("")}<th class="num">Total</th></tr></thead>
<tbody>
${rows}
</tbody></table>
</section>`;
}

function options(values: string[], label: (v: string) => string = (v) => v): string {
  return values.map((v) => `<option value="${e(v)}">${e(label(v))}</option>`).join("");
}

function filtersHtml(r: AuditResult, findings: Finding[], s: ReportSummary): string {
  const checks = [...new Set(findings.map((f) => f.checkId))].sort();
  return `<form id="filters" onsubmit="return false">
<label>Status<select id="filter-status"><option value="">All</option><option value="ACTION">Needs action (FAIL or ERROR)</option>${options(STATUS_ORDER)}</select></label>
<label>Severity<select id="filter-severity"><option value="">All</option>${options(SEVERITY_ORDER)}</select></label>
<label>Account<select id="filter-account"><option value="">All</option>${options(
    s.byAccount.map((a) => a.account),
    (a) => accountLabel(r, a),
  )}</select></label>
<label>Check<select id="filter-check"><option value="">All</option>${options(checks)}</select></label>
<button type="button" id="filter-reset">Clear filters</button>
</form>
<p id="shown">Showing <span id="shown-count">${findings.length}</span> of <span id="total-count">${findings.length}</span> findings</p>`;
}

function remediationHtml(rem: Remediation): string {
  const file = rem.intendedFile
    ? `<dt>Intended document</dt><dd><code class="intended-file">${e(rem.intendedFile)}</code> beside this report (run the CLI command in the report directory)</dd>`
    : "";
  return `<dl class="remediation"><dt>Console</dt><dd>${e(rem.console)}</dd><dt>CLI</dt><dd><code>${e(rem.cli)}</code></dd>${file}<dt>Pulumi</dt><dd>${e(rem.pulumi)}</dd></dl>`;
}

const HEAD = `<tr><th>Status</th><th>Severity</th><th>Check</th><th>Account</th><th>Region</th><th>Resource</th><th>Message</th></tr>`;

/** One finding as a <tbody>; `open` shows intended vs observed and the remediation without a click. */
function findingHtml(r: AuditResult, f: Finding, open: boolean): string {
  const data = `data-status="${f.status}" data-severity="${f.severity}" data-account="${e(f.account)}" data-check="${e(f.checkId)}" data-id="${e(f.id)}"${f.waived ? ' data-waived="true"' : ""}`;
  // A waived finding is shown as such, with its terms: it needs no action until its waiver expires.
  const waived = f.waived
    ? ` <span class="waived">waived until ${e(f.waived.expires)} by ${e(f.waived.approvedBy)}: ${e(f.waived.reason)}</span>`
    : "";
  const error = f.error
    ? `<p class="error"><strong>${e(f.error.name)}</strong> in <code>${e(f.error.operation)}</code>: ${e(f.error.message)}</p>`
    : "";
  return `<tbody class="finding" ${data}>
<tr class="summary-row">${td("Status", f.status, `badge s-${f.status}`)}${td("Severity", f.severity)}${td("Check", `<code>${e(f.checkId)}</code>`)}${td("Account", e(accountLabel(r, f.account)))}${td("Region", e(f.region))}${td("Resource", e(f.resourceArn), "arn")}${td("Message", `${e(f.message)}${waived}`, "message")}</tr>
<tr class="detail"><td colspan="7"><details${open ? " open" : ""}><summary>Intended vs observed, remediation</summary>
${error}<div class="pair"><div><strong>Intended</strong><pre class="intended">${e(pretty(f.intended))}</pre></div><div><strong>Observed</strong><pre class="observed">${e(pretty(f.observed))}</pre></div></div>
${remediationHtml(f.remediation)}
</details></td></tr>
</tbody>`;
}

/** The same ERROR in many places, once: what failed, then every account × region pair. */
function groupHtml(r: AuditResult, g: ErrorGroup): string {
  const first = g.findings[0];
  const general = (t: string) => generalise(t, first);
  const pairs = g.findings
    .map(
      (f) =>
        `<li data-pair="${e(f.account)}/${e(f.region)}">${e(accountLabel(r, f.account))} · ${e(f.region)} · <span class="arn">${e(f.resourceArn)}</span></li>`,
    )
    .join("");
  return `<tbody class="error-group" data-check="${e(g.checkId)}" data-severity="${g.severity}" data-operation="${e(g.operation)}" data-count="${g.findings.length}">
<tr class="summary-row">${td("Status", "ERROR", "badge s-ERROR")}${td("Severity", g.severity)}${td("Check", `<code>${e(g.checkId)}</code>`)}${td("Account", `${new Set(g.findings.map((f) => f.account)).size} accounts`)}${td("Region", `${new Set(g.findings.map((f) => f.region)).size} regions`)}${td("Resource", "")}${td("Message", `<strong class="group-title">${e(groupTitle(g))}</strong>: ${e(g.name)}: ${e(g.message)}`, "message")}</tr>
<tr class="detail"><td colspan="7"><details open><summary>The pairs, the failure, remediation</summary>
<ul class="pairs">${pairs}</ul>
<p class="error"><strong>${e(g.name)}</strong> in <code>${e(g.operation)}</code>${g.kind ? ` (${e(g.kind)})` : ""}: ${e(g.message)}</p>
<p class="message">${e(g.summary)}</p>
${remediationHtml({
  ...first.remediation,
  console: general(first.remediation.console),
  cli: general(first.remediation.cli),
  pulumi: general(first.remediation.pulumi),
  // Each pair has its own file; a group never names one of them for all.
  intendedFile: undefined,
})}
</details></td></tr>
</tbody>`;
}

const severityOf = (i: ActionItem) => (i.kind === "group" ? i.group.severity : i.finding.severity);

function needsActionHtml(r: AuditResult): string {
  const items = actionItems(r.findings);
  const total = items.reduce((n, i) => n + itemSize(i), 0);
  const groups = SEVERITY_ORDER.map((sev) => {
    const of = items.filter((i) => severityOf(i) === sev);
    if (of.length === 0) return "";
    const n = of.reduce((k, i) => k + itemSize(i), 0);
    const rows = of.map((i) => (i.kind === "group" ? groupHtml(r, i.group) : findingHtml(r, i.finding, true)));
    return `<section class="severity-group" data-severity-group="${sev}">
<h3>${sev} (${n})</h3>
<table class="action-table"><thead>${HEAD}</thead>
${rows.join("\n")}
</table>
</section>`;
  }).join("\n");
  return `<section id="needs-action" data-count="${total}">
<h2>Needs action (${total})</h2>
${items.length === 0 ? "<p>None: every check passed or did not apply, or was waived.</p>" : groups}
</section>`;
}

// Apart from what needs action: accepted, with the terms a reader checks.
function waivedHtml(r: AuditResult, sorted: Finding[]): string {
  const waived = sorted.filter((f) => f.waived);
  return `<section id="waived" data-count="${waived.length}">
<h2>Waived (${waived.length})</h2>
${waived.length === 0 ? "<p>None.</p>" : `<table id="waived-table"><thead>${HEAD}</thead>\n${waived.map((f) => findingHtml(r, f, false)).join("\n")}\n</table>`}
</section>`;
}

function allFindingsHtml(r: AuditResult, findings: Finding[], s: ReportSummary): string {
  const counts = STATUS_ORDER.map((st) => `${s.byStatus[st]} ${st}`).join(", ");
  return `<section id="findings">
<details id="all-findings"><summary><h2>All findings (${findings.length}: ${counts})</h2></summary>
${filtersHtml(r, findings, s)}
<table id="findings-table"><thead>${HEAD}</thead>
${findings.map((f) => findingHtml(r, f, false)).join("\n")}
</table>
</details>
</section>`;
}

export function renderHtml(result: AuditResult): string {
  const s = summarize(result);
  const findings = sortFindings(result.findings);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<title>orgwarden audit — ${e(result.stack)} — ${s.verdict}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
${headerHtml(result, s)}
${result.changes ? changesHtml(result, result.changes) : ""}${needsActionHtml(result)}
${waivedHtml(result, findings)}
${countsHtml(s)}
${accountsHtml(result, s)}
${allFindingsHtml(result, findings, s)}
<script>${REPORT_JS}</script>
</body>
</html>
`;
}
