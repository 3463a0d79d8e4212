/**
 * `npm run audit -- validate-logs --from <iso> [--to <iso>] …`: the forensic form of the nightly
 * trail-log-integrity check, with the same validator (agent/integrity/). Over S3 (--manifest) it
 * reads as the manifest's log auditor role (audit.logAuditorRoleArn) when one is named, else as the
 * starting credentials; over a local copy (--local <dir> --public-keys <file>) it needs no AWS.
 * --export <dir> writes such a copy from S3. Exit 0 intact · 1 a defect · 2 usage · 3 a read failed.
 */
import { CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import { S3Client } from "@aws-sdk/client-s3";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { Command, CommanderError } from "commander";
import { decodeManifestParameter, parseAuditManifest, ManifestValidationError, type AuditManifest } from "../baseline";
import { ClientFactory } from "./aws/clients";
import { AuditCredentials } from "./aws/credentials";
import { discoverScopes } from "./integrity/discover";
import { exportCopy } from "./integrity/export";
import { parseDigest } from "./integrity/format";
import type { PublicKeyEntry } from "./integrity/keys";
import type { TailRule } from "./integrity/chain";
import type { Window } from "./integrity/listing";
import { LocalSource } from "./integrity/local-source";
import { exitCodeOf, resultJson, resultText } from "./integrity/report";
import { S3Source } from "./integrity/s3-source";
import { SourceReadError, type IntegritySource } from "./integrity/source";
import { validateScopes } from "./integrity/validate";
import { DEFAULTS } from "./options";

interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
}

class UsageError extends Error {
  override name = "UsageError";
}

interface Opts {
  from: string;
  to?: string;
  local?: string;
  publicKeys?: string;
  bucket?: string;
  manifest?: string;
  accounts?: string;
  regions?: string;
  profile?: string;
  endpointUrl?: string;
  export?: string;
  json: boolean;
}

/** How old the newest digest may be at the time of the run: one digest period plus the default delivery allowance (thresholds.digestMaxAgeMinutes). */
const TAIL_MINUTES = 120;

/**
 * A --to long past must be covered by a digest stamped at or after it (digests are listed up to an
 * hour past --to, as awscli lists them); a --to near now only by one as recent as CloudTrail's hourly
 * delivery allows.
 */
export function cliTail(to: Date, now: Date): TailRule {
  const due = new Date(now.getTime() - TAIL_MINUTES * 60_000);
  return to <= due
    ? { notBefore: to, because: `--to is ${to.toISOString()}, long enough ago for its digest to have been delivered` }
    : { notBefore: due, because: `a digest is due every hour and the run is at ${now.toISOString()}` };
}
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** --help: commander's text, printed by the caller. */
class HelpShown extends Error {
  override name = "HelpShown";
  constructor(readonly text: string) {
    super("help");
  }
}

function command(): Command {
  return new Command("validate-logs")
    .description("Validate the CloudTrail digest chain and log files of a time window (S3 or a local copy).")
    .requiredOption("--from <iso>", "start of the window, ISO-8601 with zone")
    .option("--to <iso>", "end of the window, ISO-8601 with zone (default: now)")
    .option(
      "--local <dir>",
      "validate a copy on disk holding the bucket's keys (AWSLogs/<org>/<account>/…) and <digest>.meta.json files",
    )
    .option("--public-keys <file>", "with --local: a ListPublicKeys response (JSON) holding the signing keys")
    .option(
      "--bucket <name>",
      "with --local: the archive bucket the copy was taken from (default: the manifest's, else read from the first digest)",
    )
    .option("--manifest <file>", "audit manifest: bucket, organization, trail and, for S3, the log auditor role")
    .option("--accounts <list>", "comma-separated account ids (default: every account in the archive)")
    .option("--regions <list>", "comma-separated regions (default: every region in the archive)")
    .option("--profile <name>", "AWS profile for the starting credentials (S3 only)")
    .option("--endpoint-url <url>", "send every AWS call to this endpoint (S3 only)")
    .option(
      "--export <dir>",
      "write the window's digests (with .meta.json), log files and public-keys.json from S3 to <dir>",
    )
    .option("--json", "print every defect with its object's key as JSON", false)
    .exitOverride()
    .configureOutput({ writeErr: () => undefined, writeOut: (text) => (helpText += text) });
}

function isoFlag(flag: string, v: string): Date {
  const t = Date.parse(v);
  if (!ISO_WITH_ZONE.test(v) || Number.isNaN(t))
    throw new UsageError(`${flag} "${v}": must be an ISO-8601 time with zone, such as 2026-11-30T06:00:00Z`);
  return new Date(t);
}

