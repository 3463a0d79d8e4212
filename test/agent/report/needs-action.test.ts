import { describe, expect, it } from "vitest";
import { summaryText } from "../../../agent/cli-summary";
import type { Finding } from "../../../agent/finding";
import { accountLabel } from "../../../agent/report/accounts";
import { actionItems, generalise, groupTitle } from "../../../agent/report/groups";
import { renderHtml } from "../../../agent/report/html";
import { parseJsonReport, renderJson } from "../../../agent/report/json";
import { renderMarkdown } from "../../../agent/report/markdown";
import {
  DEV,
  LOG,
  MGMT,
  NAMED_RESULT,
  POLICY_FAIL,
  PROD,
  SEC,
  SSM_ERRORS,
  SSM_THROTTLED,
  WAIVED_FAIL,
} from "./named-fixtures";

const kinds = (fs: Finding[]) =>
  actionItems(fs).map((i) => (i.kind === "group" ? `group of ${i.group.findings.length}` : i.finding.id));

describe("needs action: identical ERRORs across accounts × regions are one entry", () => {
  it("folds the 10 denials into one group, keeps the throttled one apart, the CRITICAL FAIL first, the waived FAIL out", () => {
    expect(kinds(NAMED_RESULT.findings)).toEqual([POLICY_FAIL.id, "group of 10", SSM_THROTTLED.id]);
    const g = actionItems(NAMED_RESULT.findings)[1];
    if (g.kind !== "group") throw new Error("expected a group");
    expect(groupTitle(g.group)).toBe("ListAssociations failed in 10 account × region pairs");
    expect(g.group.message).toBe(
      "User: arn:aws:sts::<account>:assumed-role/orgwarden-audit-read/orgwarden-audit is not authorized to perform: ssm:ListAssociations on resource: arn:aws:ssm:<region>:<account>:*",
    );
    expect(new Set(g.group.findings.map((f) => f.id))).toEqual(new Set(SSM_ERRORS.map((f) => f.id)));
  });

  const base = SSM_ERRORS[0];
  const other = SSM_ERRORS[3];
  it.each([
    ["another check", { checkId: "config-recorder" }],
    ["another severity", { severity: "HIGH" as const }],
    ["another operation", { error: { ...other.error!, operation: "DescribeAssociation" } }],
    ["another error name", { error: { ...other.error!, name: "AccessDenied" } }],
    ["another kind", { error: { ...other.error!, kind: "other" as const } }],
    ["a message that differs beyond its account and region", { error: { ...other.error!, message: "denied" } }],
  ])("%s: not grouped", (_what, change) => {
    expect(kinds([base, { ...other, ...change }])).toHaveLength(2);
  });

  it("two alike are grouped; one alone, a FAIL, or a waived ERROR never are", () => {
    expect(kinds([base, other])).toEqual(["group of 2"]);
    expect(kinds([base])).toEqual([base.id]);
    const waived = { ...other, waived: { reason: "r", expires: "2026-12-31", approvedBy: "a" } };
    expect(kinds([base, waived])).toEqual([base.id]);
    const fail = (f: Finding): Finding => ({ ...f, status: "FAIL", error: undefined });
    expect(kinds([fail(base), fail(other)])).toHaveLength(2);
  });

  it("generalises the finding's own account and region only, as whole tokens", () => {
    const f = { account: DEV, region: "us-east-1" };
    expect(generalise(`arn:aws:ssm:us-east-1:${DEV}:x in us-east-1b for ${PROD}`, f)).toBe(
      `arn:aws:ssm:<region>:<account>:x in us-east-1b for ${PROD}`,
    );
    expect(generalise("global as it is", { account: "-", region: "global" })).toBe("global as it is");
  });
});

