#!/usr/bin/env node
// Runs the whole vitest suite and ends with the plain line "N passed, N failed" that CI reads.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, existsSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const cacheDir = join(root, ".cache");
const report = join(cacheDir, "vitest-report.json");
mkdirSync(cacheDir, { recursive: true });
rmSync(report, { force: true });

const args = ["vitest", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`, ...process.argv.slice(2)];
// The SDK's Node 20 support notice would print once per worker and per spawned CLI; the README states it once instead.
const env = { ...process.env, TZ: "UTC", AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" };
const r = spawnSync("npx", args, { cwd: root, stdio: "inherit", env });

let passed = 0;
let failed = 0;
let skipped = 0;
if (existsSync(report)) {
  const j = JSON.parse(readFileSync(report, "utf8"));
  passed = j.numPassedTests ?? 0;
  failed = (j.numFailedTests ?? 0) + (j.numRuntimeErrorTestSuites ?? 0);
  skipped = (j.numPendingTests ?? 0) + (j.numTodoTests ?? 0);
  // A test file that fails to load has no tests to count; count it as a failure so it cannot pass silently.
  for (const s of j.testResults ?? []) if (s.status === "failed" && (s.assertionResults ?? []).length === 0) failed += 1;
} else {
  failed = 1;
  console.error("test runner: vitest wrote no report; treating the run as failed");
}
const code = r.status === 0 && failed === 0 ? 0 : 1;
console.log(`${passed} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : ""));
process.exit(code);
