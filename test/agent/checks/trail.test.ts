import { describe, expect, it } from "vitest";
import * as cw from "../../../agent/checks/trail/trail-cloudwatch-delivery";
import * as configuration from "../../../agent/checks/trail/trail-configuration";
import * as digest from "../../../agent/checks/trail/trail-digest-delivery";
import * as selectors from "../../../agent/checks/trail/trail-event-selectors";
import * as logging from "../../../agent/checks/trail/trail-logging";
import * as s3 from "../../../agent/checks/trail/trail-s3-delivery";
import { collected, type ObservedState, type ObservedTrail, type ObservedTrailStatus } from "../../../agent/model";
import { basicToAdvanced, intendedTrailSelectors, type EventSelectorModel } from "../../../baseline/event-selectors";
import {
  BUCKET,
  cleanManifest,
  cleanObserved,
  CTX,
  failedRead,
  HOME,
  KEY_ARN,
  minutesAgo,
  NOW,
  ORG,
  readError,
  TRAIL_ARN,
} from "./fixtures";

function trailOf(o: ObservedState): ObservedTrail {
  if (!o.cloudTrail.trails.ok) throw new Error("fixture");
  return o.cloudTrail.trails.value[0];
}
function statusOf(o: ObservedState): ObservedTrailStatus {
  if (!o.cloudTrail.status.ok || !o.cloudTrail.status.value) throw new Error("fixture");
  return o.cloudTrail.status.value;
}

describe("trail-logging", () => {
  it("PASS", () => {
    expect(logging.evaluate(cleanObserved(), cleanManifest(), CTX)).toMatchObject([
      {
        status: "PASS",
        severity: "CRITICAL",
        resourceArn: TRAIL_ARN,
        message: "Trail orgwarden-org-trail is logging.",
      },
    ]);
  });
  it("FAIL: stopped", () => {
    const o = cleanObserved();
    statusOf(o).isLogging = false;
    expect(logging.evaluate(o, cleanManifest(), CTX)).toMatchObject([
      {
        status: "FAIL",
        intended: { trailArn: TRAIL_ARN, isLogging: true },
        observed: { trailArn: TRAIL_ARN, isLogging: false },
        message: `Trail orgwarden-org-trail exists but is not logging: no API activity is being recorded. Start it (aws cloudtrail start-logging --name ${TRAIL_ARN}).`,
      },
    ]);
  });
  it("FAIL: the trail does not exist (status read back as absent)", () => {
    const o = cleanObserved();
    o.cloudTrail.trails = collected([]);
    o.cloudTrail.status = collected(undefined);
    expect(logging.evaluate(o, cleanManifest(), CTX)[0].status).toBe("FAIL");
  });
  it("a trail of the same name in another account is not the intended trail", () => {
    const o = cleanObserved();
    trailOf(o).arn = TRAIL_ARN.replace(ORG.management, ORG.member);
    expect(logging.evaluate(o, cleanManifest(), CTX)[0].status).toBe("FAIL");
  });
});

