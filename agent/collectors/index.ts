/**
 * Collection of the whole observed state: the organization first (it says which accounts exist),
 * then trail, log group, archive, key and every account × region of detection, run through p-limit.
 * Every task enters its account first; an account that cannot be entered, or a task that runs out of
 * time, yields the same explicit error in every piece it would have read.
 */
import pLimit from "p-limit";
import { CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { KMSClient } from "@aws-sdk/client-kms";
import { OrganizationsClient } from "@aws-sdk/client-organizations";
import { S3Client } from "@aws-sdk/client-s3";
import { parseKmsKeyRef, type AuditManifest } from "../../baseline";
import type { ClientFactory } from "../aws/clients";
import type { AuditCredentials } from "../aws/credentials";
import {
  failed,
  type CollectError,
  type ObservedArchiveBucket,
  type ObservedCloudTrail,
  type ObservedKey,
  type ObservedOrganization,
  type ObservedState,
} from "../model";
import { AuditConfigError } from "../options";
import { collectIntegrity } from "../integrity/collect";
import { collectCisMonitoring, unreadableCis } from "./cis";
import { collectCloudTrail } from "./cloudtrail";
import { collectRegionDetection, unreadableRegionDetection } from "./detection";
import { collectKey } from "./kms";
import { collectLogGroup } from "./logs";
import { collectOrganization } from "./organizations";
import { collectArchiveBucket } from "./s3";

export interface CollectPlan {
  manifest: AuditManifest;
  now: Date;
  /** --accounts, if given (validated against the organization here). */
  accounts?: string[];
  regions: string[];
  concurrency: number;
  taskTimeoutMs: number;
  onProgress?: (done: number, total: number) => void;
}

export interface Collection {
  observed: ObservedState;
  /** Accounts the per-account work covered. */
  accounts: string[];
}

interface Task<T> {
  account: string;
  region: string;
  service: string;
  run: () => Promise<T>;
  unreadable: (e: CollectError) => T;
}

export async function collectState(
  clients: ClientFactory,
  creds: AuditCredentials,
  plan: CollectPlan,
): Promise<Collection> {
  const m = plan.manifest;
  const home = m.regions.home;
  const mgmt = m.organization.managementAccountId;
  const unreachableAccounts: Record<string, CollectError> = {};
  const limit = pLimit(plan.concurrency);
  let done = 0;
  let total = 1;
  const exec = <T>(t: Task<T>): Promise<T> =>
    limit(async () => {
      const r = await runTask(creds, t, plan.taskTimeoutMs, unreachableAccounts);
      plan.onProgress?.(++done, total);
      return r;
    });

  const organization = await exec<ObservedOrganization>({
    account: mgmt,
    region: home,
    service: "organizations",
    run: () => collectOrganization(clients.get(OrganizationsClient, mgmt, home), mgmt),
    unreadable: (e) => ({ organizationId: failed(e), accounts: failed(e), scps: failed(e) }),
  });
  const accounts = scopeAccounts(organization, m, plan.accounts);

  const keyArn = parseKeyArn(m.key.arn);
  const trailTask = exec<ObservedCloudTrail>({
    account: mgmt,
    region: m.trail.homeRegion,
    service: "cloudtrail",
    run: () =>
      collectCloudTrail(clients.get(CloudTrailClient, mgmt, m.trail.homeRegion), mgmt, m.trail.homeRegion, m.trail),
    unreadable: (e) => ({ trails: failed(e), status: failed(e), eventSelectors: failed(e) }),
  });
  const logGroupTask = exec({
    account: mgmt,
    region: m.trail.homeRegion,
    service: "logs",
    run: () =>
      collectLogGroup(
        clients.get(CloudWatchLogsClient, mgmt, m.trail.homeRegion),
        mgmt,
        m.trail.homeRegion,
        m.trail.logGroupName,
      ),
    unreadable: (e) => failed(e),
  });
  const cisTarget = { logGroupName: m.trail.logGroupName, intent: m.detection.cisAlarms };
  const cisTask = exec({
    account: mgmt,
    region: m.trail.homeRegion,
    service: "cis",
    run: () =>
      collectCisMonitoring(
        clients.get(CloudWatchLogsClient, mgmt, m.trail.homeRegion),
        clients.get(CloudWatchClient, mgmt, m.trail.homeRegion),
        mgmt,
        m.trail.homeRegion,
        cisTarget,
      ),
    unreadable: (e) => unreadableCis(m.trail.logGroupName, e),
  });
  const archiveTarget = {
    bucketName: m.archive.bucketName,
    organizationId: m.organization.id,
    homeRegion: m.trail.homeRegion,
    accounts,
    now: plan.now,
    maxAgeMinutes: m.thresholds.deliveryMaxAgeMinutes,
  };
  const logArchive = m.organization.logArchiveAccountId;
  const archiveTask = exec<ObservedArchiveBucket>({
    account: logArchive,
    region: home,
    service: "s3",
    run: () => collectArchiveBucket(clients.get(S3Client, logArchive, home), logArchive, home, archiveTarget),
    unreadable: (e) => unreadableArchive(m.archive.bucketName, accounts, e),
  });
  const keyTask = exec<ObservedKey>({
    account: keyArn.account,
    region: keyArn.region,
    service: "kms",
    run: () =>
      collectKey(clients.get(KMSClient, keyArn.account, keyArn.region), keyArn.account, keyArn.region, m.key.arn),
    unreadable: (e) => ({
      keyArn: m.key.arn,
      policy: failed(e),
      grants: failed(e),
      rotationEnabled: failed(e),
      metadata: failed(e),
    }),
  });
  const detectionTasks = accounts.flatMap((account) =>
    plan.regions.map((region) =>
      exec({
        account,
        region,
        service: "detection",
        run: () => collectRegionDetection(clients, account, region),
        unreadable: (e) => unreadableRegionDetection(account, region, e),
      }),
    ),
  );
  // As the log auditor role, not the read role; after the trail status, whose last digest delivery the chain must reach.
  const integrityTask = trailTask.then((ct) =>
    collectIntegrity(clients, creds, {
      manifest: m,
      now: plan.now,
      accounts,
      regions: plan.regions,
      concurrency: plan.concurrency,
      latestDigestDeliveryTime: ct.status.ok ? ct.status.value?.latestDigestDeliveryTime : undefined,
    }),
  );
  total = 1 + 5 + detectionTasks.length;
  const [cloudTrail, logGroup, cis, archive, key, detection, integrity] = await Promise.all([
    trailTask,
    logGroupTask,
    cisTask,
    archiveTask,
    keyTask,
    Promise.all(detectionTasks),
    integrityTask,
  ]);
  return {
    observed: {
      organization,
      cloudTrail,
      archive,
      key,
      logGroup,
      cis,
      detection,
      unreachableAccounts,
      scope: { accounts, regions: plan.regions },
      ...(integrity ? { integrity } : {}),
    },
    accounts,
  };
}

async function runTask<T>(
  creds: AuditCredentials,
  t: Task<T>,
  timeoutMs: number,
  unreachable: Record<string, CollectError>,
): Promise<T> {
  const work = async (): Promise<T> => {
    const entered = await creds.enter(t.account);
    if (entered.ok) return t.run();
    unreachable[t.account] = entered.error;
    return t.unreadable({ ...entered.error, account: t.account, region: t.region });
  };
  let timer: NodeJS.Timeout | undefined;
  // The SDK's attempts and request timeouts bound each call; this bounds a task's many calls together.
  const timeout = new Promise<T>((resolve) => {
    timer = setTimeout(() => {
      const message = `${t.service} collection in ${t.account}/${t.region} did not finish within ${timeoutMs} ms`;
      resolve(
        t.unreadable({
          name: "TaskTimeout",
          message,
          kind: "timeout",
          operation: "collect",
          service: t.service,
          account: t.account,
          region: t.region,
        }),
      );
    }, timeoutMs);
  });
  try {
    return await Promise.race([work(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The accounts per-account work covers: ACTIVE accounts (narrowed by --accounts), or the manifest's own when the list is unreadable. */
function scopeAccounts(org: ObservedOrganization, m: AuditManifest, requested: string[] | undefined): string[] {
  if (!org.accounts.ok) {
    const o = m.organization;
    return requested ?? [...new Set([o.managementAccountId, o.logArchiveAccountId, o.securityAccountId])];
  }
  const known = new Set(org.accounts.value.map((a) => a.id));
  const unknown = (requested ?? []).filter((a) => !known.has(a));
  if (unknown.length > 0) {
    throw new AuditConfigError(
      `--accounts ${unknown.join(",")}: not an account of organization ${m.organization.id}; allowed: ${[...known].sort().join(", ")}`,
    );
  }
  const active = org.accounts.value.filter((a) => a.status === "ACTIVE").map((a) => a.id);
  return requested ? active.filter((a) => requested.includes(a)) : active;
}

/** Where the key is read: a key ARN only, since GetKeyPolicy and ListGrants take no alias. */
function parseKeyArn(arn: string): { account: string; region: string } {
  const ref = parseKmsKeyRef(arn);
  if (ref?.kind !== "key-arn")
    throw new AuditConfigError(`key.arn: "${arn}" is not a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)`);
  return { region: ref.region, account: ref.account };
}

function unreadableArchive(bucketName: string, accounts: string[], e: CollectError): ObservedArchiveBucket {
  return {
    bucketName,
    policy: failed(e),
    objectLock: failed(e),
    versioning: failed(e),
    encryption: failed(e),
    publicAccessBlock: failed(e),
    ownership: failed(e),
    newestDeliveryByAccount: Object.fromEntries(accounts.map((a) => [a, failed(e)])),
  };
}
