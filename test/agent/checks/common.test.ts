import { describe, expect, it } from "vitest";
import { formatAge, freshness, sentence } from "../../../agent/checks/common";
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
    ["arn:aws:kms:eu-west-1:333333333333:key/1234abcd-12ab-34cd-56ef-1234567890ab", { same: false, reason: `the key is arn:aws:kms:eu-west-1:333333333333:key/1234abcd-12ab-34cd-56ef-1234567890ab, not the intended ${intended}` }],
    ["alias/orgwarden-logs", { same: false, reason: `the key is named through the alias alias/orgwarden-logs, which can be re-pointed at another key; name it by its key ARN ${intended}` }],
    ["not-a-key", { same: false, reason: "not-a-key is not a KMS key ARN, key id or alias" }],
  ])("%s", (observed, expected) => expect(sameKmsKey(observed, intended, home)).toEqual(expected));
});

describe("sentence", () => {
  it("capitalises and ends with a full stop once", () => {
    expect(sentence("versioning is off; enable it")).toBe("Versioning is off; enable it.");
    expect(sentence("Already a sentence.")).toBe("Already a sentence.");
  });
});