describe("trail-configuration", () => {
  it("PASS: one finding per setting", () => {
    const f = configuration.evaluate(cleanObserved(), cleanManifest(), CTX);
    expect(f.map((x) => [x.status, x.intended])).toEqual([
      ["PASS", { IsMultiRegionTrail: true }],
      ["PASS", { IncludeGlobalServiceEvents: true }],
      ["PASS", { LogFileValidationEnabled: true }],
      ["PASS", { KmsKeyId: KEY_ARN }],
      ["PASS", { S3BucketName: "orgwarden-prod-cloudtrail-222222222222" }],
    ]);
  });

  const otherKey = `arn:aws:kms:${HOME}:${ORG.security}:key/99999999-12ab-34cd-56ef-1234567890ab`;
  const cases: [string, (t: ObservedTrail) => void, string, string][] = [
    [
      "single-region",
      (t) => (t.isMultiRegionTrail = false),
      "IsMultiRegionTrail",
      "Trail orgwarden-org-trail IsMultiRegionTrail: it records its home region only; set IsMultiRegionTrail to true.",
    ],
    [
      "no global events",
      (t) => (t.includeGlobalServiceEvents = false),
      "IncludeGlobalServiceEvents",
      "Trail orgwarden-org-trail IncludeGlobalServiceEvents: IAM, STS and other global events are not recorded; set IncludeGlobalServiceEvents to true.",
    ],
    [
      "validation off",
      (t) => (t.logFileValidationEnabled = false),
      "LogFileValidationEnabled",
      "Trail orgwarden-org-trail LogFileValidationEnabled: tampering with log files cannot be detected; enable log file validation.",
    ],
    [
      "another key",
      (t) => (t.kmsKeyId = otherKey),
      "KmsKeyId",
      `Trail orgwarden-org-trail KmsKeyId: log files are not encrypted with the intended key: the key is ${otherKey}, not the intended ${KEY_ARN}.`,
    ],
    [
      "no key",
      (t) => delete t.kmsKeyId,
      "KmsKeyId",
      "Trail orgwarden-org-trail KmsKeyId: log files are not encrypted with the intended key: no KMS key is set.",
    ],
    [
      "the key named by alias",
      (t) => (t.kmsKeyId = `arn:aws:kms:${HOME}:${ORG.security}:alias/orgwarden-logs`),
      "KmsKeyId",
      `Trail orgwarden-org-trail KmsKeyId: log files are not encrypted with the intended key: the key is named through the alias arn:aws:kms:${HOME}:${ORG.security}:alias/orgwarden-logs, which can be re-pointed at another key; name it by its key ARN ${KEY_ARN}.`,
    ],
    [
      "the intended key id resolved in the wrong account",
      (t) => (t.kmsKeyId = "1234abcd-12ab-34cd-56ef-1234567890ab"),
      "KmsKeyId",
      `Trail orgwarden-org-trail KmsKeyId: log files are not encrypted with the intended key: the key is arn:aws:kms:${HOME}:${ORG.management}:key/1234abcd-12ab-34cd-56ef-1234567890ab (the bare key id 1234abcd-12ab-34cd-56ef-1234567890ab resolves to arn:aws:kms:${HOME}:${ORG.management}:key/1234abcd-12ab-34cd-56ef-1234567890ab), not the intended ${KEY_ARN}.`,
    ],
    [
      "another bucket",
      (t) => (t.s3BucketName = "someone-elses-bucket"),
      "S3BucketName",
      "Trail orgwarden-org-trail S3BucketName: it delivers to someone-elses-bucket, not the archive bucket orgwarden-prod-cloudtrail-222222222222.",
    ],
  ];
  it.each(cases)("FAIL: %s", (_n, change, setting, message) => {
    const o = cleanObserved();
    change(trailOf(o));
    const f = configuration.evaluate(o, cleanManifest(), CTX);
    const failing = f.filter((x) => x.status === "FAIL");
    expect(failing).toHaveLength(1);
    expect(Object.keys(failing[0].intended as object)).toEqual([setting]);
    expect(failing[0].message).toBe(message);
  });
});

