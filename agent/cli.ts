/**
 * `npm run audit -- --manifest <file> …`: parse and validate options, load the manifest, open the
 * report staging directory beside --out (so an unwritable --out fails before anything is
 * collected), run the same runAudit() the Lambda runs, print a summary (or the JSON result), swap
 * the reports in, and exit 0 clean · 1 drift · 2 usage or config error · 3 audit incomplete; when
 * stopped (SIGINT, SIGTERM, SIGHUP or its launcher gone, see stop.ts), 130 · 143 · 129 and no report.
 */
import { exitAfterFlush } from "../scripts/lib/exit";
import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { Command, CommanderError } from "commander";
import { decodeManifestParameter, ManifestValidationError } from "../baseline";
import { EXIT, type AuditResult, type ExitCode } from "./finding";
import { BATCH_SIZE, CONCURRENCY } from "./limits";
import {
  AuditConfigError,
  cliOptionsSchema,
  DEFAULT_REPORT_FORMATS,
  DEFAULTS,
  REPORT_FORMATS,
  RETRY_DELAY_SCALE_VARIABLE,
  retryDelayScaleFromEnv,
  type CliOptions,
} from "./options";
import { ReportStaging } from "./report";
import { startingCredentials } from "./aws/credentials";
import { securityHubStep } from "./export/security-hub";
import { diffRuns } from "./report/diff";
import { applyWaivers } from "./waivers";
import { loadWaivers, type LoadedWaivers } from "./waivers-file";
import { checkPreviousStack, loadPrevious, type PreviousRun } from "./previous";
import { runAudit } from "./run-audit";
import { summaryText } from "./cli-summary";
import { watchForStop, type StopEvent } from "./stop";
import { validateLogsMain } from "./validate-logs-cli";

class UsageError extends Error {
  override name = "UsageError";
}

function program(): Command {
  return new Command()
    .name("orgwarden-audit")
    .description("Audit the live AWS Organization against the orgwarden audit manifest.")
    .option("--manifest <file>", "audit manifest JSON file, or - for stdin")
    .option(
      "--stack-output <stack>",
      "read the manifest from `pulumi stack output auditManifest --json --stack <stack>`",
    )
    .option("--profile <name>", "AWS profile for the starting (management or security account) credentials")
    .option("--regions <list>", "comma-separated governed regions to audit (default: all governed)")
    .option("--accounts <list>", "comma-separated account ids to audit (default: every ACTIVE account)")
    .option(
      "--concurrency <n>",
      `calls in flight per API family, so S3 listing never waits behind KMS; 4 × as many collection tasks (an account × region, or a shared piece such as the trail) run at once (${CONCURRENCY.min}-${CONCURRENCY.max})`,
      String(DEFAULTS.concurrency),
    )
    .option(
      "--batch-size <n>",
      `accounts per batch: plan, then collect and evaluate batch by batch, the nightly Step Functions run's path, in-process (${BATCH_SIZE.min}-${BATCH_SIZE.max}; default every account in one batch)`,
    )
    .option("--endpoint-url <url>", "send every AWS call to this endpoint (e.g. a moto server)")
    .option("--now <iso>", "the clock freshness is judged against, ISO-8601 with zone")
    .option(
      "--format <list>",
      `report formats to write: ${REPORT_FORMATS.join(",")} (default ${DEFAULT_REPORT_FORMATS.join(",")}, with --out)`,
    )
    .option("--out <dir>", "directory to write the reports to")
    .option(
      "--previous <report.json>",
      "the previous run's report.json to diff against (default: the report.json already in --out, if any)",
    )
    .option("--waivers <file>", "waivers YAML (e.g. waivers.yaml): accepted findings with reason, approver and expiry")
    .option("--json", "print the AuditResult JSON to stdout instead of the summary", false)
    .option(
      "--security-hub",
      "import the findings into the security account's Security Hub (BatchImportFindings) and archive resolved ones; the starting credentials must act in the security account",
      false,
    )
    .exitOverride()
    .configureOutput({ writeErr: () => undefined, writeOut: (s) => process.stdout.write(s) });
}

