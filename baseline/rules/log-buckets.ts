/**
 * Which buckets are log buckets, and which sub-resources configure them. In @pulumi/aws v7 a
 * bucket's settings are separate resources (BucketVersioning, BucketLogging, ...); the old V2
 * names are aliases of the same resources and are matched too, as are the deprecated inline
 * arguments of aws.s3.Bucket.
 */
import { asList, asRecord } from "./values";
import { BUCKET_TYPES, bucketIdentity, ofType, resolveRef, StackResource } from "./stack-model";
import { TRAIL_TYPE } from "./cloudtrail";
import { evaluate, scanTemplates, templateResources, Unresolved, where } from "./cfn-templates";

export const S3_PART_TYPES = {
  versioning: ["aws:s3/bucketVersioning:BucketVersioning", "aws:s3/bucketVersioningV2:BucketVersioningV2"],
  logging: ["aws:s3/bucketLogging:BucketLogging", "aws:s3/bucketLoggingV2:BucketLoggingV2"],
  encryption: [
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
  ],
  objectLock: [
    "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
    "aws:s3/bucketObjectLockConfigurationV2:BucketObjectLockConfigurationV2",
  ],
  publicAccessBlock: ["aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"],
  policy: ["aws:s3/bucketPolicy:BucketPolicy"],
} as const;

export const DELIVERY_CHANNEL_TYPE = "aws:cfg/deliveryChannel:DeliveryChannel";
export const CFN_DELIVERY_CHANNEL = "AWS::Config::DeliveryChannel";

export type LogBucketRole = "trail archive" | "config delivery" | "access log" | "named log bucket";

export interface LogBucket {
  bucket: StackResource;
  roles: LogBucketRole[];
}

export function bucketsOf(resources: StackResource[]): StackResource[] {
  return ofType(resources, BUCKET_TYPES);
}

/** Sub-resources of one kind that configure `bucket`. */
export function partsOf(
  resources: StackResource[],
  bucket: StackResource,
  kind: keyof typeof S3_PART_TYPES,
): StackResource[] {
  const buckets = bucketsOf(resources);
  return ofType(resources, S3_PART_TYPES[kind]).filter(
    (p) => resolveRef(p, "bucket", buckets, bucketIdentity) === bucket,
  );
}

/**
 * Log buckets: where a trail delivers, where a Config delivery channel delivers, where a log
 * bucket's server access logs go, and any bucket whose name matches a configured pattern.
 */
export function findLogBuckets(resources: StackResource[], namePatterns: string[] = []): LogBucket[] {
  const buckets = bucketsOf(resources);
  const roles = new Map<StackResource, Set<LogBucketRole>>();
  const add = (b: StackResource | undefined, role: LogBucketRole) => {
    if (b) roles.set(b, (roles.get(b) ?? new Set()).add(role));
  };
  for (const t of ofType(resources, [TRAIL_TYPE]))
    add(resolveRef(t, "s3BucketName", buckets, bucketIdentity), "trail archive");
  for (const c of ofType(resources, [DELIVERY_CHANNEL_TYPE]))
    add(resolveRef(c, "s3BucketName", buckets, bucketIdentity), "config delivery");
  for (const name of templateChannelBuckets(resources).names)
    add(
      buckets.find((b) => bucketIdentity(b).includes(name)),
      "config delivery",
    );
  for (const b of buckets) {
    const name = b.props.bucket;
    if (typeof name === "string" && namePatterns.some((p) => new RegExp(p).test(name))) add(b, "named log bucket");
  }
  for (const b of [...roles.keys()]) {
    for (const target of accessLogTargets(resources, b)) add(target, "access log");
  }
  return [...roles.entries()].map(([bucket, r]) => ({ bucket, roles: [...r] }));
}

/** The buckets `bucket` sends its server access logs to (BucketLogging, or the deprecated inline `logging`). */
export function accessLogTargets(resources: StackResource[], bucket: StackResource): StackResource[] {
  const buckets = bucketsOf(resources);
  const out = partsOf(resources, bucket, "logging").map((l) => resolveRef(l, "targetBucket", buckets, bucketIdentity));
  const inline = asRecord(bucket.props.logging);
  if (inline && typeof inline.targetBucket === "string")
    out.push(buckets.find((c) => bucketIdentity(c).includes(inline.targetBucket)));
  return out.filter((b): b is StackResource => b !== undefined);
}

/** Whether a bucket has access logging at all (a target may be outside the stack). */
export function hasAccessLogging(resources: StackResource[], bucket: StackResource): boolean {
  return (
    partsOf(resources, bucket, "logging").length > 0 ||
    asRecord(bucket.props.logging)?.targetBucket !== undefined ||
    asList(bucket.props.loggings).length > 0
  );
}

export function bucketLabel(b: StackResource): string {
  const name = b.props.bucket;
  return typeof name === "string" ? `bucket "${b.name}" (${name})` : `bucket "${b.name}"`;
}

/** Bucket names the Config delivery channels inside CloudFormation templates deliver to, and what could not be read. */
function templateChannelBuckets(resources: StackResource[]): { names: string[]; gaps: string[] } {
  const scan = scanTemplates(resources);
  const names = new Set<string>();
  const gaps: string[] = [];
  for (const ch of templateResources(scan, CFN_DELIVERY_CHANNEL)) {
    for (const region of ch.template.regions ?? [undefined]) {
      const v = evaluate(ch.properties.S3BucketName, ch.template, region);
      if (v instanceof Unresolved)
        gaps.push(
          `the S3BucketName of ${where(ch)} cannot be resolved at preview (${v.reason}), so its bucket is not judged`,
        );
      else if (typeof v === "string") names.add(v);
      else gaps.push(`${where(ch)} has no S3BucketName`);
    }
  }
  return {
    names: [...names],
    gaps: [
      ...new Set([
        ...scan.unreadable.map((u) => `${u}; a Config delivery channel inside it would not be judged`),
        ...gaps,
      ]),
    ],
  };
}

function nameOf(v: unknown): string {
  return typeof v === "string" ? `"${v}"` : v === undefined ? "(none)" : "(unknown at preview)";
}

/**
 * Log buckets that are referred to but cannot be judged here: a trail's or a delivery channel's
 * bucket that this stack does not manage (or whose unknown name cannot be traced), and templates
 * that cannot be read. The policies report these as not applicable rather than pass silently.
 */
export function logBucketGaps(resources: StackResource[]): { trail: string[]; config: string[] } {
  const buckets = bucketsOf(resources);
  const trail = ofType(resources, [TRAIL_TYPE])
    .filter((t) => resolveRef(t, "s3BucketName", buckets, bucketIdentity) === undefined)
    .map(
      (t) =>
        `the bucket ${nameOf(t.props.s3BucketName)} of Trail "${t.name}" is not managed by this stack (or cannot be traced at preview), so it is not judged here`,
    );
  const channels = ofType(resources, [DELIVERY_CHANNEL_TYPE])
    .filter((c) => resolveRef(c, "s3BucketName", buckets, bucketIdentity) === undefined)
    .map(
      (c) =>
        `the bucket ${nameOf(c.props.s3BucketName)} of DeliveryChannel "${c.name}" is not managed by this stack (or cannot be traced at preview), so it is not judged here`,
    );
  const t = templateChannelBuckets(resources);
  const missing = t.names
    .filter((n) => !buckets.some((b) => bucketIdentity(b).includes(n)))
    .map(
      (n) =>
        `the Config bucket "${n}" named by a delivery channel in a CloudFormation template is not managed by this stack, so it is not judged here`,
    );
  return { trail, config: [...channels, ...t.gaps, ...missing] };
}
