/** One organization trail's account × region with a six-hour signed chain, and the tamperings the tests apply to it. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import type { DigestFile } from "../../../agent/integrity/format";
import { sha256Hex } from "../../../agent/integrity/format";
import { LocalSource } from "../../../agent/integrity/local-source";
import {
  buildChain,
  makeSigningKey,
  publicKeysResponse,
  putDigest,
  readDigest,
  writeCopy,
  type Chain,
  type SigningKey,
} from "./chain-fixture";

export const S = {
  orgId: "o-a1b2c3d4e5",
  account: "444444444444",
  region: "us-east-1",
  trailName: "orgwarden-org-trail",
  homeRegion: "us-east-1",
  bucket: "orgwarden-archive-test",
  trailArn: "arn:aws:cloudtrail:us-east-1:111111111111:trail/orgwarden-org-trail",
  start: new Date("2026-11-30T06:00:00Z"),
  hours: 6,
  logsPerHour: 2,
} as const;

/** The window every case validates: the whole chain (digests end 07:00 … 12:00). */
export const WINDOW = { from: new Date("2026-11-30T06:00:00Z"), to: new Date("2026-11-30T12:00:00Z") };

/** Keys made once per test file: RSA generation is the slow part. */
export const KEY: SigningKey = makeSigningKey();
export const OTHER_KEY: SigningKey = makeSigningKey();

export const freshChain = (): Chain => buildChain({ ...S }, KEY);

export const url = (key: string) => `s3://${S.bucket}/${key}`;

/** Re-signs every digest after index i so each quotes its (changed) predecessor: what a holder of the signing key could forge. */
export function relinkAfter(c: Chain, i: number, key: SigningKey = KEY): void {
  for (let j = i + 1; j < c.digests.length; j++) {
    const prev = c.objects.get(c.digests[j - 1]);
    const d = readDigest(c.objects, c.digests[j]);
    if (prev && d.previousDigestS3Object === c.digests[j - 1]) {
      d.previousDigestSignature = prev.metadata.signature;
      d.previousDigestHashValue = sha256Hex(gunzipSync(prev.body));
    }
    putDigest(c.objects, key, d);
  }
}

/** Changes digest i and signs it again; later digests are re-linked to it. */
export function forge(c: Chain, i: number, change: (d: DigestFile) => void, key: SigningKey = KEY): void {
  const d = readDigest(c.objects, c.digests[i]);
  change(d);
  putDigest(c.objects, key, d);
  relinkAfter(c, i, key);
}

export const gz = (s: string) => gzipSync(Buffer.from(s));

export interface Copy {
  dir: string;
  keysFile: string;
  source: LocalSource;
}

/** Writes the chain out as a local copy with a public-keys file naming KEY only. */
export function copyOf(c: Chain): Copy {
  const dir = mkdtempSync(join(tmpdir(), "orgwarden-integrity-"));
  writeCopy(c.objects, join(dir, "archive"));
  const keysFile = join(dir, "public-keys.json");
  const keys = publicKeysResponse(KEY);
  writeFileSync(keysFile, JSON.stringify(keys));
  return {
    dir: join(dir, "archive"),
    keysFile,
    source: new LocalSource(join(dir, "archive"), S.bucket, keys.PublicKeyList),
  };
}
