/**
 * The log-bucket checks over state collected from moto by the real collector (the agent's own
 * clients, each bucket's account entered by AssumeRole). One moto, laid once: a Config bucket, a
 * DNS query-log bucket and an Athena query-results bucket (security account) as infra lays them,
 * each also drifted in every setting, a bare one, a report bucket in the security account, and a
 * bucket whose reads are refused (AccessDenied through the fault proxy).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CreateBucketCommand,
  PutBucketEncryptionCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketLoggingCommand,
  PutBucketOwnershipControlsCommand,
  PutBucketPolicyCommand,
  PutBucketVersioningCommand,
  PutPublicAccessBlockCommand,
  S3Client,
  type LifecycleRule,
} from "@aws-sdk/client-s3";
import { lifecycleRule, type AuditManifest, type LogBucketIntent, type PolicyDocument } from "../../../baseline";
import { collectLogBucket } from "../../../agent/collectors/log-buckets";
import type { Finding } from "../../../agent/finding";
import type { ObservedLogBucket, ObservedState } from "../../../agent/model";
import * as policy from "../../../agent/checks/log-buckets/log-bucket-policy";
import * as versioning from "../../../agent/checks/log-buckets/log-bucket-versioning";
import * as encryption from "../../../agent/checks/log-buckets/log-bucket-encryption";
import * as publicAccess from "../../../agent/checks/log-buckets/log-bucket-public-access";
import * as ownership from "../../../agent/checks/log-buckets/log-bucket-ownership";
import * as lifecycle from "../../../agent/checks/log-buckets/log-bucket-lifecycle";
import * as accessLogging from "../../../agent/checks/log-buckets/log-bucket-access-logging";
import { resetMoto, startMoto } from "../../helpers/moto";
import { FaultProxy } from "../../support/fault-proxy";
import { agentClients } from "../collectors/_clients";
import {
  ACCESS_LOG_BUCKET,
  ATHENA_RESULTS_KEY_ARN,
  cleanLogBuckets,
  cleanManifest,
  cleanObserved,
  CTX,
  DNS_KEY_ARN,
  logBucketIntents,
  ORG,
} from "./fixtures";

const FAMILY = [policy, versioning, encryption, publicAccess, ownership, lifecycle, accessLogging];
const intentOf = (role: string) => logBucketIntents().find((b) => b.role === role)!;
const CONFIG = intentOf("config");
const DNS = intentOf("dns-query-log");
const REPORT = intentOf("report");
const DRIFTED = `${CONFIG.bucketName}-drifted`;
const BARE = `${CONFIG.bucketName}-bare`;
const DENIED = `${CONFIG.bucketName}-denied`;
const DNS_DRIFTED = `${DNS.bucketName}-drifted`;
const ATHENA = intentOf("athena-results");
const ATHENA_DRIFTED = `${ATHENA.bucketName}-drifted`;
/** The checks that judge the Athena query-results bucket: not log-bucket-access-logging (infra does not access-log it). */
const ATHENA_FAMILY = FAMILY.filter((c) => c !== accessLogging);

/** The Config entry of the manifest pointed at another bucket (the same intent otherwise). */
const asConfig = (bucketName: string): LogBucketIntent => ({ ...CONFIG, bucketName });

const read: Record<string, ObservedLogBucket> = {};
let proxy: FaultProxy;

