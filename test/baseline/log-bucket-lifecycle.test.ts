/** The lifecycle judgement by meaning (baseline/log-bucket-lifecycle.ts): one passing rule, one change per failing case. */
import { describe, expect, it } from "vitest";
import { archiveLifecycle, expiringLifecycle, type LifecycleIntent } from "../../baseline";
import { lifecycleProblems, type LifecycleRuleFacts } from "../../baseline/log-bucket-lifecycle";

const B = "orgwarden-prod-config-111111111111";
const CONFIG = expiringLifecycle("expire-config-history", 365, ["AWSLogs/"]);
const ARCHIVE = archiveLifecycle({ lockDays: 365, noncurrentDays: 400, transitionDays: 90, logPrefixes: ["AWSLogs/"] });
const ACCESS = expiringLifecycle("expire-access-logs", 90, ["archive/", "config/"]);

/** The rule infra lays for an intent, as the collector normalises it. */
function laid(i: LifecycleIntent): LifecycleRuleFacts {
  return {
    id: i.ruleId,
    enabled: true,
    prefix: "",
    narrowed: false,
    ...(i.expirationDays !== undefined ? { expirationDays: i.expirationDays } : {}),
    noncurrentDays: i.noncurrentDays,
    abortDays: i.abortIncompleteDays,
  };
}

