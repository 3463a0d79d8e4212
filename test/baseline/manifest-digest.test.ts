import { describe, expect, it } from "vitest";
import { manifestDigest, manifestParameterName } from "../../baseline";
import { auditManifestParameterName } from "../../infra/naming";

describe("manifestDigest", () => {
  it("is the hex SHA-256 of the key-sorted JSON: key order and undefined fields do not change it", () => {
    // = sha256 of '{"a":1,"b":[{"c":"x","d":null}]}' (computed with node:crypto over that literal string)
    const d = manifestDigest({ b: [{ d: null, c: "x", e: undefined }], a: 1 });
    expect(d).toBe(manifestDigest({ a: 1, b: [{ c: "x", d: null }] }));
    expect(d).toBe("73874d219adbfc69ffb017abbb33638c5a031f2d54a67752dab82ab92e24af2a");
  });

  it("changes with any value, at any depth, and with array order", () => {
    const base = manifestDigest({ a: { b: [1, 2] } });
    expect(manifestDigest({ a: { b: [2, 1] } })).not.toBe(base);
    expect(manifestDigest({ a: { b: [1, 3] } })).not.toBe(base);
    expect(manifestDigest({ a: { b: [1, 2], c: 0 } })).not.toBe(base);
  });
});

describe("manifestParameterName", () => {
  it("is the name infra writes the manifest under", () => {
    expect(manifestParameterName("prod")).toBe("/orgwarden/prod/audit-manifest");
    expect(auditManifestParameterName("prod")).toBe(manifestParameterName("prod"));
  });
});