/** The bucket `Bucket` laid as infra lays `b`'s, or with `drift` every setting changed. */
async function lay(
  s3: S3Client,
  b: LogBucketIntent,
  Bucket: string,
  o: { policy?: PolicyDocument; drift?: boolean },
): Promise<void> {
  await s3.send(new CreateBucketCommand({ Bucket }));
  if (o.policy) await s3.send(new PutBucketPolicyCommand({ Bucket, Policy: JSON.stringify(o.policy) }));
  const d = o.drift ?? false;
  await s3.send(
    new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: d ? "Suspended" : "Enabled" } }),
  );
  const byDefault =
    b.encryption?.algorithm === "aws:kms" && !d
      ? { SSEAlgorithm: "aws:kms" as const, KMSMasterKeyID: b.encryption.keyArn }
      : { SSEAlgorithm: "AES256" as const };
  await s3.send(
    new PutBucketEncryptionCommand({
      Bucket,
      ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: byDefault }] },
    }),
  );
  await s3.send(
    new PutPublicAccessBlockCommand({
      Bucket,
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        IgnorePublicAcls: true,
        BlockPublicPolicy: true,
        RestrictPublicBuckets: !d,
      },
    }),
  );
  await s3.send(
    new PutBucketOwnershipControlsCommand({
      Bucket,
      OwnershipControls: { Rules: [{ ObjectOwnership: d ? "ObjectWriter" : "BucketOwnerEnforced" }] },
    }),
  );
  const intended = lifecycleRule(b.lifecycle) as LifecycleRule;
  const Rules: LifecycleRule[] = d
    ? [
        { ...intended, Status: "Disabled" },
        // Narrowed to one account's prefix: it still reaches logs, and expires them after 30 days.
        { ID: "cleanup", Status: "Enabled", Filter: { Prefix: `AWSLogs/${ORG.member}/` }, Expiration: { Days: 30 } },
      ]
    : [intended];
  await s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket, LifecycleConfiguration: { Rules } }));
  // A bucket infra does not access-log (the Athena query-results bucket) is laid without logging.
  if (!b.accessLogging) return;
  await s3.send(
    new PutBucketLoggingCommand({
      Bucket,
      BucketLoggingStatus: {
        LoggingEnabled: {
          TargetBucket: ACCESS_LOG_BUCKET,
          TargetPrefix: d ? "elsewhere/" : b.accessLogging!.targetPrefix,
        },
      },
    }),
  );
}

