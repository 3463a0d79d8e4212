/**
 * A vitest reporter that counts what the closing line says, and writes it to a JSON file for
 * scripts/test.mjs. Vitest's own counts call a test "skipped" when its suite failed in
 * beforeAll, and an afterAll failure counts no test at all; both would let a broken suite look
 * green. Here a test counts as skipped only when it was skipped on purpose (`.skip`, `.todo`,
 * `.only` elsewhere, or `ctx.skip()`); a test that never ran because a hook of its suite failed is
 * failed, a suite or file whose hook or collection failed with every test passing counts one
 * failure of its own, and every unhandled error counts one.
 */
import { writeFileSync } from "node:fs";

export default class CountReporter {
  constructor() {
    // scripts/test.mjs names the file; a plain `npx vitest` run writes nothing.
    this.outputFile = process.env.ORGWARDEN_TEST_COUNTS;
  }

  onTestRunEnd(testModules, unhandledErrors, reason) {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    const failures = [];
    for (const mod of testModules) countModule(mod, counts, failures);
    for (const e of unhandledErrors) {
      counts.failed += 1;
      failures.push(`unhandled error: ${firstLine(e?.message ?? String(e))}`);
    }
    if (reason === "interrupted") {
      counts.failed += 1;
      failures.push("the run was interrupted");
    }
    if (this.outputFile) writeFileSync(this.outputFile, JSON.stringify({ ...counts, failures, reason }, null, 2));
  }
}

function firstLine(s) {
  return String(s).split("\n")[0];
}

function failedSuite(entity) {
  // A module or suite whose own hook (or collection) failed: its state is failed and it carries the errors.
  return entity.state() === "failed" && entity.errors().length > 0;
}

function ancestorFailed(test) {
  for (let p = test.parent; p; p = p.type === "module" ? undefined : p.parent) if (failedSuite(p)) return p;
  return undefined;
}

function countModule(mod, counts, failures) {
  const rel = mod.moduleId.replace(`${process.cwd()}/`, "");
  let failedHere = 0;
  for (const test of mod.children.allTests()) {
    const r = test.result();
    if (r.state === "passed") counts.passed += 1;
    else if (r.state === "failed") {
      counts.failed += 1;
      failedHere += 1;
      failures.push(`${rel} > ${test.fullName}`);
    } else if (r.state === "skipped" && (test.options.mode !== "run" || !ancestorFailed(test))) counts.skipped += 1;
    else {
      // Pending (never finished) or skipped because a hook of its suite failed.
      const by = ancestorFailed(test);
      counts.failed += 1;
      failedHere += 1;
      failures.push(
        `${rel} > ${test.fullName} (did not run: ${by ? firstLine(by.errors()[0]?.message ?? "a hook failed") : "never finished"})`,
      );
    }
  }
  // afterAll failures and files that failed to load leave no failed test behind: count each failed entity once.
  const entities = [mod, ...mod.children.allSuites()].filter(failedSuite);
  if (failedHere === 0 && entities.length > 0) {
    for (const e of entities) {
      counts.failed += 1;
      failures.push(
        `${rel}${e.type === "module" ? "" : ` > ${e.fullName}`}: ${firstLine(e.errors()[0]?.message ?? "failed")}`,
      );
    }
  }
}
