import { brotliCompressSync, deflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import {
  buildAuditManifest,
  decodeManifestParameter,
  encodeManifestParameter,
  LEGACY_MANIFEST_PARAMETER_FORMAT,
  MANIFEST_PARAMETER_FORMAT,
  parseAuditManifest,
} from "../../baseline";
import { validManifestInput } from "./manifest-fixture";

describe("manifest parameter encoding (brotli+base64 envelope)", () => {
  const small = { schemaVersion: 1, stack: "s", note: "é ünïcode" };

  it("round-trips through the envelope", () => {
    const text = encodeManifestParameter(small);
    expect(Object.keys(JSON.parse(text))).toEqual(["format", "schemaVersion", "data"]);
    expect(JSON.parse(text)).toMatchObject({ format: MANIFEST_PARAMETER_FORMAT, schemaVersion: 1 });
    expect(decodeManifestParameter(text)).toEqual(small);
  });

  it("a full manifest with the real documents fits an Advanced parameter once encoded, though not as plain JSON in a Standard one", () => {
    const m = buildAuditManifest(validManifestInput());
    const text = encodeManifestParameter(m);
    expect(Buffer.byteLength(JSON.stringify(m))).toBeGreaterThan(4096);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(8192);
    expect(Buffer.byteLength(text)).toBeLessThan(Buffer.byteLength(JSON.stringify(m)));
    expect(parseAuditManifest(decodeManifestParameter(text))).toEqual(m);
  });

  it("still reads the envelope infra wrote before (zlib+base64)", () => {
    const text = JSON.stringify({
      format: LEGACY_MANIFEST_PARAMETER_FORMAT,
      schemaVersion: 1,
      data: deflateSync(Buffer.from(JSON.stringify(small)), { level: 9 }).toString("base64"),
    });
    expect(LEGACY_MANIFEST_PARAMETER_FORMAT).toBe("orgwarden-audit-manifest/zlib+base64");
    expect(MANIFEST_PARAMETER_FORMAT).toBe("orgwarden-audit-manifest/brotli+base64");
    expect(decodeManifestParameter(text)).toEqual(small);
  });

  it("is smaller than the zlib envelope on a full manifest", () => {
    const m = buildAuditManifest(validManifestInput());
    const zlib = deflateSync(Buffer.from(JSON.stringify(m)), { level: 9 }).toString("base64");
    expect(JSON.parse(encodeManifestParameter(m)).data.length).toBeLessThan(zlib.length);
  });

  it("accepts a plain JSON manifest too", () => {
    expect(decodeManifestParameter(JSON.stringify(small))).toEqual(small);
  });

  it("names an unknown envelope format", () => {
    expect(() => decodeManifestParameter(JSON.stringify({ format: "gzip", data: "" }))).toThrow(
      `audit manifest parameter has format "gzip"; expected ${MANIFEST_PARAMETER_FORMAT} (or ${LEGACY_MANIFEST_PARAMETER_FORMAT}) with a base64 "data" field`,
    );
  });

  it("names an envelope without data", () => {
    expect(() =>
      decodeManifestParameter(JSON.stringify({ format: MANIFEST_PARAMETER_FORMAT, schemaVersion: 1 })),
    ).toThrow(
      `audit manifest parameter has format "${MANIFEST_PARAMETER_FORMAT}"; expected ${MANIFEST_PARAMETER_FORMAT} (or ${LEGACY_MANIFEST_PARAMETER_FORMAT}) with a base64 "data" field`,
    );
  });

  it("refuses data that is not compressed", () => {
    const text = JSON.stringify({
      format: MANIFEST_PARAMETER_FORMAT,
      schemaVersion: 1,
      data: Buffer.from("plain").toString("base64"),
    });
    expect(() => decodeManifestParameter(text)).toThrow(
      /^audit manifest parameter's "data" is not brotli-compressed base64: /,
    );
  });

  it("refuses data that inflates to something other than JSON", () => {
    const text = JSON.stringify({
      format: MANIFEST_PARAMETER_FORMAT,
      schemaVersion: 1,
      data: brotliCompressSync(Buffer.from("{oops")).toString("base64"),
    });
    expect(() => decodeManifestParameter(text)).toThrow(
      /^audit manifest parameter's "data" does not inflate to JSON: /,
    );
  });

  it("refuses text that is not JSON", () => {
    expect(() => decodeManifestParameter("not json")).toThrow(/^audit manifest parameter is not JSON: /);
  });

  it("passes JSON that is not an object through, for the schema to name", () => {
    expect(decodeManifestParameter("null")).toBeNull();
    expect(decodeManifestParameter("[1]")).toEqual([1]);
  });
});
