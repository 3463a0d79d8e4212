/**
 * The tamperings, each with the defects our validator must report. `awscli: true` marks the ones
 * awscli's validator detects too; the agreement test holds both to the same objects. The others are
 * where awscli is blind (it exits 0) and ours is stricter.
 */
import { gunzipSync } from "node:zlib";
import type { DefectKind } from "../../../agent/integrity/defects";
import { sha256Hex } from "../../../agent/integrity/format";
import { putDigest, readDigest, type Chain } from "./chain-fixture";
import { forge, gz, OTHER_KEY, url } from "./scenario";

export interface Case {
  name: string;
  tamper: (c: Chain) => void;
  /** Exactly the defects expected, as kind + s3 URL. */
  expected: (c: Chain) => { kind: DefectKind; object: string }[];
  awscli: boolean;
  /** awscli's exit code when it is not "1 if it names anything": a gap it reports but does not count as invalid. */
  awscliExit?: number;
}

const move = (c: Chain, from: string, to: string) => {
  c.objects.set(to, c.objects.get(from)!);
  c.objects.delete(from);
};
/** The same digest name stamped 30 minutes earlier (…T093000Z for …T100000Z): still listed, in the same day folder. */
const earlier = (key: string) =>
  key.replace(/T(\d\d)0000Z\.json\.gz$/, (_, h: string) => `T${String(Number(h) - 1).padStart(2, "0")}3000Z.json.gz`);

export const CASES: Case[] = [
  { name: "clean chain", awscli: true, tamper: () => undefined, expected: () => [] },
  {
    name: "modified log file",
    awscli: true,
    tamper: (c) => c.objects.set(c.logs[3], { body: gz('{"Records":[]}'), metadata: {} }),
    expected: (c) => [{ kind: "log-modified", object: url(c.logs[3]) }],
  },
  {
    name: "deleted log file",
    awscli: true,
    tamper: (c) => c.objects.delete(c.logs[5]),
    expected: (c) => [{ kind: "log-missing", object: url(c.logs[5]) }],
  },
  {
    name: "moved log file",
    awscli: true,
    tamper: (c) => move(c, c.logs[2], c.logs[2].replace("/CloudTrail/", "/Moved/")),
    expected: (c) => [{ kind: "log-missing", object: url(c.logs[2]) }],
  },
  {
    name: "deleted digest",
    awscli: true,
    tamper: (c) => c.objects.delete(c.digests[2]),
    expected: (c) => [{ kind: "digest-missing", object: url(c.digests[2]) }],
  },
  {
    name: "modified digest (not re-signed)",
    awscli: true,
    tamper: (c) => {
      const o = c.objects.get(c.digests[3])!;
      const d = readDigest(c.objects, c.digests[3]);
      d.logFiles[0].hashValue = "0".repeat(64);
      c.objects.set(c.digests[3], { body: gz(JSON.stringify(d)), metadata: o.metadata });
    },
    expected: (c) => [{ kind: "digest-signature-invalid", object: url(c.digests[3]) }],
  },
  {
    name: "bad signature",
    awscli: true,
    tamper: (c) => {
      const o = c.objects.get(c.digests[4])!;
      const sig = o.metadata.signature;
      o.metadata = { ...o.metadata, signature: (sig[0] === "0" ? "1" : "0") + sig.slice(1) };
    },
    expected: (c) => [{ kind: "digest-signature-invalid", object: url(c.digests[4]) }],
  },
  {
    name: "unknown public key",
    awscli: true,
    tamper: (c) => {
      const d = readDigest(c.objects, c.digests[1]);
      d.digestPublicKeyFingerprint = OTHER_KEY.fingerprint;
      putDigest(c.objects, OTHER_KEY, d);
    },
    expected: (c) => [{ kind: "digest-unknown-key", object: url(c.digests[1]) }],
  },
  {
    name: "moved digest",
    awscli: true,
    tamper: (c) => move(c, c.digests[3], earlier(c.digests[3])),
    expected: (c) => [
      { kind: "digest-missing", object: url(c.digests[3]) },
      { kind: "digest-moved", object: url(earlier(c.digests[3])) },
    ],
  },
  {
    // awscli prints the gap ("No log files were delivered by CloudTrail between …") but exits 0; ours is a FAIL.
    name: "gap in the chain (a digest restarting it 30 minutes late)",
    awscli: true,
    awscliExit: 0,
    tamper: (c) =>
      forge(c, 3, (d) => {
        d.digestStartTime = "2026-11-30T09:30:00Z";
        d.previousDigestS3Bucket =
          d.previousDigestS3Object =
          d.previousDigestHashValue =
          d.previousDigestHashAlgorithm =
          d.previousDigestSignature =
            null;
      }),
    expected: (c) => [{ kind: "chain-gap", object: url(c.digests[3]) }],
  },
  // Stricter than awscli: each of these passes `aws cloudtrail validate-logs`.
  {
    name: "re-signed digest skipping its predecessor",
    awscli: false,
    tamper: (c) =>
      forge(c, 4, (d) => {
        d.previousDigestS3Object = c.digests[2];
        d.previousDigestSignature = c.objects.get(c.digests[2])!.metadata.signature;
        d.previousDigestHashValue = uncompressedHash(c, 2);
      }),
    expected: (c) => [
      { kind: "chain-not-contiguous", object: url(c.digests[4]) },
      { kind: "digest-outside-chain", object: url(c.digests[3]) },
    ],
  },
  {
    name: "re-signed digest quoting another predecessor's signature (reordered link)",
    awscli: false,
    tamper: (c) => forge(c, 4, (d) => (d.previousDigestSignature = c.objects.get(c.digests[2])!.metadata.signature)),
    expected: (c) => [{ kind: "chain-mismatch", object: url(c.digests[4]) }],
  },
  {
    name: "truncated tail (the newest two digests deleted)",
    awscli: false,
    tamper: (c) => {
      c.objects.delete(c.digests[5]);
      c.objects.delete(c.digests[4]);
    },
    expected: (c) => [{ kind: "tail-truncated", object: url(c.digests[3]) }],
  },
];

/** What a digest's successor quotes as previousDigestHashValue: SHA-256 of its uncompressed content. */
function uncompressedHash(c: Chain, i: number): string {
  return sha256Hex(gunzipSync(c.objects.get(c.digests[i])!.body));
}
