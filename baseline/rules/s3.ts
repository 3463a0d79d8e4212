/** Rules for the log buckets (CIS 3.6 access logging, 2.1.1 TLS, 2.1.4 public access; Object Lock per the baseline). */
import {
  asList,
  asRecord,
  containsUnknown,
  isUnknown,
  parseDocument,
  setting,
  StackVerdict,
  StackViolation,
} from "./values";
import { StackResource } from "./stack-model";
import {
  accessLogTargets,
  bucketLabel,
  findLogBuckets,
  hasAccessLogging,
  LogBucket,
  logBucketGaps,
  partsOf,
} from "./log-buckets";
import {
  ABSENT,
  type Fact,
  type ObjectLockFacts,
  type PublicAccessFacts,
  gapOf,
  known,
  s3DefaultEncryption,
  s3ObjectLock,
  s3PublicAccessBlock,
  s3Versioning,
  UNKNOWN as UNKNOWN_FACT,
} from "../controls";
import { flagFact, numberFact, stringFact } from "./facts";

type Check = (resources: StackResource[], lb: LogBucket) => { messages: string[]; unknownDoc?: string };

function perLogBucket(resources: StackResource[], patterns: string[], check: Check): StackVerdict {
  const violations: StackViolation[] = [];
  const unknownDocs: string[] = [];
  for (const lb of findLogBuckets(resources, patterns)) {
    const r = check(resources, lb);
    for (const m of r.messages)
      violations.push({ urn: lb.bucket.urn, message: `${bucketLabel(lb.bucket)} (${lb.roles.join(", ")}): ${m}` });
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
      violations.push({
        urn: lb.bucket.urn,
        message: `${bucketLabel(lb.bucket)}: add an aws.s3.BucketLogging that sends the trail bucket's server access logs to a separate access-log bucket`,
      });
    } else if (accessLogTargets(resources, lb.bucket).includes(lb.bucket)) {
      violations.push({
        urn: lb.bucket.urn,
        message: `${bucketLabel(lb.bucket)}: send server access logs to a separate bucket, not to the trail bucket itself`,
      });
    }
  }
  return withGaps({ violations }, logBucketGaps(resources).trail);
}

export interface ObjectLockConfig {
  allowedModes: string[];
  minRetentionDays: number;
}

/** The retention a bucket's lock configuration holds, as facts: from a BucketObjectLockConfiguration or the inline block. */
function retentionFact(resources: StackResource[], b: StackResource): ObjectLockFacts["defaultRetention"] {
  const inline = asRecord(b.props.objectLockConfiguration);
  const rules = [...partsOf(resources, b, "objectLock").map((p) => p.props.rule), ...(inline ? [inline.rule] : [])];
  const retention = rules
    .map((r) => (isUnknown(r) ? r : asRecord(asRecord(r)?.defaultRetention)))
    .find((r) => r !== undefined);
  if (retention === undefined) return ABSENT;
  if (isUnknown(retention)) return UNKNOWN_FACT;
  return known({
    mode: stringFact(retention.mode),
    days: numberFact(retention.days),
    years: numberFact(retention.years),
  });
}

