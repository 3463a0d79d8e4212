import { afterEach, describe, expect, it, vi } from "vitest";
import type { AuditResult, Finding } from "../../agent/finding";
import type { NotifyOutcome } from "../../agent/notify";
import { emitRunTelemetry, METRIC_DEFINITIONS } from "../../agent/telemetry";
import { CONFIG_ERROR, FOREIGN_POLICY_FAIL, SMALL_RESULT, TRAIL_PASS } from "./report/fixtures";

const NOW = "2026-11-22T10:00:00.000Z";
const trail = "arn:aws:cloudtrail:us-east-1:111111111111:trail/orgwarden-organization-trail";
const delivery = (checkId: string, status: Finding["status"], latestDeliveryTime: string | null): Finding => ({
  ...TRAIL_PASS,
  id: `${checkId}|111111111111|us-east-1|${trail}`,
  checkId,
  status,
  observed: status === "ERROR" ? "not read" : { latestDeliveryTime, age: null, error: null, now: NOW },
});
const archive = (account: string, newestObject: string | null, status: Finding["status"] = "PASS"): Finding => ({
  ...TRAIL_PASS,
  id: `archive-delivery-freshness|${account}|us-east-1|x`,
  checkId: "archive-delivery-freshness",
  account,
  status,
  observed: { newestObject },
});
const waived: Finding = {
  ...FOREIGN_POLICY_FAIL,
  id: `${FOREIGN_POLICY_FAIL.id}#waived`,
  severity: "HIGH",
  waived: { reason: "vendor access, SEC-1", expires: "2027-01-31", approvedBy: "lead" },
};
const SECOND_ERROR: Finding = {
  ...CONFIG_ERROR,
  id: `${CONFIG_ERROR.id}#2`,
  region: "us-east-1",
  error: { name: "ThrottlingException", operation: "ListAssociations", message: "slow down" },
};

/** A known run: 8 s long, 3 of 4 accounts, S3 delivery 10 min old, CloudWatch Logs none recorded, digest unreadable. */
const RUN: AuditResult = {
  ...SMALL_RESULT,
  now: NOW,
  scope: { ...SMALL_RESULT.scope, organizationAccounts: 4 },
  incomplete: ["Security Hub rejected finding x: InvalidInput: bad"],
  findings: [
    TRAIL_PASS,
    FOREIGN_POLICY_FAIL,
    waived,
    CONFIG_ERROR,
    SECOND_ERROR,
    delivery("trail-s3-delivery", "PASS", "2026-11-22T09:50:00.000Z"),
    delivery("trail-cloudwatch-delivery", "FAIL", null),
    delivery("trail-digest-delivery", "ERROR", null),
    archive("111111111111", "2026-11-22T09:45:00.000Z"),
    archive("222222222222", "2026-11-22T07:00:00.000Z", "FAIL"),
    archive("444444444444", null, "ERROR"),
  ],
};
const NOTIFIED: NotifyOutcome = {
  triggered: true,
  newOrWorse: 1,
  message: {
    status: "failed",
    error: "SNS Publish to arn:aws:sns:us-east-1:111111111111:t: KMSAccessDeniedException: no",
  },
  event: { status: "sent", id: "e-1" },
};

