/**
 * report.html: one self-contained file for people. Rows are rendered server-side (the report reads
 * without JavaScript); the inline script only filters. Every value from a finding is HTML-escaped.
 */
import { coverageLine } from "../coverage";
import { SEVERITY_ORDER, type AuditResult, type Finding } from "../finding";
import { REPORT_CSS, REPORT_JS } from "./html-assets";
import { changeCounts, changeSeverity, comparedWith, transition, type RunChanges } from "./diff";
import { displayValue, needsAction, sortFindings, STATUS_ORDER, summarize, type ReportSummary } from "./summary";

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

const accountLabel = (a: string) => (a === "-" ? "organization-wide" : a);

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
    ["Accounts in scope", r.scope.accounts.join(", ") || "none"],
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
      `<tr data-severity-row="${sev}"><th>${sev}</th>${STATUS_ORDER.map((st) => `<td class="num" data-cell="${sev}:${st}">${s.bySeverityAndStatus[sev][st]}</td>`).join("")}<td class="num" data-severity-count="${sev}">${s.bySeverity[sev]}</td></tr>`,
  ).join("\n");
  const total = `<tr><th>Total</th>${STATUS_ORDER.map((st) => `<td class="num">${s.byStatus[st]}</td>`).join("")}<td class="num" id="total-findings">${s.total}</td></tr>`;
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
function changesHtml(c: RunChanges): string {
  const rows = [
    ...c.new.map((x) => ["new", x] as const),
    ...c.resolved.map((x) => ["resolved", x] as const),
    ...c.changed.map((x) => ["changed", x] as const),
  ]
    .map(
      ([label, x]) =>
        `<tr data-change="${label}"><td>${label}</td><td>${changeSeverity(x)}</td><td>${e(x.checkId)}</td><td>${e(accountLabel(x.account))}</td><td>${e(x.region)}</td><td>${e(transition(x))}</td><td>${e(x.message)}</td></tr>`,
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

function accountsHtml(s: ReportSummary): string {
  const rows = s.byAccount
    .map(
      (a) =>
        `<tr data-account-row="${e(a.account)}"><td>${e(accountLabel(a.account))}</td>${STATUS_ORDER.map((st) => `<td class="num" data-account-cell="${st}">${a.counts[st]}</td>`).join("")}<td class="num">${a.total}</td></tr>`,
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

function filtersHtml(findings: Finding[], s: ReportSummary): string {
  const checks = [...new Set(findings.map((f) => f.checkId))].sort();
  return `<form id="filters" onsubmit="return false">
<label>Status<select id="filter-status"><option value="">All</option><option value="ACTION">Needs action (FAIL or ERROR)</option>${options(STATUS_ORDER)}</select></label>
<label>Severity<select id="filter-severity"><option value="">All</option>${options(SEVERITY_ORDER)}</select></label>
<label>Account<select id="filter-account"><option value="">All</option>${options(
    s.byAccount.map((a) => a.account),
    accountLabel,
  )}</select></label>
<label>Check<select id="filter-check"><option value="">All</option>${options(checks)}</select></label>
<button type="button" id="filter-reset">Clear filters</button>
</form>
<p id="shown">Showing <span id="shown-count">${findings.length}</span> of <span id="total-count">${findings.length}</span> findings</p>`;
}

function findingHtml(f: Finding): string {
  const data = `data-status="${f.status}" data-severity="${f.severity}" data-account="${e(f.account)}" data-check="${e(f.checkId)}"${f.waived ? ' data-waived="true"' : ""}`;
  // A waived finding is shown as such, with its terms, and closed: it needs no action until its waiver expires.
  const waived = f.waived
    ? ` <span class="waived">waived until ${e(f.waived.expires)} by ${e(f.waived.approvedBy)}: ${e(f.waived.reason)}</span>`
    : "";
  const error = f.error
    ? `<p class="error"><strong>${e(f.error.name)}</strong> in <code>${e(f.error.operation)}</code>: ${e(f.error.message)}</p>`
    : "";
  return `<tbody class="finding" ${data}>
<tr class="summary-row"><td class="badge s-${f.status}">${f.status}</td><td>${f.severity}</td><td><code>${e(f.checkId)}</code></td><td>${e(accountLabel(f.account))}</td><td>${e(f.region)}</td><td class="arn">${e(f.resourceArn)}</td><td class="message">${e(f.message)}${waived}</td></tr>
<tr class="detail"><td colspan="7"><details${needsAction(f) && !f.waived ? " open" : ""}><summary>Intended vs observed, remediation</summary>
${error}<div class="pair"><div><strong>Intended</strong><pre class="intended">${e(pretty(f.intended))}</pre></div><div><strong>Observed</strong><pre class="observed">${e(pretty(f.observed))}</pre></div></div>
<dl class="remediation"><dt>Console</dt><dd>${e(f.remediation.console)}</dd><dt>CLI</dt><dd><code>${e(f.remediation.cli)}</code></dd><dt>Pulumi</dt><dd>${e(f.remediation.pulumi)}</dd></dl>
</details></td></tr>
</tbody>`;
}

export function renderHtml(result: AuditResult): string {
  const s = summarize(result);
  const findings = sortFindings(result.findings);
  const head = `<tr><th>Status</th><th>Severity</th><th>Check</th><th>Account</th><th>Region</th><th>Resource</th><th>Message</th></tr>`;
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
${result.changes ? changesHtml(result.changes) : ""}${countsHtml(s)}
${accountsHtml(s)}
<section id="findings">
<h2>Findings</h2>
${filtersHtml(findings, s)}
<table id="findings-table"><thead>${head}</thead>
${findings.map(findingHtml).join("\n")}
</table>
</section>
<script>${REPORT_JS}</script>
</body>
</html>
`;
}
