/**
 * CloudTrail's public keys (ListPublicKeys), by fingerprint. awscli
 * (Sha256RSADigestValidator.validate) base64-decodes the `Value` botocore hands it and loads the
 * result with rsa.PublicKey.load_pkcs1(format='DER'): the key is a PKCS#1 RSAPublicKey, and the
 * blob botocore already decoded once is itself base64 text. Both layers are accepted here (DER
 * bytes, or base64 text of DER), since a value copied by hand may have lost one of them.
 */
import { createPublicKey, verify, type KeyObject } from "node:crypto";

/** One entry of a ListPublicKeys response: `Value` as the SDK gives it (bytes) or as a JSON file holds it (base64). */
export interface PublicKeyEntry {
  Fingerprint?: string;
  Value?: Uint8Array | string;
  ValidityStartTime?: Date | string | number;
  ValidityEndTime?: Date | string | number;
}

const DER_SEQUENCE = 0x30;

function derOf(value: Uint8Array | string): Buffer | undefined {
  let bytes: Buffer = typeof value === "string" ? Buffer.from(value, "base64") : Buffer.from(value);
  for (let layer = 0; layer < 2 && bytes.length > 0 && bytes[0] !== DER_SEQUENCE; layer++)
    bytes = Buffer.from(bytes.toString("latin1"), "base64");
  return bytes.length > 0 && bytes[0] === DER_SEQUENCE ? bytes : undefined;
}

/** A KeyObject from PKCS#1 DER (what CloudTrail serves), or SubjectPublicKeyInfo DER; undefined when neither parses. */
export function loadPublicKey(value: Uint8Array | string): KeyObject | undefined {
  const der = derOf(value);
  if (!der) return undefined;
  for (const type of ["pkcs1", "spki"] as const) {
    try {
      return createPublicKey({ key: der, format: "der", type });
    } catch (err) {
      // A DER that is not of this type throws ERR_OSSL_*; the next type is tried, and neither means "no key".
      if (!(err instanceof Error)) throw err;
    }
  }
  return undefined;
}

export interface PublicKeys {
  /** The key for a digest's digestPublicKeyFingerprint; undefined when none matches (awscli: "public key not found"). */
  get(fingerprint: string): KeyObject | undefined;
  readonly size: number;
}

export function publicKeyMap(entries: PublicKeyEntry[]): PublicKeys {
  const m = new Map<string, KeyObject>();
  for (const e of entries) {
    const key = e.Fingerprint && e.Value !== undefined ? loadPublicKey(e.Value) : undefined;
    if (key && e.Fingerprint) m.set(e.Fingerprint, key);
  }
  return { get: (f) => m.get(f), size: m.size };
}

/** SHA256withRSA (PKCS#1 v1.5), the signature hex-encoded as CloudTrail stores it in x-amz-meta-signature. */
export function verifySignature(key: KeyObject, signed: string, signatureHex: string): boolean {
  if (!/^(?:[0-9a-fA-F]{2})+$/.test(signatureHex)) return false;
  return verify("sha256", Buffer.from(signed, "utf8"), key, Buffer.from(signatureHex, "hex"));
}
