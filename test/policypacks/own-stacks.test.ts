import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { loadStackConfig } from "../../harness/stack-config";
import { runProgramWithGuardrails } from "../../harness/policy-gate";
import { FirstPreviewMocks } from "../../harness/policy-mocks";

const ROOT = join(__dirname, "../..");

async function guard(stack: string, mocks?: FirstPreviewMocks) {
  const c = loadStackConfig(ROOT, stack);
  const g = await runProgramWithGuardrails({ program: ROOT, stack, config: c.config, secretKeys: c.secretKeys, mocks });
  return {
    configFile: g.policyConfigFile,
    violations: g.result.violations.map((v) => `[${v.enforcementLevel}] ${v.policyName} (${v.resourceName ?? "stack"}): ${v.message.split("\n").slice(1).join(" ")}`),
    notApplicable: g.result.notApplicable.filter((n) => !/^Policy only applies to/.test(n.reason ?? "")).map((n) => `${n.policyName}: ${n.reason}`),
  };
}

describe("the repository's own stacks under their policy-pack config", () => {
  it.each(["dev", "prod"])("%s: zero violations (mandatory or advisory), nothing left unjudged", async (stack) => {
    const g = await guard(stack);
    expect(g.configFile).toBe(join(ROOT, `policypacks/guardrails/config/${stack}.json`));
    expect(g.violations).toEqual([]);
    expect(g.notApplicable).toEqual([]);
  });

  it("prod at a first preview: zero violations; the documents built from unknown ids are reported as not judged", async () => {
    const g = await guard("prod", new FirstPreviewMocks());
    expect(g.violations).toEqual([]);
    expect(g.notApplicable.map((n) => n.split(":")[0]).sort()).toEqual([
      "kms-key-policy-safety",
      "kms-key-policy-safety",
      // The audit agent's log group key: its policy names the security account, unknown until the account exists.
      "kms-key-policy-safety",
      "s3-log-bucket-public-access",
    ]);
  });
});
