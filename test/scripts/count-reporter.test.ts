import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runProcess } from "../helpers/run";

const ROOT = join(__dirname, "../..");
const FIXTURES = join(__dirname, "fixtures/hook-failures");

describe("the closing line's counts (scripts/lib/count-reporter.mjs)", () => {
  it("counts tests kept from running by a failed beforeAll, an afterAll failure and a file that fails to load as failed; only deliberate skips as skipped", async () => {
    const counts = join(mkdtempSync(join(tmpdir(), "counts-")), "counts.json");
    const r = await runProcess(
      process.execPath,
      [
        join(ROOT, "node_modules/vitest/vitest.mjs"),
        "run",
        "--root",
        FIXTURES,
        `--reporter=${join(ROOT, "scripts/lib/count-reporter.mjs")}`,
      ],
      {
        cwd: FIXTURES,
        env: { ...process.env, ORGWARDEN_TEST_COUNTS: counts },
      },
    );
    expect(r.status).toBe(1);
    const c = JSON.parse(readFileSync(counts, "utf8"));
    expect({ passed: c.passed, failed: c.failed, skipped: c.skipped }).toEqual({ passed: 2, failed: 4, skipped: 2 });
    expect([...c.failures].sort()).toEqual([
      "after-all.check.ts > a suite whose afterAll throws: could not stop the server",
      "before-all.check.ts > a suite whose beforeAll throws > first (did not run: chromium is missing)",
      "before-all.check.ts > a suite whose beforeAll throws > second (did not run: chromium is missing)",
      "load-error.check.ts: the file fails while loading",
    ]);
  });
});
