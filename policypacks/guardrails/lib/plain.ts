/**
 * Turns what @pulumi/policy hands a policy (props behind `unknownCheckingProxy`, resources linked
 * by object references) into the plain values the baseline rules read. An unknown value becomes
 * the UNKNOWN marker instead of an exception, so every rule decides deliberately what unknown means.
 */
import { PolicyResource, UnknownValueError } from "@pulumi/policy";
import { StackResource, UNKNOWN } from "../../../baseline/rules";

function read(obj: any, key: string | number): unknown {
  try {
    return obj[key];
  } catch (e) {
    if (e instanceof UnknownValueError) return UNKNOWN;
    throw e;
  }
}

export function toPlain(v: unknown): unknown {
  if (v === null || typeof v !== "object") return v;
  if (Array.isArray(v)) return Array.from({ length: v.length }, (_, i) => toPlain(read(v, i)));
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) out[k] = toPlain(read(v, k));
  return out;
}

export function plainProps(props: Record<string, any>): Record<string, unknown> {
  return toPlain(props) as Record<string, unknown>;
}

export function toStackResources(resources: PolicyResource[]): StackResource[] {
  return resources.map((r) => ({
    urn: r.urn,
    type: r.type,
    name: r.name,
    props: plainProps(r.props),
    protect: r.opts.protect === true,
    parent: r.parent?.urn,
    provider: r.provider
      ? { urn: r.provider.urn, name: r.provider.name, props: plainProps(r.provider.props) }
      : undefined,
    dependencies: r.dependencies.map((d) => d.urn),
    propertyDependencies: Object.fromEntries(
      Object.entries(r.propertyDependencies).map(([k, v]) => [k, v.map((d) => d.urn)]),
    ),
  }));
}
