/**
 * `npm run bench:integrity [-- --mb 256 --files 64]`: how fast the digest-chain validator checks log
 * files, in MiB of uncompressed log data per CPU-second of the process (per core), next to what its
 * two primitives cost alone on the same data (gunzip and SHA-256, in memory, one thread).
 * It generates gzip'd CloudTrail-shaped logs and a signed hourly digest chain in a temporary
 * directory, validates them with agent/integrity (LocalSource, streams), and prints the figures.
 * Not a test: nothing here passes or fails on speed.
 */
import { createHash, generateKeyPairSync, sign } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
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
  type DigestLogFile,
} from "../agent/integrity/format";
import { LocalSource } from "../agent/integrity/local-source";
import { validateScopes } from "../agent/integrity/validate";

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : dflt;
  if (!Number.isInteger(v) || v < 1)
    throw new Error(`--${name} must be a whole number ≥ 1, got "${process.argv[i + 1]}"`);
  return v;
};
const MB = arg("mb", 256);
const FILES = arg("files", 64);
const S = {
  orgId: "o-a1b2c3d4e5",
  account: "444444444444",
  region: "us-east-1",
  trailName: "orgwarden-org-trail",
  homeRegion: "us-east-1",
  bucket: "orgwarden-bench",
};
const HOUR = 3_600_000;
const start = new Date("2026-11-30T00:00:00Z");

/** One CloudTrail-like record of ~1 KB; distinct ids keep gzip at a realistic ratio (~10:1). */
function records(bytes: number, seed: number): Buffer {
  const out: string[] = [];
  let size = 14;
  for (let i = 0; size < bytes; i++) {
    const r = JSON.stringify({
      eventVersion: "1.09",
      userIdentity: {
        type: "AssumedRole",
        principalId: `AROA${(seed * 7919 + i).toString(36).toUpperCase()}:session`,
        arn: `arn:aws:sts::${S.account}:assumed-role/app/${i}`,
        accountId: S.account,
      },
      eventTime: isoSeconds(new Date(start.getTime() + i * 1000)),
      eventSource: "s3.amazonaws.com",
      eventName: ["GetObject", "PutObject", "ListBucket", "HeadObject"][i % 4],
      awsRegion: S.region,
      sourceIPAddress: `10.${seed % 256}.${(i >> 8) % 256}.${i % 256}`,
      userAgent: "aws-sdk-js/3.700.0 ua/2.1 os/linux lang/js md/nodejs#20.19.0",
      requestParameters: {
        bucketName: `app-bucket-${seed % 17}`,
        key: `data/${seed}/${i}/${createHash("md5").update(`${seed}-${i}`).digest("hex")}.parquet`,
      },
      requestID: createHash("sha1").update(`${seed}/${i}`).digest("hex").slice(0, 16).toUpperCase(),
      eventID: createHash("sha256").update(`${seed}:${i}`).digest("hex").slice(0, 36),
      readOnly: i % 4 !== 1,
      eventType: "AwsApiCall",
      managementEvent: false,
      recipientAccountId: S.account,
      eventCategory: "Data",
    });
    out.push(r);
    size += r.length + 1;
  }
  return Buffer.from(`{"Records":[${out.join(",")}]}`);
}

function generate(dir: string): { keysFile: string; uncompressed: number; compressed: number; paths: string[] } {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const der = publicKey.export({ format: "der", type: "pkcs1" });
  const fingerprint = createHash("md5").update(der).digest("hex");
  const perFile = Math.ceil((MB * 1024 * 1024) / FILES);
  const perHour = Math.max(1, Math.ceil(FILES / 24));
  let prev: { key: string; signature: string; raw: Buffer } | undefined;
  let uncompressed = 0;
  let compressed = 0;
  const paths: string[] = [];
  for (let h = 0, made = 0; made < FILES; h++) {
    const from = new Date(start.getTime() + h * HOUR);
    const to = new Date(from.getTime() + HOUR);
    const logFiles: DigestLogFile[] = [];
    for (let j = 0; j < perHour && made < FILES; j++, made++) {
      const body = records(perFile, made);
      const gz = gzipSync(body);
      const key = `${logPrefix(S.orgId, S.account, S.region)}${dayPath(from)}${S.account}_CloudTrail_${S.region}_${isoSeconds(from).replace(/[-:]/g, "").slice(0, 13)}Z_${String(made).padStart(16, "0")}.json.gz`;
      const path = join(dir, key);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, gz);
      paths.push(path);
      uncompressed += body.length;
      compressed += gz.length;
      logFiles.push({
        s3Bucket: S.bucket,
        s3Object: key,
        hashValue: sha256Hex(body),
        hashAlgorithm: "SHA-256",
        newestEventTime: isoSeconds(to),
        oldestEventTime: isoSeconds(from),
      });
    }
    const dk = digestKey({ ...S, end: to });
    const d: DigestFile = {
      awsAccountId: S.account,
      digestStartTime: isoSeconds(from),
      digestEndTime: isoSeconds(to),
      digestS3Bucket: S.bucket,
      digestS3Object: dk,
      digestPublicKeyFingerprint: fingerprint,
      digestSignatureAlgorithm: "SHA256withRSA",
      newestEventTime: isoSeconds(to),
      oldestEventTime: isoSeconds(from),
      previousDigestS3Bucket: prev ? S.bucket : null,
      previousDigestS3Object: prev?.key ?? null,
      previousDigestHashValue: prev ? sha256Hex(prev.raw) : null,
      previousDigestHashAlgorithm: prev ? "SHA-256" : null,
      previousDigestSignature: prev?.signature ?? null,
      logFiles,
    };
    const raw = Buffer.from(JSON.stringify(d));
    const signature = sign("sha256", Buffer.from(signingString(d, raw)), privateKey).toString("hex");
    mkdirSync(dirname(join(dir, dk)), { recursive: true });
    writeFileSync(join(dir, dk), gzipSync(raw));
    writeFileSync(join(dir, `${dk}.meta.json`), JSON.stringify({ signature, "signature-algorithm": "SHA256withRSA" }));
    prev = { key: dk, signature, raw };
  }
  const keysFile = join(dir, "public-keys.json");
  writeFileSync(
    keysFile,
    JSON.stringify({
      PublicKeyList: [{ Fingerprint: fingerprint, Value: Buffer.from(der.toString("base64")).toString("base64") }],
    }),
  );
  return { keysFile, uncompressed, compressed, paths };
}

