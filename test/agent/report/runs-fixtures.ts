/** Two consecutive runs over the SMALL_RESULT fixtures, for the diff and for every format that leads with it. */
import type { AuditResult, Finding } from "../../../agent/finding";
import { CONFIG_ERROR, FOREIGN_POLICY_FAIL, HOSTILE_PASS, SMALL_RESULT, TRAIL_PASS } from "./fixtures";

export const NEXT_RUN_ID = "1c6f4b9f-7a2e-4d3b-8f8c-4e3a2b1d0c9f";
export const PREVIOUS: AuditResult = {
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
export const GUARDDUTY_FAIL: Finding = {
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
export const CURRENT: AuditResult = {
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
