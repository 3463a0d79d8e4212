/**
 * Evidence export (`validate-logs --export <dir>`): a copy of the window's digests (with their S3
 * metadata beside them as <key>.meta.json, which a plain copy loses) and every log file they list,
 * plus public-keys.json in the shape of a ListPublicKeys response, so that
 * `validate-logs --local <dir> --public-keys <dir>/public-keys.json` validates the copy offline.
 * Log files are streamed to disk, never held in memory.
 */
import { createWriteStream } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { pipeline } from "node:stream/promises";
import { gunzipSync } from "node:zlib";
import { parseDigest } from "./format";
import type { PublicKeyEntry } from "./keys";
import { listDigests, type ChainScope, type Window } from "./listing";
import { META_SUFFIX } from "./local-source";
import type { IntegritySource } from "./source";

export interface ExportCounts {
  digests: number;
  logs: number;
  /** Objects a digest lists that were not in the bucket (written as nothing: the validation of the copy reports them). */
  missing: string[];
}

const HOUR = 3_600_000;

async function writeAt(dir: string, key: string, data: Buffer | string): Promise<void> {
  const path = join(dir, key);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, data);
}

export async function exportCopy(
  source: IntegritySource,
  scopes: ChainScope[],
  w: Window,
  dir: string,
): Promise<ExportCounts> {
  const counts: ExportCounts = { digests: 0, logs: 0, missing: [] };
  for (const scope of scopes) {
    for (const listed of await listDigests(source, scope, w)) {
      const got = await source.getDigest({ bucket: source.bucket, key: listed.key });
      if (!got.found) continue;
      await writeAt(dir, listed.key, got.value.body);
      await writeAt(dir, `${listed.key}${META_SUFFIX}`, JSON.stringify(got.value.metadata));
      counts.digests++;
      let logFiles: { s3Bucket: string; s3Object: string }[] = [];
      try {
        logFiles = parseDigest(gunzipSync(got.value.body).toString("utf8"))?.logFiles ?? [];
      } catch (err) {
        // A digest that is not gzip is exported as it is; validating the copy reports it.
        if (!String((err as NodeJS.ErrnoException).code).startsWith("Z_")) throw err;
      }
      for (const lf of logFiles) {
        const log = await source.openLog({ bucket: lf.s3Bucket, key: lf.s3Object });
        if (!log.found) {
          counts.missing.push(`s3://${lf.s3Bucket}/${lf.s3Object}`);
          continue;
        }
        await mkdir(dirname(join(dir, lf.s3Object)), { recursive: true });
        await pipeline(log.value, createWriteStream(join(dir, lf.s3Object)));
        counts.logs++;
      }
    }
  }
  await writeFile(
    join(dir, "public-keys.json"),
    JSON.stringify({ PublicKeyList: await allKeys(source, scopes, w) }, null, 2),
  );
  return counts;
}

/** One ListPublicKeys-shaped list for every region of the copy, Value as the wire carries it (base64 of the SDK's bytes). */
async function allKeys(source: IntegritySource, scopes: ChainScope[], w: Window): Promise<PublicKeyEntry[]> {
  const byFingerprint = new Map<string, PublicKeyEntry>();
  for (const region of new Set(scopes.map((s) => s.region))) {
    for (const k of await source.publicKeys(region, w.from, new Date(w.to.getTime() + 2 * HOUR))) {
      if (!k.Fingerprint || k.Value === undefined) continue;
      const value = typeof k.Value === "string" ? k.Value : Buffer.from(k.Value).toString("base64");
      byFingerprint.set(k.Fingerprint, {
        Fingerprint: k.Fingerprint,
        Value: value,
        ValidityStartTime: k.ValidityStartTime,
        ValidityEndTime: k.ValidityEndTime,
      });
    }
  }
  return [...byFingerprint.values()];
}
