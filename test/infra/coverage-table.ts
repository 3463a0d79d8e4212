/** docs/coverage.md's table, parsed: shared by the coverage-doc test and the sandbox-completeness test. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import type { CapturedResource } from "../../harness/run-program";
import { ROOT } from "./stack";

export interface Row {
  line: number;
  type: string;
  name: string;
  checks: string[];
  coverage: string;
}

export const glob = (pattern: string) =>
  new RegExp(
    `^${pattern
      .split("*")
      .map((p) => p.replace(/[.+?^${}()|[\]\\/]/g, "\\$&"))
      .join(".*")}$`,
  );
const code = (cell: string, line: number) => {
  const m = /^`([^`]+)`$/.exec(cell);
  if (!m) throw new Error(`docs/coverage.md line ${line}: "${cell}" must be one value in backticks`);
  return m[1];
};

export function rows(): Row[] {
  const lines = readFileSync(join(ROOT, "docs/coverage.md"), "utf8").split("\n");
  return lines.flatMap((text, n) => {
    if (!text.startsWith("| `")) return [];
    const cells = text
      .split("|")
      .slice(1, -1)
      .map((c) => c.trim());
    expect(cells, `docs/coverage.md line ${n + 1} has four cells`).toHaveLength(4);
    const [type, name, checks, coverage] = cells;
    return [
      {
        line: n + 1,
        type: code(type, n + 1),
        name: code(name, n + 1),
        checks: checks === "—" ? [] : checks.split(", ").map((c) => code(c, n + 1)),
        coverage,
      },
    ];
  });
}

export const matches = (row: Row, r: Pick<CapturedResource, "type" | "name">) =>
  glob(row.type).test(r.type) && glob(row.name).test(r.name);