const cpuSeconds = (since: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1e6;
};

async function timed<T>(f: () => Promise<T> | T): Promise<{ value: T; wall: number; cpu: number }> {
  const t = process.hrtime.bigint();
  const c = process.cpuUsage();
  const value = await f();
  return { value, wall: Number(process.hrtime.bigint() - t) / 1e9, cpu: cpuSeconds(c) };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "orgwarden-bench-"));
  try {
    process.stdout.write(`generating ${MB} MB of logs in ${FILES} files …\n`);
    const g = generate(dir);
    const mib = g.uncompressed / 1024 / 1024;
    const keys = JSON.parse(readFileSync(g.keysFile, "utf8")).PublicKeyList;
    const window = {
      from: start,
      to: new Date(start.getTime() + Math.ceil(FILES / Math.max(1, Math.ceil(FILES / 24))) * HOUR),
    };
    const run = (concurrency: number) => () =>
      validateScopes(new LocalSource(dir, S.bucket, keys), [{ orgId: S.orgId, account: S.account, region: S.region }], {
        window,
        tail: () => ({ notBefore: start, because: "bench" }),
        concurrency: 1,
        logConcurrency: concurrency,
      });
    await run(1)(); // warm-up: file cache, JIT
    // What the two primitives cost alone on this machine, in memory, one thread: gunzip, then
    // SHA-256. The validator's own cost per core should sit near 1 / (1/gunzip + 1/sha); Node's
    // one-shot gunzipSync grows and copies its output buffer, so a 256 KiB-chunked stream can beat it.
    const gz = g.paths.map((p) => readFileSync(p));
    const inflate = await timed(() => gz.map((b) => gunzipSync(b)));
    const hash = await timed(() => inflate.value.map((b) => createHash("sha256").update(b).digest()));
    const bound = { cpu: inflate.cpu + hash.cpu, wall: inflate.wall + hash.wall };
    const one = await timed(run(1));
    const par = await timed(run(cpus().length));
    const r = one.value[0];
    if (r.defects.length > 0 || r.error || r.logsVerified !== FILES)
      throw new Error(
        `bench chain did not validate: ${JSON.stringify({ defects: r.defects.slice(0, 3), error: r.error, logs: r.logsVerified })}`,
      );
    const f = (x: number) => x.toFixed(0).padStart(6);
    process.stdout.write(
      [
        `machine: ${cpus().length} × ${cpus()[0]?.model ?? "unknown CPU"}, Node ${process.version}`,
        `data: ${mib.toFixed(0)} MiB uncompressed in ${FILES} log files (${(g.uncompressed / g.compressed).toFixed(1)}:1 gzip), ${Math.ceil(FILES / Math.max(1, Math.ceil(FILES / 24)))} digests`,
        `reference, in memory, 1 thread, one-shot: gunzip ${f(mib / inflate.cpu)} MiB/s, SHA-256 ${f(mib / hash.cpu)} MiB/s, both ${f(mib / bound.cpu)} MiB/s per core`,
        `validate-logs, streamed from disk, 1 file at a time:  ${f(mib / one.cpu)} MiB/s per core (${f(mib / one.wall)} MiB/s wall)`,
        `validate-logs, streamed from disk, ${cpus().length} files at a time: ${f(mib / par.cpu)} MiB/s per core (${f(mib / par.wall)} MiB/s wall)`,
        `target: ≥ 200 MiB/s per core of uncompressed data`,
        "",
      ].join("\n"),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench-integrity: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
