import { describe, expect, it } from "vitest";
import { summaryText } from "../../agent/cli-summary";
import { diffRuns } from "../../agent/report/diff";
import { SMALL_RESULT } from "./report/fixtures";
import { CURRENT, PREVIOUS } from "./report/runs-fixtures";
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

describe("summaryText leads with the changes", () => {
  it("new, then resolved, then changed, after the counts of all four lists", () => {
    const r = { ...CURRENT, exitCode: 1 as const, changes: diffRuns(PREVIOUS, CURRENT) };
    const lines = summaryText(r, "--previous yesterday.json").split("\n");
    expect(lines.slice(2, 9)).toEqual([
      `changes since run ${SMALL_RESULT.runId} of 2026-11-22T10:00:00.000Z (--previous yesterday.json): 2 new · 1 resolved · 1 still failing · 2 changed`,
      "NEW       HIGH          trail-logging                    111111111111/us-east-1   PASS → FAIL: The trail is not logging",
      "NEW       MEDIUM        guardduty-enabled                222222222222/eu-west-1   absent → FAIL: GuardDuty is off",
      "RESOLVED  CRITICAL      archive-bucket-policy            222222222222/us-east-1   FAIL → PASS: The bucket policy is as intended",
      "CHANGED   HIGH          config-recorder                  444444444444/eu-west-1   ERROR → FAIL: The recorder is off",
      "CHANGED   MEDIUM        log-group-retention              111111111111/us-east-1   PASS LOW → PASS MEDIUM: Retention 365 | <script>alert(1)</script> & `tick`",
      "findings: 2 PASS · 3 FAIL · 0 ERROR · 0 NOT_APPLICABLE",
    ]);
  });

  it("a first run says there was nothing to compare with", () => {
    const r = { ...CURRENT, exitCode: 1 as const, changes: diffRuns(undefined, CURRENT) };
    expect(summaryText(r).split("\n")[2]).toBe("changes: none, first run: no previous report to compare with");
  });
});
