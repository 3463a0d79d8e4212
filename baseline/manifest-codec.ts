import { createHash } from "node:crypto";
import { deflateSync, inflateSync } from "node:zlib";

/**
 * How the audit manifest is stored in SSM Parameter Store. The manifest carries full policy
 * documents and table definitions and is tens of KB as JSON, so it is deflated (zlib, RFC 1950),
 * base64-encoded, and split over a FIXED number of Advanced-tier parameters (8 KB each): the head
 * keeps the manifest's name and holds a small JSON envelope with the first chunk, the number of
 * parts and the SHA-256 of the whole data; parts 2..N live under it (`<head>/part-<i>`) and hold
 * their chunk and the same digest. The number is fixed so that `pulumi preview` shows the same
 * resources whatever the manifest's size (an Output's resolved size cannot decide what is laid):
 * unused parts hold "" (the parameter's value, the part's JSON, is never empty). The digest lets a
 * reader tell a whole set from a mixed one (a part left from another write) or a partial one.
 * Pure (node:zlib and node:crypto only), so infra writes and the agent reads with the same code.
 */
export const MANIFEST_PARAMETER_FORMAT = "orgwarden-audit-manifest/zlib+base64";
export const MANIFEST_PART_FORMAT = "orgwarden-audit-manifest/part";

/** SSM Parameter Store's limit for an Advanced-tier parameter value. */
export const SSM_ADVANCED_MAX_BYTES = 8192;

/**
 * Parameters the manifest is stored in, head included: 6 × 8 KB ≈ 48 KB of deflated base64, twice
 * what the manifest is expected to reach with the keys, roles and DNS areas (~24 KB), so a real
 * waivers file and exemption list fit too. At most 10, the names one GetParameters call takes.
 */
export const MANIFEST_PARTS = 6;

/** The head: today's single-parameter envelope plus `parts` and `digest` (both absent in a single-parameter one). */
export interface ManifestEnvelope {
  format: typeof MANIFEST_PARAMETER_FORMAT;
  schemaVersion: number;
  /** Parameters the data is split over, head included; absent: the head holds all of it. */
  parts?: number;
  /** Hex SHA-256 of the whole data (the chunks concatenated, head first). */
  digest?: string;
  data: string;
}

export interface ManifestPart {
  format: typeof MANIFEST_PART_FORMAT;
  /** 2..parts: the part's place in the data, as in its name. */
  index: number;
  /** The head's digest: which write of the manifest this chunk belongs to. */
  digest: string;
  data: string;
}

/**
 * The parameter holding part `index` (2..N) of the manifest whose head is `head`. Under the head
 * in the hierarchy (GetParametersByPath on the head lists them; 4 of the 15 levels SSM allows),
 * and so that IAM patterns on `<head>/part-*` never match an unrelated parameter sharing the
 * head's name as a prefix (`<head>-old`), which `<head>-part-*` would invite as `<head>*`.
 */
export function manifestPartName(head: string, index: number | "*"): string {
  return `${head}/part-${index}`;
}

/** All the manifest's parameters, head first. */
export function manifestParameterNames(head: string, parts: number = MANIFEST_PARTS): string[] {
  return [head, ...Array.from({ length: parts - 1 }, (_, i) => manifestPartName(head, i + 2))];
}

/** The deflated, base64-encoded manifest JSON: what the parameters hold, split. */
export function manifestData(manifest: { schemaVersion: number }): string {
  return deflateSync(Buffer.from(JSON.stringify(manifest), "utf8"), { level: 9 }).toString("base64");
}

const sha256 = (s: string) => createHash("sha256").update(s, "utf8").digest("hex");
const DIGEST_PLACEHOLDER = "0".repeat(64);

/** Bytes of `data` each of the N parameters holds once its envelope is counted (base64 is ASCII: bytes = characters). */
function chunkSizes(schemaVersion: number, parts: number): number[] {
  const head: ManifestEnvelope = {
    format: MANIFEST_PARAMETER_FORMAT,
    schemaVersion,
    parts,
    digest: DIGEST_PLACEHOLDER,
    data: "",
  };
  const part = (index: number): ManifestPart => ({
    format: MANIFEST_PART_FORMAT,
    index,
    digest: DIGEST_PLACEHOLDER,
    data: "",
  });
  const room = (o: object) => SSM_ADVANCED_MAX_BYTES - Buffer.byteLength(JSON.stringify(o), "utf8");
  return [room(head), ...Array.from({ length: parts - 1 }, (_, i) => room(part(i + 2)))];
}

/** Bytes of manifest data the N parameters hold together. */
export function manifestCapacity(schemaVersion: number, parts: number = MANIFEST_PARTS): number {
  return chunkSizes(schemaVersion, parts).reduce((a, b) => a + b, 0);
}

/**
 * The values of the N parameters (head first) for `data` (manifestData). Throws when the data
 * exceeds manifestCapacity: infra checks first and names what to shorten (infra/audit-manifest.ts).
 */
export function encodeManifestParameters(
  schemaVersion: number,
  data: string,
  parts: number = MANIFEST_PARTS,
): string[] {
  const sizes = chunkSizes(schemaVersion, parts);
  const capacity = sizes.reduce((a, b) => a + b, 0);
  if (data.length > capacity)
    throw new Error(`audit manifest data is ${data.length} bytes; its ${parts} parameters hold at most ${capacity}`);
  const digest = sha256(data);
  let at = 0;
  const chunks = sizes.map((n) => {
    const c = data.slice(at, at + n);
    at += c.length;
    return c;
  });
  const head: ManifestEnvelope = { format: MANIFEST_PARAMETER_FORMAT, schemaVersion, parts, digest, data: chunks[0] };
  return [
    JSON.stringify(head),
    ...chunks
      .slice(1)
      .map((c, i) =>
        JSON.stringify({ format: MANIFEST_PART_FORMAT, index: i + 2, digest, data: c } satisfies ManifestPart),
      ),
  ];
}

