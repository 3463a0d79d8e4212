/**
 * `npm run audit -- validate-logs --from <iso> [--to <iso>] …`: the forensic form of the nightly
 * trail-log-integrity check, with the same validator (agent/integrity/). Over S3 (--manifest) it
 * reads as the manifest's log auditor role (audit.logAuditorRoleArn) when one is named, else as the
 * starting credentials; over a local copy (--local <dir> --public-keys <file>) it needs no AWS.
 * --export <dir> writes such a copy from S3. Exit 0 intact · 1 a defect · 2 usage · 3 a read failed.
 */
import { discoverScopes } from "./integrity/discover";
import { exportCopy } from "./integrity/export";
import { exitCodeOf, resultJson, resultText } from "./integrity/report";
import { SourceReadError, type IntegritySource } from "./integrity/source";
import { validateScopes } from "./integrity/validate";
import type { AuditManifest } from "../baseline";
import type { PublicKeyEntry } from "./integrity/keys";
import {
  cliTail,
  HelpShown,
  parse,
  readManifest,
  readPublicKeys,
  UsageError,
  type Io,
  type Opts,
} from "./validate-logs-options";
import { localSource, s3Source } from "./validate-logs-sources";

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
