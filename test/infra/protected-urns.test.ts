/**
 * A refactor must never replace a protected resource (the trail, the buckets, the keys, the
 * organization and its accounts): Pulumi replaces what it finds under a new URN. The URNs of every
 * protected resource in both example stacks are recorded in fixtures/protected-urns.json; moving or
 * renaming a component changes them, and needs Pulumi `aliases` pointing at the recorded URN before
 * this file may change.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runStack, STACKS } from "./stack";

const RECORDED = JSON.parse(readFileSync(join(__dirname, "fixtures/protected-urns.json"), "utf8")) as Record<
  string,
  string[]
>;

describe("protected resources keep their URNs", () => {
  it.each(STACKS)("%s stack: every protected resource has exactly the recorded URN", async (stack) => {
    const run = await runStack(stack);
    const protectedUrns = run.resources
      .filter((r) => r.protect)
      .map((r) => r.urn)
      .sort();
    expect(protectedUrns).toEqual(RECORDED[stack]);
  });
});
