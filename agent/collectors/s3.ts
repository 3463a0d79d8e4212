/** S3 (log-archive account): the archive bucket's controls, and the newest CloudTrail delivery per account. */
import { GetObjectLockConfigurationCommand, paginateListObjectsV2, type S3Client } from "@aws-sdk/client-s3";
import pLimit from "p-limit";
import { cloudTrailPrefix } from "../../baseline/arns";
import type { Collected, ObservedArchiveBucket, ObservedObjectLock } from "../model";
import { attempt, type CallScope } from "./common";
import { readBucketPolicy, readEncryption, readOwnership, readPublicAccessBlock, readVersioning } from "./bucket-reads";

/** One listing per account × region; a large organization must not open hundreds of sockets at once. */
const LISTINGS_IN_FLIGHT = 8;

export interface ArchiveTarget {
  bucketName: string;
  organizationId: string;
  /** Accounts whose delivery freshness is listed. */
  accounts: string[];
  /** Regions whose CloudTrail prefix is listed for every account (the run's governed regions). */
  regions: string[];
  now: Date;
  /** The freshness threshold: how far back the date partitions are listed. */
  maxAgeMinutes: number;
}

export async function collectArchiveBucket(
  s3: S3Client,
  account: string,
  region: string,
  t: ArchiveTarget,
): Promise<ObservedArchiveBucket> {
  const scope = (operation: string): CallScope => ({ service: "s3", operation, account, region });
  const Bucket = t.bucketName;
  const [policy, objectLock, versioning, encryption, publicAccessBlock, ownership] = await Promise.all([
    readBucketPolicy(s3, Bucket, scope),
    readObjectLock(s3, Bucket, scope("GetObjectLockConfiguration")),
    readVersioning(s3, Bucket, scope),
    readEncryption(s3, Bucket, scope),
    readPublicAccessBlock(s3, Bucket, scope),
    readOwnership(s3, Bucket, scope),
  ]);
  const newestDeliveryByAccount = await collectDeliveries(s3, account, region, t);
  return {
    bucketName: Bucket,
    policy,
    objectLock,
    versioning,
    encryption,
    publicAccessBlock,
    ownership,
    newestDeliveryByAccount,
  };
}

/**
 * The newest CloudTrail delivery of each of `t.accounts` in each of `t.regions`: the per-account part
 * of the archive, which the engine's batches read for their own accounts (agent/engine/collect.ts)
 * while the plan reads the bucket's controls once.
 */
export async function collectDeliveries(
  s3: S3Client,
  account: string,
  region: string,
  t: ArchiveTarget,
): Promise<Record<string, Record<string, Collected<string | undefined>>>> {
  const scope: CallScope = { service: "s3", operation: "ListObjectsV2", account, region };
  const newestDeliveryByAccount: Record<string, Record<string, Collected<string | undefined>>> = {};
  const limit = pLimit(LISTINGS_IN_FLIGHT);
  await Promise.all(
    t.accounts.flatMap((acct) =>
      t.regions.map((r) =>
        limit(async () => {
          (newestDeliveryByAccount[acct] ??= {})[r] = await attempt(scope, () => newestDelivery(s3, t, acct, r));
        }),
      ),
    ),
  );
  return newestDeliveryByAccount;
}

function readObjectLock(s3: S3Client, Bucket: string, scope: CallScope): Promise<Collected<ObservedObjectLock>> {
  return attempt(scope, async () => {
    try {
      const c = (await s3.send(new GetObjectLockConfigurationCommand({ Bucket }))).ObjectLockConfiguration;
      const r = c?.Rule?.DefaultRetention;
      // Days and Years are exclusive and at least 1; an emulator's 0 means "not set", as absence does.
      return {
        enabled: c?.ObjectLockEnabled === "Enabled",
        mode: r?.Mode,
        days: r?.Days || undefined,
        years: r?.Years || undefined,
      };
    } catch (err) {
      // The bucket exists but was created without Object Lock: that is an observed "disabled", not a failed read.
      if (err instanceof Error && err.name === "ObjectLockConfigurationNotFoundError") return { enabled: false };
      throw err;
    }
  });
}

/** UTC date partitions `YYYY/MM/DD` from `now` back over the threshold, newest first (never the whole history). */
export function datePartitions(now: Date, maxAgeMinutes: number): string[] {
  const days = Math.ceil(maxAgeMinutes / 1440) + 1;
  const out: string[] = [];
  for (let i = 0; i < days; i++) {
    const d = new Date(now.getTime() - i * 86_400_000);
    out.push(d.toISOString().slice(0, 10).replace(/-/g, "/"));
  }
  return out;
}

/** Newest LastModified under the account's CloudTrail prefix for one region in the listed partitions; undefined when none. */
async function newestDelivery(
  s3: S3Client,
  t: ArchiveTarget,
  account: string,
  region: string,
): Promise<string | undefined> {
  let newest: Date | undefined;
  for (const day of datePartitions(t.now, t.maxAgeMinutes)) {
    const Prefix = `${cloudTrailPrefix(t.organizationId, account, region)}${day}/`;
    for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: t.bucketName, Prefix })) {
      for (const o of page.Contents ?? [])
        if (o.LastModified && (!newest || o.LastModified > newest)) newest = o.LastModified;
    }
  }
  return newest?.toISOString();
}