/** Powertools writes through a Console over process.stdout and stderr: every line it writes, parsed. */
function captureStdout(): { lines: () => Record<string, unknown>[] } {
  const written: string[] = [];
  // ERROR lines go to stderr, the rest to stdout: Lambda sends both to the log group.
  for (const stream of [process.stdout, process.stderr])
    vi.spyOn(stream, "write").mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
  return {
    lines: () =>
      written
        .join("")
        .split("\n")
        .filter((l) => l.startsWith("{"))
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}
afterEach(() => vi.restoreAllMocks());

describe("run telemetry (Powertools Logger + Metrics, captured from stdout)", () => {
  it("writes one EMF document: namespace orgwarden, the Stack dimension only, and the exact metric names, units and values", () => {
    const out = captureStdout();
    emitRunTelemetry(RUN, ["s3://b/k/report.html"], NOTIFIED, 1);
    const emf = out.lines().filter((l) => "_aws" in l);
    expect(emf).toHaveLength(1);
    const doc = emf[0] as { _aws: { Timestamp: number; CloudWatchMetrics: unknown[] } } & Record<string, unknown>;
    expect(typeof doc._aws.Timestamp).toBe("number");
    const S = "Seconds";
    const C = "Count";
    const metrics: [string, string, number][] = [
      ["RunCompleted", C, 1],
      ["RunDurationSeconds", S, 8],
      ["AccountsAudited", C, 3],
      ["AccountsInOrganization", C, 4],
      ["RunLevelErrors", C, 1],
      ["FailCritical", C, 1],
      ["ErrorCritical", C, 0],
      ["WaivedCritical", C, 0],
      // The fixtures' delivery findings copy TRAIL_PASS's severity, HIGH.
      ["FailHigh", C, 2],
      ["ErrorHigh", C, 4],
      ["WaivedHigh", C, 1],
      ["FailMedium", C, 0],
      ["ErrorMedium", C, 0],
      ["WaivedMedium", C, 0],
      ["FailLow", C, 0],
      ["ErrorLow", C, 0],
      ["WaivedLow", C, 0],
      ["FailInformational", C, 0],
      ["ErrorInformational", C, 0],
      ["WaivedInformational", C, 0],
      // 10 minutes; CloudWatch Logs has no delivery recorded and the digest status is unreadable: both absent, not 0.
      ["NewestDeliveryAgeSecondsS3", S, 600],
      // 3 h: account 222222222222's newest object; 444444444444 unreadable is left out of the maximum.
      ["StalestAccountDeliveryAgeSeconds", S, 10_800],
      ["NewOrWorseFindings", C, 1],
      ["NotificationFailures", C, 1],
    ];
    expect(doc._aws.CloudWatchMetrics).toEqual([
      {
        Namespace: "orgwarden",
        Dimensions: [["Stack"]],
        Metrics: metrics.map(([Name, Unit]) => ({ Name, Unit })),
      },
    ]);
    const { _aws, ...values } = doc;
    void _aws;
    expect(values).toEqual({ Stack: "dev", ...Object.fromEntries(metrics.map(([n, , v]) => [n, v])) });
    // Every name emitted is a documented one.
    const documented = new Set(METRIC_DEFINITIONS.map((d) => d.name));
    expect(metrics.filter(([n]) => !documented.has(n))).toEqual([]);
  });

  it("writes one JSON log line with the run id, counts, duration and per-account errors; ERROR level when a notification failed", () => {
    const out = captureStdout();
    emitRunTelemetry(RUN, ["s3://b/k/report.html"], NOTIFIED, 1);
    const logs = out.lines().filter((l) => !("_aws" in l));
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({
      level: "ERROR",
      message: "audit run completed; a notification failed",
      service: "orgwarden-audit",
      stack: "dev",
      runId: SMALL_RESULT.runId,
      exitCode: 3,
      counts: { PASS: 3, FAIL: 4, ERROR: 4, NOT_APPLICABLE: 0, waived: 1 },
      durationSeconds: 8,
      accountsAudited: 3,
      accountsInOrganization: 4,
      accountErrors: [
        { account: "111111111111", errors: 1, failures: ["trail-digest-delivery"] },
        {
          account: "444444444444",
          errors: 3,
          failures: [
            "DescribeConfigurationRecorders: AccessDeniedException",
            "ListAssociations: ThrottlingException",
            "archive-delivery-freshness",
          ],
        },
      ],
      incomplete: RUN.incomplete,
      reports: ["s3://b/k/report.html"],
      notifications: NOTIFIED,
    });
  });

  it("a quiet, complete run logs at INFO", () => {
    const out = captureStdout();
    const quiet = { status: "skipped" as const, reason: "nothing new or worse, and the run is complete" };
    emitRunTelemetry(
      { ...RUN, findings: [TRAIL_PASS], incomplete: [] },
      [],
      { triggered: false, newOrWorse: 0, message: quiet, event: quiet },
      0,
    );
    const [log] = out.lines().filter((l) => !("_aws" in l));
    expect(log).toMatchObject({ level: "INFO", message: "audit run completed" });
  });
});
