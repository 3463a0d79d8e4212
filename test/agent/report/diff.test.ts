import { describe, expect, it } from "vitest";
import { diffRuns } from "../../../agent/report/diff";
import { parseJsonReport, renderJson } from "../../../agent/report/json";
import type { AuditResult, Finding } from "../../../agent/finding";
import { CONFIG_ERROR, FOREIGN_POLICY_FAIL, HOSTILE_PASS, INSPECTOR_NA, SMALL_RESULT, TRAIL_PASS } from "./fixtures";

const NEXT_RUN_ID = "1c6f4b9f-7a2e-4d3b-8f8c-4e3a2b1d0c9f";
const PREVIOUS: AuditResult = {
  ...SMALL_RESULT,
  changes: {
    previousRunId: null,
    previousNow: null,
    new: [],
    resolved: [],
    // The config ERROR has been failing since the run of the 20th: that date must be carried forward.
    stillFailing: [
      {
        id: CONFIG_ERROR.id,
        checkId: "config-recorder",
        account: "444444444444",
        region: "eu-west-1",
        resourceArn: CONFIG_ERROR.resourceArn,
        now: { status: "ERROR", severity: "HIGH" },
        before: { status: "ERROR", severity: "HIGH" },
        message: CONFIG_ERROR.message,
        firstSeen: "2026-11-20T10:00:00.000Z",
      },
    ],
    changed: [],
  },
};
const GUARDDUTY_FAIL: Finding = {
  ...TRAIL_PASS,
  id: "guardduty-enabled|222222222222|eu-west-1|arn:aws:guardduty:eu-west-1:222222222222:detector/d",
  checkId: "guardduty-enabled",
  status: "FAIL",
  severity: "MEDIUM",
  account: "222222222222",
  region: "eu-west-1",
  resourceArn: "arn:aws:guardduty:eu-west-1:222222222222:detector/d",
  message: "GuardDuty is off",
};
// The bucket policy was fixed, the trail stopped logging, the config ERROR became a FAIL, a passing
// finding was raised to MEDIUM, Inspector's NOT_APPLICABLE is gone and GuardDuty fails for the first time.
const CURRENT: AuditResult = {
  ...SMALL_RESULT,
  runId: NEXT_RUN_ID,
  now: "2026-11-23T10:00:00.000Z",
  findings: [
    { ...HOSTILE_PASS, severity: "MEDIUM" },
    { ...TRAIL_PASS, status: "FAIL", message: "The trail is not logging" },
    { ...CONFIG_ERROR, status: "FAIL", message: "The recorder is off", error: undefined },
    { ...FOREIGN_POLICY_FAIL, status: "PASS", message: "The bucket policy is as intended" },
    GUARDDUTY_FAIL,
  ],
};
const where = (f: Finding) => ({
  id: f.id,
  checkId: f.checkId,
  account: f.account,
  region: f.region,
  resourceArn: f.resourceArn,
});

describe("diffRuns", () => {
  it("without a previous report says so and lists nothing, rather than calling everything new", () => {
    expect(diffRuns(undefined, SMALL_RESULT)).toEqual({
      previousRunId: null,
      previousNow: null,
      new: [],
      resolved: [],
      stillFailing: [],
      changed: [],
    });
  });

  it("sorts every finding id into new, resolved, still failing (first seen carried) and changed", () => {
    expect(diffRuns(PREVIOUS, CURRENT)).toEqual({
      previousRunId: SMALL_RESULT.runId,
      previousNow: "2026-11-22T10:00:00.000Z",
      new: [
        {
          ...where(TRAIL_PASS),
          now: { status: "FAIL", severity: "HIGH" },
          before: { status: "PASS", severity: "HIGH" },
          message: "The trail is not logging",
          firstSeen: "2026-11-23T10:00:00.000Z",
        },
        {
          ...where(GUARDDUTY_FAIL),
          now: { status: "FAIL", severity: "MEDIUM" },
          before: null,
          message: "GuardDuty is off",
          firstSeen: "2026-11-23T10:00:00.000Z",
        },
      ],
      resolved: [
        {
          ...where(FOREIGN_POLICY_FAIL),
          now: { status: "PASS", severity: "CRITICAL" },
          before: { status: "FAIL", severity: "CRITICAL" },
          message: "The bucket policy is as intended",
        },
      ],
      stillFailing: [
        {
          ...where(CONFIG_ERROR),
          now: { status: "FAIL", severity: "HIGH" },
          before: { status: "ERROR", severity: "HIGH" },
          message: "The recorder is off",
          firstSeen: "2026-11-20T10:00:00.000Z",
        },
      ],
      changed: [
        {
          ...where(CONFIG_ERROR),
          now: { status: "FAIL", severity: "HIGH" },
          before: { status: "ERROR", severity: "HIGH" },
          message: "The recorder is off",
        },
        {
          ...where(HOSTILE_PASS),
          now: { status: "PASS", severity: "MEDIUM" },
          before: { status: "PASS", severity: "LOW" },
          message: HOSTILE_PASS.message,
        },
      ],
    });
    expect(INSPECTOR_NA.id).not.toBe(GUARDDUTY_FAIL.id);
  });

  it("a still-failing finding the previous report has no changes for was first seen in the previous run", () => {
    const c = diffRuns(SMALL_RESULT, CURRENT);
    expect(c.stillFailing.map((s) => [s.id, s.firstSeen])).toEqual([[CONFIG_ERROR.id, "2026-11-22T10:00:00.000Z"]]);
  });

  it("refuses a previous report of another stack", () => {
    expect(() => diffRuns({ ...PREVIOUS, stack: "prod" }, CURRENT)).toThrow(
      "the previous report is of stack prod, this run is of stack dev",
    );
  });

  it("report.json carries the changes in full and reads them back", () => {
    const withChanges = { ...CURRENT, changes: diffRuns(PREVIOUS, CURRENT) };
    expect(parseJsonReport(renderJson(withChanges))).toEqual(JSON.parse(JSON.stringify(withChanges)));
  });
});
