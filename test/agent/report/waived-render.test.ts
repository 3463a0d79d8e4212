import { describe, expect, it } from "vitest";
import { summaryText } from "../../../agent/cli-summary";
import { renderHtml } from "../../../agent/report/html";
import { renderMarkdown } from "../../../agent/report/markdown";
import { applyWaivers } from "../../../agent/waivers";
import { CONFIG_ERROR, FOREIGN_POLICY_FAIL, SMALL_RESULT } from "./fixtures";

const waived = applyWaivers(
  { ...SMALL_RESULT, findings: [FOREIGN_POLICY_FAIL, CONFIG_ERROR] },
  [
    {
      checkId: "archive-bucket-policy",
      reason: "vendor | read",
      approvedBy: "alice",
      expires: "2026-12-31",
    },
  ],
  "waivers.yaml",
);

describe("waived findings are shown apart from what needs action", () => {
  it("console: not among the action lines; listed under waived with their terms", () => {
    const lines = summaryText(waived).split("\n");
    expect(lines.slice(4)).toEqual([
      "ERROR HIGH          config-recorder                  444444444444/eu-west-1   Could not read the Config recorders of 444444444444 in eu-west-1 [DescribeConfigurationRecorders: AccessDeniedException]",
      "",
      "waived: 1",
      `WAIVED FAIL  CRITICAL      archive-bucket-policy            222222222222/us-east-1   ${FOREIGN_POLICY_FAIL.message} (until 2026-12-31, alice: vendor | read)`,
      "",
      "result: audit incomplete: some state could not be read (ERROR findings) (exit 3)",
      "",
    ]);
  });

  it("Markdown: a Waived table after the findings needing action, which no longer hold it", () => {
    const md = renderMarkdown(waived);
    expect(md).toContain("## Findings needing action (1)");
    expect(md.slice(md.indexOf("## Waived"), md.indexOf("## Summary"))).toBe(
      [
        "## Waived (1)",
        "",
        "| Status | Severity | Check | Account | Region | Expires | Approved by | Reason |",
        "|---|---|---|---|---|---|---|---|",
        "| FAIL | CRITICAL | archive-bucket-policy | 222222222222 | us-east-1 | 2026-12-31 | alice | vendor \\| read |",
        "",
        "",
      ].join("\n"),
    );
  });

  it("HTML: the waived row is in its own section, marked, states its terms and starts closed", () => {
    const html = renderHtml(waived);
    const action = html.slice(html.indexOf('<section id="needs-action"'), html.indexOf('<section id="waived"'));
    const section = html.slice(html.indexOf('<section id="waived"'), html.indexOf('<section id="counts">'));
    expect(action).not.toContain("data-waived");
    expect(section).toContain("<h2>Waived (1)</h2>");
    expect(section).toContain(
      `data-check="archive-bucket-policy" data-id="${FOREIGN_POLICY_FAIL.id}" data-waived="true"`,
    );
    expect(html).toContain('<span class="waived">waived until 2026-12-31 by alice: vendor | read</span></td></tr>');
    const row = html.slice(html.indexOf('data-waived="true"'));
    expect(row.slice(row.indexOf("<details"), row.indexOf("<summary>"))).toBe("<details>");
  });
});
