/** Builds @pulumi/policy policies from baseline rules, with the pack's metadata conventions. */
import type {
  EnforcementLevel,
  PolicyComplianceFramework,
  PolicyConfigSchema,
  ResourceValidationPolicy,
  Severity,
  StackValidationPolicy,
} from "@pulumi/policy";
import type { ResourceVerdict, StackResource, StackVerdict } from "../../../baseline/rules";
import { plainProps, toStackResources } from "./plain";
import { exempt } from "./exemptions";

/** Marks the validate functions built here, which apply the exemptions (a registered symbol: tests load the pack separately). */
export const APPLIES_EXEMPTIONS = Symbol.for("orgwarden.appliesExemptions");

export interface PolicyMeta {
  name: string;
  description: string;
  severity: Severity;
  framework?: PolicyComplianceFramework;
  remediationSteps: string;
  enforcementLevel: EnforcementLevel;
  configSchema?: PolicyConfigSchema;
  /** Ids of the baseline/controls the policy judges through (empty when no control covers its subject); a test records the calls. */
  controls: string[];
}

/** A CIS AWS Foundations Benchmark reference. */
export function cis(version: string, reference: string, specification: string): PolicyComplianceFramework {
  return { name: "CIS AWS Foundations Benchmark", version, reference, specification };
}

/** The engine fills schema defaults before configuring the pack; applied here too so a policy never runs without them. */
export function withDefaults<C>(schema: PolicyConfigSchema | undefined, given: object): C {
  const defaults = Object.fromEntries(
    Object.entries(schema?.properties ?? {})
      .filter(([, s]) => s.default !== undefined)
      .map(([k, s]) => [k, s.default]),
  );
  return { ...defaults, ...given } as C;
}

export interface ResourceInput {
  type: string;
  name: string;
  urn: string;
  props: Record<string, unknown>;
  protect: boolean;
}

/**
 * A policy judging one resource at a time. `types` are the resource types it applies to, or a
 * function of the policy's config when the config chooses them. Every violation goes through the
 * pack's exemptions (lib/exemptions.ts) before it is reported.
 */
export function resourcePolicy<C = Record<string, never>>(
  meta: PolicyMeta,
  types: readonly string[] | ((cfg: C) => readonly string[]),
  check: (r: ResourceInput, cfg: C) => ResourceVerdict,
): ResourceValidationPolicy {
  const validate: any = (args: any, report: (m: string) => void) => {
    const cfg = withDefaults<C>(meta.configSchema, args.getConfig());
    const applies = typeof types === "function" ? types(cfg) : types;
    if (!applies.includes(args.type))
      return args.notApplicable(`Policy only applies to resources of type ${applies.map((t) => `'${t}'`).join(", ")}`);
    const v = check(
      {
        type: args.type,
        name: args.name,
        urn: args.urn,
        props: plainProps(args.props),
        protect: args.opts.protect === true,
      },
      cfg,
    );
    for (const m of exempt(meta.name, args.urn, args.name, v.violations)) report(m);
    if (v.notApplicable) args.notApplicable(v.notApplicable);
  };
  // Same fast path as validateResourceOfType: the engine skips other types without calling us.
  if (typeof types !== "function" && types.length === 1) validate.__pulumiType = types[0];
  validate[APPLIES_EXEMPTIONS] = true;
  return { ...meta, validateResource: validate };
}

export function stackPolicy<C = Record<string, never>>(
  meta: PolicyMeta,
  check: (resources: StackResource[], cfg: C) => StackVerdict | Promise<StackVerdict>,
): StackValidationPolicy {
  const validateStack: StackValidationPolicy["validateStack"] = async (args, report) => {
    const cfg = withDefaults<C>(meta.configSchema, args.getConfig());
    const resources = toStackResources(args.resources);
    const v = await check(resources, cfg);
    const nameOf = new Map(resources.map((r) => [r.urn, r.name]));
    // In the policy's own order: each violation is exempted as its resource's would be in a resource policy.
    for (const x of v.violations)
      for (const m of exempt(meta.name, x.urn, x.urn ? nameOf.get(x.urn) : undefined, [x.message])) report(m, x.urn);
    if (v.notApplicable) args.notApplicable(v.notApplicable);
  };
  Object.assign(validateStack, { [APPLIES_EXEMPTIONS]: true });
  return { ...meta, validateStack };
}
