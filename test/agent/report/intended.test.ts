import { describe, expect, it } from "vitest";
import { trailEventSelectors } from "../../../infra/org-trail";
import { findingIdOfIntendedFile, intendedEventSelectors, intendedFileName } from "../../../agent/report/intended";
import { sandboxManifest } from "./manifest-fixture";

const SAFE = /^[A-Za-z0-9._%~-]+$/;

describe("intended/<name>.json: a safe, reversible, collision-free name per finding id", () => {
  const ids = [
    "archive-bucket-policy|222222222222|us-east-1|arn:aws:s3:::orgwarden-archive",
    "scp-logging-present|111111111111|global|arn:aws:organizations::111111111111:policy/o-a1b2c3d4e5/service_control_policy/p-abcd1234#attached:ou-ab12-abcdefgh",
    "kms-key-policy|333333333333|us-east-1|arn:aws:kms:us-east-1:333333333333:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",
    // Ids that a naive scheme (drop or replace the separators) would map onto one another.
    "a|b",
    "a#b",
    "a:b",
    "a/b",
    "a%7Cb",
    "a_b",
    "a b",
    "ä|ö",
    "..|.",
  ];

  it.each(ids)("%s: one path segment of safe characters that decodes back to the id", (id) => {
    const name = intendedFileName(id);
    expect(name).toMatch(SAFE);
    expect(name.endsWith(".json")).toBe(true);
    expect(Buffer.byteLength(name)).toBeLessThanOrEqual(255);
    expect(findingIdOfIntendedFile(name)).toBe(id);
  });

  it("never gives two ids one name", () => {
    const names = ids.map(intendedFileName);
    expect(new Set(names).size).toBe(ids.length);
  });

  it("encodes exactly the characters outside [A-Za-z0-9._-]", () => {
    expect(intendedFileName("c|111111111111|eu-west-1|arn:aws:s3:::b#k")).toBe(
      "c%7C111111111111%7Ceu-west-1%7Carn%3Aaws%3As3%3A%3A%3Ab%23k.json",
    );
  });

  it("shortens an id whose name would pass 255 bytes with a digest, still distinct and still safe", () => {
    const long = (tail: string) =>
      `trail-log-integrity|111111111111|us-east-1|arn:aws:s3:::b/${"x/".repeat(120)}${tail}`;
    const [a, b] = [intendedFileName(long("a")), intendedFileName(long("b"))];
    for (const n of [a, b]) {
      expect(n).toMatch(SAFE);
      expect(Buffer.byteLength(n)).toBeLessThanOrEqual(255);
      expect(n).toMatch(/~[0-9a-f]{16}\.json$/);
      // The prefix is cut between two %XX triples, never inside one.
      expect(n.slice(0, n.indexOf("~"))).toMatch(/^([A-Za-z0-9._-]|%[0-9A-F]{2})+$/);
      // Not reversible from the name alone: the finding's remediation.intendedFile names it.
      expect(findingIdOfIntendedFile(n)).toBeUndefined();
    }
    expect(a).not.toBe(b);
  });

  it("refuses names this scheme did not write", () => {
    expect(findingIdOfIntendedFile("report.json")).toBe("report");
    expect(findingIdOfIntendedFile("a|b.json")).toBeUndefined();
    expect(findingIdOfIntendedFile("a%7cb.json")).toBeUndefined();
    expect(findingIdOfIntendedFile("a%E0.json")).toBeUndefined();
    expect(() => intendedFileName("")).toThrow("the finding id must not be empty");
  });
});

describe("the intended event selectors are the ones infra deploys, in the CLI's shape", () => {
  it.each([
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ])("s3 %s, lambda %s", (s3, lambda) => {
    const m = sandboxManifest();
    const manifest = { ...m, trail: { ...m.trail, dataEvents: { s3, lambda } } };
    const deployed = trailEventSelectors({
      s3DataEvents: s3,
      lambdaDataEvents: lambda,
      logBucketNames: [m.archive.bucketName, m.archive.accessLogBucketName],
    });
    const asCli = deployed.map((s) => ({
      Name: s.name,
      FieldSelectors: (s.fieldSelectors as { field: string; equals?: string[]; notStartsWiths?: string[] }[]).map(
        (f) => ({
          Field: f.field,
          ...(f.equals ? { Equals: f.equals } : {}),
          ...(f.notStartsWiths ? { NotStartsWith: f.notStartsWiths } : {}),
        }),
      ),
    }));
    expect(intendedEventSelectors(manifest)).toEqual(asCli);
  });
});
