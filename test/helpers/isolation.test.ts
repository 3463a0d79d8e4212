/**
 * The unit project runs its files in shared worker processes (`isolate: false`, vitest.config.mts):
 * what one file patches process-wide and does not undo is seen by the next file of that worker, in an
 * order that changes from run to run. This reads every unit test source and names each file that
 * installs a process-wide patch without the call that undoes it.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(__dirname, "..", "..");

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === "fixtures" ? [] : sources(p);
    return e.name.endsWith(".ts") ? [p] : [];
  });
}

/** PROCESS_TESTS, read from vitest.config.mts (an ES module this CommonJS package cannot import statically). */
const PROCESS_TESTS = [
  ...(
    /export const PROCESS_TESTS = \[([^\]]*)\]/.exec(readFileSync(join(ROOT, "vitest.config.mts"), "utf8"))?.[1] ?? ""
  ).matchAll(/"([^"]+)"/g),
].map((m) => m[1]);

const processFile = (rel: string) =>
  PROCESS_TESTS.some((pattern) =>
    pattern.includes("*")
      ? new RegExp(`^${pattern.replace(/\./g, "\\.").replace(/\*/g, "[^/]*")}$`).test(rel)
      : pattern === rel,
  );

/** [what patches, what undoes it]: a file with the first must contain the second. */
const PAIRS: Array<[RegExp, RegExp, string]> = [
  [/\bmockClient\(/, /\.restore\(\)/, "aws-sdk-client-mock's mockClient() without .restore()"],
  [/\bvi\.stubEnv\(/, /\bvi\.unstubAllEnvs\(\)/, "vi.stubEnv() without vi.unstubAllEnvs()"],
  [/\bvi\.stubGlobal\(/, /\bvi\.unstubAllGlobals\(\)/, "vi.stubGlobal() without vi.unstubAllGlobals()"],
  [/\bvi\.useFakeTimers\(/, /\bvi\.useRealTimers\(\)/, "vi.useFakeTimers() without vi.useRealTimers()"],
  [/\bvi\.spyOn\(process\./, /\b(vi\.restoreAllMocks\(\)|\.mockRestore\(\))/, "a spy on process without restoring it"],
];

describe("unit test files leave their shared worker process as they found it", () => {
  it("every process-wide patch has its undo in the same file", () => {
    expect(PROCESS_TESTS).toContain("test/agent/cli.test.ts");
    const unit = sources(join(ROOT, "test")).filter((f) => !processFile(relative(ROOT, f)));
    expect(unit.length).toBeGreaterThan(150);
    const offenders = unit.flatMap((f) => {
      const text = readFileSync(f, "utf8");
      return PAIRS.filter(([patch, undo]) => patch.test(text) && !undo.test(text)).map(
        ([, , what]) => `${relative(ROOT, f)}: ${what}`,
      );
    });
    expect(offenders).toEqual([]);
  });
});
