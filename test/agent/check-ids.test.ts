import { describe, expect, it } from "vitest";
import { AUDIT_CHECK_IDS } from "../../baseline/check-ids";
import { CHECKS } from "../../agent/checks/registry";

describe("baseline/check-ids.ts", () => {
  it("lists exactly the registered checks, in registry order (infra validates published waivers against it)", () => {
    expect([...AUDIT_CHECK_IDS]).toEqual(CHECKS.map((c) => c.metadata.id));
  });
});