describe("accounts are named with their role in every format", () => {
  it("labels: name, id and role; a member by name and id; an unnamed member by id; organization-wide", () => {
    expect(accountLabel(NAMED_RESULT, MGMT)).toBe("acme-management (111111111111, management)");
    expect(accountLabel(NAMED_RESULT, LOG)).toBe("acme-log-archive (222222222222, log-archive)");
    expect(accountLabel(NAMED_RESULT, SEC)).toBe("acme-security (333333333333, security)");
    expect(accountLabel(NAMED_RESULT, DEV)).toBe("payments-dev (444444444444)");
    expect(accountLabel(NAMED_RESULT, PROD)).toBe(PROD);
    expect(accountLabel({ accounts: { [MGMT]: { name: null, role: "management" } } }, MGMT)).toBe(
      "111111111111 (management)",
    );
    expect(accountLabel(NAMED_RESULT, "-")).toBe("organization-wide");
    expect(accountLabel({}, DEV)).toBe(DEV);
  });

  it("JSON carries the accounts map and the intended documents, and reads them back unchanged; every finding stays", () => {
    const back = parseJsonReport(renderJson(NAMED_RESULT));
    expect(back.accounts).toEqual(NAMED_RESULT.accounts);
    expect(back.intendedDocuments).toEqual(NAMED_RESULT.intendedDocuments);
    expect(back.findings).toEqual(NAMED_RESULT.findings);
  });

  it("JSON refuses an unknown role, naming the path", () => {
    const raw = JSON.parse(renderJson(NAMED_RESULT));
    raw.accounts[DEV].role = "workload";
    expect(() => parseJsonReport(JSON.stringify(raw))).toThrow(`accounts.${DEV}.role`);
  });
});

