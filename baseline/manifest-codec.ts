import { brotliCompressSync, brotliDecompressSync, constants, inflateSync } from "node:zlib";

/**
 * How the audit manifest is stored in SSM Parameter Store. The manifest carries full policy
 * documents (SCPs, bucket policies, key policy) and table definitions and is ~30 KB as JSON with
 * the defaults, more than an Advanced-tier parameter's 8 KB, so the parameter holds a small JSON
 * envelope with the manifest JSON compressed and base64-encoded. Brotli (quality 11): it is ~11 %
 * smaller than zlib level 9 on the manifest, which had left the example stacks within bytes of
 * the limit. Pure (node:zlib only) so that infra writes and the agent reads the parameter with the
 * same code and no Pulumi. A parameter written before (zlib) is still read.
 */
export const MANIFEST_PARAMETER_FORMAT = "orgwarden-audit-manifest/brotli+base64";
/** The envelope infra wrote before: zlib (RFC 1950) deflated. */
export const LEGACY_MANIFEST_PARAMETER_FORMAT = "orgwarden-audit-manifest/zlib+base64";

export interface ManifestEnvelope {
  format: typeof MANIFEST_PARAMETER_FORMAT | typeof LEGACY_MANIFEST_PARAMETER_FORMAT;
  schemaVersion: number;
  data: string;
}

export function encodeManifestParameter(manifest: { schemaVersion: number }): string {
  const envelope: ManifestEnvelope = {
    format: MANIFEST_PARAMETER_FORMAT,
    schemaVersion: manifest.schemaVersion,
    data: brotli(Buffer.from(JSON.stringify(manifest), "utf8")).toString("base64"),
  };
  return JSON.stringify(envelope);
}

/**
 * The manifest (unvalidated: pass it to parseAuditManifest) from a parameter value or a file.
 * Plain manifest JSON is accepted too, so a manifest saved from `pulumi stack output` and one
 * copied from the parameter are read the same way. A manifest has no top-level "format" key,
 * which is what tells the two apart.
 */
export function decodeManifestParameter(value: string): unknown {
  const parsed = parseJson(value, "audit manifest parameter is not JSON");
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed) || !("format" in parsed)) return parsed;
  const env = parsed as Partial<ManifestEnvelope>;
  const legacy = env.format === LEGACY_MANIFEST_PARAMETER_FORMAT;
  if ((env.format !== MANIFEST_PARAMETER_FORMAT && !legacy) || typeof env.data !== "string") {
    throw new Error(
      `audit manifest parameter has format "${String(env.format)}"; expected ${MANIFEST_PARAMETER_FORMAT} (or ${LEGACY_MANIFEST_PARAMETER_FORMAT}) with a base64 "data" field`,
    );
  }
  let text: string;
  const data = Buffer.from(env.data, "base64");
  try {
    text = (legacy ? inflateSync(data) : brotliDecompressSync(data)).toString("utf8");
  } catch (e) {
    throw new Error(
      `audit manifest parameter's "data" is not ${legacy ? "zlib-deflated" : "brotli-compressed"} base64: ${(e as Error).message}`,
    );
  }
  return parseJson(text, `audit manifest parameter's "data" does not inflate to JSON`);
}

function brotli(b: Buffer): Buffer {
  return brotliCompressSync(b, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: b.length,
    },
  });
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new Error(`${what}: ${(e as Error).message}`);
  }
}
