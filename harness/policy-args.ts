/**
 * Builds the arguments @pulumi/policy 1.21's analyzer server (server.js) hands a policy, from a
 * captured program run: props deserialized (secrets unwrapped, absent values dropped), unknowns
 * as the engine marshals them (the string sentinel) behind `unknownCheckingProxy`, options with
 * the same fields, provider info, and for stack policies resources linked by object reference.
 */
import type { PolicyResource, PolicyResourceOptions, ResourceValidationArgs } from "@pulumi/policy";
import { unknownCheckingProxy } from "@pulumi/policy";
import type { CapturedResource } from "./run-program";

/** The engine sends every unknown as this sentinel (proxy.js unknownStringValue). */
export const UNKNOWN_SENTINEL: string = require("@pulumi/policy/proxy").unknownStringValue;
const SIG_KEY: string = require("@pulumi/pulumi/runtime/rpc").specialSigKey;
const SECRET_SIG: string = require("@pulumi/pulumi/runtime/rpc").specialSecretSig;

function isPulumiUnknown(v: unknown): boolean {
  const out = require("@pulumi/pulumi/output");
  return typeof out.isUnknown === "function" ? out.isUnknown(v) : false;
}

/** Captured values → what deserializeProperties(…, false) yields in the analyzer. */
export function toAnalyzerValue(v: unknown): unknown {
  if (isPulumiUnknown(v)) return UNKNOWN_SENTINEL;
  if (v === null || typeof v !== "object") return v;
  if (Array.isArray(v)) return v.map(toAnalyzerValue);
  const o = v as Record<string, unknown>;
  if (o[SIG_KEY] === SECRET_SIG) return toAnalyzerValue(o.value);
  if (o[SIG_KEY] !== undefined) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(o)) if (x !== undefined) out[k] = toAnalyzerValue(x);
  return out;
}

/** Marks chosen paths ("kmsKeyId", "rule.defaultRetention.mode", "rules.0") as unknown. */
export function withUnknowns(props: Record<string, unknown>, paths: string[] = []): Record<string, unknown> {
  const copy = structuredClone(props);
  for (const path of paths) {
    const parts = path.split(".");
    let cur: any = copy;
    for (const p of parts.slice(0, -1)) {
      if (cur[p] === undefined || cur[p] === null || typeof cur[p] !== "object") cur[p] = {};
      cur = cur[p];
    }
    cur[parts[parts.length - 1]] = UNKNOWN_SENTINEL;
  }
  return copy;
}

export function optionsOf(r: CapturedResource): PolicyResourceOptions {
  const opts: PolicyResourceOptions = {
    protect: r.protect,
    ignoreChanges: r.ignoreChanges,
    aliases: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: r.additionalSecretOutputs,
  };
  if (r.deleteBeforeReplace) opts.deleteBeforeReplace = true;
  if (r.parent) opts.parent = r.parent;
  return opts;
}

/** server.js isTypeOf: the class's __pulumiType, else its isInstance. */
export function isTypeOf(type: string, resourceClass: any): boolean {
  const t = resourceClass?.__pulumiType;
  if (typeof t === "string" && t.length > 0) return type === t;
  const isInstance = resourceClass?.isInstance;
  return typeof isInstance === "function" && isInstance({ __pulumiType: type }) === true;
}

export class NotApplicable extends Error {
  constructor(readonly reason?: string) {
    super(reason ?? "Policy does not apply");
    this.name = "NotApplicable";
  }
}

export function throwNotApplicable(reason?: string): never {
  throw new NotApplicable(reason);
}

export interface ArgsContext {
  stackTags: ReadonlyMap<string, string>;
  getConfig: () => object;
  providers: Map<string, CapturedResource>;
  /** Extra unknown paths per resource (by name or URN). */
  unknowns?: Record<string, string[]>;
}

function propsOf(r: CapturedResource, values: Record<string, unknown>, ctx: ArgsContext): Record<string, any> {
  const plain = toAnalyzerValue(values) as Record<string, unknown>;
  return unknownCheckingProxy(withUnknowns(plain, ctx.unknowns?.[r.urn] ?? ctx.unknowns?.[r.name]));
}

function providerOf(r: CapturedResource, ctx: ArgsContext) {
  const p = r.provider ? ctx.providers.get(r.provider) : undefined;
  return p
    ? {
        type: p.type,
        props: unknownCheckingProxy(toAnalyzerValue(p.inputs) as Record<string, unknown>),
        urn: p.urn,
        name: p.name,
      }
    : undefined;
}

export function resourceArgs(r: CapturedResource, ctx: ArgsContext): ResourceValidationArgs {
  const props = propsOf(r, r.inputs, ctx);
  const args: ResourceValidationArgs = {
    type: r.type,
    props,
    urn: r.urn,
    name: r.name,
    opts: optionsOf(r),
    stackTags: ctx.stackTags,
    isType: (cls: any) => isTypeOf(r.type, cls),
    asType: ((cls: any) => (isTypeOf(r.type, cls) ? props : undefined)) as ResourceValidationArgs["asType"],
    getConfig: ctx.getConfig as ResourceValidationArgs["getConfig"],
    notApplicable: throwNotApplicable,
  };
  const provider = providerOf(r, ctx);
  if (provider) args.provider = provider;
  return args;
}

/** analyzeStack's resources: props are the resources' outputs; parent/dependencies become object references. */
export function stackResources(list: CapturedResource[], ctx: ArgsContext): PolicyResource[] {
  const made = list.map((r) => {
    const props = propsOf(r, r.outputs, ctx);
    const res: PolicyResource = {
      type: r.type,
      props,
      urn: r.urn,
      name: r.name,
      opts: optionsOf(r),
      dependencies: [],
      propertyDependencies: {},
      isType: (cls: any) => isTypeOf(r.type, cls),
      asType: ((cls: any) => (isTypeOf(r.type, cls) ? props : undefined)) as PolicyResource["asType"],
    };
    const provider = providerOf(r, ctx);
    if (provider) res.provider = provider;
    return res;
  });
  const byUrn = new Map(made.map((m) => [m.urn, m]));
  list.forEach((r, i) => {
    const m = made[i];
    if (r.parent && byUrn.has(r.parent)) m.parent = byUrn.get(r.parent);
    m.dependencies = r.dependencies.map((d) => byUrn.get(d)).filter((d): d is PolicyResource => d !== undefined);
    for (const [k, urns] of Object.entries(r.propertyDependencies)) {
      m.propertyDependencies[k] = urns.map((d) => byUrn.get(d)).filter((d): d is PolicyResource => d !== undefined);
    }
  });
  return made;
}
