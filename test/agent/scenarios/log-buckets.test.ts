/**
 * The log buckets drifted in a seeded sandbox, audited end to end by runAudit() over moto: one
 * seed with eight drifts on six buckets, one audit, each drift a FAIL of its check on its bucket
 * only, the report naming the bucket in its remediation command.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { AuditResult } from "../../../agent/finding";
import type { Sandbox } from "../../../agent/sandbox/seed";
import { useMoto } from "../../helpers/moto";
import { audit, seed, withStatus } from "./_harness";

const moto = useMoto();

describe("log-bucket drift scenarios over moto (SSM associations and GetTrailStatus CloudWatch/digest fields recorded)", () => {
  let sb: Sandbox;
  let r: AuditResult;
  // One seed for the file: useMoto resets before each test, so everything is laid and audited in this hook.
  beforeAll(async () => {
    sb = await seed(moto.endpoint, [
      { kind: "log-bucket", role: "config", change: "lifecycle-expires-early" },
      { kind: "log-bucket", role: "config", change: "access-logging-off" },
      { kind: "log-bucket", role: "access-log", change: "versioning-suspended" },
      { kind: "log-bucket", role: "access-log", change: "encryption-sse-s3" },
      { kind: "log-bucket", role: "report", change: "public-access-off" },
      { kind: "log-bucket", role: "flow-log", change: "ownership-object-writer" },
      { kind: "log-bucket", role: "dns-query-log", change: "encryption-sse-s3" },
      { kind: "log-bucket", role: "athena-results", change: "lifecycle-expires-early" },
    ]);
    r = await audit(sb);
  });

  const name = (role: string) => sb.manifest.logBuckets!.find((b) => b.role === role)!.bucketName;

  it("each drift is one FAIL of its check on its bucket, and nothing else fails", () => {
    expect(
      withStatus(r, "FAIL")
        .map((f) => [f.checkId, f.resourceArn])
        .sort(),
    ).toEqual(
      [
        ["log-bucket-access-logging", `arn:aws:s3:::${name("config")}`],
        ["log-bucket-lifecycle", `arn:aws:s3:::${name("config")}`],
        ["log-bucket-lifecycle", `arn:aws:s3:::${name("athena-results")}`],
        // The access-log bucket was seeded with SSE-S3, which is what the baseline wants there: only versioning fails.
        ["log-bucket-encryption", `arn:aws:s3:::${name("dns-query-log")}`],
        ["log-bucket-ownership", `arn:aws:s3:::${name("flow-log")}`],
        ["log-bucket-public-access", `arn:aws:s3:::${name("report")}`],
        ["log-bucket-versioning", `arn:aws:s3:::${name("access-log")}`],
      ].sort(),
    );
    expect(withStatus(r, "ERROR")).toEqual([]);
    expect(r.exitCode).toBe(1);
  });

  it("the report bucket's finding is in the security account; the lifecycle finding names the shortened expiry", () => {
    const pab = withStatus(r, "FAIL").find((f) => f.checkId === "log-bucket-public-access")!;
    expect([pab.account, pab.message]).toEqual([
      sb.accounts.security,
      `The public access block of the audit report bucket ${name("report")} has blockPublicPolicy, restrictPublicBuckets off; turn them on.`,
    ]);
    const lc = withStatus(r, "FAIL").find(
      (f) => f.checkId === "log-bucket-lifecycle" && f.resourceArn === `arn:aws:s3:::${name("config")}`,
    )!;
    expect(lc.message).toBe(
      `Rule "expire-config-history" of the Config bucket ${name("config")} expires current log objects after 1 days, shorter than the 2555-day retention.`,
    );
    expect(lc.remediation.cli).toMatch(
      new RegExp(
        `^aws s3api put-bucket-lifecycle-configuration --bucket ${name("config")} --lifecycle-configuration file://intended/`,
      ),
    );
  });

  it("the DNS query-log bucket's finding is in the log-archive account and names the key it must encrypt with", () => {
    const enc = withStatus(r, "FAIL").find((f) => f.checkId === "log-bucket-encryption")!;
    const keyArn = sb.manifest.keys!.others.find((k) => k.name === "dns-query-log-key")!.arn;
    expect(sb.manifest.logBuckets!.find((b) => b.role === "dns-query-log")!.encryption).toEqual({
      algorithm: "aws:kms",
      keyArn,
    });
    expect([enc.account, enc.region, enc.message]).toEqual([
      sb.accounts.logArchive,
      sb.region,
      `Default encryption of the DNS query-log bucket ${name("dns-query-log")} is AES256, intended aws:kms with ${keyArn}.`,
    ]);
  });

  it("the Athena query-results bucket's lifecycle finding is in the security account, against the retention infra lays", () => {
    const lc = withStatus(r, "FAIL").find(
      (f) => f.checkId === "log-bucket-lifecycle" && f.resourceArn === `arn:aws:s3:::${name("athena-results")}`,
    )!;
    expect(sb.manifest.logBuckets!.find((b) => b.role === "athena-results")!.lifecycle).toEqual({
      ruleId: "expire-query-results",
      logPrefixes: [""],
      expirationDays: 30,
      noncurrentDays: 30,
      abortIncompleteDays: 7,
    });
    expect([lc.account, lc.region, lc.message]).toEqual([
      sb.accounts.security,
      sb.region,
      `Rule "expire-query-results" of the Athena query-results bucket ${name("athena-results")} expires current log objects after 1 days, shorter than the 30-day retention.`,
    ]);
    expect(lc.remediation.cli).toMatch(
      new RegExp(
        `^aws s3api put-bucket-lifecycle-configuration --bucket ${name("athena-results")} --lifecycle-configuration file://intended/`,
      ),
    );
  });
});