function parseOptions(argv: string[]): CliOptions {
  const cmd = program();
  try {
    cmd.parse(argv, { from: "user" });
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === "commander.helpDisplayed" || err.code === "commander.version") throw err;
      throw new UsageError(err.message.replace(/^error: /, ""));
    }
    throw err;
  }
  if (cmd.args.length > 0) throw new UsageError(`unexpected argument '${cmd.args[0]}'; options start with --`);
  const r = cliOptionsSchema.safeParse(cmd.opts());
  if (!r.success) throw new UsageError(r.error.issues.map((i) => i.message).join("; "));
  const retryDelayScale = retryDelayScaleFromEnv(
    process.env[RETRY_DELAY_SCALE_VARIABLE],
    r.data.endpointUrl,
    "--endpoint-url",
  );
  return { ...r.data, retryDelayScale };
}

function readManifest(o: CliOptions): unknown {
  if (o.stackOutput) return stackOutput(o.stackOutput);
  const file = o.manifest ?? "-";
  let text: string;
  try {
    text = readFileSync(file === "-" ? 0 : file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? (err as Error).name;
    throw new AuditConfigError(`--manifest ${file}: cannot be read (${code})`);
  }
  // Plain manifest JSON or the envelope copied from the SSM parameter: the same manifest either way.
  try {
    return decodeManifestParameter(text);
  } catch (err) {
    throw new AuditConfigError(
      `--manifest ${file}: ${(err as Error).message.replace(/^audit manifest parameter/, "the manifest")}`,
    );
  }
}

function stackOutput(stack: string): unknown {
  const r = spawnSync("pulumi", ["stack", "output", "auditManifest", "--json", "--stack", stack], { encoding: "utf8" });
  if (r.error)
    throw new AuditConfigError(
      `--stack-output ${stack}: cannot run the pulumi CLI (${(r.error as NodeJS.ErrnoException).code ?? r.error.message}); pass --manifest <file> instead`,
    );
  if (r.status !== 0)
    throw new AuditConfigError(`--stack-output ${stack}: pulumi stack output failed: ${r.stderr.trim()}`);
  try {
    return JSON.parse(r.stdout);
  } catch (err) {
    throw new AuditConfigError(`--stack-output ${stack}: output auditManifest is not JSON (${(err as Error).message})`);
  }
}

function progress(): ((done: number, total: number) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  // The total grows once the organization's accounts are known, so the line is only cleared after the run.
  return (done, total) => process.stderr.write(`\rcollecting… ${done}/${total} tasks`);
}

function clearProgress(): void {
  if (process.stderr.isTTY) process.stderr.write("\r\x1b[K");
}

/** The run's staging directory while main() runs, so a stop can remove it. */
let staging: ReportStaging | undefined;

export async function main(argv: string[]): Promise<ExitCode> {
  // The forensic subcommand has its own options (agent/validate-logs-cli.ts).
  if (argv[0] === "validate-logs") return (await validateLogsMain(argv.slice(1))) as ExitCode;
  let o: CliOptions;
  let manifest: unknown;
  let previous: PreviousRun | undefined;
  let waivers: LoadedWaivers | undefined;
  const runId = randomUUID();
  try {
    o = parseOptions(argv);
    manifest = readManifest(o);
    // Before the staging directory exists and before any AWS call: a bad previous report is exit 2 at once.
    previous = loadPrevious(o.previous, o.out);
    checkPreviousStack(previous, manifest);
    waivers = o.waivers === undefined ? undefined : loadWaivers(o.waivers);
    // Before any AWS call: creating the staging directory proves --out's parent is writable and on the same filesystem.
    staging = o.out ? ReportStaging.open({ outDir: o.out, runId }) : undefined;
  } catch (err) {
    return fail(err);
  }
  try {
    return await auditAndReport(o, manifest, runId, staging, { previous, waivers });
  } finally {
    // Kept set afterwards: a stop that arrives later must know the reports were already swapped in.
    staging?.discard();
  }
}

async function auditAndReport(
  o: CliOptions,
  manifest: unknown,
  runId: string,
  out: ReportStaging | undefined,
  { previous, waivers }: { previous?: PreviousRun; waivers?: LoadedWaivers },
): Promise<ExitCode> {
  let result: AuditResult;
  try {
    result = await runAudit({
      runId,
      manifest,
      profile: o.profile,
      regions: o.regions,
      accounts: o.accounts,
      concurrency: o.concurrency,
      batchSize: o.batchSize,
      endpointUrl: o.endpointUrl,
      retryDelayScale: o.retryDelayScale,
      now: o.now,
      onProgress: progress(),
    });
  } catch (err) {
    clearProgress();
    return fail(err, o.manifest ?? o.stackOutput);
  }
  clearProgress();
  // Waivers first, so the exit code and the reports agree; the diff ignores them (a waived FAIL still fails).
  if (waivers) result = applyWaivers(result, waivers.waivers, waivers.file);
  result = { ...result, changes: diffRuns(previous?.result, result) };
  if (o.securityHub) result = await importToSecurityHub(result, o);
  let written: string[];
  try {
    written = out ? await out.commit(result, o.format ?? [...DEFAULT_REPORT_FORMATS]) : [];
  } catch (err) {
    return fail(err);
  }
  if (o.json) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    for (const p of written) process.stderr.write(`report: ${p}\n`);
  } else {
    process.stdout.write(summaryText(result, previous?.source));
    for (const p of written) process.stdout.write(`report: ${p}\n`);
  }
  return result.exitCode;
}

