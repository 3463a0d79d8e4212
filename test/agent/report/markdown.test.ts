import { describe, expect, it } from "vitest";
import { renderMarkdown } from "../../../agent/report/markdown";
import { mdCode } from "../../../agent/report/markdown";
import { SMALL_RESULT } from "./fixtures";

describe("Markdown report", () => {
  it("renders the fixed result exactly: action items by severity first, then the summary table, accounts, passes listed", () => {
    const expected =
      [
        "# orgwarden audit report — dev",
        "",
        "- Result: **INCOMPLETE** (exit code 3)",
        "- Organization: `o-a1b2c3d4e5`",
        "- Clock (now): 2026-11-22T10:00:00.000Z",
        "- Started: 2026-11-22T10:00:01.000Z · Finished: 2026-11-22T10:00:09.000Z",
        "- Run id: `0b5e3a8e-6f1d-4c2a-9e7b-3d2f1a0c9b8e`",
        "- Scope: audited 3 of 3 accounts × 2 regions (111111111111, 222222222222, 444444444444) · regions: us-east-1, eu-west-1",
        "",
        "## Findings needing action (2)",
        "",
        "### CRITICAL (1)",
        "",
        "#### FAIL · archive-bucket-policy · 222222222222 · us-east-1",
        "",
        "- Resource: `arn:aws:s3:::orgwarden-dev-cloudtrail-111111111111`",
        '- Message: Statement "ForeignRead" was added and grants arn:aws:iam::999999999999:root (outside the organization) s3:GetObject',
        '- Intended: `{"statements":["DenyInsecureTransport","AWSCloudTrailWrite"]}`',
        "- Observed:",
        "",
        "  ~~~json",
        "  {",
        '    "added": [',
        "      {",
        '        "Sid": "ForeignRead",',
        '        "Principal": {',
        '          "AWS": "arn:aws:iam::999999999999:root"',
        "        },",
        '        "Action": [',
        '          "s3:GetObject",',
        '          "s3:ListBucket"',
        "        ]",
        "      }",
        "    ]",
        "  }",
        "  ~~~",
        "",
        "- Remediation:",
        "  - Console: Console: s3api put-bucket-policy",
        "  - CLI: `aws s3api put-bucket-policy`",
        "  - Pulumi: pulumi up restores s3api put-bucket-policy",
        "",
        "### HIGH (1)",
        "",
        "#### ERROR · config-recorder · 444444444444 · eu-west-1",
        "",
        "- Resource: `arn:aws:config:eu-west-1:444444444444:config-recorder/default`",
        "- Message: Could not read the Config recorders of 444444444444 in eu-west-1",
        "- Intended: `recording, all supported types`",
        "- Observed: `not read: AccessDeniedException`",
        "- Error: `AccessDeniedException` in `DescribeConfigurationRecorders`: User is not authorized",
        "- Remediation:",
        "  - Console: Console: configservice describe-configuration-recorders",
        "  - CLI: `aws configservice describe-configuration-recorders`",
        "  - Pulumi: pulumi up restores configservice describe-configuration-recorders",
        "",
        "## Summary",
        "",
        "| Severity | FAIL | ERROR | PASS | NOT_APPLICABLE | Total |",
        "|---|---:|---:|---:|---:|---:|",
        "| CRITICAL | 1 | 0 | 0 | 0 | 1 |",
        "| HIGH | 0 | 1 | 1 | 0 | 2 |",
        "| MEDIUM | 0 | 0 | 0 | 1 | 1 |",
        "| LOW | 0 | 0 | 1 | 0 | 1 |",
        "| INFORMATIONAL | 0 | 0 | 0 | 0 | 0 |",
        "| **Total** | 1 | 1 | 2 | 1 | 5 |",
        "",
        "## Accounts",
        "",
        "| Account | FAIL | ERROR | PASS | NOT_APPLICABLE | Total |",
        "|---|---:|---:|---:|---:|---:|",
        "| 111111111111 | 0 | 0 | 2 | 0 | 2 |",
        "| 222222222222 | 1 | 0 | 0 | 0 | 1 |",
        "| 444444444444 | 0 | 1 | 0 | 0 | 1 |",
        "| organization-wide | 0 | 0 | 0 | 1 | 1 |",
        "",
        "## Passed and not applicable (3)",
        "",
        "| Status | Severity | Check | Account | Region | Message |",
        "|---|---|---|---|---|---|",
        "| PASS | HIGH | trail-logging | 111111111111 | us-east-1 | The organization trail is logging |",
        "| NOT_APPLICABLE | MEDIUM | inspector-enabled | organization-wide | global | Inspector is not governed in this stack |",
        "| PASS | LOW | log-group-retention | 111111111111 | us-east-1 | Retention 365 \\| &lt;script&gt;alert(1)&lt;/script&gt; &amp; `tick` |",
      ].join("\n") + "\n";
    expect(renderMarkdown(SMALL_RESULT)).toBe(expected);
  });

  it("says so when nothing needs action, and still lists every pass", () => {
    const clean = {
      ...SMALL_RESULT,
      exitCode: 0 as const,
      findings: SMALL_RESULT.findings.filter((f) => f.status === "PASS"),
    };
    const md = renderMarkdown(clean);
    expect(md).toContain("- Result: **CLEAN** (exit code 0)\n");
    expect(md).toContain(
      "## Findings needing action (0)\n\nNone: every check passed or did not apply, or was waived.\n",
    );
    expect(md).toContain("## Passed and not applicable (2)\n");
    expect(md.match(/^\| PASS \|/gm)).toHaveLength(2);
  });

  it("code spans survive backticks inside the value", () => {
    expect(mdCode("plain")).toBe("`plain`");
    expect(mdCode("a `b` c")).toBe("``a `b` c``");
    expect(mdCode("`edge`")).toBe("`` `edge` ``");
  });
});