describe("Markdown: needs action first, the group as one entry listing its pairs", () => {
  const md = renderMarkdown(NAMED_RESULT);

  it("orders the sections: needs action, waived, summary, accounts, passed", () => {
    const order = ["## Findings needing action (12)", "## Waived (1)", "## Summary", "## Accounts", "## Passed"];
    const at = order.map((h) => md.indexOf(h));
    expect(at.every((i) => i > 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(md.indexOf("### CRITICAL (1)")).toBeLessThan(md.indexOf("### MEDIUM (11)"));
  });

  it("renders the group once, with the failure and every pair by name", () => {
    const block = md.slice(md.indexOf("#### ERROR · ssm-agent-associations · ListAssociations failed"));
    expect(block.split("\n").slice(0, 5)).toEqual([
      "#### ERROR · ssm-agent-associations · ListAssociations failed in 10 account × region pairs",
      "",
      "- Error: `AccessDeniedException` in `ListAssociations` (access-denied): User: arn:aws:sts::&lt;account&gt;:assumed-role/orgwarden-audit-read/orgwarden-audit is not authorized to perform: ssm:ListAssociations on resource: arn:aws:ssm:&lt;region&gt;:&lt;account&gt;:*",
      "- Message: The SSM agent associations in &lt;account&gt;/&lt;region&gt;: not evaluated, because ListAssociations was denied (AccessDeniedException: User: arn:aws:sts::&lt;account&gt;:assumed-role/orgwarden-audit-read/orgwarden-audit is not authorized to perform: ssm:ListAssociations). Grant the audit read role ssm:ListAssociations, then run the audit again.",
      "- Pairs (10): acme-management (111111111111, management) / eu-west-1 · acme-management (111111111111, management) / us-east-1 · acme-log-archive (222222222222, log-archive) / eu-west-1 · acme-log-archive (222222222222, log-archive) / us-east-1 · acme-security (333333333333, security) / eu-west-1 · acme-security (333333333333, security) / us-east-1 · payments-dev (444444444444) / eu-west-1 · payments-dev (444444444444) / us-east-1 · 555555555555 / eu-west-1 · 555555555555 / us-east-1",
    ]);
    expect(block).toContain("  - CLI: `aws ssm list-associations --region <region>`");
    expect(md.match(/^#### ERROR/gm)).toHaveLength(2);
    // None of the ten is rendered on its own.
    for (const f of SSM_ERRORS) expect(md).not.toContain(`- Resource: \`${f.resourceArn}\``);
  });

  it("names the intended document beside the CLI command that reads it", () => {
    expect(md).toContain(`  - CLI: \`${POLICY_FAIL.remediation.cli}\``);
    expect(md).toContain(
      `  - Intended document: \`${POLICY_FAIL.remediation.intendedFile}\` (beside this report; run the CLI command in the report directory)`,
    );
    expect(md).toContain("| FAIL | HIGH | guardduty-enabled | payments-dev (444444444444) | eu-west-1 | 2026-12-31 |");
  });
});

describe("console summary: the group as one line plus its pairs", () => {
  it("lists the FAIL, the group, the lone throttled ERROR, then the waived one", () => {
    const lines = summaryText(NAMED_RESULT).split("\n");
    expect(lines.slice(4, 8)).toEqual([
      `FAIL  CRITICAL      archive-bucket-policy            acme-log-archive (222222222222, log-archive)/us-east-1 ${POLICY_FAIL.message}`,
      "ERROR MEDIUM        ssm-agent-associations           10 pairs                 ListAssociations failed in 10 account × region pairs: AccessDeniedException: User: arn:aws:sts::<account>:assumed-role/orgwarden-audit-read/orgwarden-audit is not authorized to perform: ssm:ListAssociations on resource: arn:aws:ssm:<region>:<account>:*",
      "      pairs: acme-management (111111111111, management)/eu-west-1, acme-management (111111111111, management)/us-east-1, acme-log-archive (222222222222, log-archive)/eu-west-1, acme-log-archive (222222222222, log-archive)/us-east-1, acme-security (333333333333, security)/eu-west-1, acme-security (333333333333, security)/us-east-1, payments-dev (444444444444)/eu-west-1, payments-dev (444444444444)/us-east-1, 555555555555/eu-west-1, 555555555555/us-east-1",
      `ERROR MEDIUM        ssm-agent-associations           payments-dev (444444444444)/ap-southeast-2 ${SSM_THROTTLED.message} [ListAssociations: ThrottlingException]`,
    ]);
    expect(lines).toContain(
      `WAIVED FAIL  HIGH          guardduty-enabled                payments-dev (444444444444)/eu-west-1 ${WAIVED_FAIL.message} (until 2026-12-31, alice: sandbox account, closing in December)`,
    );
  });
});

describe("HTML: changes, then needs action by severity, then waived; everything else one click away", () => {
  const html = renderHtml(NAMED_RESULT);
  const section = (id: string, next: string) => html.slice(html.indexOf(`<section id="${id}"`), html.indexOf(next));

  it("needs action holds the FAIL, one group and the lone ERROR, CRITICAL first, and nothing waived or passed", () => {
    const action = section("needs-action", '<section id="waived"');
    expect(action).toContain("<h2>Needs action (12)</h2>");
    expect(action.match(/data-severity-group="(\w+)"/g)).toEqual([
      'data-severity-group="CRITICAL"',
      'data-severity-group="MEDIUM"',
    ]);
    expect(action.match(/<tbody class="error-group"/g)).toHaveLength(1);
    expect(action.match(/<li data-pair=/g)).toHaveLength(10);
    expect(action.match(/<tbody class="finding"/g)).toHaveLength(2);
    expect(action).not.toContain('data-status="PASS"');
    expect(action).not.toContain("data-waived");
    expect(action).toContain(
      '<strong class="group-title">ListAssociations failed in 10 account × region pairs</strong>',
    );
    expect(action).toContain('<li data-pair="444444444444/eu-west-1">payments-dev (444444444444) · eu-west-1 · ');
  });

  it("the intended document is named beside the command, and the All findings section starts closed with every finding", () => {
    expect(html).toContain(
      `<dt>Intended document</dt><dd><code class="intended-file">${POLICY_FAIL.remediation.intendedFile!.replace(/&/g, "&amp;")}</code>`,
    );
    const all = html.slice(html.indexOf('<section id="findings">'));
    expect(all).toContain(
      '<details id="all-findings"><summary><h2>All findings (16: 2 FAIL, 11 ERROR, 3 PASS, 0 NOT_APPLICABLE)</h2></summary>',
    );
    expect(all.match(/<tbody class="finding"/g)).toHaveLength(NAMED_RESULT.findings.length);
    expect(all).not.toContain("<details open>");
    expect(all).toContain('<option value="444444444444">payments-dev (444444444444)</option>');
  });
});