describe("delivery checks", () => {
  it("trail-s3-delivery PASS states the age", () => {
    expect(s3.evaluate(cleanObserved(), cleanManifest(), CTX)).toMatchObject([
      {
        status: "PASS",
        intended: { maxAge: "1h", error: null },
        observed: { latestDeliveryTime: minutesAgo(5), age: "5m", error: null, now: NOW.toISOString() },
        message: "Trail orgwarden-org-trail: last S3 delivery 5m ago, within 1h, no error.",
      },
    ]);
  });
  it("trail-s3-delivery FAIL: stale, with the age", () => {
    const o = cleanObserved();
    statusOf(o).latestDeliveryTime = minutesAgo(192);
    expect(s3.evaluate(o, cleanManifest(), CTX)[0]).toMatchObject({
      status: "FAIL",
      message: "Trail orgwarden-org-trail: last S3 delivery 3h 12m ago, older than the 1h allowed.",
    });
  });
  it("trail-s3-delivery: exactly at the threshold is fresh, one second more is not", () => {
    const o = cleanObserved();
    statusOf(o).latestDeliveryTime = minutesAgo(60);
    expect(s3.evaluate(o, cleanManifest(), CTX)[0].status).toBe("PASS");
    statusOf(o).latestDeliveryTime = new Date(NOW.getTime() - 3_601_000).toISOString();
    expect(s3.evaluate(o, cleanManifest(), CTX)[0].message).toBe(
      "Trail orgwarden-org-trail: last S3 delivery 1h ago, older than the 1h allowed.",
    );
  });
  it("trail-s3-delivery FAIL: a delivery error, even when fresh", () => {
    const o = cleanObserved();
    statusOf(o).latestDeliveryError = "AccessDenied";
    expect(s3.evaluate(o, cleanManifest(), CTX)[0]).toMatchObject({
      status: "FAIL",
      message: "Trail orgwarden-org-trail: S3 delivery error: AccessDenied.",
    });
  });
  it("trail-s3-delivery FAIL: never delivered", () => {
    const o = cleanObserved();
    delete statusOf(o).latestDeliveryTime;
    expect(s3.evaluate(o, cleanManifest(), CTX)[0].message).toBe(
      "Trail orgwarden-org-trail: no S3 delivery is recorded at all.",
    );
  });
  it("the threshold comes from the manifest", () => {
    const o = cleanObserved();
    statusOf(o).latestDeliveryTime = minutesAgo(90);
    const m = cleanManifest();
    m.thresholds.deliveryMaxAgeMinutes = 120;
    expect(s3.evaluate(o, m, CTX)[0].message).toBe(
      "Trail orgwarden-org-trail: last S3 delivery 1h 30m ago, within 2h, no error.",
    );
  });

  it("trail-cloudwatch-delivery PASS", () => {
    expect(cw.evaluate(cleanObserved(), cleanManifest(), CTX)[0].message).toBe(
      "Trail orgwarden-org-trail: last CloudWatch Logs delivery 2m ago, within 1h, no error.",
    );
  });
  it("trail-cloudwatch-delivery FAIL: stale with an error", () => {
    const o = cleanObserved();
    statusOf(o).latestCloudWatchLogsDeliveryTime = minutesAgo(2 * 1440 + 5);
    statusOf(o).latestCloudWatchLogsDeliveryError = "Access denied for role";
    expect(cw.evaluate(o, cleanManifest(), CTX)[0].message).toBe(
      "Trail orgwarden-org-trail: last CloudWatch Logs delivery 2d 5m ago, older than the 1h allowed; CloudWatch Logs delivery error: Access denied for role.",
    );
  });
  it("trail-cloudwatch-delivery FAIL: events go to another log group", () => {
    const o = cleanObserved();
    trailOf(o).cloudWatchLogsLogGroupArn = `arn:aws:logs:${HOME}:${ORG.management}:log-group:other:*`;
    expect(cw.evaluate(o, cleanManifest(), CTX)[0].message).toBe(
      `Trail orgwarden-org-trail: events go to arn:aws:logs:${HOME}:${ORG.management}:log-group:other, not the intended log group arn:aws:logs:${HOME}:${ORG.management}:log-group:/orgwarden/cloudtrail.`,
    );
  });
  it("trail-cloudwatch-delivery FAIL: no role to write with (judged as the guardrail judges it)", () => {
    const o = cleanObserved();
    trailOf(o).cloudWatchLogsRoleArn = undefined;
    expect(cw.evaluate(o, cleanManifest(), CTX)[0]).toMatchObject({
      status: "FAIL",
      message: `Trail orgwarden-org-trail: no CloudWatch Logs role is configured, so CloudTrail cannot write to arn:aws:logs:${HOME}:${ORG.management}:log-group:/orgwarden/cloudtrail.`,
    });
  });
  it("trail-cloudwatch-delivery FAIL: no log group configured", () => {
    const o = cleanObserved();
    trailOf(o).cloudWatchLogsLogGroupArn = undefined;
    expect(cw.evaluate(o, cleanManifest(), CTX)[0].message).toBe(
      `Trail orgwarden-org-trail: no CloudWatch Logs group is configured; intended arn:aws:logs:${HOME}:${ORG.management}:log-group:/orgwarden/cloudtrail.`,
    );
  });

  it("trail-digest-delivery PASS", () => {
    expect(digest.evaluate(cleanObserved(), cleanManifest(), CTX)[0].status).toBe("PASS");
  });
  it("trail-digest-delivery PASS: a digest 90 minutes old is healthy (digests come hourly; default threshold 2h = one digest period + the 1h delivery threshold)", () => {
    const o = cleanObserved();
    statusOf(o).latestDigestDeliveryTime = minutesAgo(90);
    const m = cleanManifest();
    expect(m.thresholds.digestMaxAgeMinutes).toBe(120);
    expect(digest.evaluate(o, m, CTX)).toMatchObject([
      {
        status: "PASS",
        intended: { maxAge: "2h", error: null },
        observed: { latestDeliveryTime: minutesAgo(90), age: "1h 30m", error: null, now: NOW.toISOString() },
        message: "Trail orgwarden-org-trail: last digest delivery 1h 30m ago, within 2h, no error.",
      },
    ]);
  });
  it("trail-digest-delivery FAIL: a digest 130 minutes old, with its age and the threshold used", () => {
    const o = cleanObserved();
    statusOf(o).latestDigestDeliveryTime = minutesAgo(130);
    expect(digest.evaluate(o, cleanManifest(), CTX)).toMatchObject([
      {
        status: "FAIL",
        intended: { maxAge: "2h", error: null },
        observed: { latestDeliveryTime: minutesAgo(130), age: "2h 10m", error: null },
        message: "Trail orgwarden-org-trail: last digest delivery 2h 10m ago, older than the 2h allowed.",
      },
    ]);
  });
  it("trail-digest-delivery: its own threshold from the manifest, independent of the log delivery threshold", () => {
    const o = cleanObserved();
    statusOf(o).latestDigestDeliveryTime = minutesAgo(200);
    const m = cleanManifest();
    m.thresholds.digestMaxAgeMinutes = 240;
    expect(digest.evaluate(o, m, CTX)[0].message).toBe(
      "Trail orgwarden-org-trail: last digest delivery 3h 20m ago, within 4h, no error.",
    );
    statusOf(o).latestDeliveryTime = minutesAgo(90);
    expect(s3.evaluate(o, m, CTX)[0].message).toBe(
      "Trail orgwarden-org-trail: last S3 delivery 1h 30m ago, older than the 1h allowed.",
    );
  });
  it("trail-digest-delivery FAIL: no digest time says validation is intended", () => {
    const o = cleanObserved();
    delete statusOf(o).latestDigestDeliveryTime;
    expect(digest.evaluate(o, cleanManifest(), CTX)[0].message).toBe(
      "Trail orgwarden-org-trail: no digest delivery is recorded at all although log file validation is intended, which writes a digest file every hour.",
    );
  });
  it("trail-digest-delivery FAIL: validation switched off is named as the cause", () => {
    const o = cleanObserved();
    trailOf(o).logFileValidationEnabled = false;
    delete statusOf(o).latestDigestDeliveryTime;
    expect(digest.evaluate(o, cleanManifest(), CTX)[0].message).toBe(
      "Trail orgwarden-org-trail: log file validation is intended but disabled, so no digest files are written; enable it; no digest delivery is recorded at all although log file validation is intended, which writes a digest file every hour.",
    );
  });
});

