import { describe, expect, it } from "vitest";
import { CONCURRENCY, CONCURRENCY_RANGE } from "../../agent/limits";
import { auditOptionsSchema } from "../../agent/options";
import { CONFIG_KEYS } from "../../infra/config-keys";
import { FIELD_SCHEMAS } from "../../infra/config-schema";

describe("the concurrency limit, stated once", () => {
  it("is 1 to 64", () => {
    expect(CONCURRENCY).toEqual({ min: 1, max: 64 });
    expect(CONCURRENCY_RANGE).toBe("a whole number from 1 to 64");
  });

  it.each<[number, boolean]>([
    [1, true],
    [8, true],
    [64, true],
    [0, false],
    [65, false],
    [-1, false],
    [2.5, false],
    [Number.NaN, false],
    [Number.POSITIVE_INFINITY, false],
  ])("%d → %s, in the agent and in the stack config alike", (n, ok) => {
    expect(auditOptionsSchema((o) => o).shape.concurrency.safeParse(n).success).toBe(ok);
    expect(FIELD_SCHEMAS["audit.concurrency"].safeParse(n).success).toBe(ok);
  });

  it("is what the stack config documents", () => {
    expect(CONFIG_KEYS.find((k) => k.key === "audit.concurrency")?.description).toBe(
      "Calls in flight per API family in the scheduled agent, with 4 × as many account × region collection tasks at once (1-64).",
    );
  });
});
