/** Rules for the log buckets (CIS 3.6 access logging, 2.1.1 TLS, 2.1.4 public access; Object Lock per the baseline). */
import { asList, asRecord, containsUnknown, isUnknown, parseDocument, setting, StackVerdict, StackViolation } from "./values";
import { StackResource } from "./stack-model";
import { accessLogTargets, bucketLabel, findLogBuckets, hasAccessLogging, LogBucket, logBucketGaps, partsOf } from "./log-buckets";
import { isAwsManagedKeyRef } from "./cloudtrail";
import { effectiveRetentionDays } from "./object-lock";

type Check = (resources: StackResource[], lb: LogBucket) => { messages: string[]; unknownDoc?: string };

function perLogBucket(resources: StackResource[], patterns: string[], check: Check): StackVerdict {
  const violations: StackViolation[] = [];
  const unknownDocs: string[] = [];
  for (const lb of findLogBuckets(resources, patterns)) {
    const r = check(resources, lb);
    for (const m of r.messages) violations.push({ urn: lb.bucket.urn, message: `${bucketLabel(lb.bucket)} (${lb.roles.join(", ")}): ${m}` });
    if (r.unknownDoc) unknownDocs.push(r.unknownDoc);
  }
  return withGaps({ violations }, [...unknownDocs, ...Object.values(logBucketGaps(resources)).flat()]);
}

function withGaps(v: StackVerdict, gaps: string[]): StackVerdict {
  return gaps.length ? { ...v, notApplicable: gaps.join("; ") } : v;
}

/** Policy 6: the trail's archive bucket logs its own server access. */
export function trailBucketAccessLogging(resources: StackResource[]): StackVerdict {
  const violations: StackViolation[] = [];
  for (const lb of findLogBuckets(resources).filter((l) => l.roles.includes("trail archive"))) {
    if (!hasAccessLogging(resources, lb.bucket)) {
      violations.push({ urn: lb.bucket.urn, message: `${bucketLabel(lb.bucket)}: add an aws.s3.BucketLogging that sends the trail bucket's server access logs to a separate access-log bucket` });
    } else if (accessLogTargets(resources, lb.bucket).includes(lb.bucket)) {
      violations.push({ urn: lb.bucket.urn, message: `${bucketLabel(lb.bucket)}: send server access logs to a separate bucket, not to the trail bucket itself` });
    }
  }
  return withGaps({ violations }, logBucketGaps(resources).trail);
}

export interface ObjectLockConfig {
  allowedModes: string[];
  minRetentionDays: number;
}

/** Policy 7: the trail archive has Object Lock at creation, a default retention in an allowed mode, long enough. */
export function archiveObjectLock(resources: StackResource[], cfg: ObjectLockConfig): StackVerdict {
  const violations: StackViolation[] = [];
  for (const lb of findLogBuckets(resources).filter((l) => l.roles.includes("trail archive"))) {
    const b = lb.bucket;
    const say = (m: string) => violations.push({ urn: b.urn, message: `${bucketLabel(b)}: ${m}` });
    const enabled = b.props.objectLockEnabled;
    if (isUnknown(enabled)) say(setting("objectLockEnabled"));
    else if (enabled !== true) say("set objectLockEnabled: true on the bucket; Object Lock can only be switched on when the bucket is created");
    const inline = asRecord(b.props.objectLockConfiguration);
    const rules = [...partsOf(resources, b, "objectLock").map((p) => p.props.rule), ...(inline ? [inline.rule] : [])];
    const retention = rules.map((r) => (isUnknown(r) ? r : asRecord(asRecord(r)?.defaultRetention))).find((r) => r !== undefined);
    if (retention === undefined) {
      say(`add an aws.s3.BucketObjectLockConfiguration with a default retention (mode ${cfg.allowedModes.join(" or ")}, at least ${cfg.minRetentionDays} days)`);
      continue;
    }
    if (isUnknown(retention)) {
      say(setting("the default retention"));
      continue;
    }
    const mode = retention.mode;
    if (isUnknown(mode)) say(setting("defaultRetention.mode"));
    else if (typeof mode !== "string" || !cfg.allowedModes.includes(mode)) say(`set the default retention mode to ${cfg.allowedModes.join(" or ")} (it is ${mode ?? "unset"})`);
    const days = retention.days;
    const years = retention.years;
    if (isUnknown(days) || isUnknown(years)) say(setting("defaultRetention.days"));
    else {
      const effective = effectiveRetentionDays({ days: typeof days === "number" ? days : undefined, years: typeof years === "number" ? years : undefined }) ?? 0;
      if (effective < cfg.minRetentionDays) say(`raise the default retention to at least ${cfg.minRetentionDays} days (it is ${effective})`);
    }
  }
  return withGaps({ violations }, logBucketGaps(resources).trail);
}

/** Policy 8. */
export function logBucketVersioning(resources: StackResource[], patterns: string[] = []): StackVerdict {
  return perLogBucket(resources, patterns, (res, lb) => {
    const statuses = partsOf(res, lb.bucket, "versioning").map((v) => {
      const c = v.props.versioningConfiguration;
      return isUnknown(c) ? c : asRecord(c)?.status;
    });
    const inline = asRecord(lb.bucket.props.versioning);
    if (inline) statuses.push(inline.enabled === true ? "Enabled" : inline.enabled);
    if (statuses.some((s) => s === "Enabled")) return { messages: [] };
    if (statuses.some(isUnknown)) return { messages: [setting("versioningConfiguration.status")] };
    return { messages: ["add an aws.s3.BucketVersioning with versioningConfiguration.status \"Enabled\""] };
  });
}

