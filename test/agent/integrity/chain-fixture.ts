/**
 * Builds what CloudTrail writes for an organization trail, in its exact layout and format: gzip'd
 * log files, and an hourly chain of gzip'd digests signed SHA256withRSA with a key made here, each
 * with its x-amz-meta-signature/-algorithm. Objects live in a Map (key → body, metadata) that a
 * test tampers with, then writes out as a local copy (`<key>` + `<key>.meta.json`) or into S3.
 */
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import {
  dayPath,
  digestKey,
  isoSeconds,
  logPrefix,
  sha256Hex,
  signingString,
  type DigestFile,
} from "../../../agent/integrity/format";

export interface StoredObject {
  body: Buffer;
  metadata: Record<string, string>;
}
export type Objects = Map<string, StoredObject>;

export interface SigningKey {
  privateKey: KeyObject;
  /** PKCS#1 RSAPublicKey DER, as CloudTrail serves it. */
  der: Buffer;
  fingerprint: string;
}

export function makeSigningKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const der = publicKey.export({ format: "der", type: "pkcs1" });
  return { privateKey, der, fingerprint: createHash("md5").update(der).digest("hex") };
}

/** A ListPublicKeys response as `aws cloudtrail list-public-keys` prints it (Value: the wire's base64 of base64 DER, see agent/integrity/keys.ts). */
export function publicKeysResponse(...keys: SigningKey[]) {
  return {
    PublicKeyList: keys.map((k) => ({
      Value: Buffer.from(k.der.toString("base64")).toString("base64"),
      ValidityStartTime: "2026-01-01T00:00:00Z",
      ValidityEndTime: "2027-01-01T00:00:00Z",
      Fingerprint: k.fingerprint,
    })),
  };
}

export interface ChainSpec {
  orgId: string;
  account: string;
  region: string;
  trailName: string;
  homeRegion: string;
  bucket: string;
  /** Start of the first digest (its previous* fields are null). */
  start: Date;
  hours: number;
  logsPerHour: number;
  /** Records per log file (default 3); raise it to make big files. */
  recordsPerLog?: number;
}

export interface Chain {
  objects: Objects;
  /** Digest keys, oldest first. */
  digests: string[];
  /** Log keys, oldest first. */
  logs: string[];
}

const HOUR = 3_600_000;

function logKey(s: ChainSpec, t: Date): string {
  const stamp = isoSeconds(t).replace(/[-:]/g, "").slice(0, 13) + "Z";
  return `${logPrefix(s.orgId, s.account, s.region)}${dayPath(t)}${s.account}_CloudTrail_${s.region}_${stamp}_${randomBytes(8).toString("hex").toUpperCase()}.json.gz`;
}

function logBody(s: ChainSpec, t: Date, n: number): Buffer {
  const records = Array.from({ length: n }, (_, i) => ({
    eventVersion: "1.09",
    eventTime: isoSeconds(new Date(t.getTime() + i * 1000)),
    eventSource: "s3.amazonaws.com",
    eventName: "GetObject",
    awsRegion: s.region,
    recipientAccountId: s.account,
    requestID: randomBytes(8).toString("hex"),
  }));
  return Buffer.from(JSON.stringify({ Records: records }));
}

export function signDigest(key: SigningKey, d: DigestFile, raw: Buffer): string {
  return sign("sha256", Buffer.from(signingString(d, raw)), key.privateKey).toString("hex");
}

/** Stores a digest as CloudTrail does: gzip'd JSON, signed, with its metadata. Returns its signature. */
export function putDigest(objects: Objects, key: SigningKey, d: DigestFile): { signature: string; raw: Buffer } {
  const raw = Buffer.from(JSON.stringify(d));
  const signature = signDigest(key, d, raw);
  objects.set(d.digestS3Object, {
    body: gzipSync(raw),
    metadata: { signature, "signature-algorithm": "SHA256withRSA" },
  });
  return { signature, raw };
}

export function readDigest(objects: Objects, key: string): DigestFile {
  return JSON.parse(gunzipSync(objects.get(key)!.body).toString("utf8")) as DigestFile;
}

export function buildChain(s: ChainSpec, key: SigningKey): Chain {
  const objects: Objects = new Map();
  const digests: string[] = [];
  const logs: string[] = [];
  let prev: { key: string; signature: string; raw: Buffer } | undefined;
  for (let h = 0; h < s.hours; h++) {
    const start = new Date(s.start.getTime() + h * HOUR);
    const end = new Date(start.getTime() + HOUR);
    const logFiles = Array.from({ length: s.logsPerHour }, (_, i) => {
      const t = new Date(start.getTime() + ((i + 1) * HOUR) / (s.logsPerHour + 1));
      const lk = logKey(s, t);
      const body = logBody(s, t, s.recordsPerLog ?? 3);
      objects.set(lk, { body: gzipSync(body), metadata: {} });
      logs.push(lk);
      return {
        s3Bucket: s.bucket,
        s3Object: lk,
        hashValue: sha256Hex(body),
        hashAlgorithm: "SHA-256",
        newestEventTime: isoSeconds(t),
        oldestEventTime: isoSeconds(t),
      };
    });
    const dk = digestKey({ ...s, end });
    const d: DigestFile = {
      awsAccountId: s.account,
      digestStartTime: isoSeconds(start),
      digestEndTime: isoSeconds(end),
      digestS3Bucket: s.bucket,
      digestS3Object: dk,
      digestPublicKeyFingerprint: key.fingerprint,
      digestSignatureAlgorithm: "SHA256withRSA",
      newestEventTime: logFiles.at(-1)?.newestEventTime ?? null,
      oldestEventTime: logFiles[0]?.oldestEventTime ?? null,
      previousDigestS3Bucket: prev ? s.bucket : null,
      previousDigestS3Object: prev?.key ?? null,
      previousDigestHashValue: prev ? sha256Hex(prev.raw) : null,
      previousDigestHashAlgorithm: prev ? "SHA-256" : null,
      previousDigestSignature: prev?.signature ?? null,
      logFiles,
    };
    prev = { key: dk, ...putDigest(objects, key, d) };
    digests.push(dk);
  }
  return { objects, digests, logs };
}

/** Rewrites a digest in place and signs it again with `key` (what only the holder of CloudTrail's private key could do). */
export function resign(
  objects: Objects,
  digestKeyName: string,
  key: SigningKey,
  change: (d: DigestFile) => void,
): void {
  const d = readDigest(objects, digestKeyName);
  change(d);
  putDigest(objects, key, d);
}

/** A local copy of the bucket: every key as a file, each digest's metadata beside it as <key>.meta.json. */
export function writeCopy(objects: Objects, dir: string): void {
  for (const [k, o] of objects) {
    const path = join(dir, k);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, o.body);
    if (Object.keys(o.metadata).length > 0) writeFileSync(`${path}.meta.json`, JSON.stringify(o.metadata));
  }
}
