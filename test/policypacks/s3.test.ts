import { describe, expect, it } from "vitest";
import { ACCESS_LOGS, ARCHIVE, baselineStack, mutate, T, without } from "./baseline-stack";
import { check, res, urnOf } from "./helpers";

const ARCH = `bucket "archive-bucket" (${ARCHIVE})`;
const ACC = `bucket "access-logs-bucket" (${ACCESS_LOGS})`;
const UNKNOWN_MSG = (k: string) =>
  `${k} is unknown at preview, so this guardrail cannot verify it; set it from a literal or stack config`;

describe("s3-trail-bucket-access-logging (stack)", () => {
  const P = "s3-trail-bucket-access-logging";
  it("passes the baseline", async () => expect((await check(P, baselineStack())).messages).toEqual([]));
  it("fails when the BucketLogging is dropped", async () => {
    const c = await check(P, without(baselineStack(), "archive-logging"));
    expect(c.messages).toEqual([
      `${ARCH}: add an aws.s3.BucketLogging that sends the trail bucket's server access logs to a separate access-log bucket`,
    ]);
    expect(c.violations[0].urn).toBe(urnOf(T.bucket, "archive-bucket"));
  });
  it("fails when the bucket logs to itself", async () => {
    expect(
      (
        await check(
          P,
          mutate(baselineStack(), "archive-logging", (i) => ({ ...i, targetBucket: ARCHIVE })),
        )
      ).messages,
    ).toEqual([`${ARCH}: send server access logs to a separate bucket, not to the trail bucket itself`]);
  });
  it("finds the bucket through property dependencies when the trail's bucket name is unknown", async () => {
    const stack = baselineStack().map((r) =>
      r.name === "org-trail"
        ? {
            ...r,
            propertyDependencies: { s3BucketName: [urnOf(T.bucket, "archive-bucket")] },
            dependencies: [urnOf(T.bucket, "archive-bucket")],
          }
        : r,
    );
    const c = await check(P, without(stack, "archive-logging"), { unknowns: { "org-trail": ["s3BucketName"] } });
    expect(c.messages).toEqual([
      `${ARCH}: add an aws.s3.BucketLogging that sends the trail bucket's server access logs to a separate access-log bucket`,
    ]);
  });
  it("has no config", async () => {
    await expect(check(P, baselineStack(), { config: { x: 1 } })).rejects.toThrow(
      "s3-trail-bucket-access-logging.x is not a config property",
    );
  });
});

describe("s3-archive-object-lock (stack)", () => {
  const P = "s3-archive-object-lock";
  const gov = (s = baselineStack()) =>
    mutate(s, "archive-object-lock", (i) => ({ ...i, rule: { defaultRetention: { mode: "GOVERNANCE", days: 365 } } }));
  it("passes the baseline", async () => expect((await check(P, baselineStack())).messages).toEqual([]));
  it("fails in GOVERNANCE mode at default (prod) config", async () => {
    expect((await check(P, gov())).messages).toEqual([
      `${ARCH}: set the default retention mode to COMPLIANCE (it is GOVERNANCE)`,
    ]);
  });
  it("config allowing GOVERNANCE (dev) changes the verdict", async () => {
    expect((await check(P, gov(), { config: { allowedModes: ["COMPLIANCE", "GOVERNANCE"] } })).messages).toEqual([]);
  });
  it("fails below the minimum days, and years count as 365 days", async () => {
    expect(
      (
        await check(
          P,
          mutate(baselineStack(), "archive-object-lock", (i) => ({
            ...i,
            rule: { defaultRetention: { mode: "COMPLIANCE", days: 30 } },
          })),
        )
      ).messages,
    ).toEqual([`${ARCH}: raise the default retention to at least 365 days (it is 30)`]);
    expect(
      (
        await check(
          P,
          mutate(baselineStack(), "archive-object-lock", (i) => ({
            ...i,
            rule: { defaultRetention: { mode: "COMPLIANCE", years: 1 } },
          })),
        )
      ).messages,
    ).toEqual([]);
    expect(
      (
        await check(
          P,
          mutate(baselineStack(), "archive-object-lock", (i) => ({
            ...i,
            rule: { defaultRetention: { mode: "COMPLIANCE", days: 30 } },
          })),
          { config: { minRetentionDays: 30 } },
        )
      ).messages,
    ).toEqual([]);
  });
  it("fails without Object Lock at creation", async () => {
    expect(
      (
        await check(
          P,
          mutate(baselineStack(), "archive-bucket", ({ objectLockEnabled, ...i }) => i),
        )
      ).messages,
    ).toEqual([
      `${ARCH}: set objectLockEnabled: true on the bucket; Object Lock can only be switched on when the bucket is created`,
    ]);
  });
  it("fails without a default retention", async () => {
    expect((await check(P, without(baselineStack(), "archive-object-lock"))).messages).toEqual([
      `${ARCH}: add an aws.s3.BucketObjectLockConfiguration with a default retention (mode COMPLIANCE, at least 365 days)`,
    ]);
  });
  it("unknown mode and days are violations", async () => {
    const c = await check(P, baselineStack(), {
      unknowns: { "archive-object-lock": ["rule.defaultRetention.mode", "rule.defaultRetention.days"] },
    });
    expect(c.messages).toEqual([
      `${ARCH}: ${UNKNOWN_MSG("defaultRetention.mode")}`,
      `${ARCH}: ${UNKNOWN_MSG("defaultRetention.days")}`,
    ]);
  });
  it("config schema: an unknown mode is refused", async () => {
    await expect(check(P, baselineStack(), { config: { allowedModes: ["STRICT"] } })).rejects.toThrow(
      's3-archive-object-lock.allowedModes[0] must be one of "COMPLIANCE", "GOVERNANCE" (got "STRICT")',
    );
  });
});

