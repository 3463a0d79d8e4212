import { describe, expect, it } from "vitest";
import { loadPolicyPack } from "../../harness/policy-pack";
import { resolvePolicyConfig } from "../../harness/policy-config";
import { runPolicies } from "../../harness/policy-runner";
import { baselineStack } from "./baseline-stack";
import { PACK_DIR, programRun } from "./helpers";

describe("the compliant baseline builder", () => {
  it("passes every policy of the pack, at default config", async () => {
    const pack = loadPolicyPack(PACK_DIR);
    const r = await runPolicies(pack, programRun(baselineStack()), resolvePolicyConfig(pack, {}));
    expect(r.violations.map((v) => `${v.policyName}: ${v.message}`)).toEqual([]);
    expect(r.ran).toHaveLength(26);
    expect(r.notApplicable.filter((n) => !/^Policy only applies to/.test(n.reason ?? ""))).toEqual([]);
  });
});
