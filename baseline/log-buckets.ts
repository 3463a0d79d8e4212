/**
 * The baseline's log buckets as one family: what each is for, the lifecycle each is laid with, and
 * the manifest area (`logBuckets`) that tells the audit what was laid. infra builds its lifecycle
 * rules from `lifecycleRule` and publishes the same intent, so intended == laid by construction.
 * Pure: no Pulumi, no SDK.
 */

/** What each bucket holds; the family's findings name a bucket by this role. */
export const LOG_BUCKET_ROLES = [
  "archive",
  "access-log",
  "config",
  "flow-log",
  "dns-query-log",
  "athena-results",
  "report",
] as const;
export type LogBucketRole = (typeof LOG_BUCKET_ROLES)[number];

/** The role as people say it, for messages ("the Config bucket orgwarden-…"). */
export const LOG_BUCKET_ROLE_NAMES: Record<LogBucketRole, string> = {
  archive: "CloudTrail archive",
  "access-log": "access-log bucket",
  config: "Config bucket",
  "flow-log": "flow-log bucket",
  "dns-query-log": "DNS query-log bucket",
  "athena-results": "Athena query-results bucket",
  report: "audit report bucket",
};

/**
 * The IAM actions of the reads agent/collectors/log-buckets.ts makes on each log bucket (S3 names
 * some after the subresource: GetBucketEncryption is s3:GetEncryptionConfiguration,
 * GetBucketLifecycleConfiguration s3:GetLifecycleConfiguration). Configuration only: no object read.
 */
export const LOG_BUCKET_READ_ACTIONS = [
  "s3:GetBucketPolicy",
  "s3:GetBucketVersioning",
  "s3:GetEncryptionConfiguration",
  "s3:GetBucketPublicAccessBlock",
  "s3:GetBucketOwnershipControls",
  "s3:GetLifecycleConfiguration",
  "s3:GetBucketLogging",
] as const;

/** Abandoned multipart uploads are cleaned up after this many days on every log bucket. */
export const ABORT_INCOMPLETE_UPLOAD_DAYS = 7;
/** Noncurrent versions of the unlocked log buckets are kept this long unless a bucket says otherwise. */
export const DEFAULT_NONCURRENT_DAYS = 30;

/** The one lifecycle rule a log bucket is laid with, and what the audit holds it to. */
export interface LifecycleIntent {
  ruleId: string;
  /** Key prefixes the bucket's logs are written under ("" = the whole bucket): the rule must cover all of them. */
  logPrefixes: string[];
  /** Days until current objects expire; absent: they never do (the archive, where Object Lock bounds deletion). */
  expirationDays?: number;
  /** Days until noncurrent versions expire. */
  noncurrentDays: number;
  /** Object Lock default retention, when the bucket has one: no noncurrent expiry may be shorter. */
  lockDays?: number;
  abortIncompleteDays: number;
  /** Laid (storage class tiering), not judged: a transition removes nothing. */
  transition?: { days: number; storageClass: string };
}

/** A lifecycle rule in the S3 API's shape (PutBucketLifecycleConfiguration), as the remediation writes it. */
export interface S3LifecycleRule {
  ID: string;
  Status: "Enabled";
  Filter: { Prefix: string };
  Expiration?: { Days: number };
  Transitions?: { Days: number; StorageClass: string }[];
  NoncurrentVersionExpiration: { NoncurrentDays: number };
  AbortIncompleteMultipartUpload: { DaysAfterInitiation: number };
}

/** The intended rule over the whole bucket, in the API's shape. */
export function lifecycleRule(i: LifecycleIntent): S3LifecycleRule {
  return {
    ID: i.ruleId,
    Status: "Enabled",
    Filter: { Prefix: "" },
    ...(i.expirationDays !== undefined ? { Expiration: { Days: i.expirationDays } } : {}),
    ...(i.transition ? { Transitions: [{ Days: i.transition.days, StorageClass: i.transition.storageClass }] } : {}),
    NoncurrentVersionExpiration: { NoncurrentDays: i.noncurrentDays },
    AbortIncompleteMultipartUpload: { DaysAfterInitiation: i.abortIncompleteDays },
  };
}

/** The lifecycle of an unlocked log bucket: current objects expire after `days`, noncurrent after 30, uploads after 7. */
export function expiringLifecycle(
  ruleId: string,
  days: number,
  logPrefixes: string[],
  noncurrentDays = DEFAULT_NONCURRENT_DAYS,
): LifecycleIntent {
  if (!Number.isInteger(days) || days < 1)
    throw new Error(`expiringLifecycle ${ruleId}: days must be an integer ≥ 1, got ${days}`);
  return {
    ruleId,
    logPrefixes,
    expirationDays: days,
    noncurrentDays,
    abortIncompleteDays: ABORT_INCOMPLETE_UPLOAD_DAYS,
  };
}

/** The archive's lifecycle: never expires current objects, tiers them, keeps noncurrent versions at least as long as the lock. */
export function archiveLifecycle(i: {
  lockDays: number;
  noncurrentDays: number;
  transitionDays: number;
  logPrefixes: string[];
}): LifecycleIntent {
  if (i.noncurrentDays < i.lockDays)
    throw new Error(
      `archiveLifecycle: noncurrentDays (${i.noncurrentDays}) must not be shorter than the Object Lock retention (${i.lockDays})`,
    );
  return {
    ruleId: "archive-tiering",
    logPrefixes: i.logPrefixes,
    noncurrentDays: i.noncurrentDays,
    lockDays: i.lockDays,
    abortIncompleteDays: ABORT_INCOMPLETE_UPLOAD_DAYS,
    transition: { days: i.transitionDays, storageClass: "GLACIER_IR" },
  };
}
