import { describe, expect, it } from "vitest";
import { DAYS_PER_YEAR, effectiveRetentionDays } from "../../../baseline/rules/object-lock";

describe("effectiveRetentionDays (one rule for the guardrail and the audit)", () => {
  it.each([
    [{ days: 400 }, 400],
    [{ years: 2 }, 730],
    [{ days: 30, years: 5 }, 30],
    [{}, undefined],
  ])("%j → %s days", (r, days) => {
    expect(effectiveRetentionDays(r)).toBe(days);
  });
  it("counts a year as 365 days, the shortest a calendar year is", () => {
    expect(DAYS_PER_YEAR).toBe(365);
  });
});