describe("s3-log-bucket-versioning (stack)", () => {
  const P = "s3-log-bucket-versioning";
  it("passes the baseline", async () => expect((await check(P, baselineStack())).messages).toEqual([]));
  it("fails when the access-log bucket's versioning is suspended", async () => {
    expect(
      (
        await check(
          P,
          mutate(baselineStack(), "access-logs-versioning", (i) => ({
            ...i,
            versioningConfiguration: { status: "Suspended" },
          })),
        )
      ).messages,
    ).toEqual([`${ACC} (access log): add an aws.s3.BucketVersioning with versioningConfiguration.status "Enabled"`]);
  });
  it("unknown status is a violation", async () => {
    expect(
      (await check(P, baselineStack(), { unknowns: { "archive-versioning": ["versioningConfiguration.status"] } }))
        .messages,
    ).toEqual([`${ARCH} (trail archive): ${UNKNOWN_MSG("versioningConfiguration.status")}`]);
  });
  it("config: a name pattern adds a bucket the graph does not reach", async () => {
    const extra = [
      ...baselineStack(),
      ...mutate(baselineStack(), "access-logs-bucket", (i) => ({ ...i, bucket: "team-logs-1" }))
        .filter((r) => r.name === "access-logs-bucket")
        .map((r) => ({ ...r, name: "team", urn: urnOf(T.bucket, "team") })),
    ];
    expect((await check(P, extra)).messages).toEqual([]);
    expect((await check(P, extra, { config: { logBucketNamePatterns: ["^team-logs-"] } })).messages).toEqual([
      `bucket "team" (team-logs-1) (named log bucket): add an aws.s3.BucketVersioning with versioningConfiguration.status "Enabled"`,
    ]);
  });
});

describe("s3-log-bucket-kms-encryption (stack)", () => {
  const P = "s3-log-bucket-kms-encryption";
  it("passes the baseline (access-log bucket on SSE-S3 is the documented exception)", async () =>
    expect((await check(P, baselineStack())).messages).toEqual([]));
  it("fails when the archive uses SSE-S3", async () => {
    expect(
      (
        await check(
          P,
          mutate(baselineStack(), "archive-encryption", (i) => ({
            ...i,
            rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
          })),
        )
      ).messages,
    ).toEqual([
      `${ARCH} (trail archive): use sseAlgorithm "aws:kms" with a customer managed key instead of "AES256" (SSE-S3 is allowed only on a bucket that receives nothing but server access logs)`,
    ]);
  });
  it("fails on SSE-KMS without a customer key", async () => {
    expect(
      (
        await check(
          P,
          mutate(baselineStack(), "archive-encryption", (i) => ({
            ...i,
            rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" } }],
          })),
        )
      ).messages,
    ).toEqual([
      `${ARCH} (trail archive): set kmsMasterKeyId to a customer managed KMS key; without it S3 uses the AWS managed aws/s3 key`,
    ]);
  });
  it("config that refuses the exception changes the verdict", async () => {
    expect((await check(P, baselineStack(), { config: { allowSseS3ForAccessLogBuckets: false } })).messages).toEqual([
      `${ACC} (access log): use sseAlgorithm "aws:kms" with a customer managed key instead of "AES256"`,
    ]);
  });
  it("an unknown key ARN counts as set; an unknown algorithm is a violation", async () => {
    expect(
      (
        await check(P, baselineStack(), {
          unknowns: { "archive-encryption": ["rules.0.applyServerSideEncryptionByDefault.kmsMasterKeyId"] },
        })
      ).messages,
    ).toEqual([]);
    expect(
      (
        await check(P, baselineStack(), {
          unknowns: { "archive-encryption": ["rules.0.applyServerSideEncryptionByDefault.sseAlgorithm"] },
        })
      ).messages,
    ).toEqual([`${ARCH} (trail archive): ${UNKNOWN_MSG("sseAlgorithm")}`]);
  });
});

