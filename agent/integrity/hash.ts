/**
 * SHA-256 of a gzip'd object's uncompressed content, streamed (gunzip stream → hash), so a log
 * file is never held whole in memory — as awscli's CloudTrailValidateLogs._download_log does with
 * zlib.decompressobj and a rolling hashlib.sha256.
 */
import { createHash } from "node:crypto";
import { Writable, type Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";

export type HashOutcome = { ok: true; hex: string; bytes: number } | { ok: false; reason: "not-gzip" };

/** zlib's own error codes: the content is not gzip (a format defect), as opposed to a failed read. */
const ZLIB_CODES = new Set(["Z_DATA_ERROR", "Z_BUF_ERROR", "Z_STREAM_ERROR", "Z_NEED_DICT"]);

export async function hashGunzipped(input: Readable): Promise<HashOutcome> {
  const hash = createHash("sha256");
  let bytes = 0;
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      bytes += chunk.length;
      done();
    },
  });
  try {
    await pipeline(input, createGunzip({ chunkSize: 256 * 1024 }), sink);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code && ZLIB_CODES.has(code)) return { ok: false, reason: "not-gzip" };
    throw err;
  }
  return { ok: true, hex: hash.digest("hex"), bytes };
}
