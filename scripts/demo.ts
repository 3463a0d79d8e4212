/**
 * npm run demo: the whole story on one machine, no AWS account needed.
 *   1. sets up .venv (moto server) if it is missing,
 *   2. runs the offline preview of the Pulumi program for stack dev (when it exists),
 *   3. starts moto server, seeds a sandbox organization from the baseline documents with two
 *      deliberate drifts, audits it with the real agent (runAudit over HTTP),
 *   4. writes report.json / report.md / report.html under out/ and prints where they are,
 *   5. stops moto — also on error or Ctrl-C.
 * Exit code: 0 when the audit reported both deliberate drifts and the preview (if run) passed; 1 otherwise.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { summarize } from "../agent/report/summary";
import { motoBinary, spawnMoto, type MotoServer } from "../agent/sandbox/moto-server";
import { MOTO_GAP_CHECKS, runDemoAudit, type DemoRun } from "../agent/sandbox/demo";

const ROOT = resolve(__dirname, "..");
const OUT = join(ROOT, "out");

const say = (s: string) => process.stdout.write(`${s}\n`);

function ensurePython(): void {
  if (existsSync(motoBinary(ROOT))) return;
  say("demo: .venv is missing; running bash scripts/setup-python.sh (moto server, pinned)");
  const r = spawnSync("bash", ["scripts/setup-python.sh"], { cwd: ROOT, stdio: "inherit" });
  if (r.status !== 0)
    throw new Error(`scripts/setup-python.sh failed (exit ${r.status}); the demo needs Python ≥ 3.10 with venv`);
}

/** The offline preview of the dev stack; skipped (and said so) when the program has not landed. */
function runPreview(): "passed" | "failed" | "skipped" {
  if (!existsSync(join(ROOT, "scripts", "preview-offline.ts")) || !existsSync(join(ROOT, "Pulumi.dev.yaml"))) {
    say("demo: offline preview skipped (scripts/preview-offline.ts or Pulumi.dev.yaml not present)");
    return "skipped";
  }
  say("demo: offline preview of stack dev (npx tsx scripts/preview-offline.ts --stack dev) …");
  const r = spawnSync("npx", ["tsx", "scripts/preview-offline.ts", "--stack", "dev"], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, TZ: "UTC" },
  });
  const lines = `${r.stdout ?? ""}${r.stderr ?? ""}`.trim().split("\n");
  say(`  | … (${lines.length} lines; last 10)`);
  for (const line of lines.slice(-10)) say(`  | ${line}`);
  say(`demo: offline preview ${r.status === 0 ? "passed" : `FAILED (exit ${r.status})`}`);
  return r.status === 0 ? "passed" : "failed";
}

function printRun({ sandbox: sb, result, paths, missed }: DemoRun): void {
  say(
    `demo: sandbox organization ${sb.orgId}: management ${sb.accounts.management}, log-archive ${sb.accounts.logArchive}, security ${sb.accounts.security}, members ${sb.accounts.members.join(", ")}`,
  );
  say(
    `demo: deliberate drifts: an outside account (999999999999) added to the archive bucket policy; no CloudTrail logs for account ${sb.accounts.members[1]}`,
  );
  const s = summarize(result);
  say(
    `demo: audit ${s.verdict} (exit code ${result.exitCode}) — ${s.total} findings: ${s.byStatus.FAIL} FAIL, ${s.byStatus.ERROR} ERROR, ${s.byStatus.PASS} PASS, ${s.byStatus.NOT_APPLICABLE} NOT_APPLICABLE`,
  );
  const action = result.findings.filter((f) => f.status === "FAIL" || f.status === "ERROR");
  for (const f of action)
    say(
      `  ${f.status.padEnd(5)} ${f.severity.padEnd(8)} ${f.checkId} [${f.account} ${f.region}] ${f.message.split("\n")[0].slice(0, 150)}`,
    );
  const gaps = action.filter((f) => MOTO_GAP_CHECKS.includes(f.checkId)).length;
  if (gaps > 0)
    say(
      `demo: ${gaps} of these come from the emulator, not the sandbox: moto implements no SSM associations, no Config delivery and aggregator statuses, no GuardDuty organization configuration and no Security Hub administrators, configuration policies, standards or finding aggregators; it refuses Config, Security Hub and Inspector as delegated-administrator services, never reports CloudTrail's CloudWatch Logs or digest delivery nor StackSet drift, cannot share a Resolver query logging configuration through RAM and cannot associate a VPC with another account's configuration (agent/sandbox/demo.ts MOTO_GAP_CHECKS).`,
    );
  for (const m of missed) say(`demo: ERROR: the audit did not report ${m}`);
  say("demo: reports written:");
  for (const p of paths) say(`  ${relative(process.cwd(), p) || p}`);
}

async function main(): Promise<number> {
  ensurePython();
  const preview = runPreview();
  let moto: MotoServer | undefined;
  try {
    moto = await spawnMoto({ root: ROOT });
    say(`demo: moto server at ${moto.endpoint}`);
    const run = await runDemoAudit({ endpoint: moto.endpoint, outDir: OUT });
    printRun(run);
    return run.missed.length === 0 && preview !== "failed" ? 0 : 1;
  } finally {
    await moto?.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`demo failed: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
