import { describe, expect, it } from "vitest";
import { diffRuns } from "../../../agent/report/diff";
import { parseJsonReport, renderJson } from "../../../agent/report/json";
import type { Finding } from "../../../agent/finding";
import { CURRENT, GUARDDUTY_FAIL, PREVIOUS } from "./runs-fixtures";
import { CONFIG_ERROR, FOREIGN_POLICY_FAIL, HOSTILE_PASS, INSPECTOR_NA, SMALL_RESULT, TRAIL_PASS } from "./fixtures";

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
