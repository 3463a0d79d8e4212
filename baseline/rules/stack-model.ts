/**
 * The stack as the stack-level rules see it: plain resources, with references between them
 * resolved by value when known and by the engine's dependency edges when not.
 */
import { bucketArn, parseArn } from "../arns";
import { isUnknown, asRecord, asList } from "./values";

export interface StackResource {
  urn: string;
  type: string;
  name: string;
  props: Record<string, unknown>;
  protect: boolean;
  parent?: string;
  provider?: { urn: string; name: string; props: Record<string, unknown> };
  dependencies: string[];
  propertyDependencies: Record<string, string[]>;
}

export function ofType(resources: StackResource[], types: readonly string[]): StackResource[] {
  return resources.filter((r) => types.includes(r.type));
}

/**
 * The resource that `from.props[prop]` refers to. A known value is matched against `identity` of
 * each candidate; an unknown one is resolved through the engine's property dependencies (or, when
 * the engine gave none, the only candidate among the resource's dependencies).
 */
export function resolveRef(
  from: StackResource,
  prop: string,
  candidates: StackResource[],
  identity: (r: StackResource) => unknown[],
): StackResource | undefined {
  const v = from.props[prop];
  if (v === undefined || v === null) return undefined;
  if (!isUnknown(v))
    return candidates.find((c) => identity(c).some((id) => id !== undefined && !isUnknown(id) && id === v));
  const byProp = from.propertyDependencies[prop];
  const pool = byProp && byProp.length > 0 ? byProp : from.dependencies;
  const hits = candidates.filter((c) => pool.includes(c.urn));
  return hits.length === 1 ? hits[0] : undefined;
}

export const BUCKET_TYPES = ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"] as const;

/** A bucket is named by its `bucket` (name) or id output; ARNs are accepted where AWS accepts them. */
export function bucketIdentity(r: StackResource): unknown[] {
  const name = r.props.bucket;
  return [name, r.props.id, r.props.arn, typeof name === "string" ? bucketArn(name) : undefined];
}

/** The id of a resource as the engine reports it, else the last ARN segment (Organizations ids end their ARNs). */
export function idOf(r: StackResource): unknown {
  if (r.props.id !== undefined) return r.props.id;
  const arn = r.props.arn;
  return typeof arn === "string" ? arn.slice(arn.lastIndexOf("/") + 1) : arn;
}

/** The account a resource is deployed to, as its explicit provider declares it ("default" otherwise). */
export function accountOf(r: StackResource): string {
  const p = r.provider?.props ?? {};
  const parse = (v: unknown) => (typeof v === "string" && v.startsWith("[") ? JSON.parse(v) : v);
  const allowed = asList(parse(p.allowedAccountIds));
  if (typeof allowed[0] === "string") return allowed[0];
  const role = asRecord(asList(parse(p.assumeRoles))[0])?.roleArn;
  if (typeof role === "string") return parseArn(role)?.account ?? "default";
  return "default";
}

/** Region: the resource's own `region` input (v7), else its provider's, else "default". */
export function regionOf(r: StackResource): string {
  const own = r.props.region;
  if (typeof own === "string") return own;
  const p = r.provider?.props.region;
  return typeof p === "string" ? p : "default";
}

export function label(r: StackResource): string {
  return `${r.type.split(":").pop()} "${r.name}"`;
}
