/** Reads one digest and checks it alone: where it is, its format, its key and its signature. */
import { gunzipSync } from "node:zlib";
import { s3Url, type Defect } from "./defects";
import { parseDigest, sha256Hex, signingString, SIGNATURE_ALGORITHM, type DigestFile } from "./format";
import { verifySignature, type PublicKeys } from "./keys";
import type { IntegritySource, ObjectRef } from "./source";

/** A digest whose signature verified, with what its successor must quote of it. */
export interface VerifiedDigest {
  ref: ObjectRef;
  digest: DigestFile;
  /** Its x-amz-meta-signature (hex). */
  signature: string;
  /** Hex SHA-256 of its uncompressed content. */
  hash: string;
}

export type Loaded = { ok: true; digest: VerifiedDigest } | { ok: false; defect: Defect };

function gunzipOrUndefined(body: Buffer): Buffer | undefined {
  try {
    return gunzipSync(body);
  } catch (err) {
    if (
      typeof (err as NodeJS.ErrnoException).code === "string" &&
      (err as NodeJS.ErrnoException).code?.startsWith("Z_")
    )
      return undefined;
    throw err;
  }
}

/** The order of the checks is awscli's (DigestProvider.fetch_digest, DigestTraverser._load_and_validate_digest), so both name the same defect. */
export async function loadDigest(
  source: IntegritySource,
  ref: ObjectRef,
  keys: PublicKeys,
  region: string,
): Promise<Loaded> {
  const object = s3Url(ref.bucket, ref.key);
  const bad = (kind: Defect["kind"], message: string): Loaded => ({
    ok: false,
    defect: { kind, object, message: `Digest file ${object}: ${message}` },
  });
  const fetched = await source.getDigest(ref);
  if (!fetched.found) return bad("digest-missing", "not found (deleted, or moved away from where the chain points)");
  const raw = gunzipOrUndefined(fetched.value.body);
  const d = raw ? parseDigest(raw.toString("utf8")) : undefined;
  if (!raw || !d) return bad("digest-invalid-format", "invalid format (not gzip'd digest JSON)");
  if (d.digestS3Bucket !== ref.bucket || d.digestS3Object !== ref.key)
    return bad(
      "digest-moved",
      `has been moved from its original location ${s3Url(d.digestS3Bucket, d.digestS3Object)}`,
    );
  const signature = fetched.value.metadata["signature"];
  const algorithm = fetched.value.metadata["signature-algorithm"];
  if (!signature || !algorithm)
    return bad(
      "digest-signature-invalid",
      "carries no signature metadata (x-amz-meta-signature, x-amz-meta-signature-algorithm)",
    );
  if (algorithm !== SIGNATURE_ALGORITHM)
    return bad("digest-signature-invalid", `signature algorithm is "${algorithm}", not ${SIGNATURE_ALGORITHM}`);
  const key = keys.get(d.digestPublicKeyFingerprint);
  if (!key)
    return bad(
      "digest-unknown-key",
      `public key not found in region ${region} for fingerprint ${d.digestPublicKeyFingerprint}`,
    );
  if (!verifySignature(key, signingString(d, raw), signature))
    return bad("digest-signature-invalid", "signature verification failed (the digest or its signature was changed)");
  return { ok: true, digest: { ref, digest: d, signature, hash: sha256Hex(raw) } };
}