beforeAll(async () => {
  const { endpoint } = await startMoto();
  await resetMoto(endpoint);
  const env = agentClients(endpoint);
  try {
    const s3 = await env.get(S3Client, ORG.logArchive);
    await s3.send(new CreateBucketCommand({ Bucket: ACCESS_LOG_BUCKET }));
    // Moto refuses PutBucketLogging unless the target admits S3 log delivery (here for any prefix: the
    // drifted bucket logs elsewhere); the access-log bucket itself is not judged in this file.
    const grant = {
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { Service: "logging.s3.amazonaws.com" },
          Action: "s3:PutObject",
          Resource: `arn:aws:s3:::${ACCESS_LOG_BUCKET}/*`,
        },
      ],
    };
    await s3.send(new PutBucketPolicyCommand({ Bucket: ACCESS_LOG_BUCKET, Policy: JSON.stringify(grant) }));
    const withoutTls = (p: PolicyDocument) => ({
      ...p,
      Statement: p.Statement.filter((s) => s.Sid !== "DenyInsecureTransport"),
    });
    await lay(s3, CONFIG, CONFIG.bucketName, { policy: CONFIG.expectedBucketPolicy });
    await lay(s3, CONFIG, DRIFTED, { policy: withoutTls(CONFIG.expectedBucketPolicy!), drift: true });
    await lay(s3, DNS, DNS.bucketName, { policy: DNS.expectedBucketPolicy });
    await lay(s3, DNS, DNS_DRIFTED, { policy: withoutTls(DNS.expectedBucketPolicy!), drift: true });
    await s3.send(new CreateBucketCommand({ Bucket: BARE }));
    await s3.send(new CreateBucketCommand({ Bucket: DENIED }));
    read.config = await collectLogBucket(s3, CONFIG);
    read.drifted = await collectLogBucket(s3, asConfig(DRIFTED));
    read.bare = await collectLogBucket(s3, asConfig(BARE));
    read.dns = await collectLogBucket(s3, DNS);
    read.dnsDrifted = await collectLogBucket(s3, { ...DNS, bucketName: DNS_DRIFTED });

    // The report bucket, in the security account, as infra/audit-agent.ts lays it.
    const sec = await env.get(S3Client, ORG.security);
    await sec.send(new CreateBucketCommand({ Bucket: REPORT.bucketName }));
    await sec.send(
      new PutBucketPolicyCommand({ Bucket: REPORT.bucketName, Policy: JSON.stringify(REPORT.expectedBucketPolicy) }),
    );
    await sec.send(
      new PutBucketVersioningCommand({ Bucket: REPORT.bucketName, VersioningConfiguration: { Status: "Enabled" } }),
    );
    await sec.send(
      new PutBucketEncryptionCommand({
        Bucket: REPORT.bucketName,
        ServerSideEncryptionConfiguration: {
          Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } }],
        },
      }),
    );
    await sec.send(
      new PutPublicAccessBlockCommand({
        Bucket: REPORT.bucketName,
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          IgnorePublicAcls: true,
          BlockPublicPolicy: true,
          RestrictPublicBuckets: true,
        },
      }),
    );
    await sec.send(
      new PutBucketOwnershipControlsCommand({
        Bucket: REPORT.bucketName,
        OwnershipControls: { Rules: [{ ObjectOwnership: "BucketOwnerEnforced" }] },
      }),
    );
    await sec.send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket: REPORT.bucketName,
        LifecycleConfiguration: { Rules: [lifecycleRule(REPORT.lifecycle) as LifecycleRule] },
      }),
    );
    read.report = await collectLogBucket(sec, REPORT);
    // The Athena query-results bucket, in the security account, as infra/athena/log-analytics.ts lays it.
    await lay(sec, ATHENA, ATHENA.bucketName, { policy: ATHENA.expectedBucketPolicy });
    await lay(sec, ATHENA, ATHENA_DRIFTED, { policy: withoutTls(ATHENA.expectedBucketPolicy!), drift: true });
    read.athena = await collectLogBucket(sec, ATHENA);
    read.athenaDrifted = await collectLogBucket(sec, { ...ATHENA, bucketName: ATHENA_DRIFTED });
  } finally {
    env.destroy();
  }

  // Every request on the denied bucket is refused as S3 refuses a read the caller may not make.
  proxy = await FaultProxy.start({
    target: endpoint,
    seed: "log-buckets",
    intercept: (info) =>
      info.service === "s3" && info.path.includes(`/${DENIED}`)
        ? Promise.resolve({
            status: 403,
            headers: { "content-type": "application/xml" },
            body: Buffer.from(
              '<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message><RequestId>LB1</RequestId></Error>',
            ),
          })
        : undefined,
  });
  const denied = agentClients(proxy.endpoint);
  try {
    const s3 = await denied.get(S3Client, ORG.logArchive);
    read.denied = await collectLogBucket(s3, asConfig(DENIED));
    read.dnsDenied = await collectLogBucket(s3, { ...DNS, bucketName: DENIED });
    const sec = await denied.get(S3Client, ORG.security);
    read.athenaDenied = await collectLogBucket(sec, { ...ATHENA, bucketName: DENIED });
  } finally {
    denied.destroy();
  }
});

afterAll(async () => {
  await proxy?.close();
});

/**
 * The clean state with the report reading, and the Config one (or `role`'s), replaced by the ones
 * collected from moto; the manifest's entry for that role names the bucket read.
 */
function audit(reading: ObservedLogBucket, role = "config"): { o: ObservedState; m: AuditManifest } {
  const m = cleanManifest();
  m.logBuckets = m.logBuckets!.map((b) => (b.role === role ? { ...b, bucketName: reading.bucketName } : b));
  const o = cleanObserved();
  o.logBuckets = cleanLogBuckets().map((b) => (b.role === role ? reading : b.role === "report" ? read.report : b));
  return { o, m };
}

const onConfig = (fs: Finding[], bucket: string) => fs.filter((f) => f.resourceArn === `arn:aws:s3:::${bucket}`);

