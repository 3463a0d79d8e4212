import { deflateSync, inflateSync } from "node:zlib";

/**
 * How the audit manifest is stored in SSM Parameter Store. The manifest carries three full
 * policy documents (SCP, bucket policy, key policy) and is ~10 KB as JSON with the defaults,
 * more than an Advanced-tier parameter's 8 KB, so the parameter holds a small JSON envelope
 * with the manifest JSON deflated (zlib, RFC 1950) and base64-encoded. Pure: node:zlib only,
 * so the agent can decode it without Pulumi.
 */
export const MANIFEST_PARAMETER_FORMAT = "orgwarden-audit-manifest/zlib+base64";

export interface ManifestEnvelope {
  format: typeof MANIFEST_PARAMETER_FORMAT;
  schemaVersion: number;
  data: string;
}

export function encodeManifestParameter(manifest: { schemaVersion: number }): string {
  const envelope: ManifestEnvelope = {
    format: MANIFEST_PARAMETER_FORMAT,
    schemaVersion: manifest.schemaVersion,
    data: deflateSync(Buffer.from(JSON.stringify(manifest), "utf8"), { level: 9 }).toString("base64"),
  };
  return JSON.stringify(envelope);
}

/** The manifest (unvalidated: pass it to parseAuditManifest) from a parameter value; plain manifest JSON is accepted too. */
export function decodeManifestParameter(value: string): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (e) {
    throw new Error(`audit manifest parameter is not JSON: ${(e as Error).message}`);
  }
  const env = parsed as Partial<ManifestEnvelope>;
  if (env && typeof env === "object" && "format" in env) {
    if (env.format !== MANIFEST_PARAMETER_FORMAT || typeof env.data !== "string") {
      throw new Error(`audit manifest parameter has format "${String(env.format)}"; expected ${MANIFEST_PARAMETER_FORMAT} with a base64 "data" field`);
    }
    return JSON.parse(inflateSync(Buffer.from(env.data, "base64")).toString("utf8"));
  }
  return parsed;
}
