/** What the validator can find wrong, each naming the object; the check maps kinds to status and severity. */

export const DEFECT_KINDS = {
  /** A listed log file's uncompressed SHA-256 differs from the digest's hashValue. */
  "log-modified": "CRITICAL",
  /** A listed log file is not at its key (deleted, or moved away). */
  "log-missing": "CRITICAL",
  /** A listed log file is not gzip. */
  "log-invalid-format": "CRITICAL",
  /** A digest the chain points to is not at its key. */
  "digest-missing": "CRITICAL",
  /** A digest is not gzip'd JSON with the digest's fields. */
  "digest-invalid-format": "CRITICAL",
  /** A digest's digestS3Bucket/digestS3Object is not where it was read from. */
  "digest-moved": "CRITICAL",
  /** The signature does not verify (the digest or its metadata was changed), or there is none. */
  "digest-signature-invalid": "CRITICAL",
  /** No public key of the region has the digest's fingerprint. */
  "digest-unknown-key": "CRITICAL",
  /** Stricter than awscli: previousDigestHashValue/previousDigestSignature differ from the predecessor's real hash and signature. */
  "chain-mismatch": "CRITICAL",
  /** Stricter than awscli: digestStartTime differs from the predecessor's digestEndTime (a skipped or reordered digest). */
  "chain-not-contiguous": "CRITICAL",
  /** Stricter than awscli: a digest in the window that the chain never reaches. */
  "digest-outside-chain": "CRITICAL",
  /** Stricter than awscli: the newest digest is older than the window (or the trail's last digest delivery) requires: a deleted tail. */
  "tail-truncated": "CRITICAL",
  /** The chain restarts (previous digest null): no digest covers the span. Logging or validation was off, or digests were removed. */
  "chain-gap": "HIGH",
} as const;

export type DefectKind = keyof typeof DEFECT_KINDS;

export interface Defect {
  kind: DefectKind;
  /** s3://bucket/key of the object at fault (for a gap or a truncated tail, the digest next to it). */
  object: string;
  message: string;
  /** The time span a gap or a truncated tail leaves uncovered. */
  span?: { from: string; to: string };
}

export const s3Url = (bucket: string, key: string): string => `s3://${bucket}/${key}`;
