/**
 * S3: the baseline's log buckets (agent/checks/log-buckets/): policy, versioning, default
 * encryption, public access block, ownership, lifecycle and server access logging of each, read
 * once per run in the bucket's own account (log-archive or security) through its read role.
 * "Not configured" answers are observations (undefined), never failed reads.
 */
import {
  GetBucketLifecycleConfigurationCommand,
  GetBucketLoggingCommand,
  type LifecycleRule,
  type S3Client,
} from "@aws-sdk/client-s3";
import type { LogBucketIntent } from "../../baseline";
import type { LifecycleRuleFacts } from "../../baseline/log-bucket-lifecycle";
import { failed, type CollectError, type ObservedLogBucket } from "../model";
import { attempt, attemptOrAbsent, type CallScope } from "./common";
import { readBucketPolicy, readEncryption, readOwnership, readPublicAccessBlock, readVersioning } from "./bucket-reads";

export async function collectLogBucket(s3: S3Client, b: LogBucketIntent): Promise<ObservedLogBucket> {
  const scope = (operation: string): CallScope => ({
    service: "s3",
    operation,
    account: b.accountId,
    region: b.region,
  });
  const Bucket = b.bucketName;
  const [policy, versioning, encryption, publicAccessBlock, ownership, lifecycle, accessLogging] = await Promise.all([
    readBucketPolicy(s3, Bucket, scope),
    readVersioning(s3, Bucket, scope),
    readEncryption(s3, Bucket, scope),
    readPublicAccessBlock(s3, Bucket, scope),
    readOwnership(s3, Bucket, scope),
    attemptOrAbsent(scope("GetBucketLifecycleConfiguration"), ["NoSuchLifecycleConfiguration"], async () =>
      ((await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket }))).Rules ?? []).map(lifecycleFacts),
    ),
    attempt(scope("GetBucketLogging"), async () => {
      const l = (await s3.send(new GetBucketLoggingCommand({ Bucket }))).LoggingEnabled;
      return l?.TargetBucket ? { targetBucket: l.TargetBucket, targetPrefix: l.TargetPrefix ?? "" } : undefined;
    }),
  ]);
  return {
    role: b.role,
    bucketName: Bucket,
    account: b.accountId,
    region: b.region,
    policy,
    versioning,
    encryption,
    publicAccessBlock,
    ownership,
    lifecycle,
    accessLogging,
  };
}

/** One rule as the judgement reads it: its reach (prefix, and whether tags or sizes narrow it further) and its actions. */
export function lifecycleFacts(r: LifecycleRule): LifecycleRuleFacts {
  const f = r.Filter;
  const and = f?.And;
  const narrowed = Boolean(
    f?.Tag ||
    f?.ObjectSizeGreaterThan !== undefined ||
    f?.ObjectSizeLessThan !== undefined ||
    (and &&
      ((and.Tags?.length ?? 0) > 0 || and.ObjectSizeGreaterThan !== undefined || and.ObjectSizeLessThan !== undefined)),
  );
  return {
    ...(r.ID ? { id: r.ID } : {}),
    enabled: r.Status === "Enabled",
    // The legacy top-level Prefix is what a rule without Filter is narrowed by.
    prefix: f?.Prefix ?? and?.Prefix ?? r.Prefix ?? "",
    narrowed,
    // An emulator's 0 means "not set", as absence does: S3 requires at least 1.
    ...(r.Expiration?.Days ? { expirationDays: r.Expiration.Days } : {}),
    ...(r.Expiration?.Date ? { expirationDate: r.Expiration.Date.toISOString() } : {}),
    ...(r.NoncurrentVersionExpiration?.NoncurrentDays
      ? { noncurrentDays: r.NoncurrentVersionExpiration.NoncurrentDays }
      : {}),
    ...(r.AbortIncompleteMultipartUpload?.DaysAfterInitiation
      ? { abortDays: r.AbortIncompleteMultipartUpload.DaysAfterInitiation }
      : {}),
  };
}

/** Every setting failed with the same error (account not entered, task timed out). */
export function unreadableLogBucket(b: LogBucketIntent, e: CollectError): ObservedLogBucket {
  return {
    role: b.role,
    bucketName: b.bucketName,
    account: b.accountId,
    region: b.region,
    policy: failed(e),
    versioning: failed(e),
    encryption: failed(e),
    publicAccessBlock: failed(e),
    ownership: failed(e),
    lifecycle: failed(e),
    accessLogging: failed(e),
  };
}