describe("log-bucket checks on moto", () => {
  it("PASS on the Config and report buckets as infra lays them, every check, one finding per bucket", () => {
    const { o, m } = audit(read.config);
    for (const check of FAMILY) {
      const fs = check.evaluate(o, m, CTX);
      expect([check.metadata.id, fs.filter((f) => f.status !== "PASS").map((f) => f.message)]).toEqual([
        check.metadata.id,
        [],
      ]);
      expect(new Set(fs.map((f) => f.resourceArn)).size).toBe(fs.length);
      expect(fs.map((f) => f.resourceArn).sort()).toEqual(
        logBucketIntents()
          .filter((b) => (check.ROLES as readonly string[]).includes(b.role))
          .map((b) => `arn:aws:s3:::${b.bucketName}`)
          .sort(),
      );
    }
    expect(read.report.account).toBe(ORG.security);
    expect(onConfig(lifecycle.evaluate(o, m, CTX), REPORT.bucketName)[0].message).toBe(
      `The lifecycle of the audit report bucket ${REPORT.bucketName} expires current objects after 400 days, keeps noncurrent versions at least 30 days and aborts incomplete uploads, over all its logs.`,
    );
  });

  it("FAIL on every setting of a drifted Config bucket, each message naming the bucket and what to change", () => {
    const { o, m } = audit(read.drifted);
    const label = `the Config bucket ${DRIFTED}`;
    const got = Object.fromEntries(
      FAMILY.map((c) => [c.metadata.id, onConfig(c.evaluate(o, m, CTX), DRIFTED).map((f) => [f.status, f.message])]),
    );
    expect(got["log-bucket-versioning"]).toEqual([["FAIL", `Versioning of ${label} is Suspended; enable it.`]]);
    expect(got["log-bucket-encryption"]).toEqual([
      [
        "FAIL",
        `Default encryption of ${label} is AES256, intended aws:kms with ${CONFIG.encryption!.algorithm === "aws:kms" ? CONFIG.encryption!.keyArn : ""}.`,
      ],
    ]);
    expect(got["log-bucket-public-access"]).toEqual([
      ["FAIL", `The public access block of ${label} has restrictPublicBuckets off; turn it on.`],
    ]);
    expect(got["log-bucket-ownership"]).toEqual([
      ["FAIL", `Object ownership of ${label} is ObjectWriter, so ACLs still apply; set BucketOwnerEnforced.`],
    ]);
    expect(got["log-bucket-access-logging"]).toEqual([
      [
        "FAIL",
        `Server access logs of ${label} go to ${ACCESS_LOG_BUCKET} under "elsewhere/", intended ${ACCESS_LOG_BUCKET} under "${CONFIG.bucketName}/".`,
      ],
    ]);
    expect(got["log-bucket-lifecycle"]).toEqual([
      [
        "FAIL",
        `Rule "cleanup" of ${label} expires current log objects after 30 days, shorter than the 2555-day retention; ` +
          `the lifecycle rule "expire-config-history" of ${label} is Disabled; ` +
          `no enabled rule of ${label} expires current objects over "AWSLogs/"; intended after 2555 days; ` +
          `no enabled rule of ${label} expires noncurrent versions over "AWSLogs/"; intended after 30 days; ` +
          `no enabled rule of ${label} aborts incomplete multipart uploads over "AWSLogs/"; intended after 7 days.`,
      ],
    ]);
    const pol = got["log-bucket-policy"];
    expect(pol.length).toBe(1);
    expect(pol[0][0]).toBe("FAIL");
    expect(pol[0][1]).toMatch(/DenyInsecureTransport/);
  });

  it("FAIL on a bare bucket: no policy, versioning never enabled, no lifecycle configuration, logging off", () => {
    const { o, m } = audit(read.bare);
    const label = `the Config bucket ${BARE}`;
    expect(read.bare.lifecycle).toEqual({ ok: true, value: undefined });
    expect(read.bare.accessLogging).toEqual({ ok: true, value: undefined });
    const one = (c: (typeof FAMILY)[number]) => onConfig(c.evaluate(o, m, CTX), BARE).map((f) => [f.status, f.message]);
    expect(one(policy)).toEqual([
      [
        "FAIL",
        `The Config bucket ${BARE} has no bucket policy: nothing denies plain HTTP or writes from outside the organization. Apply the intended policy.`,
      ],
    ]);
    expect(one(versioning)).toEqual([["FAIL", `Versioning of ${label} is never enabled; enable it.`]]);
    expect(one(accessLogging)).toEqual([
      [
        "FAIL",
        `Server access logging of ${label} is off; deliver it to ${ACCESS_LOG_BUCKET} under "${CONFIG.bucketName}/".`,
      ],
    ]);
    expect(one(lifecycle)[0][1]).toMatch(new RegExp(`^The Config bucket ${BARE} has no lifecycle configuration; `));
  });

  it("ERROR, never PASS, on every check when S3 refuses the reads, naming the IAM action to grant", () => {
    const { o, m } = audit(read.denied);
    for (const check of FAMILY) {
      const [f] = onConfig(check.evaluate(o, m, CTX), DENIED);
      expect([check.metadata.id, f.status, f.error?.name, f.error?.kind]).toEqual([
        check.metadata.id,
        "ERROR",
        "AccessDenied",
        "access-denied",
      ]);
    }
    const [lc] = onConfig(lifecycle.evaluate(o, m, CTX), DENIED);
    expect(lc.message).toContain("Grant the audit read role s3:GetLifecycleConfiguration");
  });

  it("PASS on the DNS query-log bucket as infra lays it, on each of the seven checks", () => {
    const { o, m } = audit(read.dns, "dns-query-log");
    const label = `the DNS query-log bucket ${DNS.bucketName}`;
    const got = FAMILY.map((c) => [
      c.metadata.id,
      onConfig(c.evaluate(o, m, CTX), DNS.bucketName).map((f) => [f.status, f.account, f.region]),
    ]);
    expect(got).toEqual(FAMILY.map((c) => [c.metadata.id, [["PASS", ORG.logArchive, DNS.region]]]));
    const message = (c: (typeof FAMILY)[number]) => onConfig(c.evaluate(o, m, CTX), DNS.bucketName)[0].message;
    expect(message(encryption)).toBe(
      `The DNS query-log bucket ${DNS.bucketName} encrypts by default with aws:kms under its intended key.`,
    );
    expect(message(lifecycle)).toBe(
      `The lifecycle of ${label} expires current objects after 365 days, keeps noncurrent versions at least 30 days and aborts incomplete uploads, over all its logs.`,
    );
    expect(message(accessLogging)).toBe(
      `Server access logs of ${label} go to ${ACCESS_LOG_BUCKET} under "${DNS.bucketName}/".`,
    );
  });

  it("FAIL on every setting of a drifted DNS query-log bucket, each message naming it and what to change", () => {
    const { o, m } = audit(read.dnsDrifted, "dns-query-log");
    const label = `the DNS query-log bucket ${DNS_DRIFTED}`;
    const got = Object.fromEntries(
      FAMILY.map((c) => [
        c.metadata.id,
        onConfig(c.evaluate(o, m, CTX), DNS_DRIFTED).map((f) => [f.status, f.message]),
      ]),
    );
    expect(got["log-bucket-versioning"]).toEqual([["FAIL", `Versioning of ${label} is Suspended; enable it.`]]);
    expect(got["log-bucket-encryption"]).toEqual([
      ["FAIL", `Default encryption of ${label} is AES256, intended aws:kms with ${DNS_KEY_ARN}.`],
    ]);
    expect(got["log-bucket-public-access"]).toEqual([
      ["FAIL", `The public access block of ${label} has restrictPublicBuckets off; turn it on.`],
    ]);
    expect(got["log-bucket-ownership"]).toEqual([
      ["FAIL", `Object ownership of ${label} is ObjectWriter, so ACLs still apply; set BucketOwnerEnforced.`],
    ]);
    expect(got["log-bucket-access-logging"]).toEqual([
      [
        "FAIL",
        `Server access logs of ${label} go to ${ACCESS_LOG_BUCKET} under "elsewhere/", intended ${ACCESS_LOG_BUCKET} under "${DNS.bucketName}/".`,
      ],
    ]);
    expect(got["log-bucket-lifecycle"]).toEqual([
      [
        "FAIL",
        `Rule "cleanup" of ${label} expires current log objects after 30 days, shorter than the 365-day retention; ` +
          `the lifecycle rule "expire-dns-query-logs" of ${label} is Disabled; ` +
          `no enabled rule of ${label} expires current objects over "AWSLogs/"; intended after 365 days; ` +
          `no enabled rule of ${label} expires noncurrent versions over "AWSLogs/"; intended after 30 days; ` +
          `no enabled rule of ${label} aborts incomplete multipart uploads over "AWSLogs/"; intended after 7 days.`,
      ],
    ]);
    const pol = got["log-bucket-policy"];
    expect(pol.length).toBe(1);
    expect(pol[0][0]).toBe("FAIL");
    expect(pol[0][1]).toMatch(/DenyInsecureTransport/);
  });

  it("ERROR, never PASS, on every check when S3 refuses the reads of the DNS query-log bucket", () => {
    const { o, m } = audit(read.dnsDenied, "dns-query-log");
    for (const check of FAMILY) {
      const fs = onConfig(check.evaluate(o, m, CTX), DENIED);
      expect([check.metadata.id, fs.map((f) => [f.status, f.error?.name, f.error?.kind])]).toEqual([
        check.metadata.id,
        [["ERROR", "AccessDenied", "access-denied"]],
      ]);
    }
  });

  it("a manifest with Resolver query logging but no dns-query-log entry: ERROR asking to republish; without it, no DNS finding", () => {
    const m = cleanManifest();
    m.logBuckets = m.logBuckets!.filter((b) => b.role !== "dns-query-log");
    const o = cleanObserved();
    const about = (fs: Finding[]) =>
      fs.filter((f) => f.status !== "PASS").map((f) => [f.status, f.resourceArn, f.observed, f.message]);
    for (const check of FAMILY)
      expect([check.metadata.id, about(check.evaluate(o, m, CTX))]).toEqual([
        check.metadata.id,
        [
          [
            "ERROR",
            "arn:aws:s3:::*",
            "not described by the manifest",
            `${check.metadata.title}: not evaluated for the DNS query-log bucket, because the audit manifest's logBuckets do not describe it. Run \`pulumi up\` on the stack to republish the manifest.`,
          ],
        ],
      ]);
    delete m.dnsQueryLogs;
    for (const check of FAMILY)
      expect([check.metadata.id, about(check.evaluate(o, m, CTX))]).toEqual([check.metadata.id, []]);
  });

  it("PASS on the Athena query-results bucket as infra lays it, on each of the six checks that judge it, in the security account", () => {
    const { o, m } = audit(read.athena, "athena-results");
    const label = `the Athena query-results bucket ${ATHENA.bucketName}`;
    expect(read.athena.account).toBe(ORG.security);
    const got = FAMILY.map((c) => [
      c.metadata.id,
      onConfig(c.evaluate(o, m, CTX), ATHENA.bucketName).map((f) => [f.status, f.account, f.region]),
    ]);
    expect(got).toEqual(
      FAMILY.map((c) => [c.metadata.id, c === accessLogging ? [] : [["PASS", ORG.security, ATHENA.region]]]),
    );
    const message = (c: (typeof FAMILY)[number]) => onConfig(c.evaluate(o, m, CTX), ATHENA.bucketName)[0].message;
    expect(message(encryption)).toBe(
      `The Athena query-results bucket ${ATHENA.bucketName} encrypts by default with aws:kms under its intended key.`,
    );
    expect(message(lifecycle)).toBe(
      `The lifecycle of ${label} expires current objects after 30 days, keeps noncurrent versions at least 30 days and aborts incomplete uploads, over all its logs.`,
    );
    expect(message(publicAccess)).toBe(`All four public access block settings of ${label} are on.`);
  });

  it("FAIL on every judged setting of a drifted Athena query-results bucket, each message naming it and what to change", () => {
    const { o, m } = audit(read.athenaDrifted, "athena-results");
    const label = `the Athena query-results bucket ${ATHENA_DRIFTED}`;
    const got = Object.fromEntries(
      FAMILY.map((c) => [
        c.metadata.id,
        onConfig(c.evaluate(o, m, CTX), ATHENA_DRIFTED).map((f) => [f.status, f.message]),
      ]),
    );
    expect(got["log-bucket-versioning"]).toEqual([["FAIL", `Versioning of ${label} is Suspended; enable it.`]]);
    expect(got["log-bucket-encryption"]).toEqual([
      ["FAIL", `Default encryption of ${label} is AES256, intended aws:kms with ${ATHENA_RESULTS_KEY_ARN}.`],
    ]);
    expect(got["log-bucket-public-access"]).toEqual([
      ["FAIL", `The public access block of ${label} has restrictPublicBuckets off; turn it on.`],
    ]);
    expect(got["log-bucket-ownership"]).toEqual([
      ["FAIL", `Object ownership of ${label} is ObjectWriter, so ACLs still apply; set BucketOwnerEnforced.`],
    ]);
    // Not judged: infra lays no server access logging on the results bucket.
    expect(got["log-bucket-access-logging"]).toEqual([]);
    // The "cleanup" rule expires after 30 days, which is the retention itself: not a problem; the disabled intended rule is.
    expect(got["log-bucket-lifecycle"]).toEqual([
      [
        "FAIL",
        `The lifecycle rule "expire-query-results" of ${label} is Disabled; ` +
          `no enabled rule of ${label} expires current objects over the whole bucket; intended after 30 days; ` +
          `no enabled rule of ${label} expires noncurrent versions over the whole bucket; intended after 30 days; ` +
          `no enabled rule of ${label} aborts incomplete multipart uploads over the whole bucket; intended after 7 days.`,
      ],
    ]);
    const pol = got["log-bucket-policy"];
    expect(pol.length).toBe(1);
    expect(pol[0][0]).toBe("FAIL");
    expect(pol[0][1]).toMatch(/DenyInsecureTransport/);
  });

  it("ERROR, never PASS, on every check that judges it when S3 refuses the reads of the Athena query-results bucket", () => {
    const { o, m } = audit(read.athenaDenied, "athena-results");
    for (const check of ATHENA_FAMILY) {
      const fs = onConfig(check.evaluate(o, m, CTX), DENIED);
      expect([check.metadata.id, fs.map((f) => [f.status, f.account, f.error?.name, f.error?.kind])]).toEqual([
        check.metadata.id,
        [["ERROR", ORG.security, "AccessDenied", "access-denied"]],
      ]);
    }
  });

  it("a manifest with Athena but no athena-results entry: ERROR asking to republish on the six checks; without Athena, no results-bucket finding", () => {
    const m = cleanManifest();
    m.logBuckets = m.logBuckets!.filter((b) => b.role !== "athena-results");
    const o = cleanObserved();
    const about = (fs: Finding[]) =>
      fs.filter((f) => f.status !== "PASS").map((f) => [f.status, f.resourceArn, f.observed, f.message]);
    for (const check of FAMILY)
      expect([check.metadata.id, about(check.evaluate(o, m, CTX))]).toEqual([
        check.metadata.id,
        check === accessLogging
          ? []
          : [
              [
                "ERROR",
                "arn:aws:s3:::*",
                "not described by the manifest",
                `${check.metadata.title}: not evaluated for the Athena query-results bucket, because the audit manifest's logBuckets do not describe it. Run \`pulumi up\` on the stack to republish the manifest.`,
              ],
            ],
      ]);
    delete m.athena;
    for (const check of FAMILY)
      expect([check.metadata.id, about(check.evaluate(o, m, CTX))]).toEqual([check.metadata.id, []]);
  });
});
