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
const countsFile = join(cacheDir, "test-counts.json");
mkdirSync(cacheDir, { recursive: true });
rmSync(countsFile, { force: true });

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

const args = ["vitest", "run", "--reporter=default", `--reporter=${join(root, "scripts/lib/count-reporter.mjs")}`, ...process.argv.slice(2)];
// The SDK's Node 20 support notice would print once per worker and per spawned CLI; the README states it once instead.
const env = { ...process.env, TZ: "UTC", AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true", ORGWARDEN_TEST_COUNTS: countsFile };
const r = spawnSync("npx", args, { cwd: root, stdio: "inherit", env });

if (!existsSync(countsFile)) {
  console.error(`test runner: vitest ended (status ${r.status ?? r.signal}) without writing ${countsFile}; the run counts as failed`);
  close(0, 1, 0, 1);
}
const c = JSON.parse(readFileSync(countsFile, "utf8"));
if (c.failures.length > 0) {
  console.log(`\nfailed (${c.failures.length}):`);
  for (const f of c.failures) console.log(`  ${f}`);
}
// Vitest's own status catches what no count does (e.g. a reporter error); either failing fails the run.
const failed = c.failed + (r.status !== 0 && c.failed === 0 ? 1 : 0);
close(c.passed, failed, c.skipped, r.status === 0 && failed === 0 ? 0 : 1);
