/**
 * The CloudTrail digest file as CloudTrail writes it, and where it lives. Field names, the key
 * layout and the signing string follow the AWS docs and awscli's own validator
 * (awscli/customizations/cloudtrail/validation.py: DigestProvider._create_digest_key,
 * extract_digest_key_date, DigestTraverser.required_digest_keys,
 * Sha256RSADigestValidator._create_string_to_sign).
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-digest-file-structure.html
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-custom-validation.html
 */
import { createHash } from "node:crypto";

export interface DigestLogFile {
  s3Bucket: string;
  s3Object: string;
  /** Hex SHA-256 of the log file's uncompressed content. */
  hashValue: string;
  hashAlgorithm: string;
  newestEventTime: string;
  oldestEventTime: string;
}

export interface DigestFile {
  awsAccountId: string;
  digestStartTime: string;
  digestEndTime: string;
  digestS3Bucket: string;
  digestS3Object: string;
  digestPublicKeyFingerprint: string;
  digestSignatureAlgorithm: string;
  newestEventTime: string | null;
  oldestEventTime: string | null;
  /** null in the first digest of a chain (after validation or logging was turned on). */
  previousDigestS3Bucket: string | null;
  previousDigestS3Object: string | null;
  /** Hex SHA-256 of the previous digest's uncompressed content. */
  previousDigestHashValue: string | null;
  previousDigestHashAlgorithm: string | null;
  /** Hex signature of the previous digest (its x-amz-meta-signature). */
  previousDigestSignature: string | null;
  logFiles: DigestLogFile[];
}

/** The only algorithm CloudTrail signs with (x-amz-meta-signature-algorithm). */
export const SIGNATURE_ALGORITHM = "SHA256withRSA";

/** What awscli refuses to validate without (DigestTraverser.required_digest_keys), plus logFiles, which it iterates. */
const REQUIRED = [
  "digestPublicKeyFingerprint",
  "digestS3Bucket",
  "digestS3Object",
  "previousDigestSignature",
  "digestEndTime",
  "digestStartTime",
  "logFiles",
] as const;

/** Parses an uncompressed digest; undefined when it is not a digest (awscli: InvalidDigestFormat). */
export function parseDigest(text: string): DigestFile | undefined {
  let d: unknown;
  try {
    d = JSON.parse(text);
  } catch (err) {
    if (err instanceof SyntaxError) return undefined;
    throw err;
  }
  if (typeof d !== "object" || d === null) return undefined;
  const o = d as Record<string, unknown>;
  if (REQUIRED.some((k) => !(k in o))) return undefined;
  if (
    !Array.isArray(o.logFiles) ||
    Number.isNaN(Date.parse(String(o.digestStartTime))) ||
    Number.isNaN(Date.parse(String(o.digestEndTime)))
  )
    return undefined;
  return o as unknown as DigestFile;
}

export const sha256Hex = (data: Buffer | string): string => createHash("sha256").update(data).digest("hex");

/**
 * The string CloudTrail signs: end time, bucket/key, hex SHA-256 of the uncompressed digest, and the
 * previous digest's hex signature — the literal "null" for the first digest of a chain (awscli:
 * "The value must be 'null' to match the Java implementation").
 */
export function signingString(d: DigestFile, uncompressed: Buffer): string {
  const previous = d.previousDigestSignature ?? "null";
  return `${d.digestEndTime}\n${d.digestS3Bucket}/${d.digestS3Object}\n${sha256Hex(uncompressed)}\n${previous}`;
}

/** Where an account × region's digests live in an organization trail's bucket. */
export function digestPrefix(orgId: string, account: string, region: string): string {
  return `AWSLogs/${orgId}/${account}/CloudTrail-Digest/${region}/`;
}

/** Where its log files live. */
export function logPrefix(orgId: string, account: string, region: string): string {
  return `AWSLogs/${orgId}/${account}/CloudTrail/${region}/`;
}

/** "20261201T093000Z" for a time (awscli: DATE_FORMAT '%Y%m%dT%H%M%SZ'). */
export function keyTime(d: Date): string {
  return d
    .toISOString()
    .replace(/\.\d{3}Z$/, "Z")
    .replace(/[-:]/g, "");
}

/** yyyy/mm/dd/ of a time, as CloudTrail partitions keys. */
export function dayPath(d: Date): string {
  return `${d.toISOString().slice(0, 10).replace(/-/g, "/")}/`;
}

/** The key CloudTrail gives a digest of an organization trail. */
export function digestKey(i: {
  orgId: string;
  account: string;
  region: string;
  trailName: string;
  homeRegion: string;
  end: Date;
}): string {
  const name = `${i.account}_CloudTrail-Digest_${i.region}_${i.trailName}_${i.homeRegion}_${keyTime(i.end)}.json.gz`;
  return `${digestPrefix(i.orgId, i.account, i.region)}${dayPath(i.end)}${name}`;
}

/** Backfill digests (…_backfill.json.gz) carry their own chain; this validator reads only the standard one. */
const DIGEST_NAME = /\/(\d{12})_CloudTrail-Digest_([a-z0-9-]+)_(.+)_([a-z0-9-]+)_(\d{8}T\d{6}Z)\.json\.gz$/;

export interface DigestKeyParts {
  account: string;
  region: string;
  trailName: string;
  homeRegion: string;
  /** The key's timestamp as a Date. */
  time: Date;
}

export function parseDigestKey(key: string): DigestKeyParts | undefined {
  const m = DIGEST_NAME.exec(key);
  if (!m) return undefined;
  const t = m[5];
  const time = new Date(
    `${t.slice(0, 4)}-${t.slice(4, 6)}-${t.slice(6, 8)}T${t.slice(9, 11)}:${t.slice(11, 13)}:${t.slice(13, 15)}Z`,
  );
  return { account: m[1], region: m[2], trailName: m[3], homeRegion: m[4], time };
}

/** The ISO form CloudTrail writes in digests (no milliseconds). */
export const isoSeconds = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, "Z");
