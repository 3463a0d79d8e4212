import { createHash } from "node:crypto";

/**
 * The audit manifest's fingerprint, and where infra pins it. infra tags the SSM parameter with
 * the SHA-256 of the manifest it wrote; the agent recomputes it over the manifest it judges with.
 * The tag is the anchor because PutParameter cannot change it: on an existing parameter tags are
 * changed only by AddTagsToResource / RemoveTagsFromResource ("To add tags to an existing
 * Systems Manager parameter, use the AddTagsToResource operation", PutParameter API reference),
 * so a rewrite of the value leaves the old fingerprint behind, and the rewritten manifest cannot
 * vouch for itself. Pure (node:crypto only), so infra and agent compute it with the same code.
 */
export const MANIFEST_DIGEST_TAG = "orgwarden:manifest-sha256";

/** Where infra writes the manifest for a stack (security account, home region). */
export function manifestParameterName(stack: string): string {
  return `/orgwarden/${stack}/audit-manifest`;
}

/** JSON with every object's keys sorted, so the digest does not depend on key order or encoding. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v !== null && typeof v === "object") {
    const entries = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`).join(",")}}`;
  }
  return JSON.stringify(v);
}

/** Hex SHA-256 of the validated manifest (parseAuditManifest's output: defaults applied), key order aside. */
export function manifestDigest(manifest: unknown): string {
  return createHash("sha256").update(canonical(manifest), "utf8").digest("hex");
}
