import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { join } from "node:path";
import { loadPolicyPack } from "../../harness/policy-pack";
import { resolvePolicyConfig } from "../../harness/policy-config";
import { runPolicies } from "../../harness/policy-runner";
import { toAnalyzerValue, withUnknowns } from "../../harness/policy-args";
import { baselineStack, mutate, without } from "../policypacks/baseline-stack";
import { programRun, Res } from "../policypacks/helpers";
import { runProgram } from "../../harness/run-program";
import { loadStackConfig } from "../../harness/stack-config";
import { FirstPreviewMocks } from "../../harness/policy-mocks";
import {
  analyzeRequest,
  analyzeStackRequest,
  call,
  configureRequest,
  diagnostics,
  RealAnalyzer,
  startRealAnalyzer,
} from "./real-analyzer";

const PACK = join(__dirname, "../../policypacks/guardrails");

/** A stack with violations of resource and stack policies, and unknowns, so both sides have something to say. */
function weakened(): Res[] {
  let s = baselineStack();
  s = mutate(s, "org-trail", (i) => ({ ...i, enableLogFileValidation: false, advancedEventSelectors: [] }));
  s = mutate(s, "log-key", (i) => ({ ...i, enableKeyRotation: false, deletionWindowInDays: 7 }));
  s = mutate(s, "archive-object-lock", (i) => ({ ...i, rule: { defaultRetention: { mode: "GOVERNANCE", days: 30 } } }));
  s = without(s, "logging-scp-attachment");
  return s;
}
const UNKNOWNS = { "trail-log-group": ["retentionInDays"], "archive-policy": ["policy"] };
const CONFIG = { "kms-key-policy-safety": { minDeletionWindowDays: 14 }, "cloudtrail-data-events": "mandatory" };

let real: RealAnalyzer;

beforeAll(async () => {
  real = await startRealAnalyzer(PACK);
});
afterAll(() => real?.close());

describe("the guardrails pack under Pulumi's own policy-pack runner (as `pulumi preview --policy-pack`)", () => {
  it("loads as TypeScript and serves all 26 policies with their metadata", async () => {
    const info: any = await call(
      real.client,
      "getAnalyzerInfo",
      new (require("google-protobuf/google/protobuf/empty_pb").Empty)(),
    );
    expect(info.getName()).toBe("guardrails");
    expect(info.getVersion()).toBe("0.1.0");
    const policies = info.getPoliciesList();
    expect(policies).toHaveLength(26);
    const scp = policies.find((p: any) => p.getName() === "scp-protects-cloudtrail");
    expect(scp.getSeverity()).toBe(4); // critical
    const trail = policies.find((p: any) => p.getName() === "cloudtrail-log-file-validation");
    expect(trail.getFramework().getReference()).toBe("3.2");
  });

  it("reaches the same verdicts as the in-process harness, resource by resource and for the stack", async () => {
    const pack = loadPolicyPack(PACK);
    const config = resolvePolicyConfig(pack, CONFIG);
    await call(real.client, "configure", configureRequest(config));
    const resources = weakened();
    const props = (r: Res, v: Record<string, unknown>) =>
      toAnalyzerValue(withUnknowns(v, (UNKNOWNS as Record<string, string[]>)[r.name])) as Record<string, unknown>;
    const got = [];
    for (const r of resources) {
      const ds = diagnostics(
        await call(
          real.client,
          "analyze",
          analyzeRequest({ type: r.type, urn: r.urn, name: r.name, props: props(r, r.inputs), protect: r.protect }),
        ),
      );
      // The server leaves a resource diagnostic's URN empty; the engine attributes it to the analyzed resource.
      got.push(...ds.map((d) => ({ ...d, urn: d.urn || r.urn })));
    }
    const stackReq = analyzeStackRequest(
      resources.map((r) => ({
        type: r.type,
        urn: r.urn,
        name: r.name,
        props: props(r, r.outputs),
        protect: r.protect,
        dependencies: r.dependencies,
        propertyDependencies: r.propertyDependencies,
      })),
    );
    got.push(...diagnostics(await call(real.client, "analyzeStack", stackReq)));

    const mine = await runPolicies(pack, programRun(resources), config, { unknowns: UNKNOWNS });
    const norm = (d: { policyName: string; urn?: string; level: string; message: string }) =>
      `${d.level} ${d.policyName} ${d.urn ?? ""} ${d.message}`;
    const expected = mine.violations.map((v) => norm({ ...v, level: v.enforcementLevel })).sort();
    expect(got.map(norm).sort()).toEqual(expected);
    expect(expected.length).toBe(9);
    expect(mine.violations.map((v) => v.policyName).sort()).toEqual([
      "cloudtrail-data-events",
      "cloudtrail-data-events",
      "cloudtrail-log-file-validation",
      "cloudwatch-log-group-retention",
      "kms-key-policy-safety",
      "kms-key-rotation",
      "s3-archive-object-lock",
      "s3-archive-object-lock",
      "scp-protects-cloudtrail",
    ]);
  });

  it("agrees on a program at a first preview (unknown ids, links through property dependencies)", async () => {
    const dir = join(__dirname, "../policypacks/fixtures/mini-baseline");
    const c = loadStackConfig(dir, "dev");
    const run = await runProgram({
      program: dir,
      stack: "dev",
      config: { ...c.config, "mini-baseline:mutation": "detach-scp" },
      mocks: new FirstPreviewMocks(),
    });
    const pack = loadPolicyPack(PACK);
    const config = resolvePolicyConfig(pack, {});
    await call(real.client, "configure", configureRequest(config));
    const got = [];
    for (const r of run.resources) {
      const ds = diagnostics(
        await call(
          real.client,
          "analyze",
          analyzeRequest({
            type: r.type,
            urn: r.urn,
            name: r.name,
            props: toAnalyzerValue(r.inputs) as Record<string, unknown>,
            protect: r.protect,
            parent: r.parent,
          }),
        ),
      );
      got.push(...ds.map((d) => ({ ...d, urn: d.urn || r.urn })));
    }
    const stackReq = analyzeStackRequest(
      run.resources.map((r) => ({
        type: r.type,
        urn: r.urn,
        name: r.name,
        props: toAnalyzerValue(r.outputs) as Record<string, unknown>,
        protect: r.protect,
        dependencies: r.dependencies,
        propertyDependencies: r.propertyDependencies,
      })),
    );
    got.push(...diagnostics(await call(real.client, "analyzeStack", stackReq)));
    const mine = await runPolicies(pack, run, config);
    const norm = (d: { policyName: string; urn?: string; level: string; message: string }) =>
      `${d.level} ${d.policyName} ${d.urn ?? ""} ${d.message}`;
    expect(got.map(norm).sort()).toEqual(mine.violations.map((v) => norm({ ...v, level: v.enforcementLevel })).sort());
    expect(mine.violations.map((v) => v.policyName)).toEqual(["scp-protects-cloudtrail"]);
    expect(Object.keys(run.resources.find((r) => r.name === "archive-versioning")!.propertyDependencies)).toContain(
      "bucket",
    );
  });
});