describe("trail-event-selectors", () => {
  const MGMT = { field: "eventCategory", equals: ["Management"] };
  const advanced = (...selectors: EventSelectorModel[]) => collected({ kind: "advanced" as const, selectors });
  const s3Data = (): EventSelectorModel =>
    intendedTrailSelectors({ s3DataEvents: true, logBucketNames: [BUCKET, `${BUCKET}-access-logs`] })[1];
  it("PASS, and extra data events are not drift", () => {
    const o = cleanObserved();
    o.cloudTrail.eventSelectors = advanced(
      { fieldSelectors: [MGMT] },
      {
        fieldSelectors: [
          { field: "eventCategory", equals: ["Data"] },
          { field: "resources.type", equals: ["AWS::S3::Object"] },
        ],
      },
      {
        fieldSelectors: [
          { field: "eventCategory", equals: ["Data"] },
          { field: "resources.type", equals: ["AWS::DynamoDB::Table"] },
        ],
      },
    );
    expect(selectors.evaluate(o, cleanManifest(), CTX)[0]).toMatchObject({
      status: "PASS",
      message:
        "The trail's advanced event selectors record every management event, read and write, from every event source, and every intended data event.",
    });
  });
  it.each([
    [
      "readOnly Equals true only",
      [{ fieldSelectors: [MGMT, { field: "readOnly", equals: ["true"] }] }, s3Data()],
      "not recorded: write management events (readOnly = false)",
    ],
    [
      "eventSource NotEquals kms.amazonaws.com",
      [{ fieldSelectors: [MGMT, { field: "eventSource", notEquals: ["kms.amazonaws.com"] }] }, s3Data()],
      "not recorded: management events with eventSource = kms.amazonaws.com",
    ],
    [
      "S3 data events narrowed to writes",
      [
        { fieldSelectors: [MGMT] },
        { ...s3Data(), fieldSelectors: [...s3Data().fieldSelectors, { field: "readOnly", equals: ["false"] }] },
      ],
      `S3 object data events are intended but not all recorded: read data events (readOnly = true) with resources.type = AWS::S3::Object, resources.ARN starts with "arn:aws:s3:::"`,
    ],
  ])("FAIL: %s", (_name, sel, problem) => {
    const o = cleanObserved();
    o.cloudTrail.eventSelectors = advanced(...(sel as EventSelectorModel[]));
    const f = selectors.evaluate(o, cleanManifest(), CTX)[0];
    expect(f.status).toBe("FAIL");
    expect(f.message).toBe(
      `The trail's advanced event selectors are narrower than intended — ${problem}. Restore the intended selectors.`,
    );
  });
  it("FAIL: basic selectors that exclude KMS and RDS Data API events, and no selectors at all", () => {
    const o = cleanObserved();
    o.cloudTrail.eventSelectors = collected({
      kind: "basic" as const,
      selectors: basicToAdvanced([
        {
          readWriteType: "All",
          includeManagementEvents: true,
          excludeManagementEventSources: ["kms.amazonaws.com", "rdsdata.amazonaws.com"],
          dataResources: [{ type: "AWS::S3::Object", values: ["arn:aws:s3"] }],
        },
      ]),
    });
    expect(selectors.evaluate(o, cleanManifest(), CTX)[0].message).toBe(
      "The trail's basic event selectors are narrower than intended — not recorded: management events with eventSource = kms.amazonaws.com; not recorded: management events with eventSource = rdsdata.amazonaws.com. Restore the intended selectors.",
    );
    o.cloudTrail.eventSelectors = collected({ kind: "none" as const, selectors: [] });
    expect(selectors.evaluate(o, cleanManifest(), CTX)[0].message).toBe(
      'The trail\'s (missing) event selectors are narrower than intended — not recorded: management events; S3 object data events are intended but not all recorded: data events with resources.type = AWS::S3::Object, resources.ARN starts with "arn:aws:s3:::". Restore the intended selectors.',
    );
  });
  it("FAIL: Lambda data events when intended", () => {
    const m = cleanManifest();
    m.trail.dataEvents.lambda = true;
    expect(selectors.evaluate(cleanObserved(), m, CTX)[0].message).toBe(
      "The trail's advanced event selectors are narrower than intended — Lambda data events are intended but not all recorded: data events with resources.type = AWS::Lambda::Function. Restore the intended selectors.",
    );
  });
});