function list(flag: string, v: string | undefined, re: RegExp, what: string): string[] | undefined {
  if (v === undefined) return undefined;
  const items = v.split(",").map((s) => s.trim());
  const bad = items.find((s) => !re.test(s));
  if (bad !== undefined) throw new UsageError(`${flag}: "${bad}" is not ${what}`);
  return items;
}

let helpText = "";

function parse(argv: string[]): { o: Opts; window: Window; accounts?: string[]; regions?: string[] } {
  const cmd = command();
  helpText = "";
  try {
    cmd.parse(argv, { from: "user" });
  } catch (err) {
    if (err instanceof CommanderError && err.code === "commander.helpDisplayed") throw new HelpShown(helpText);
    if (err instanceof CommanderError) throw new UsageError(err.message.replace(/^error: /, ""));
    throw err;
  }
  if (cmd.args.length > 0) throw new UsageError(`unexpected argument '${cmd.args[0]}'; options start with --`);
  const o = cmd.opts<Opts>();
  const window = { from: isoFlag("--from", o.from), to: o.to ? isoFlag("--to", o.to) : new Date() };
  if (window.from >= window.to) throw new UsageError(`--from ${o.from} must be before --to ${window.to.toISOString()}`);
  if (o.local && !o.publicKeys)
    throw new UsageError(
      "--local needs --public-keys <file> (a ListPublicKeys response): a copy holds no signing keys",
    );
  if (o.publicKeys && !o.local) throw new UsageError("--public-keys is allowed only with --local <dir>");
  if (o.bucket && !o.local)
    throw new UsageError("--bucket is allowed only with --local <dir>; over S3 the manifest names the bucket");
  if (o.export && o.local) throw new UsageError("--export reads from S3 and cannot be combined with --local");
  if (!o.local && !o.manifest)
    throw new UsageError("--manifest <file> is required to read from S3 (or pass --local <dir> --public-keys <file>)");
  const accounts = list("--accounts", o.accounts, /^\d{12}$/, "a 12-digit account id");
  const regions = list("--regions", o.regions, /^[a-z]{2}(-gov)?-[a-z]+-\d$/, "an AWS region (such as us-east-1)");
  return { o, window, accounts, regions };
}

function readManifest(file: string): AuditManifest {
  let text: string;
  try {
    text = readFileSync(file === "-" ? 0 : file, "utf8");
  } catch (err) {
    throw new UsageError(
      `--manifest ${file}: cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).name})`,
    );
  }
  try {
    return parseAuditManifest(decodeManifestParameter(text));
  } catch (err) {
    if (err instanceof ManifestValidationError) throw new UsageError(`--manifest ${file}: ${err.message}`);
    throw new UsageError(`--manifest ${file}: ${(err as Error).message}`);
  }
}

function readPublicKeys(file: string): PublicKeyEntry[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    const why =
      err instanceof SyntaxError
        ? `not JSON (${err.message})`
        : `cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).name})`;
    throw new UsageError(`--public-keys ${file}: ${why}`);
  }
  const keys = (parsed as { PublicKeyList?: unknown }).PublicKeyList;
  if (!Array.isArray(keys))
    throw new UsageError(
      `--public-keys ${file}: must be a ListPublicKeys response ({"PublicKeyList": [{"Fingerprint", "Value", …}]})`,
    );
  return keys as PublicKeyEntry[];
}

/** The bucket a copy came from: --bucket, the manifest's, or the digestS3Bucket of its first digest (said on stderr). */
function localSource(o: Opts, m: AuditManifest | undefined, keys: PublicKeyEntry[], io: Io): LocalSource {
  const dir = o.local!;
  let bucket = o.bucket ?? m?.archive.bucketName;
  if (!bucket) {
    const first = readdirSync(dir, { recursive: true, encoding: "utf8" }).find(
      (f) => f.includes("CloudTrail-Digest") && f.endsWith(".json.gz"),
    );
    bucket = first ? (parseDigest(gunzipOrEmpty(readFileSync(join(dir, first))))?.digestS3Bucket ?? "") : "";
    io.err(
      `validate-logs: no --bucket or --manifest; taking the bucket name "${bucket}" from ${first ?? "no digest"}\n`,
    );
  }
  return new LocalSource(dir, bucket, keys);
}

function gunzipOrEmpty(body: Buffer): string {
  try {
    return gunzipSync(body).toString("utf8");
  } catch (err) {
    if (String((err as NodeJS.ErrnoException).code).startsWith("Z_")) return "";
    throw err;
  }
}