/** --security-hub: a failed import is a run-level error of the result (exit 3, in every report), never a crash. */
async function importToSecurityHub(result: AuditResult, o: CliOptions): Promise<AuditResult> {
  const settings = { ...DEFAULTS, endpointUrl: o.endpointUrl, retryDelayScale: o.retryDelayScale };
  const r = await securityHubStep(result, settings, startingCredentials({ profile: o.profile }));
  process.stderr.write(
    `security hub: ${r.export.imported} imported, ${r.export.archived} archived, ${r.export.failed.length} rejected\n`,
  );
  return r.result;
}

/** Config and usage problems exit 2 with their message only; anything else is an incomplete audit. */
function fail(err: unknown, source?: string): ExitCode {
  if (err instanceof CommanderError) return EXIT.CLEAN; // --help printed by commander
  if (err instanceof UsageError) {
    process.stderr.write(`orgwarden-audit: ${err.message}\nRun with --help for the options.\n`);
    return EXIT.USAGE;
  }
  if (err instanceof ManifestValidationError) {
    process.stderr.write(`orgwarden-audit: ${source ? `${source}: ` : ""}${err.message}\n`);
    return EXIT.USAGE;
  }
  if (err instanceof AuditConfigError) {
    process.stderr.write(`orgwarden-audit: ${err.message}\n`);
    return EXIT.USAGE;
  }
  const e = err instanceof Error ? err : new Error(String(err));
  process.stderr.write(`orgwarden-audit: the audit did not complete: ${e.name}: ${e.message}\n`);
  return EXIT.INCOMPLETE;
}

/** Stopped before the end: remove the staging directory (the previous reports stay as they were) and exit at once. */
function stop(e: StopEvent): void {
  const written = staging?.committed === true;
  staging?.discard();
  clearProgress();
  const what = written
    ? "the reports had already been written"
    : "the audit was not finished and no report was written";
  process.stderr.write(`orgwarden-audit: stopped by ${e.cause}; ${what}\n`);
  process.exit(e.exitCode);
}

if (require.main === module) {
  const watch = watchForStop(stop);
  main(process.argv.slice(2)).then(
    (code) => {
      watch.dispose();
      exitAfterFlush(code);
    },
    (err: unknown) => {
      process.stderr.write(`orgwarden-audit: ${String(err)}\n`);
      exitAfterFlush(EXIT.INCOMPLETE);
    },
  );
}