describe("s3-log-bucket-public-access (stack)", () => {
  const P = "s3-log-bucket-public-access";
  it("passes the baseline", async () => expect((await check(P, baselineStack())).messages).toEqual([]));
  it("fails with one flag off", async () => {
    expect(
      (
        await check(
          P,
          mutate(baselineStack(), "archive-pab", (i) => ({ ...i, restrictPublicBuckets: false })),
        )
      ).messages,
    ).toEqual([`${ARCH} (trail archive): set restrictPublicBuckets to true on the public access block`]);
  });
  it("fails without the TLS deny", async () => {
    expect(
      (
        await check(
          P,
          mutate(baselineStack(), "access-logs-policy", (i) => ({
            ...i,
            policy: JSON.stringify({ Version: "2012-10-17", Statement: [] }),
          })),
        )
      ).messages,
    ).toEqual([
      `${ACC} (access log): add a bucket policy statement that denies s3:* to every principal when aws:SecureTransport is "false"`,
    ]);
  });
  it("an unknown policy document is not judged: not applicable, with the reason", async () => {
    const c = await check(P, baselineStack(), { unknowns: { "archive-policy": ["policy"] } });
    expect(c.messages).toEqual([]);
    expect(c.notApplicable).toEqual([
      `the policy of ${ARCH} is unknown at preview; its aws:SecureTransport deny is checked at update`,
    ]);
  });
  it("an unknown flag is a violation", async () => {
    expect((await check(P, baselineStack(), { unknowns: { "archive-pab": ["blockPublicAcls"] } })).messages).toEqual([
      `${ARCH} (trail archive): ${UNKNOWN_MSG("blockPublicAcls")}`,
    ]);
  });
  it("config schema: logBucketNamePatterns must be an array", async () => {
    await expect(check(P, baselineStack(), { config: { logBucketNamePatterns: "x" } })).rejects.toThrow(
      "s3-log-bucket-public-access.logBucketNamePatterns must be of type array",
    );
  });
  it("config: a name pattern makes a public bucket a log bucket, which changes the verdict", async () => {
    const team = res(T.bucket, "team", { bucket: "team-logs-1" });
    expect((await check(P, [...baselineStack(), team])).messages).toEqual([]);
    expect(
      (await check(P, [...baselineStack(), team], { config: { logBucketNamePatterns: ["^team-logs-"] } })).messages,
    ).toEqual([
      'bucket "team" (team-logs-1) (named log bucket): add an aws.s3.BucketPublicAccessBlock with blockPublicAcls, blockPublicPolicy, ignorePublicAcls, restrictPublicBuckets all true',
      'bucket "team" (team-logs-1) (named log bucket): add a bucket policy statement that denies s3:* to every principal when aws:SecureTransport is "false"',
    ]);
  });
});

describe("policies 6–10 when the trail's bucket is not in the stack: not applicable, never a silent pass", () => {
  const POLICIES = [
    "s3-trail-bucket-access-logging",
    "s3-archive-object-lock",
    "s3-log-bucket-versioning",
    "s3-log-bucket-kms-encryption",
    "s3-log-bucket-public-access",
  ];
  const elsewhere = () =>
    mutate(baselineStack(), "org-trail", (i) => ({ ...i, s3BucketName: "archive-in-another-stack" }));
  it.each(POLICIES)("%s: a bucket another stack manages", async (p) => {
    const c = await check(p, elsewhere());
    expect([c.messages, c.notApplicable]).toEqual([
      [],
      [
        'the bucket "archive-in-another-stack" of Trail "org-trail" is not managed by this stack (or cannot be traced at preview), so it is not judged here',
      ],
    ]);
  });
  it.each(POLICIES)("%s: an unknown bucket name with no dependency to trace", async (p) => {
    const c = await check(p, baselineStack(), { unknowns: { "org-trail": ["s3BucketName"] } });
    expect(c.notApplicable).toEqual([
      'the bucket (unknown at preview) of Trail "org-trail" is not managed by this stack (or cannot be traced at preview), so it is not judged here',
    ]);
  });
  it("a Pulumi delivery channel's bucket outside the stack is reported by policies 8–10 (not by 6–7, which judge the trail bucket)", async () => {
    const s = mutate(baselineStack(), "channel", (i) => ({ ...i, s3BucketName: "config-elsewhere" }));
    expect((await check("s3-log-bucket-versioning", s)).notApplicable).toEqual([
      'the bucket "config-elsewhere" of DeliveryChannel "channel" is not managed by this stack (or cannot be traced at preview), so it is not judged here',
    ]);
    expect((await check("s3-archive-object-lock", s)).notApplicable).toEqual([]);
  });
});
