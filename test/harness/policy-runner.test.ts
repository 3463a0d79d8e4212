import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { loadPolicyPack, PolicyPackLoadError } from "../../harness/policy-pack";
import { PolicyConfigError, resolvePolicyConfig } from "../../harness/policy-config";
import { runPolicies } from "../../harness/policy-runner";
import { resourceArgs, stackResources, UNKNOWN_SENTINEL } from "../../harness/policy-args";
import { programRun, res } from "../policypacks/helpers";

const tattleDir = join(__dirname, "fixtures/tattle-pack");
const guardrails = join(__dirname, "../../policypacks/guardrails");

describe("loadPolicyPack", () => {
  it("runs the pack's entry and keeps its PolicyPack arguments without serving", () => {
    const pack = loadPolicyPack(tattleDir);
    expect({
      name: pack.name,
      version: pack.version,
      level: pack.enforcementLevel,
      policies: pack.policies.map((p) => p.name),
    }).toEqual({
      name: "tattle",
      version: "2.3.4",
      level: "advisory",
      policies: ["always-violates", "reads-unknowns-carelessly"],
    });
    expect(loadPolicyPack(guardrails).enforcementLevel).toBe("mandatory");
  });
  it("names a directory that is not a pack", () => {
    expect(() => loadPolicyPack(__dirname)).toThrow(PolicyPackLoadError);
    expect(() => loadPolicyPack(__dirname)).toThrow(`--policy-pack ${__dirname}: no PulumiPolicy.yaml in ${__dirname}`);
  });
});

describe("resolvePolicyConfig", () => {
  const pack = () => loadPolicyPack(guardrails);
  it("applies schema defaults and the levels: file entry, then 'all', then the policy's, then the pack's", () => {
    const c = resolvePolicyConfig(pack(), {
      all: "advisory",
      "kms-key-rotation": { enforcementLevel: "mandatory", maxRotationPeriodDays: 180 },
    });
    expect(c.get("kms-key-rotation")).toEqual({
      enforcementLevel: "mandatory",
      properties: { maxRotationPeriodDays: 180 },
    });
    expect(c.get("s3-archive-object-lock")).toEqual({
      enforcementLevel: "advisory",
      properties: { allowedModes: ["COMPLIANCE"], minRetentionDays: 365 },
    });
    expect(resolvePolicyConfig(pack(), {}).get("cloudtrail-data-events")!.enforcementLevel).toBe("advisory");
  });
  it("lists every problem, each naming its key", () => {
    expect(() =>
      resolvePolicyConfig(
        pack(),
        { "no-such-policy": "advisory", "kms-key-rotation": "strict", "scp-limits": { maxPerTarget: 0 } },
        "prod.json",
      ),
    ).toThrow(
      new PolicyConfigError(
        [
          `prod.json: "no-such-policy" is not a policy of guardrails (policies: ${pack()
            .policies.map((p) => p.name)
            .join(", ")})`,
          'prod.json: kms-key-rotation: enforcement level must be one of advisory, mandatory, remediate, disabled (got "strict")',
          "prod.json: scp-limits.maxPerTarget must be >= 1 (got 0)",
        ].join("\n"),
      ),
    );
  });
  it("the shipped dev and prod configs are valid; prod requires COMPLIANCE, dev allows GOVERNANCE", () => {
    const { readPolicyConfigFile } = require("../../harness/policy-config");
    const prod = resolvePolicyConfig(pack(), readPolicyConfigFile(join(guardrails, "config/prod.json")));
    const dev = resolvePolicyConfig(pack(), readPolicyConfigFile(join(guardrails, "config/dev.json")));
    expect(prod.get("s3-archive-object-lock")!.properties.allowedModes).toEqual(["COMPLIANCE"]);
    expect(dev.get("s3-archive-object-lock")!.properties.allowedModes).toEqual(["COMPLIANCE", "GOVERNANCE"]);
  });
});

describe("args as @pulumi/policy 1.21 builds them", () => {
  const provider = res("pulumi:providers:aws", "logs", { region: "us-west-2" });
  const key = res(
    "aws:kms/key:Key",
    "k",
    { description: "app", enableKeyRotation: undefined, tags: { a: "1" } },
    { protect: true, provider: provider.urn },
  );
  const ctx = {
    stackTags: new Map(),
    getConfig: () => ({ x: 1 }),
    providers: new Map([[provider.urn, provider]]),
    unknowns: { k: ["description"] },
  };

  it("resource args: the same fields, absent values dropped, unknowns behind the proxy", () => {
    const a = resourceArgs(key, ctx);
    expect(Object.keys(a).sort()).toEqual([
      "asType",
      "getConfig",
      "isType",
      "name",
      "notApplicable",
      "opts",
      "props",
      "provider",
      "stackTags",
      "type",
      "urn",
    ]);
    expect(a.opts).toEqual({
      protect: true,
      ignoreChanges: [],
      aliases: [],
      customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
      additionalSecretOutputs: [],
    });
    expect(Object.keys(a.props)).toEqual(["description", "tags"]);
    expect(() => a.props.description).toThrow("string value at .description can't be known during preview");
    expect(a.props.tags.a).toBe("1");
    expect(a.provider!.props.region).toBe("us-west-2");
    expect(a.isType(require("@pulumi/aws").kms.Key)).toBe(true);
    expect(a.isType(require("@pulumi/aws").s3.Bucket)).toBe(false);
    expect(() => a.notApplicable("why")).toThrow("why");
    expect(UNKNOWN_SENTINEL).toBe("04da6b54-80e4-46f7-96ec-b56ff0331ba9");
  });

  it("stack resources: parent, dependencies and property dependencies become object references", () => {
    const bucket = res("aws:s3/bucket:Bucket", "b", { bucket: "x" });
    const ver = res(
      "aws:s3/bucketVersioning:BucketVersioning",
      "v",
      { bucket: "x" },
      { propDeps: { bucket: [bucket.urn] } },
    );
    const [, , v] = stackResources([provider, bucket, ver], { ...ctx, unknowns: {} });
    expect(v.dependencies.map((d) => d.name)).toEqual(["b"]);
    expect(v.propertyDependencies.bucket[0].props.bucket).toBe("x");
  });

  it("a policy that reads an unknown carelessly gets the engine's advisory 'can't run' diagnostic", async () => {
    const pack = loadPolicyPack(tattleDir);
    const r = await runPolicies(pack, programRun([key]), resolvePolicyConfig(pack, {}), {
      unknowns: { k: ["description"] },
    });
    expect(r.violations.map((v) => [v.policyName, v.enforcementLevel, v.message])).toEqual([
      ["always-violates", "mandatory", "Checks nothing; always reports.\nresource k is here"],
      [
        "reads-unknowns-carelessly",
        "advisory",
        "can't run policy 'reads-unknowns-carelessly' from policy pack 'tattle@v2.3.4' during preview: string value at .description can't be known during preview",
      ],
    ]);
  });

  it("no guardrails policy ever gets that diagnostic: every value of the baseline unknown at once", async () => {
    const { baselineStack } = require("../policypacks/baseline-stack");
    const stack = baselineStack();
    const unknowns = Object.fromEntries(stack.map((r: any) => [r.name, Object.keys(r.inputs)]));
    const pack = loadPolicyPack(guardrails);
    const result = await runPolicies(pack, programRun(stack), resolvePolicyConfig(pack, {}), { unknowns });
    expect(result.violations.filter((v) => v.message.startsWith("can't run"))).toEqual([]);
    expect(result.ran).toHaveLength(26);
  });
});
