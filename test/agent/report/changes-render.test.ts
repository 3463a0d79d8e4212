import { describe, expect, it } from "vitest";
import { diffRuns } from "../../../agent/report/diff";
import { renderHtml } from "../../../agent/report/html";
import { renderMarkdown } from "../../../agent/report/markdown";
import { SMALL_RESULT } from "./fixtures";
import { CURRENT, PREVIOUS } from "./runs-fixtures";

const compared = { ...CURRENT, exitCode: 1 as const, changes: diffRuns(PREVIOUS, CURRENT) };
const firstRun = { ...CURRENT, exitCode: 1 as const, changes: diffRuns(undefined, CURRENT) };

describe("Markdown and HTML lead with the changes: new, then resolved, then changed", () => {
  it("Markdown: the Changes section comes right after the header, before what needs action", () => {
    const md = renderMarkdown(compared);
    const section = md.slice(md.indexOf("## Changes"), md.indexOf("## Findings needing action"));
    expect(section).toBe(
      [
        "## Changes",
        "",
        `since run ${SMALL_RESULT.runId} of 2026-11-22T10:00:00.000Z: 2 new · 1 resolved · 1 still failing · 2 changed.`,
        "",
        "| Change | Severity | Check | Account | Region | Status | Message |",
        "|---|---|---|---|---|---|---|",
        "| New | HIGH | trail-logging | 111111111111 | us-east-1 | PASS → FAIL | The trail is not logging |",
        "| New | MEDIUM | guardduty-enabled | 222222222222 | eu-west-1 | absent → FAIL | GuardDuty is off |",
        "| Resolved | CRITICAL | archive-bucket-policy | 222222222222 | us-east-1 | FAIL → PASS | The bucket policy is as intended |",
        "| Changed | HIGH | config-recorder | 444444444444 | eu-west-1 | ERROR → FAIL | The recorder is off |",
        "| Changed | MEDIUM | log-group-retention | 111111111111 | us-east-1 | PASS LOW → PASS MEDIUM | Retention 365 \\| &lt;script&gt;alert(1)&lt;/script&gt; &amp; `tick` |",
        "",
        "",
      ].join("\n"),
    );
    expect(md.indexOf("## Changes")).toBeLessThan(md.indexOf("## Findings needing action"));
    expect(md.indexOf("## Findings needing action")).toBeLessThan(md.indexOf("## Summary"));
  });

  it("Markdown: a first run says there was nothing to compare with, and lists no change", () => {
    const md = renderMarkdown(firstRun);
    expect(md.slice(md.indexOf("## Changes"), md.indexOf("## Findings needing action"))).toBe(
      "## Changes\n\nfirst run: no previous report to compare with: 0 new · 0 resolved · 0 still failing · 0 changed.\n\n",
    );
  });

  it("HTML: the changes section is the first section after the header, every value escaped", () => {
    const html = renderHtml(compared);
    const section = html.slice(html.indexOf('<section id="changes">'), html.indexOf('<section id="needs-action"'));
    expect(section).toBe(
      [
        '<section id="changes">',
        "<h2>Changes</h2>",
        `<p>since run ${SMALL_RESULT.runId} of 2026-11-22T10:00:00.000Z: 2 new · 1 resolved · 1 still failing · 2 changed.</p>`,
        '<table id="changes-table"><thead><tr><th>Change</th><th>Severity</th><th>Check</th><th>Account</th><th>Region</th><th>Status</th><th>Message</th></tr></thead>',
        "<tbody>",
        '<tr data-change="new"><td data-label="Change">new</td><td data-label="Severity">HIGH</td><td data-label="Check">trail-logging</td><td data-label="Account">111111111111</td><td data-label="Region">us-east-1</td><td data-label="Status">PASS → FAIL</td><td data-label="Message" class="message">The trail is not logging</td></tr>',
        '<tr data-change="new"><td data-label="Change">new</td><td data-label="Severity">MEDIUM</td><td data-label="Check">guardduty-enabled</td><td data-label="Account">222222222222</td><td data-label="Region">eu-west-1</td><td data-label="Status">absent → FAIL</td><td data-label="Message" class="message">GuardDuty is off</td></tr>',
        '<tr data-change="resolved"><td data-label="Change">resolved</td><td data-label="Severity">CRITICAL</td><td data-label="Check">archive-bucket-policy</td><td data-label="Account">222222222222</td><td data-label="Region">us-east-1</td><td data-label="Status">FAIL → PASS</td><td data-label="Message" class="message">The bucket policy is as intended</td></tr>',
        '<tr data-change="changed"><td data-label="Change">changed</td><td data-label="Severity">HIGH</td><td data-label="Check">config-recorder</td><td data-label="Account">444444444444</td><td data-label="Region">eu-west-1</td><td data-label="Status">ERROR → FAIL</td><td data-label="Message" class="message">The recorder is off</td></tr>',
        '<tr data-change="changed"><td data-label="Change">changed</td><td data-label="Severity">MEDIUM</td><td data-label="Check">log-group-retention</td><td data-label="Account">111111111111</td><td data-label="Region">us-east-1</td><td data-label="Status">PASS LOW → PASS MEDIUM</td><td data-label="Message" class="message">Retention 365 | &lt;script&gt;alert(1)&lt;/script&gt; &amp; `tick`</td></tr>',
        "</tbody></table>",
        "</section>",
        "",
      ].join("\n"),
    );
    expect(html.indexOf('<section id="changes">')).toBeLessThan(html.indexOf('<section id="needs-action"'));
    expect(html.indexOf('<section id="needs-action"')).toBeLessThan(html.indexOf('<section id="findings">'));
  });

  it("reports of a run that was not compared have no changes section (runAudit alone)", () => {
    expect(renderMarkdown(SMALL_RESULT)).not.toContain("## Changes");
    expect(renderHtml(SMALL_RESULT)).not.toContain('id="changes"');
  });
});