describe("lifecycleProblems", () => {
  it.each([
    ["the Config bucket", CONFIG],
    ["the archive", ARCHIVE],
    ["the access-log bucket", ACCESS],
  ])("none for %s as laid", (_n, i) => {
    expect(lifecycleProblems(B, i, [laid(i)])).toEqual([]);
  });

  it("none when a longer expiry, a longer noncurrent expiry or a rule on another prefix is added", () => {
    const other: LifecycleRuleFacts = { id: "tmp", enabled: true, prefix: "tmp/", narrowed: false, expirationDays: 1 };
    expect(lifecycleProblems(B, CONFIG, [{ ...laid(CONFIG), expirationDays: 400, noncurrentDays: 90 }, other])).toEqual(
      [],
    );
  });

  it.each<[string, LifecycleIntent, LifecycleRuleFacts[] | undefined, string[]]>([
    [
      "an expiry shorter than the retention",
      CONFIG,
      [{ ...laid(CONFIG), expirationDays: 30 }],
      [
        `rule "expire-config-history" of ${B} expires current log objects after 30 days, shorter than the 365-day retention`,
      ],
    ],
    [
      "any current-object expiry on the archive",
      ARCHIVE,
      [{ ...laid(ARCHIVE), expirationDays: 3650 }],
      [
        `rule "archive-tiering" of ${B} expires current log objects after 3650 days; the baseline never expires them (Object Lock keeps each for 365 days): remove the expiration`,
      ],
    ],
    [
      "a date expiration",
      CONFIG,
      [
        laid(CONFIG),
        { enabled: true, prefix: "AWSLogs/", narrowed: false, expirationDate: "2027-01-01T00:00:00.000Z" },
      ],
      [
        `an unnamed rule of ${B} expires every current log object on 2027-01-01, whatever its age; remove the date expiration`,
      ],
    ],
    [
      "a noncurrent expiry shorter than the Object Lock retention",
      ARCHIVE,
      [{ ...laid(ARCHIVE), noncurrentDays: 30 }],
      [
        `rule "archive-tiering" of ${B} expires noncurrent versions after 30 days, shorter than the 365-day Object Lock retention`,
      ],
    ],
    [
      "a noncurrent expiry between the lock and the intended days",
      ARCHIVE,
      [{ ...laid(ARCHIVE), noncurrentDays: 380 }],
      [`rule "archive-tiering" of ${B} expires noncurrent versions after 380 days, shorter than the intended 400`],
    ],
    [
      "a second rule narrowed to one account that still reaches logs",
      CONFIG,
      [laid(CONFIG), { id: "x", enabled: true, prefix: "AWSLogs/444444444444/", narrowed: true, expirationDays: 7 }],
      [`rule "x" of ${B} expires current log objects after 7 days, shorter than the 365-day retention`],
    ],
    [
      "the intended rule disabled",
      CONFIG,
      [{ ...laid(CONFIG), enabled: false }],
      [
        `the lifecycle rule "expire-config-history" of ${B} is Disabled`,
        `no enabled rule of ${B} expires current objects over "AWSLogs/"; intended after 365 days`,
        `no enabled rule of ${B} expires noncurrent versions over "AWSLogs/"; intended after 30 days`,
        `no enabled rule of ${B} aborts incomplete multipart uploads over "AWSLogs/"; intended after 7 days`,
      ],
    ],
    [
      "the intended rule narrowed to a prefix that misses the logs",
      CONFIG,
      [{ ...laid(CONFIG), prefix: "tmp/" }],
      [
        `the lifecycle rule "expire-config-history" of ${B} is narrowed to the prefix "tmp/" and misses logs under "AWSLogs/"`,
        `no enabled rule of ${B} expires current objects over "AWSLogs/"; intended after 365 days`,
        `no enabled rule of ${B} expires noncurrent versions over "AWSLogs/"; intended after 30 days`,
        `no enabled rule of ${B} aborts incomplete multipart uploads over "AWSLogs/"; intended after 7 days`,
      ],
    ],
    [
      "the intended rule narrowed by a tag",
      CONFIG,
      [{ ...laid(CONFIG), narrowed: true }],
      [
        `the lifecycle rule "expire-config-history" of ${B} is narrowed by tags or size and misses logs under "AWSLogs/"`,
        `no enabled rule of ${B} expires current objects over "AWSLogs/"; intended after 365 days`,
        `no enabled rule of ${B} expires noncurrent versions over "AWSLogs/"; intended after 30 days`,
        `no enabled rule of ${B} aborts incomplete multipart uploads over "AWSLogs/"; intended after 7 days`,
      ],
    ],
    [
      "a rule covering one source's prefix of the access-log bucket only",
      ACCESS,
      [{ ...laid(ACCESS), prefix: "archive/" }],
      [
        `the lifecycle rule "expire-access-logs" of ${B} is narrowed to the prefix "archive/" and misses logs under "archive/", "config/"`,
        `no enabled rule of ${B} expires current objects over "archive/", "config/"; intended after 90 days`,
        `no enabled rule of ${B} expires noncurrent versions over "archive/", "config/"; intended after 30 days`,
        `no enabled rule of ${B} aborts incomplete multipart uploads over "archive/", "config/"; intended after 7 days`,
      ],
    ],
    [
      "the abort of incomplete uploads removed",
      CONFIG,
      [{ ...laid(CONFIG), abortDays: undefined }],
      [`no enabled rule of ${B} aborts incomplete multipart uploads over "AWSLogs/"; intended after 7 days`],
    ],
    [
      "no lifecycle configuration (NoSuchLifecycleConfiguration)",
      ARCHIVE,
      undefined,
      [
        `${B} has no lifecycle configuration`,
        `no enabled rule of ${B} expires noncurrent versions over "AWSLogs/"; intended after 400 days`,
        `no enabled rule of ${B} aborts incomplete multipart uploads over "AWSLogs/"; intended after 7 days`,
      ],
    ],
  ])("%s", (_n, intent, rules, problems) => {
    expect(lifecycleProblems(B, intent, rules)).toEqual(problems);
  });

  it("archiveLifecycle refuses a noncurrent expiry shorter than the lock, naming both", () => {
    expect(() =>
      archiveLifecycle({ lockDays: 365, noncurrentDays: 30, transitionDays: 90, logPrefixes: ["AWSLogs/"] }),
    ).toThrow("archiveLifecycle: noncurrentDays (30) must not be shorter than the Object Lock retention (365)");
  });
});
