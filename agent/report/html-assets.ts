/** Inline CSS and JS of report.html (no external URL: the file must open from disk, offline, under a strict CSP). */

export const REPORT_CSS = `
:root { --fail:#b42318; --error:#b54708; --pass:#067647; --na:#475467; --line:#d0d5dd; --bg:#f9fafb; }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0; color: #101828; background: #fff; overflow-wrap: break-word; }
/* Long unbroken values (ARNs, commands, file names, messages quoting them) may break anywhere; short labels never. */
td.message, dd, li, p { overflow-wrap: anywhere; }
th, td[data-label="Status"], td[data-label="Severity"], td[data-label="Region"], td[data-label="Change"] { white-space: nowrap; }
header, body > section { padding: 12px 24px; }
header { background: var(--bg); border-bottom: 1px solid var(--line); }
h1 { font-size: 20px; margin: 0 0 6px; }
h2 { font-size: 16px; margin: 16px 0 8px; }
h3 { font-size: 15px; margin: 12px 0 6px; }
summary h2 { display: inline; }
.verdict { display: inline-block; font-weight: 700; padding: 2px 10px; border-radius: 12px; color: #fff; }
.verdict-CLEAN { background: var(--pass); } .verdict-DRIFT { background: var(--fail); } .verdict-INCOMPLETE { background: var(--error); }
.incomplete { border: 2px solid var(--error); border-radius: 6px; padding: 4px 12px; margin: 8px 0; } .incomplete h2 { color: var(--error); margin: 4px 0; font-size: 1.1em; }
dl.meta { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 2px 12px; margin: 8px 0 0; }
dl.meta dt { color: #475467; } dl.meta dd { margin: 0; }
.cards { display: flex; gap: 12px; list-style: none; padding: 0; margin: 0; flex-wrap: wrap; }
.cards li { border: 1px solid var(--line); border-radius: 8px; padding: 8px 14px; min-width: 110px; cursor: pointer; }
.cards .n { display: block; font-size: 22px; font-weight: 700; }
table { border-collapse: collapse; width: 100%; }
#severity-table, #accounts-table { width: auto; min-width: 480px; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.badge { font-weight: 700; }
.s-FAIL { color: var(--fail); } .s-ERROR { color: var(--error); } .s-PASS { color: var(--pass); } .s-NOT_APPLICABLE { color: var(--na); }
#needs-action .severity-group h3 { border-left: 4px solid var(--fail); padding-left: 8px; }
#filters { display: flex; gap: 12px; flex-wrap: wrap; align-items: end; margin-bottom: 8px; }
#filters label { display: flex; flex-direction: column; font-size: 12px; color: #475467; max-width: 100%; }
select { max-width: 100%; }
tbody.finding tr.detail td, tbody.error-group tr.detail td { background: var(--bg); }
pre { margin: 4px 0; padding: 6px 8px; background: #fff; border: 1px solid var(--line); border-radius: 4px; white-space: pre-wrap; word-break: break-word; overflow-wrap: anywhere; max-height: 320px; overflow: auto; }
.pair { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 12px; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px; overflow-wrap: anywhere; }
.arn { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px; word-break: break-all; }
ul.pairs { margin: 4px 0; padding-left: 20px; }
dl.remediation dd { margin-left: 16px; }
/* Narrow screens: each row becomes a card, one labelled cell per line, so no table is wider than the screen. */
@media (max-width: 760px) {
  header, body > section { padding: 8px 10px; }
  dl.meta { grid-template-columns: minmax(0, 1fr); }
  dl.meta dd { margin-bottom: 4px; }
  table, thead, tbody, tr, th, td { display: block; width: auto; }
  #severity-table, #accounts-table { min-width: 0; width: auto; }
  thead { display: none; }
  tr { border-bottom: 1px solid var(--line); padding: 4px 0; }
  th, td { border: 0; padding: 2px 4px; }
  td.num, th.num { text-align: left; }
  td[data-label]::before { content: attr(data-label) ": "; color: #475467; font-size: 12px; }
  .pair { grid-template-columns: minmax(0, 1fr); }
}
`;

/**
 * Filters "All findings" by status (or "ACTION" = FAIL or ERROR), severity, account and check:
 * each finding there is a <tbody class="finding"> carrying data-status/-severity/-account/-check;
 * non-matching ones are hidden. A status card opens "All findings" filtered to its status.
 */
export const REPORT_JS = `
(function () {
  var keys = ["status", "severity", "account", "check"];
  var selects = {};
  keys.forEach(function (k) { selects[k] = document.getElementById("filter-" + k); });
  var all = document.getElementById("all-findings");
  var findings = Array.prototype.slice.call(document.querySelectorAll("#findings-table tbody.finding"));
  var shown = document.getElementById("shown-count");
  function matches(el) {
    return keys.every(function (k) {
      var want = selects[k].value;
      if (!want) return true;
      var have = el.getAttribute("data-" + k);
      if (k === "status" && want === "ACTION") return have === "FAIL" || have === "ERROR";
      return have === want;
    });
  }
  function apply() {
    var n = 0;
    findings.forEach(function (el) { var ok = matches(el); el.hidden = !ok; if (ok) n += 1; });
    shown.textContent = String(n);
  }
  keys.forEach(function (k) { selects[k].addEventListener("change", apply); });
  document.getElementById("filter-reset").addEventListener("click", function () {
    keys.forEach(function (k) { selects[k].value = ""; });
    apply();
  });
  Array.prototype.forEach.call(document.querySelectorAll("[data-status-count]"), function (card) {
    card.addEventListener("click", function () {
      selects.status.value = card.getAttribute("data-status-count");
      all.open = true;
      apply();
      all.scrollIntoView();
    });
  });
  apply();
})();
`;
