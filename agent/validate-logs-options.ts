/** The options of `validate-logs`, parsed and checked: every error names its flag and what is allowed. */
import { readFileSync } from "node:fs";
import { Command, CommanderError } from "commander";
import { decodeManifestParameter, parseAuditManifest, ManifestValidationError, type AuditManifest } from "../baseline";
import type { TailRule } from "./integrity/chain";
import type { PublicKeyEntry } from "./integrity/keys";
import type { Window } from "./integrity/listing";

export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
}

export class UsageError extends Error {
  override name = "UsageError";
}

export interface Opts {
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
export class HelpShown extends Error {
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

export function parse(argv: string[]): { o: Opts; window: Window; accounts?: string[]; regions?: string[] } {
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

export function readManifest(file: string): AuditManifest {
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

export function readPublicKeys(file: string): PublicKeyEntry[] {
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
