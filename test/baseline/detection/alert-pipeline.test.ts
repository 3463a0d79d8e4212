/** Event patterns compared by meaning (baseline/detection/alert-pipeline.ts sameEventPattern). */
import { describe, expect, it } from "vitest";
import { centralBusRoutes, memberForwardingRules, sameEventPattern } from "../../../baseline/detection";

describe("sameEventPattern", () => {
  it.each([
    ["values in another order", { source: ["a", "b"] }, { source: ["b", "a"] }, true],
    ["keys in another order", { a: ["x"], b: ["y"] }, { b: ["y"], a: ["x"] }, true],
    [
      "$or alternatives in another order",
      { $or: [{ a: ["x"] }, { b: ["y"] }] },
      { $or: [{ b: ["y"] }, { a: ["x"] }] },
      true,
    ],
    ["a value dropped (narrowed)", { source: ["a", "b"] }, { source: ["a"] }, false],
    ["a numeric bound changed", { s: [{ numeric: [">=", 7] }] }, { s: [{ numeric: [">=", 9] }] }, false],
    [
      "numeric operands swapped (ordered)",
      { s: [{ numeric: [">=", 7, "<", 9] }] },
      { s: [{ numeric: ["<", 7, ">=", 9] }] },
      false,
    ],
    ["a key added", { source: ["a"] }, { source: ["a"], account: ["1"] }, false],
  ])("%s", (_name, a, b, same) => {
    expect(sameEventPattern(a, b)).toBe(same);
  });

  it("every baseline pattern equals itself after a JSON round trip in reversed key order", () => {
    const reverse = (v: unknown): unknown =>
      Array.isArray(v)
        ? [...v].map(reverse)
        : v && typeof v === "object"
          ? Object.fromEntries(
              Object.entries(v)
                .reverse()
                .map(([k, x]) => [k, reverse(x)]),
            )
          : v;
    for (const p of [...centralBusRoutes(), ...memberForwardingRules("orgwarden")].map((r) => r.pattern))
      expect(sameEventPattern(p, JSON.parse(JSON.stringify(reverse(p))))).toBe(true);
  });
});
