/**
 * docs/coverage.md is the map from every resource the program lays to the agent checks that audit
 * it (or why none does). Both example stacks are built under the Pulumi mocks; the test fails when
 * a resource matches no row, when a row matches no resource of either stack, when a row names a
 * check the agent does not have or claims no check without saying "Not audited", and when a check
 * of the agent audits nothing in the table.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { CHECKS } from "../../agent/checks/registry";
import type { CapturedResource } from "../../harness/run-program";
import { matches, rows } from "./coverage-table";
import { runStack, STACKS } from "./stack";

describe("docs/coverage.md: every resource the program lays → check id, or why not", () => {
  const table = rows();
  const laid: { stack: string; resource: CapturedResource }[] = [];
  beforeAll(async () => {
    for (const stack of STACKS) {
      const run = await runStack(stack);
      for (const resource of run.resources.filter((r) => r.custom)) laid.push({ stack, resource });
    }
  });

  it("has rows", () => {
    expect(table.length).toBeGreaterThan(40);
  });

  it("every resource of both stacks matches a row (the first match is its row)", () => {
    const unmatched = laid
      .filter(({ resource }) => !table.some((row) => matches(row, resource)))
      .map(({ stack, resource }) => `${stack}: ${resource.type} ${resource.name}`);
    expect(unmatched, "add a row to docs/coverage.md: the check that audits it, or why none does").toEqual([]);
  });

  it("every row is the first match of some resource (no stale or shadowed row)", () => {
    const used = new Set(laid.flatMap(({ resource }) => table.find((row) => matches(row, resource))?.line ?? []));
    expect(
      table.filter((row) => !used.has(row.line)).map((row) => `line ${row.line}: ${row.type} ${row.name}`),
    ).toEqual([]);
  });

  it("names only checks the agent has; a row with no check says why (Not audited …)", () => {
    const ids = new Set(CHECKS.map((c) => c.metadata.id));
    expect(table.flatMap((row) => row.checks.filter((c) => !ids.has(c)).map((c) => `line ${row.line}: ${c}`))).toEqual(
      [],
    );
    expect(
      table.filter((row) => row.checks.length === 0 && !row.coverage.startsWith("Not audited")).map((r) => r.line),
    ).toEqual([]);
  });

  it("every check of the agent audits some resource of the table", () => {
    const listed = new Set(table.flatMap((row) => row.checks));
    expect(CHECKS.map((c) => c.metadata.id).filter((id) => !listed.has(id))).toEqual([]);
  });
});