/**
 * The single-parameter envelope (no `parts`): what infra wrote before the manifest was split.
 * Readers still accept it; tests seed a parameter with it.
 */
export function encodeManifestParameter(manifest: { schemaVersion: number }): string {
  const envelope: ManifestEnvelope = {
    format: MANIFEST_PARAMETER_FORMAT,
    schemaVersion: manifest.schemaVersion,
    data: manifestData(manifest),
  };
  return JSON.stringify(envelope);
}

/**
 * The manifest (unvalidated: pass it to parseAuditManifest) from one text: a file or the head's
 * value. Plain manifest JSON is accepted too, so a manifest saved from `pulumi stack output` and
 * one copied from the parameter are read the same way; a manifest has no top-level "format" key,
 * which is what tells them apart. A head whose data is split over parts decodes alone only when
 * its chunk is the whole data (its digest says so); otherwise the error says to read all parts.
 */
export function decodeManifestParameter(value: string): unknown {
  const head = parseHead(value);
  if (!("envelope" in head)) return head.plain;
  const env = head.envelope;
  if (env.parts !== undefined && env.parts > 1 && sha256(env.data) !== env.digest)
    throw new Error(
      `audit manifest parameter is only the head of ${env.parts} SSM parameters (<head>/part-2 … /part-${env.parts}), and its chunk is not the whole manifest: read all ${env.parts} (the audit agent does), or pass the plain manifest JSON (\`pulumi stack output auditManifest\`)`,
    );
  return inflateData(env.data, "audit manifest parameter's");
}

/**
 * The manifest (unvalidated) from its parameters, head first, as read in one GetParameters call
 * (`value` undefined: the parameter does not exist). Every error names the parameter at fault: a
 * missing part, a part of another write (its digest is not the head's), or a set whose data does
 * not hash to the head's digest (altered after infra wrote it).
 */
export function decodeManifestParameters(params: ReadonlyArray<{ name: string; value: string | undefined }>): unknown {
  const [first, ...rest] = params;
  if (!first?.value) throw new Error("audit manifest parameter does not exist or has no value");
  const head = parseHead(first.value);
  if (!("envelope" in head)) return head.plain;
  const env = head.envelope;
  const whose = "audit manifest parameter's";
  if (env.parts === undefined || env.parts === 1) return inflateData(env.data, whose);
  if (env.parts > params.length)
    throw new Error(
      `audit manifest parameter says the manifest is stored in ${env.parts} parameters; this reader reads ${params.length} (${MANIFEST_PARTS} is what this version writes): upgrade the agent`,
    );
  const chunks = [env.data];
  for (const [i, p] of rest.slice(0, env.parts - 1).entries()) {
    const index = i + 2;
    const at = `part ${index} of ${env.parts}, SSM parameter ${p.name},`;
    if (!p.value) throw new Error(`${at} does not exist: the set is partial; run \`pulumi up\` to write it again`);
    const part = parseJson(p.value, `${at} is not JSON`) as Partial<ManifestPart> | null;
    if (
      part === null ||
      typeof part !== "object" ||
      part.format !== MANIFEST_PART_FORMAT ||
      typeof part.data !== "string"
    )
      throw new Error(`${at} is not a manifest part: expected format ${MANIFEST_PART_FORMAT} with a "data" field`);
    if (part.index !== index) throw new Error(`${at} holds part ${String(part.index)}, not part ${index}`);
    if (part.digest !== env.digest)
      throw new Error(
        `${at} belongs to another write of the manifest (its digest ${String(part.digest)}, the head's ${String(env.digest)}): the set is mixed; run \`pulumi up\` to write it again, and see who wrote which in each parameter's history`,
      );
    chunks.push(part.data);
  }
  const data = chunks.join("");
  if (sha256(data) !== env.digest)
    throw new Error(
      `the data of the head and its ${env.parts - 1} parts (${rest
        .slice(0, env.parts - 1)
        .map((p) => p.name)
        .join(
          ", ",
        )}) does not hash to the head's digest ${String(env.digest)}: a parameter was altered after infra wrote it; see each parameter's history`,
    );
  return inflateData(data, whose);
}

type Head = { plain: unknown } | { envelope: ManifestEnvelope };

function parseHead(value: string): Head {
  const what = "audit manifest parameter";
  const parsed = parseJson(value, `${what} is not JSON`);
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed) || !("format" in parsed))
    return { plain: parsed };
  const env = parsed as Partial<ManifestEnvelope>;
  if (env.format !== MANIFEST_PARAMETER_FORMAT || typeof env.data !== "string") {
    throw new Error(
      `${what} has format "${String(env.format)}"; expected ${MANIFEST_PARAMETER_FORMAT} with a base64 "data" field`,
    );
  }
  if (env.parts !== undefined && (!Number.isInteger(env.parts) || env.parts < 1 || typeof env.digest !== "string"))
    throw new Error(`${what} has "parts" ${JSON.stringify(env.parts)}; expected a whole number ≥ 1 with a "digest"`);
  return { envelope: env as ManifestEnvelope };
}

function inflateData(data: string, whose: string): unknown {
  let text: string;
  try {
    text = inflateSync(Buffer.from(data, "base64")).toString("utf8");
  } catch (e) {
    throw new Error(`${whose} "data" is not zlib-deflated base64: ${(e as Error).message}`);
  }
  return parseJson(text, `${whose} "data" does not inflate to JSON`);
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new Error(`${what}: ${(e as Error).message}`);
  }
}
