import { describe, expect, it } from "vitest";
import { diffRuns } from "../../../agent/report/diff";
import { renderHtml } from "../../../agent/report/html";
import { renderMarkdown } from "../../../agent/report/markdown";
import { SMALL_RESULT } from "./fixtures";
import { CURRENT, PREVIOUS } from "./runs-fixtures";

const compared = { ...CURRENT, exitCode: 1 as const, changes: diffRuns(PREVIOUS, CURRENT) };
const firstRun = { ...CURRENT, exitCode: 1 as const, changes: diffRuns(undefined, CURRENT) };

describe("Markdown and HTML lead with the changes: new, then resolved, then changed", () => {
  it("Markdown: the Changes section comes right after the header, before the summary table", () => {
    const md = renderMarkdown(compared);
    const section = md.slice(md.indexOf("## Changes"), md.indexOf("## Summary"));
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
  });

  it("Markdown: a first run says there was nothing to compare with, and lists no change", () => {
    const md = renderMarkdown(firstRun);
    expect(md.slice(md.indexOf("## Changes"), md.indexOf("## Summary"))).toBe(
      "## Changes\n\nfirst run: no previous report to compare with: 0 new · 0 resolved · 0 still failing · 0 changed.\n\n",
    );
  });

  it("HTML: the changes section is the first section after the header, every value escaped", () => {
    const html = renderHtml(compared);
    const section = html.slice(html.indexOf('<section id="changes">'), html.indexOf('<section id="counts">'));
    expect(section).toBe(
      [
        '<section id="changes">',
        "<h2>Changes</h2>",
        `<p>since run ${SMALL_RESULT.runId} of 2026-11-22T10:00:00.000Z: 2 new · 1 resolved · 1 still failing · 2 changed.</p>`,
        '<table id="changes-table"><thead><tr><th>Change</th><th>Severity</th><th>Check</th><th>Account</th><th>Region</th><th>Status</th><th>Message</th></tr></thead>',
        "<tbody>",
        '<tr data-change="new"><td>new</td><td>HIGH</td><td>trail-logging</td><td>111111111111</td><td>us-east-1</td><td>PASS → FAIL</td><td>The trail is not logging</td></tr>',
        '<tr data-change="new"><td>new</td><td>MEDIUM</td><td>guardduty-enabled</td><td>222222222222</td><td>eu-west-1</td><td>absent → FAIL</td><td>GuardDuty is off</td></tr>',
        '<tr data-change="resolved"><td>resolved</td><td>CRITICAL</td><td>archive-bucket-policy</td><td>222222222222</td><td>us-east-1</td><td>FAIL → PASS</td><td>The bucket policy is as intended</td></tr>',
        '<tr data-change="changed"><td>changed</td><td>HIGH</td><td>config-recorder</td><td>444444444444</td><td>eu-west-1</td><td>ERROR → FAIL</td><td>The recorder is off</td></tr>',
        '<tr data-change="changed"><td>changed</td><td>MEDIUM</td><td>log-group-retention</td><td>111111111111</td><td>us-east-1</td><td>PASS LOW → PASS MEDIUM</td><td>Retention 365 | &lt;script&gt;alert(1)&lt;/script&gt; &amp; `tick`</td></tr>',
        "</tbody></table>",
        "</section>",
        "",
      ].join("\n"),
    );
    expect(html.indexOf('<section id="changes">')).toBeLessThan(html.indexOf('<section id="findings">'));
  });

  it("reports of a run that was not compared have no changes section (runAudit alone)", () => {
    expect(renderMarkdown(SMALL_RESULT)).not.toContain("## Changes");
    expect(renderHtml(SMALL_RESULT)).not.toContain('id="changes"');
  });
});