/** Policy 7: the trail archive has Object Lock at creation, a default retention in an allowed mode, long enough. */
export function archiveObjectLock(resources: StackResource[], cfg: ObjectLockConfig): StackVerdict {
  const violations: StackViolation[] = [];
  for (const lb of findLogBuckets(resources).filter((l) => l.roles.includes("trail archive"))) {
    const b = lb.bucket;
    const say = (m: string) => violations.push({ urn: b.urn, message: `${bucketLabel(b)}: ${m}` });
    const v = s3ObjectLock.judge(
      { enabled: flagFact(b.props.objectLockEnabled), defaultRetention: retentionFact(resources, b) },
      cfg,
    );
    const enabled = gapOf(v, "enabled");
    if (enabled)
      say(
        enabled.found.kind === "unknown"
          ? setting("objectLockEnabled")
          : "set objectLockEnabled: true on the bucket; Object Lock can only be switched on when the bucket is created",
      );
    const retention = gapOf(v, "defaultRetention");
    if (retention) {
      say(
        retention.found.kind === "unknown"
          ? setting("the default retention")
          : `add an aws.s3.BucketObjectLockConfiguration with a default retention (mode ${cfg.allowedModes.join(" or ")}, at least ${cfg.minRetentionDays} days)`,
      );
      continue;
    }
    const mode = gapOf(v, "mode");
    if (mode)
      say(
        mode.found.kind === "unknown"
          ? setting("defaultRetention.mode")
          : `set the default retention mode to ${cfg.allowedModes.join(" or ")} (it is ${shown(mode.found, "unset")})`,
      );
    const days = gapOf(v, "retentionDays");
    if (days)
      say(
        days.found.kind === "unknown"
          ? setting("defaultRetention.days")
          : `raise the default retention to at least ${cfg.minRetentionDays} days (it is ${shown(days.found, "0")})`,
      );
  }
  return withGaps({ violations }, logBucketGaps(resources).trail);
}

function shown(f: Fact<unknown>, absent: string): string {
  return f.kind === "known" ? String(f.value) : absent;
}

/** The status the bucket's versioning comes to: Enabled if any part enables it, unknown if any part is unknown. */
function versioningStatus(resources: StackResource[], b: StackResource): Fact<string> {
  const statuses = partsOf(resources, b, "versioning").map((v) => {
    const c = v.props.versioningConfiguration;
    return isUnknown(c) ? c : asRecord(c)?.status;
  });
  const inline = asRecord(b.props.versioning);
  if (inline) statuses.push(inline.enabled === true ? "Enabled" : inline.enabled);
  if (statuses.some((s) => s === "Enabled")) return known("Enabled");
  if (statuses.some(isUnknown)) return UNKNOWN_FACT;
  return stringFact(statuses.find((s) => s !== undefined));
}

/** Policy 8. */
export function logBucketVersioning(resources: StackResource[], patterns: string[] = []): StackVerdict {
  return perLogBucket(resources, patterns, (res, lb) => {
    const gap = gapOf(s3Versioning.judge({ status: versioningStatus(res, lb.bucket) }), "status");
    if (!gap) return { messages: [] };
    if (gap.found.kind === "unknown") return { messages: [setting("versioningConfiguration.status")] };
    return { messages: ['add an aws.s3.BucketVersioning with versioningConfiguration.status "Enabled"'] };
  });
}

export interface EncryptionConfig {
  allowSseS3ForAccessLogBuckets: boolean;
  logBucketNamePatterns: string[];
}

function encryptionMessage(
  v: ReturnType<typeof s3DefaultEncryption.judge>,
  raw: Record<string, unknown>,
  accessLogOnly: boolean,
): string | undefined {
  const alg = gapOf(v, "algorithm");
  if (alg?.found.kind === "unknown") return setting("sseAlgorithm");
  if (alg) {
    const why = accessLogOnly
      ? ""
      : " (SSE-S3 is allowed only on a bucket that receives nothing but server access logs)";
    return `use sseAlgorithm "aws:kms" with a customer managed key instead of "${String(raw.sseAlgorithm)}"${why}`;
  }
  const key = gapOf(v, "kmsKeyId");
  if (key?.reason === "missing")
    return "set kmsMasterKeyId to a customer managed KMS key; without it S3 uses the AWS managed aws/s3 key";
  if (key) return `kmsMasterKeyId ${String(raw.kmsMasterKeyId)} is an AWS managed key; use a customer managed KMS key`;
  return undefined;
}

