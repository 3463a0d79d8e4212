import { describe, expect, it } from "vitest";
import { summaryText } from "../../agent/cli-summary";
import { findingId, type AuditResult, type Finding } from "../../agent/finding";

const withId = (x: Omit<Finding, "id"> & { id?: string }): Finding => ({ ...x, id: findingId(x) });

const remediation = { console: "c", cli: "l", pulumi: "p" };
const f = (over: Partial<Finding>): Finding =>
  withId({
    checkId: "trail-logging",
    status: "PASS",
    severity: "HIGH",
    account: "111111111111",
    region: "us-east-1",
    resourceArn: "arn:aws:cloudtrail:us-east-1:111111111111:trail/t",
    intended: true,
    observed: true,
    message: "ok",
    remediation,
    ...over,
  });

describe("summaryText", () => {
  it("counts every status and lists FAIL and ERROR worst severity first, with the failed call for an ERROR", () => {
    const result: AuditResult = {
      reportSchemaVersion: 1,
      runId: "00000000-0000-4000-8000-000000000000",
      stack: "prod",
      organizationId: "o-a1b2c3d4e5",
      now: "2026-03-01T12:00:00.000Z",
      startedAt: "2026-03-01T12:00:00.000Z",
      finishedAt: "2026-03-01T12:00:05.000Z",
      scope: {
        accounts: ["111111111111", "444444444444"],
        regions: ["us-east-1", "eu-west-1"],
        organizationAccounts: 2,
      },
      incomplete: [],
      findings: [
        f({}),
        f({
          checkId: "guardduty-enabled",
          status: "ERROR",
          severity: "MEDIUM",
          account: "444444444444",
          message: "not evaluated",
          error: { name: "AccessDenied", operation: "ListDetectors", message: "x" },
        }),
        f({
          checkId: "archive-bucket-policy",
          status: "FAIL",
          severity: "CRITICAL",
          account: "222222222222",
          message: "statement ForeignRead added",
        }),
        f({
          checkId: "accounts-enrolled",
          status: "NOT_APPLICABLE",
          severity: "HIGH",
          account: "111111111111",
          message: "management",
        }),
      ],
      exitCode: 3,
    };
    expect(summaryText(result)).toBe(
      [
        "orgwarden audit · stack prod · organization o-a1b2c3d4e5 · clock 2026-03-01T12:00:00.000Z",
        "scope: audited 2 of 2 accounts × 2 regions (us-east-1, eu-west-1)",
        "findings: 1 PASS · 1 FAIL · 1 ERROR · 1 NOT_APPLICABLE",
        "",
        "FAIL  CRITICAL      archive-bucket-policy            222222222222/us-east-1   statement ForeignRead added",
        "ERROR MEDIUM        guardduty-enabled                444444444444/us-east-1   not evaluated [ListDetectors: AccessDenied]",
        "",
        "result: audit incomplete: some state could not be read (ERROR findings) (exit 3)",
        "",
      ].join("\n"),
    );
  });

  it("a clean result says so", () => {
    const text = summaryText({
      reportSchemaVersion: 1,
      runId: "00000000-0000-4000-8000-000000000000",
      stack: "dev",
      organizationId: "o-a1b2c3d4e5",
      now: "2026-03-01T12:00:00.000Z",
      startedAt: "2026-03-01T12:00:00.000Z",
      finishedAt: "2026-03-01T12:00:01.000Z",
      scope: { accounts: ["111111111111"], regions: ["us-east-1"], organizationAccounts: 1 },
      incomplete: [],
      findings: [f({})],
      exitCode: 0,
    });
    expect(
      text.endsWith(
        "findings: 1 PASS · 0 FAIL · 0 ERROR · 0 NOT_APPLICABLE\n\nresult: clean: every check passed (exit 0)\n",
      ),
    ).toBe(true);
  });
});