describe("trail checks: a failed read is ERROR, never PASS", () => {
  const statusFails = (o: ObservedState) =>
    (o.cloudTrail.status = failedRead("GetTrailStatus", "cloudtrail", ORG.management, HOME, "TrailNotFoundException"));
  const trailsFail = (o: ObservedState) =>
    (o.cloudTrail.trails = failedRead("DescribeTrails", "cloudtrail", ORG.management, HOME));
  const cases = [
    ["trail-logging", logging, statusFails, "TrailNotFoundException"],
    ["trail-configuration", configuration, trailsFail, "AccessDeniedException"],
    ["trail-s3-delivery", s3, statusFails, "TrailNotFoundException"],
    ["trail-cloudwatch-delivery", cw, statusFails, "TrailNotFoundException"],
    ["trail-digest-delivery", digest, trailsFail, "AccessDeniedException"],
    [
      "trail-event-selectors",
      selectors,
      (o: ObservedState) =>
        (o.cloudTrail.eventSelectors = failedRead("GetEventSelectors", "cloudtrail", ORG.management, HOME)),
      "AccessDeniedException",
    ],
  ] as const;
  it.each(cases)("%s", (id, check, breakIt, name) => {
    const o = cleanObserved();
    breakIt(o);
    expect(check.evaluate(o, cleanManifest(), CTX)).toEqual([
      expect.objectContaining({
        checkId: id,
        status: "ERROR",
        account: ORG.management,
        region: HOME,
        error: expect.objectContaining({ name }),
      }),
    ]);
  });
  it.each(cases)("%s: management account unreachable", (id, check) => {
    const o = cleanObserved();
    o.unreachableAccounts[ORG.management] = readError("AssumeRole", "sts", ORG.management, "global");
    expect(check.evaluate(o, cleanManifest(), CTX)).toEqual([
      expect.objectContaining({
        checkId: id,
        status: "ERROR",
        error: expect.objectContaining({ operation: "AssumeRole" }),
      }),
    ]);
  });
});