/** Policy 9: SSE-KMS with a customer key; SSE-S3 only on a bucket that is nothing but an access-log bucket. */
export function logBucketEncryption(resources: StackResource[], cfg: EncryptionConfig): StackVerdict {
  return perLogBucket(resources, cfg.logBucketNamePatterns, (res, lb) => {
    const rules = partsOf(res, lb.bucket, "encryption").flatMap((e) =>
      isUnknown(e.props.rules) ? [e.props.rules] : asList(e.props.rules),
    );
    const inline = asRecord(lb.bucket.props.serverSideEncryptionConfiguration);
    if (inline) rules.push(inline.rule);
    const defaults = rules
      .map((r) => (isUnknown(r) ? r : asRecord(r)?.applyServerSideEncryptionByDefault))
      .filter((d) => d !== undefined);
    const accessLogOnly = lb.roles.every((r) => r === "access log");
    const params = { allowSseS3: accessLogOnly && cfg.allowSseS3ForAccessLogBuckets };
    if (defaults.length === 0) {
      const none = s3DefaultEncryption.judge({ algorithm: ABSENT, kmsKeyId: ABSENT, intendedKey: ABSENT }, params);
      return {
        messages: none.passed
          ? []
          : [
              `add an aws.s3.BucketServerSideEncryptionConfiguration with sseAlgorithm "aws:kms" and a customer managed kmsMasterKeyId`,
            ],
      };
    }
    for (const d of defaults) {
      const raw = asRecord(d) ?? {};
      // A whole rule unknown at preview hides its algorithm too.
      const algorithm = isUnknown(d)
        ? UNKNOWN_FACT
        : isUnknown(raw.sseAlgorithm)
          ? UNKNOWN_FACT
          : known(String(raw.sseAlgorithm));
      const message = encryptionMessage(
        s3DefaultEncryption.judge({ algorithm, kmsKeyId: stringFact(raw.kmsMasterKeyId), intendedKey: ABSENT }, params),
        raw,
        accessLogOnly,
      );
      if (message) return { messages: [message] };
    }
    return { messages: [] };
  });
}

const PAB_FLAGS = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"] as const;

/** A Deny on every principal when aws:SecureTransport is false, covering the bucket's objects. */
export function deniesInsecureTransport(doc: Record<string, unknown>): boolean {
  return asList(doc.Statement ?? [])
    .concat(asRecord(doc.Statement) ? [doc.Statement] : [])
    .some((s) => {
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
    const none =
      pabs.length === 0 &&
      s3PublicAccessBlock.judge({
        blockPublicAcls: ABSENT,
        ignorePublicAcls: ABSENT,
        blockPublicPolicy: ABSENT,
        restrictPublicBuckets: ABSENT,
      });
    if (none && !none.passed)
      messages.push(`add an aws.s3.BucketPublicAccessBlock with ${PAB_FLAGS.join(", ")} all true`);
    for (const pab of pabs) {
      const p = pab.props;
      const facts: PublicAccessFacts = {
        blockPublicAcls: flagFact(p.blockPublicAcls),
        ignorePublicAcls: flagFact(p.ignorePublicAcls),
        blockPublicPolicy: flagFact(p.blockPublicPolicy),
        restrictPublicBuckets: flagFact(p.restrictPublicBuckets),
      };
      const v = s3PublicAccessBlock.judge(facts);
      const unknown = PAB_FLAGS.filter((f) => gapOf(v, f)?.found.kind === "unknown");
      const off = PAB_FLAGS.filter((f) => gapOf(v, f) && gapOf(v, f)?.found.kind !== "unknown");
      if (unknown.length) messages.push(setting(unknown.join(", ")));
      if (off.length) messages.push(`set ${off.join(", ")} to true on the public access block`);
    }
    const policies = partsOf(res, lb.bucket, "policy").map((p) => p.props.policy);
    if (typeof lb.bucket.props.policy === "string") policies.push(lb.bucket.props.policy);
    if (policies.some((p) => containsUnknown(p))) {
      return {
        messages,
        unknownDoc: `the policy of ${bucketLabel(lb.bucket)} is unknown at preview; its aws:SecureTransport deny is checked at update`,
      };
    }
    const docs = policies.map(parseDocument);
    if (!docs.some((d) => d.doc && deniesInsecureTransport(d.doc))) {
      messages.push(
        `add a bucket policy statement that denies s3:* to every principal when aws:SecureTransport is "false"`,
      );
    }
    return { messages };
  });
}
