/**
 * `validate-logs`, in process: a local copy (exit 0 intact, 1 with every defect listed by key in
 * --json), usage errors (exit 2, each naming its flag), and the evidence export from S3 in moto
 * (ListPublicKeys recorded) whose copy then validates offline.
 */
import { CloudTrailClient, ListPublicKeysCommand } from "@aws-sdk/client-cloudtrail";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { validateLogsMain } from "../../../agent/validate-logs-cli";
import { useMoto } from "../../helpers/moto";
import { cleanManifest } from "../checks/fixtures";
import { CASES } from "./cases";
import { copyOf, freshChain, gz, KEY, S, WINDOW } from "./scenario";

const moto = useMoto();

async function run(...argv: string[]) {
  let out = "";
  let err = "";
  const code = await validateLogsMain(argv, { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

const windowArgs = ["--from", WINDOW.from.toISOString(), "--to", WINDOW.to.toISOString()];

describe("validate-logs over a local copy", () => {
  it("an intact copy: exit 0, the scope reported intact", async () => {
    const c = copyOf(freshChain());
    const r = await run(...windowArgs, "--local", c.dir, "--public-keys", c.keysFile, "--bucket", S.bucket);
    expect(r).toEqual({
      code: 0,
      err: "",
      out: `Validated 1 account × region digest chain(s) from 2026-11-30T06:00:00.000Z to 2026-11-30T12:00:00.000Z\n${S.account} ${S.region}: 6 digests, 12 log files valid — intact\n`,
    });
  });

  it("a modified log and a deleted digest: exit 1, --json lists both defects with their keys", async () => {
    const chain = freshChain();
    chain.objects.set(chain.logs[9], { body: gz('{"Records":[]}'), metadata: {} });
    chain.objects.delete(chain.digests[1]);
    const c = copyOf(chain);
    const r = await run(...windowArgs, "--local", c.dir, "--public-keys", c.keysFile, "--json");
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      `validate-logs: no --bucket or --manifest; taking the bucket name "${S.bucket}" from ${chain.digests[0]}\n`,
    );
    const doc = JSON.parse(r.out) as {
      exitCode: number;
      defects: { kind: string; severity: string; bucket: string; key: string; account: string; region: string }[];
    };
    expect(doc.exitCode).toBe(1);
    expect(doc.defects.map((d) => [d.kind, d.severity, d.bucket, d.key, d.account, d.region])).toEqual([
      ["digest-missing", "CRITICAL", S.bucket, chain.digests[1], S.account, S.region],
      ["log-modified", "CRITICAL", S.bucket, chain.logs[9], S.account, S.region],
    ]);
  });

  it("every stricter case exits 1", async () => {
    for (const k of CASES.filter((x) => !x.awscli)) {
      const chain = freshChain();
      k.tamper(chain);
      const c = copyOf(chain);
      expect(
        (await run(...windowArgs, "--local", c.dir, "--public-keys", c.keysFile, "--bucket", S.bucket)).code,
        k.name,
      ).toBe(1);
    }
  });

  it("an empty directory is no intact archive: exit 1", async () => {
    const dir = mkdtempSync(join(tmpdir(), "orgwarden-empty-"));
    writeFileSync(join(dir, "keys.json"), '{"PublicKeyList": []}');
    const r = await run(...windowArgs, "--local", dir, "--public-keys", join(dir, "keys.json"), "--bucket", S.bucket);
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      `orgwarden-audit validate-logs: no digest chain found under AWSLogs/<org>/<account>/CloudTrail-Digest/<region>/ in ${dir}; nothing can be called intact\n`,
    );
  });
});

describe("validate-logs usage errors: exit 2 naming the flag", () => {
  it("--help prints the options and exits 0", async () => {
    const r = await run("--help");
    expect([r.code, r.err]).toEqual([0, ""]);
    expect(r.out).toMatch(/^Usage: validate-logs \[options\]\n/);
    for (const flag of [
      "--from <iso>",
      "--to <iso>",
      "--local <dir>",
      "--public-keys <file>",
      "--export <dir>",
      "--json",
    ])
      expect(r.out).toContain(flag);
  });

  it.each([
    [[], "required option '--from <iso>' not specified"],
    [
      ["--from", "yesterday", "--local", "d", "--public-keys", "k"],
      '--from "yesterday": must be an ISO-8601 time with zone, such as 2026-11-30T06:00:00Z',
    ],
    [
      ["--from", "2026-11-30T06:00:00", "--local", "d", "--public-keys", "k"],
      '--from "2026-11-30T06:00:00": must be an ISO-8601 time with zone, such as 2026-11-30T06:00:00Z',
    ],
    [
      ["--from", "2026-11-30T12:00:00Z", "--to", "2026-11-30T06:00:00Z", "--local", "d", "--public-keys", "k"],
      "--from 2026-11-30T12:00:00Z must be before --to 2026-11-30T06:00:00.000Z",
    ],
    [
      ["--from", "2026-11-30T06:00:00Z", "--local", "d"],
      "--local needs --public-keys <file> (a ListPublicKeys response): a copy holds no signing keys",
    ],
    [["--from", "2026-11-30T06:00:00Z", "--public-keys", "k"], "--public-keys is allowed only with --local <dir>"],
    [
      ["--from", "2026-11-30T06:00:00Z", "--local", "d", "--public-keys", "k", "--export", "e"],
      "--export reads from S3 and cannot be combined with --local",
    ],
    [
      ["--from", "2026-11-30T06:00:00Z"],
      "--manifest <file> is required to read from S3 (or pass --local <dir> --public-keys <file>)",
    ],
    [
      ["--from", "2026-11-30T06:00:00Z", "--local", "d", "--public-keys", "k", "--accounts", "123"],
      '--accounts: "123" is not a 12-digit account id',
    ],
    [
      ["--from", "2026-11-30T06:00:00Z", "--local", "d", "--public-keys", "/nonexistent/k.json"],
      "--public-keys /nonexistent/k.json: cannot be read (ENOENT)",
    ],
  ])("%j", async (argv, message) => {
    expect(await run(...argv)).toEqual({
      code: 2,
      out: "",
      err: `orgwarden-audit validate-logs: ${message}\nRun with --help for the options.\n`,
    });
  });
});

describe("validate-logs --export from S3 over moto (ListPublicKeys recorded)", () => {
  const ct = mockClient(CloudTrailClient);
  afterEach(() => ct.reset());
  // The unit project shares one process between files (vitest.config.mts): leave CloudTrailClient as it was.
  afterAll(() => ct.restore());

  it("writes a copy (digests with .meta.json, logs, public-keys.json) that validates offline: exit 0", async () => {
    vi.stubEnv("AWS_ACCESS_KEY_ID", "testing");
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", "testing");
    ct.on(ListPublicKeysCommand).resolves({
      PublicKeyList: [{ Fingerprint: KEY.fingerprint, Value: Buffer.from(KEY.der.toString("base64")) }],
    });
    const s3 = new S3Client({
      endpoint: moto.endpoint,
      region: "us-east-1",
      forcePathStyle: true,
      credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
    });
    await s3.send(new CreateBucketCommand({ Bucket: S.bucket }));
    const chain = freshChain();
    for (const [Key, o] of chain.objects)
      await s3.send(new PutObjectCommand({ Bucket: S.bucket, Key, Body: o.body, Metadata: o.metadata }));
    s3.destroy();
    const base = cleanManifest();
    const manifest = {
      ...base,
      organization: { ...base.organization, id: S.orgId },
      trail: { ...base.trail, name: S.trailName },
      archive: { ...base.archive, bucketName: S.bucket },
      audit: { readRoleName: "orgwarden-audit-read", integrityWindowHours: 24 },
    };
    const dir = mkdtempSync(join(tmpdir(), "orgwarden-export-"));
    writeFileSync(join(dir, "manifest.json"), JSON.stringify(manifest));
    const out = join(dir, "copy");
    const exported = await run(
      ...windowArgs,
      "--manifest",
      join(dir, "manifest.json"),
      "--endpoint-url",
      moto.endpoint,
      "--export",
      out,
    );
    expect(exported).toEqual({
      code: 0,
      out: `exported 6 digests and 12 log files to ${out} (public-keys.json beside them)\n`,
      err: "validate-logs: the manifest names no log auditor role (audit.logAuditorRoleArn): reading as the starting credentials\n",
    });
    const checked = await run(
      ...windowArgs,
      "--local",
      out,
      "--public-keys",
      join(out, "public-keys.json"),
      "--manifest",
      join(dir, "manifest.json"),
    );
    expect(checked.code).toBe(0);
    expect(checked.out).toContain(`${S.account} ${S.region}: 6 digests, 12 log files valid — intact`);
    // And straight from S3, the same verdict.
    const live = await run(...windowArgs, "--manifest", join(dir, "manifest.json"), "--endpoint-url", moto.endpoint);
    expect(live.code).toBe(0);
    vi.unstubAllEnvs();
  });
});