async function s3Source(o: Opts, m: AuditManifest, io: Io): Promise<{ source: IntegritySource; close: () => void }> {
  const settings = {
    endpointUrl: o.endpointUrl,
    maxAttempts: DEFAULTS.maxAttempts,
    requestTimeoutMs: DEFAULTS.requestTimeoutMs,
    connectionTimeoutMs: DEFAULTS.connectionTimeoutMs,
  };
  const creds = new AuditCredentials(
    { profile: o.profile, readRoleName: m.audit.readRoleName, stsRegion: m.regions.home },
    settings,
  );
  const clients = new ClientFactory(settings, creds);
  const close = () => (clients.destroy(), creds.destroy());
  const arn = m.audit.logAuditorRoleArn;
  let as = "starting";
  let credentials: Parameters<ClientFactory["getAs"]>[3] = creds.providerFor("-");
  if (arn) {
    const r = await creds.assumeRoleArn(arn, "orgwarden-validate-logs");
    if (!r.ok) {
      close();
      throw new UsageError(
        `--manifest: the log auditor role ${arn} (audit.logAuditorRoleArn) could not be assumed: ${r.error.name}: ${r.error.message}`,
      );
    }
    [as, credentials] = [arn, r.value];
  } else {
    io.err(
      "validate-logs: the manifest names no log auditor role (audit.logAuditorRoleArn): reading as the starting credentials\n",
    );
  }
  const s3 = clients.getAs(S3Client, as, m.regions.home, credentials);
  return {
    source: new S3Source(
      s3,
      (region) => clients.getAs(CloudTrailClient, as, region, credentials),
      m.archive.bucketName,
    ),
    close,
  };
}

export async function validateLogsMain(
  argv: string[],
  io: Io = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) },
): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  let m: AuditManifest | undefined;
  let keys: PublicKeyEntry[] = [];
  try {
    parsed = parse(argv);
    m = parsed.o.manifest ? readManifest(parsed.o.manifest) : undefined;
    if (parsed.o.publicKeys) keys = readPublicKeys(parsed.o.publicKeys);
  } catch (err) {
    if (err instanceof HelpShown) {
      io.out(err.text);
      return 0;
    }
    if (!(err instanceof UsageError)) throw err;
    io.err(`orgwarden-audit validate-logs: ${err.message}\nRun with --help for the options.\n`);
    return 2;
  }
  const { o } = parsed;
  let opened: { source: IntegritySource; close: () => void };
  try {
    opened = o.local ? { source: localSource(o, m, keys, io), close: () => undefined } : await s3Source(o, m!, io);
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    io.err(`orgwarden-audit validate-logs: ${e.message}\n`);
    return e instanceof UsageError ? 2 : 3;
  }
  try {
    return await run(opened.source, o, m, parsed, io);
  } catch (err) {
    if (!(err instanceof SourceReadError)) throw err;
    io.err(`orgwarden-audit validate-logs: incomplete: ${err.message}\n`);
    return 3;
  } finally {
    opened.close();
  }
}

async function run(
  source: IntegritySource,
  o: Opts,
  m: AuditManifest | undefined,
  p: ReturnType<typeof parse>,
  io: Io,
): Promise<number> {
  const filter = {
    orgId: m?.organization.id,
    accounts: p.accounts,
    regions: p.regions,
    trailName: m?.trail.name,
    homeRegion: m?.trail.homeRegion,
  };
  const scopes = await discoverScopes(source, filter);
  if (scopes.length === 0) {
    io.err(
      `orgwarden-audit validate-logs: no digest chain found under AWSLogs/<org>/<account>/CloudTrail-Digest/<region>/${o.local ? ` in ${o.local}` : ""}; nothing can be called intact\n`,
    );
    return 1;
  }
  if (o.export) {
    const c = await exportCopy(source, scopes, p.window, o.export);
    io.out(
      `exported ${c.digests} digests and ${c.logs} log files to ${o.export} (public-keys.json beside them)${c.missing.length ? `; ${c.missing.length} listed log files were not in the bucket` : ""}\n`,
    );
    return 0;
  }
  const results = await validateScopes(source, scopes, {
    window: p.window,
    tail: () => cliTail(p.window.to, new Date()),
  });
  const code = exitCodeOf(results);
  io.out(o.json ? `${JSON.stringify(resultJson(results, p.window, code), null, 2)}\n` : resultText(results, p.window));
  return code;
}
