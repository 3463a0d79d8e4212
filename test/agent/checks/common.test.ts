import { describe, expect, it } from "vitest";
import { errorFinding, formatAge, freshness, sentence } from "../../../agent/checks/common";
import { CHECKS } from "../../../agent/checks/registry";
import { sameKmsKey } from "../../../agent/checks/kms-key-ref";

describe("formatAge", () => {
  it.each([
    [0, "0s"],
    [59_000, "59s"],
    [60_000, "1m"],
    [45 * 60_000, "45m"],
    [60 * 60_000, "1h"],
    [192 * 60_000, "3h 12m"],
    [(2 * 1440 + 5) * 60_000, "2d 5m"],
    [(1440 + 61) * 60_000 + 30_000, "1d 1h 1m"],
  ])("%i ms → %s", (ms, text) => expect(formatAge(ms)).toBe(text));
});

describe("freshness", () => {
  const now = new Date("2026-11-22T12:00:00.000Z");
  it("is fresh exactly at the threshold and stale one millisecond later", () => {
    expect(freshness("2026-11-22T11:00:00.000Z", now, 60)).toEqual({ fresh: true, age: "1h" });
    expect(freshness("2026-11-22T10:59:59.999Z", now, 60)).toEqual({ fresh: false, age: "1h" });
  });
  it("treats a time after the clock as fresh at age 0", () => {
    expect(freshness("2026-11-22T12:05:00.000Z", now, 60)).toEqual({ fresh: true, age: "0s" });
  });
  it("refuses a value that is not a time, naming it", () => {
    expect(() => freshness("yesterday", now, 60)).toThrow('freshness: "yesterday" is not an ISO-8601 time');
  });
});

describe("sameKmsKey", () => {
  const intended = "arn:aws:kms:us-east-1:333333333333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
  const home = { account: "333333333333", region: "us-east-1" };
  it.each([
    [intended, { same: true }],
    ["1234abcd-12ab-34cd-56ef-1234567890ab", { same: true }],
    [
      "arn:aws:kms:eu-west-1:333333333333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
      {
        same: false,
        reason: `the key is arn:aws:kms:eu-west-1:333333333333:key/1234abcd-12ab-34cd-56ef-1234567890ab, not the intended ${intended}`,
      },
    ],
    [
      "alias/orgwarden-logs",
      {
        same: false,
        reason: `the key is named through the alias alias/orgwarden-logs, which can be re-pointed at another key; name it by its key ARN ${intended}`,
      },
    ],
    ["not-a-key", { same: false, reason: "not-a-key is not a KMS key ARN, key id or alias" }],
  ])("%s", (observed, expected) => expect(sameKmsKey(observed, intended, home)).toEqual(expected));
});

describe("sentence", () => {
  it("capitalises and ends with a full stop once", () => {
    expect(sentence("versioning is off; enable it")).toBe("Versioning is off; enable it.");
    expect(sentence("Already a sentence.")).toBe("Already a sentence.");
  });
});

describe("errorFinding: the advice follows the kind of failure", () => {
  const meta = { ...CHECKS[0].metadata, title: "T" };
  const scope = { account: "111111111111", region: "us-east-1", resourceArn: "arn:x" };
  const base = { operation: "GetBucketEncryption", service: "s3" };
  it.each([
    [
      { ...base, name: "AccessDenied", message: "denied", kind: "access-denied", attempts: 1 },
      "T: not evaluated, because GetBucketEncryption was denied (AccessDenied: denied). Grant the audit read role s3:GetEncryptionConfiguration, then run the audit again.",
    ],
    [
      {
        operation: "AssumeRole",
        service: "sts",
        name: "AccessDenied",
        message: "no",
        kind: "access-denied",
        attempts: 1,
      },
      "T: not evaluated, because the read role could not be assumed (AccessDenied: no). Allow the starting identity sts:AssumeRole on the read role, and the role's trust policy to admit it, then run the audit again.",
    ],
    [
      { ...base, name: "SlowDown", message: "Please reduce your request rate.", kind: "throttled", attempts: 8 },
      "T: not evaluated, because GetBucketEncryption was throttled by AWS after 8 attempts (SlowDown); ask AWS for a higher s3 request rate (Service Quotas) or run the audit again later.",
    ],
    [
      { ...base, name: "InternalError", message: "oops", kind: "server-error", attempts: 8, httpStatus: 500 },
      "T: not evaluated, because AWS answered GetBucketEncryption with HTTP 500 after 8 attempts (InternalError: oops); the failure is on AWS's side: run the audit again later.",
    ],
    [
      { ...base, name: "ECONNRESET", message: "socket hang up", kind: "network", attempts: 3 },
      "T: not evaluated, because the connection failed during GetBucketEncryption after 3 attempts (ECONNRESET: socket hang up); check the network path to AWS (proxy, VPC endpoint, DNS), then run the audit again.",
    ],
    [
      { ...base, name: "TimeoutError", message: "timed out", kind: "timeout", attempts: 1 },
      "T: not evaluated, because GetBucketEncryption timed out after 1 attempt (TimeoutError: timed out); check the network path to AWS or raise the timeout, then run the audit again.",
    ],
    [
      { operation: "collect", name: "TaskTimeout", message: "did not finish within 5 ms", kind: "timeout" },
      "T: not evaluated, because collect timed out (TaskTimeout: did not finish within 5 ms); check the network path to AWS or raise the timeout, then run the audit again.",
    ],
    [
      { ...base, name: "UnparseableResponse", message: "HTTP 404", kind: "other", attempts: 1 },
      "T: not evaluated, because GetBucketEncryption failed with UnparseableResponse (HTTP 404). Fix the failure, then run the audit again.",
    ],
  ] as const)("%o", (err, message) => {
    const f = errorFinding(meta, scope, err, "i");
    expect(f.message).toBe(message);
    expect(f.error).toEqual({
      name: err.name,
      operation: err.operation,
      message: err.message,
      kind: err.kind,
      ...("attempts" in err ? { attempts: err.attempts } : {}),
    });
  });
});
