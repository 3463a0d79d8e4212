/** Builders for policy tests: captured resources as run-program records them, and a one-policy runner. */
import { join } from "node:path";
import type { CapturedResource, ProgramRun } from "../../harness/run-program";
import { loadPolicyPack } from "../../harness/policy-pack";
import { resolvePolicyConfig } from "../../harness/policy-config";
import { PolicyViolation, runPolicies } from "../../harness/policy-runner";

export const PACK_DIR = join(__dirname, "../../policypacks/guardrails");

export type Res = CapturedResource;

export interface ResOpts {
  outputs?: Record<string, unknown>;
  protect?: boolean;
  provider?: string;
  deps?: string[];
  propDeps?: Record<string, string[]>;
}

export function urnOf(type: string, name: string): string {
  return `urn:pulumi:test::fixture::${type}::${name}`;
}

export function res(type: string, name: string, inputs: Record<string, unknown>, o: ResOpts = {}): Res {
  const propDeps = o.propDeps ?? {};
  return {
    urn: urnOf(type, name),
    type,
    name,
    custom: true,
    inputs,
    outputs: { ...inputs, ...(o.outputs ?? {}) },
    protect: o.protect ?? false,
    ignoreChanges: [],
    dependencies: o.deps ?? [...new Set(Object.values(propDeps).flat())],
    deleteBeforeReplace: false,
    retainOnDelete: false,
    additionalSecretOutputs: [],
    replaceOnChanges: [],
    provider: o.provider,
    propertyDependencies: propDeps,
  };
}

export function programRun(resources: Res[], stack = "test"): ProgramRun {
  return { project: "fixture", stack, resources, outputs: {}, unmockedCalls: [] };
}

export interface Checked {
  /** What the policy reported (the part after the description line), in order. */
  messages: string[];
  violations: PolicyViolation[];
  /** Not-applicable reasons other than "only applies to type …". */
  notApplicable: string[];
}

/** Runs one policy of the guardrails pack over the resources, with an optional policy config entry. */
export async function check(
  policy: string,
  resources: Res[],
  o: { config?: unknown; unknowns?: Record<string, string[]>; stack?: string } = {},
): Promise<Checked> {
  const pack = loadPolicyPack(PACK_DIR);
  const only = { ...pack, policies: pack.policies.filter((p) => p.name === policy) };
  if (only.policies.length !== 1) throw new Error(`no policy ${policy}`);
  const config = resolvePolicyConfig(only, o.config === undefined ? {} : { [policy]: o.config });
  const r = await runPolicies(only, programRun(resources, o.stack), config, { unknowns: o.unknowns });
  return {
    messages: r.violations.map((v) => v.message.split("\n").slice(1).join("\n") || v.message),
    violations: r.violations,
    notApplicable: r.notApplicable
      .filter((n) => !/^Policy only applies to/.test(n.reason ?? ""))
      .map((n) => n.reason ?? ""),
  };
}
