#!/usr/bin/env node
// `npm test`: installs the tools the suite runs (scripts/setup-test-tools.sh), runs the whole vitest
// suite, and ends with the suite's duration and then the plain line "N passed, N failed" that CI reads.
// The counts come from scripts/lib/count-reporter.mjs, which counts a test that a failed hook kept
// from running as failed, never as skipped.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";

const started = Date.now();
const root = new URL("..", import.meta.url).pathname;
const cacheDir = join(root, ".cache");
mkdirSync(cacheDir, { recursive: true });

function seconds(ms) {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, "0")}s`;
}

function close(passed, failed, skipped, code) {
  console.log(`suite duration: ${seconds(Date.now() - started)} (setup ${seconds(setupMs)})`);
  console.log(`${passed} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : ""));
  process.exit(code);
}

const setupStart = Date.now();
const setup = spawnSync("bash", [join(root, "scripts/setup-test-tools.sh")], { cwd: root, stdio: "inherit" });
const setupMs = Date.now() - setupStart;
if (setup.status !== 0) {
  // Each missing tool printed its own line; running the suite without it would only fail later and less clearly.
  close(0, 1, 0, 1);
}

// Two runs, one after the other: the in-process files on two workers, then the files that spawn
// heavy processes (PROCESS_TESTS in vitest.config.mts), also on two. A worker of that project mostly
// waits on its child, so two workers give each child about a core; nothing there shares a port, a
// file or a moto server between files (each worker has its own), and nothing is timed.
const GROUPS = [
  // isolate is repeated here: a --poolOptions.forks.* flag replaces the project's poolOptions.forks
  // (vitest.config.mts), so without it the unit files would again get one process each.
  { project: "unit", workers: 2, isolate: false },
  { project: "processes", workers: 2, isolate: true },
];
// The SDK's Node 20 support notice would print once per worker and per spawned CLI; the README states it once instead.
const baseEnv = { ...process.env, TZ: "UTC", AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" };
const total = { passed: 0, failed: 0, skipped: 0, failures: [] };
let status = 0;
for (const g of GROUPS) {
  const file = join(cacheDir, `test-counts-${g.project}.json`);
  rmSync(file, { force: true });
  const args = [
    "vitest",
    "run",
    `--project=${g.project}`,
    `--poolOptions.forks.maxForks=${g.workers}`,
    `--poolOptions.forks.isolate=${g.isolate}`,
    "--passWithNoTests",
    "--reporter=default",
    `--reporter=${join(root, "scripts/lib/count-reporter.mjs")}`,
    ...process.argv.slice(2),
  ];
  const r = spawnSync("npx", args, { cwd: root, stdio: "inherit", env: { ...baseEnv, ORGWARDEN_TEST_COUNTS: file } });
  if (!existsSync(file)) {
    console.error(
      `test runner: vitest (project ${g.project}) ended (status ${r.status ?? r.signal}) without writing ${file}; the run counts as failed`,
    );
    total.failed += 1;
    total.failures.push(`project ${g.project}: no counts written`);
    status = 1;
    continue;
  }
  const c = JSON.parse(readFileSync(file, "utf8"));
  total.passed += c.passed;
  total.skipped += c.skipped;
  // Vitest's own status catches what no count does (e.g. a reporter error); either failing fails the run.
  const failed = c.failed + (r.status !== 0 && c.failed === 0 ? 1 : 0);
  total.failed += failed;
  total.failures.push(
    ...c.failures,
    ...(failed > c.failed ? [`project ${g.project}: vitest exited ${r.status ?? r.signal}`] : []),
  );
  if (r.status !== 0 || failed > 0) status = 1;
}
if (total.failures.length > 0) {
  console.log(`\nfailed (${total.failures.length}):`);
  for (const f of total.failures) console.log(`  ${f}`);
}
close(total.passed, total.failed, total.skipped, status);
