/**
 * npm run demo: the whole story on one machine, no AWS account needed.
 *   1. starts moto server (the AWS emulator; sets up .venv first if it is missing),
 *   2. seeds a sandbox organization from the baseline documents, with two deliberate drifts,
 *   3. runs the offline preview of the Pulumi program (when the program and its preview script exist),
 *   4. audits the sandbox with the real agent (runAudit over HTTP),
 *   5. writes report.json / report.md / report.html under out/ and prints where they are,
 *   6. stops moto — also on error or Ctrl-C.
 * Exit code: 0 when the audit reported both deliberate drifts (and the preview, if run, passed); 1 otherwise.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { runAudit } from "../agent/run-audit";
import { writeReports } from "../agent/report";
import { summarize } from "../agent/report/summary";
import type { AuditResult } from "../agent/finding";
import { motoBinary, spawnMoto, type MotoServer } from "../agent/sandbox/moto-server";
import { seedSandboxOrganization, type Sandbox, type SandboxDrift } from "../agent/sandbox/seed";

const ROOT = resolve(__dirname, "..");
const OUT = join(ROOT, "out");
const DRIFTS: SandboxDrift[] = [
  { kind: "foreign-principal-in-bucket-policy" },
  { kind: "missing-logs", account: "member-1" },
];

/** Checks whose input moto cannot produce (DESIGN.md, "Facts of this environment"). */
const MOTO_GAP_CHECKS = ["ssm-agent-associations", "trail-cloudwatch-delivery", "trail-digest-delivery"];

const say = (s: string) => process.stdout.write(`${s}\n`);

function ensurePython(): void {
  if (existsSync(motoBinary(ROOT))) return;
  say("demo: .venv is missing; running bash scripts/setup-python.sh (moto server, pinned)");
  const r = spawnSync("bash", ["scripts/setup-python.sh"], { cwd: ROOT, stdio: "inherit" });
  if (r.status !== 0) throw new Error(`scripts/setup-python.sh failed (exit ${r.status}); the demo needs Python ≥ 3.10 with venv`);
}

/** The lead's offline preview of the dev stack; skipped (and said so) when it has not landed. */
function runPreview(): "passed" | "failed" | "skipped" {
  const script = join(ROOT, "scripts", "preview-offline.ts");
  if (!existsSync(script) || !existsSync(join(ROOT, "Pulumi.dev.yaml"))) {
    say("demo: offline preview skipped (scripts/preview-offline.ts or Pulumi.dev.yaml not present)");
    return "skipped";
  }
  say("demo: offline preview of stack dev (npx tsx scripts/preview-offline.ts --stack dev) …");
  const r = spawnSync("npx", ["tsx", "scripts/preview-offline.ts", "--stack", "dev"], { cwd: ROOT, encoding: "utf8", env: { ...process.env, TZ: "UTC" } });
  const out = `${r.stdout ?? ""}${r.stderr ?? ""}`.trim().split("\n");
  for (const line of out.slice(-15)) say(`  | ${line}`);
  say(`demo: offline preview ${r.status === 0 ? "passed" : `FAILED (exit ${r.status})`}`);
  return r.status === 0 ? "passed" : "failed";
}

/** Each deliberate drift must surface as a FAIL of its check, for the account it was put in. */
function missedDrifts(result: AuditResult, sb: Sandbox): string[] {
  const failed = (checkId: string, account?: string) => result.findings.some((f) => f.status === "FAIL" && f.checkId === checkId && (!account || f.account === account));
  const missed: string[] = [];
  if (!failed("archive-bucket-policy")) missed.push("the foreign principal in the archive bucket policy (archive-bucket-policy)");
  if (!failed("archive-delivery-freshness", sb.accounts.members[1])) missed.push(`the missing CloudTrail logs of ${sb.accounts.members[1]} (archive-delivery-freshness)`);
  return missed;
}

function printResult(result: AuditResult, paths: string[]): void {
  const s = summarize(result);
  say(`demo: audit ${s.verdict} (exit code ${result.exitCode}) — ${s.total} findings: ${s.byStatus.FAIL} FAIL, ${s.byStatus.ERROR} ERROR, ${s.byStatus.PASS} PASS, ${s.byStatus.NOT_APPLICABLE} NOT_APPLICABLE`);
  for (const f of result.findings.filter((x) => x.status === "FAIL" || x.status === "ERROR")) {
    say(`  ${f.status.padEnd(5)} ${f.severity.padEnd(8)} ${f.checkId} [${f.account} ${f.region}] ${f.message.split("\n")[0].slice(0, 160)}`);
  }
  const emulatorGaps = result.findings.filter((f) => (f.status === "FAIL" || f.status === "ERROR") && MOTO_GAP_CHECKS.includes(f.checkId)).length;
  if (emulatorGaps > 0) {
    say(`demo: ${emulatorGaps} of these come from moto, not from the sandbox: it implements no SSM associations and never reports CloudTrail's CloudWatch Logs or digest delivery (${MOTO_GAP_CHECKS.join(", ")}).`);
  }
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
    const sb = await seedSandboxOrganization({ endpoint: moto.endpoint, stack: "demo", drifts: DRIFTS, manifestPath: join(OUT, "sandbox-manifest.json") });
    say(`demo: sandbox organization ${sb.orgId}: management ${sb.accounts.management}, log-archive ${sb.accounts.logArchive}, security ${sb.accounts.security}, members ${sb.accounts.members.join(", ")}`);
    say(`demo: deliberate drifts: foreign principal 999999999999 in the archive bucket policy; no CloudTrail logs for ${sb.accounts.members[1]}`);
    // One attempt: moto answers locally, and its 500s for unimplemented APIs would only be retried.
    const result = await runAudit({ manifest: sb.manifest, credentials: sb.credentials, endpointUrl: moto.endpoint, now: new Date(), maxAttempts: 1 });
    const paths = await writeReports(result, { formats: ["json", "md", "html"], outDir: OUT });
    printResult(result, [...paths, sb.manifestPath!]);
    const missed = missedDrifts(result, sb);
    for (const m of missed) say(`demo: ERROR: the audit did not report ${m}`);
    return missed.length === 0 && preview !== "failed" ? 0 : 1;
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
