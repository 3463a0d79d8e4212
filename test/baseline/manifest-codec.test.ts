import { createHash, randomBytes } from "node:crypto";
import { deflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import {
  buildAuditManifest,
  decodeManifestParameter,
  decodeManifestParameters,
  encodeManifestParameter,
  encodeManifestParameters,
  manifestData,
  manifestParameterNames,
  MANIFEST_PARAMETER_FORMAT,
  MANIFEST_PART_FORMAT,
  parseAuditManifest,
} from "../../baseline";
import { validManifestInput } from "./manifest-fixture";

describe("manifest parameter encoding (zlib+base64 envelope)", () => {
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

  it("accepts a plain JSON manifest too", () => {
    expect(decodeManifestParameter(JSON.stringify(small))).toEqual(small);
  });

  it("names an unknown envelope format", () => {
    expect(() => decodeManifestParameter(JSON.stringify({ format: "gzip", data: "" }))).toThrow(
      `audit manifest parameter has format "gzip"; expected ${MANIFEST_PARAMETER_FORMAT} with a base64 "data" field`,
    );
  });

  it("names an envelope without data", () => {
    expect(() =>
      decodeManifestParameter(JSON.stringify({ format: MANIFEST_PARAMETER_FORMAT, schemaVersion: 1 })),
    ).toThrow(
      `audit manifest parameter has format "${MANIFEST_PARAMETER_FORMAT}"; expected ${MANIFEST_PARAMETER_FORMAT} with a base64 "data" field`,
    );
  });

  it("refuses data that is not deflated", () => {
    const text = JSON.stringify({
      format: MANIFEST_PARAMETER_FORMAT,
      schemaVersion: 1,
      data: Buffer.from("plain").toString("base64"),
    });
    expect(() => decodeManifestParameter(text)).toThrow(
      /^audit manifest parameter's "data" is not zlib-deflated base64: /,
    );
  });

  it("refuses data that inflates to something other than JSON", () => {
    const text = JSON.stringify({
      format: MANIFEST_PARAMETER_FORMAT,
      schemaVersion: 1,
      data: deflateSync(Buffer.from("{oops")).toString("base64"),
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

describe("manifest split over parameters (head + parts)", () => {
  const HEAD = "/orgwarden/prod/audit-manifest";
  const names = manifestParameterNames(HEAD);
  // Random bytes barely compress: about 20 KB of data, which needs the head and two parts.
  const big = { schemaVersion: 1, stack: "s", padding: randomBytes(15_000).toString("base64") };
  const values = encodeManifestParameters(1, manifestData(big));
  const params = (v: (string | undefined)[]) => names.map((name, i) => ({ name, value: v[i] }));
  const at = (i: number, f: (o: Record<string, unknown>) => void) =>
    values.map((v, k) => {
      if (k !== i) return v;
      const o = JSON.parse(v) as Record<string, unknown>;
      f(o);
      return JSON.stringify(o);
    });

  it("names the parts under the head, six in all", () => {
    expect(names).toEqual([HEAD, ...[2, 3, 4, 5, 6].map((i) => `${HEAD}/part-${i}`)]);
  });

  it('round-trips a manifest that needs three parameters; each value within 8 KB, the unused parts hold ""', () => {
    const parsed = values.map((v) => JSON.parse(v) as { data: string; digest: string });
    expect(values.map((v) => Buffer.byteLength(v) <= 8192)).toEqual(Array(6).fill(true));
    expect(parsed.map((p) => p.data.length > 0)).toEqual([true, true, true, false, false, false]);
    expect(parsed[1]).toMatchObject({ format: MANIFEST_PART_FORMAT, index: 2 });
    const digest = createHash("sha256").update(manifestData(big)).digest("hex");
    expect(new Set(parsed.map((p) => p.digest))).toEqual(new Set([digest]));
    expect(decodeManifestParameters(params(values))).toEqual(big);
  });

  it("a set whose data all fits in the head decodes from the head alone too (its digest proves it whole)", () => {
    const small = { schemaVersion: 1, stack: "s" };
    const v = encodeManifestParameters(1, manifestData(small));
    expect(decodeManifestParameter(v[0])).toEqual(small);
    expect(decodeManifestParameters(params(v))).toEqual(small);
  });

  it("refuses the head alone when the data goes on in parts, saying what to read instead", () => {
    expect(() => decodeManifestParameter(values[0])).toThrow(
      "audit manifest parameter is only the head of 6 SSM parameters (<head>/part-2 … /part-6), and its chunk is not the whole manifest: read all 6 (the audit agent does), or pass the plain manifest JSON (`pulumi stack output auditManifest`)",
    );
  });

  it("names a missing part", () => {
    const v = [...values];
    v[2] = undefined as unknown as string;
    expect(() => decodeManifestParameters(params(v))).toThrow(
      `part 3 of 6, SSM parameter ${HEAD}/part-3, does not exist: the set is partial; run \`pulumi up\` to write it again`,
    );
  });

  it("names a part from another write of the manifest (its digest is not the head's)", () => {
    const otherWrite = { ...big, stack: "t" };
    const other = encodeManifestParameters(1, manifestData(otherWrite));
    const v = [...values];
    v[1] = other[1];
    const theirs = (JSON.parse(other[1]) as { digest: string }).digest;
    const ours = (JSON.parse(values[0]) as { digest: string }).digest;
    expect(() => decodeManifestParameters(params(v))).toThrow(
      `part 2 of 6, SSM parameter ${HEAD}/part-2, belongs to another write of the manifest (its digest ${theirs}, the head's ${ours}): the set is mixed; run \`pulumi up\` to write it again, and see who wrote which in each parameter's history`,
    );
  });

  it("refuses a part whose data was altered under the head's digest", () => {
    const v = at(2, (o) => (o.data = `${String(o.data).slice(0, -4)}AAAA`));
    expect(() => decodeManifestParameters(params(v))).toThrow(
      `the data of the head and its 5 parts (${names.slice(1).join(", ")}) does not hash to the head's digest ${(JSON.parse(values[0]) as { digest: string }).digest}: a parameter was altered after infra wrote it; see each parameter's history`,
    );
  });

  it("names a part in the wrong place, and a value that is not a part", () => {
    expect(() => decodeManifestParameters(params(at(3, (o) => (o.index = 5))))).toThrow(
      `part 4 of 6, SSM parameter ${HEAD}/part-4, holds part 5, not part 4`,
    );
    const v = [...values];
    v[4] = JSON.stringify({ format: "other", data: "" });
    expect(() => decodeManifestParameters(params(v))).toThrow(
      `part 5 of 6, SSM parameter ${HEAD}/part-5, is not a manifest part: expected format ${MANIFEST_PART_FORMAT} with a "data" field`,
    );
  });

  it("refuses a head that says more parts than this reader reads", () => {
    expect(() => decodeManifestParameters(params(at(0, (o) => (o.parts = 7))))).toThrow(
      "audit manifest parameter says the manifest is stored in 7 parameters; this reader reads 6 (6 is what this version writes): upgrade the agent",
    );
  });

  it("still reads today's single-parameter envelope and plain manifest JSON from the head, whatever the parts hold", () => {
    const small = { schemaVersion: 1, stack: "s" };
    expect(decodeManifestParameters(params([encodeManifestParameter(small)]))).toEqual(small);
    expect(decodeManifestParameters(params([JSON.stringify(small)]))).toEqual(small);
  });

  it("names a missing head", () => {
    expect(() => decodeManifestParameters(params([]))).toThrow(
      "audit manifest parameter does not exist or has no value",
    );
  });
});