export interface EncryptionConfig {
  allowSseS3ForAccessLogBuckets: boolean;
  logBucketNamePatterns: string[];
}

/** Policy 9: SSE-KMS with a customer key; SSE-S3 only on a bucket that is nothing but an access-log bucket. */
export function logBucketEncryption(resources: StackResource[], cfg: EncryptionConfig): StackVerdict {
  return perLogBucket(resources, cfg.logBucketNamePatterns, (res, lb) => {
    const rules = partsOf(res, lb.bucket, "encryption").flatMap((e) => (isUnknown(e.props.rules) ? [e.props.rules] : asList(e.props.rules)));
    const inline = asRecord(lb.bucket.props.serverSideEncryptionConfiguration);
    if (inline) rules.push(inline.rule);
    const defaults = rules.map((r) => (isUnknown(r) ? r : asRecord(r)?.applyServerSideEncryptionByDefault)).filter((d) => d !== undefined);
    const accessLogOnly = lb.roles.every((r) => r === "access log");
    if (defaults.length === 0) return { messages: [`add an aws.s3.BucketServerSideEncryptionConfiguration with sseAlgorithm "aws:kms" and a customer managed kmsMasterKeyId`] };
    for (const d of defaults) {
      if (isUnknown(d) || isUnknown(asRecord(d)?.sseAlgorithm)) return { messages: [setting("sseAlgorithm")] };
      const { sseAlgorithm, kmsMasterKeyId } = asRecord(d)!;
      if (sseAlgorithm === "AES256" && accessLogOnly && cfg.allowSseS3ForAccessLogBuckets) continue;
      if (sseAlgorithm !== "aws:kms" && sseAlgorithm !== "aws:kms:dsse") {
        const why = accessLogOnly ? "" : " (SSE-S3 is allowed only on a bucket that receives nothing but server access logs)";
        return { messages: [`use sseAlgorithm "aws:kms" with a customer managed key instead of "${String(sseAlgorithm)}"${why}`] };
      }
      if (isUnknown(kmsMasterKeyId)) continue;
      if (typeof kmsMasterKeyId !== "string" || kmsMasterKeyId === "") return { messages: ["set kmsMasterKeyId to a customer managed KMS key; without it S3 uses the AWS managed aws/s3 key"] };
      if (isAwsManagedKeyRef(kmsMasterKeyId)) return { messages: [`kmsMasterKeyId ${kmsMasterKeyId} is an AWS managed key; use a customer managed KMS key`] };
    }
    return { messages: [] };
  });
}

const PAB_FLAGS = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"] as const;

/** A Deny on every principal when aws:SecureTransport is false, covering the bucket's objects. */
export function deniesInsecureTransport(doc: Record<string, unknown>): boolean {
  return asList(doc.Statement ?? []).concat(asRecord(doc.Statement) ? [doc.Statement] : []).some((s) => {
    const st = asRecord(s) ?? {};
    if (st.Effect !== "Deny") return false;
    const p = st.Principal;
    const everyone = p === "*" || (asRecord(p) && [asRecord(p)!.AWS].flat().includes("*"));
    const actions = [st.Action].flat().map((a) => String(a).toLowerCase());
    const allS3 = actions.includes("s3:*") || actions.includes("*");
    const cond = asRecord(asRecord(st.Condition)?.Bool) ?? {};
    const key = Object.keys(cond).find((k) => k.toLowerCase() === "aws:securetransport");
    const v = key ? [cond[key]].flat().map(String) : [];
    return Boolean(everyone) && allS3 && v.length === 1 && v[0] === "false";
  });
}

/** Policy 10: public access block with all four flags, and a bucket policy refusing plain HTTP. */
export function logBucketPublicAccessAndTls(resources: StackResource[], patterns: string[] = []): StackVerdict {
  return perLogBucket(resources, patterns, (res, lb) => {
    const messages: string[] = [];
    const pabs = partsOf(res, lb.bucket, "publicAccessBlock");
    if (pabs.length === 0) messages.push(`add an aws.s3.BucketPublicAccessBlock with ${PAB_FLAGS.join(", ")} all true`);
    for (const pab of pabs) {
      const unknown = PAB_FLAGS.filter((f) => isUnknown(pab.props[f]));
      const off = PAB_FLAGS.filter((f) => !isUnknown(pab.props[f]) && pab.props[f] !== true);
      if (unknown.length) messages.push(setting(unknown.join(", ")));
      if (off.length) messages.push(`set ${off.join(", ")} to true on the public access block`);
    }
    const policies = partsOf(res, lb.bucket, "policy").map((p) => p.props.policy);
    if (typeof lb.bucket.props.policy === "string") policies.push(lb.bucket.props.policy);
    if (policies.some((p) => containsUnknown(p))) {
      return { messages, unknownDoc: `the policy of ${bucketLabel(lb.bucket)} is unknown at preview; its aws:SecureTransport deny is checked at update` };
    }
    const docs = policies.map(parseDocument);
    if (!docs.some((d) => d.doc && deniesInsecureTransport(d.doc))) {
      messages.push(`add a bucket policy statement that denies s3:* to every principal when aws:SecureTransport is "false"`);
    }
    return { messages };
  });
}
