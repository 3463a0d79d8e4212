/**
 * Collection of the observed state in the two parts the engine (agent/engine/) runs apart: what
 * the organization shares, read once by the plan (the organization first, since it says which
 * accounts exist, then trail, log group, archive bucket and key), and the per-account work of one
 * batch (every account × region of detection, the account's newest delivery in the archive, its
 * digest chains). Tasks run through p-limit; every task enters its account first. An account that
 * cannot be entered, or a task that runs out of time, yields the same explicit error in every
 * piece it would have read.
 */
import pLimit from "p-limit";
import { CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { ConfigServiceClient } from "@aws-sdk/client-config-service";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { KMSClient } from "@aws-sdk/client-kms";
import { OrganizationsClient } from "@aws-sdk/client-organizations";
import { S3Client } from "@aws-sdk/client-s3";
import { SSMClient } from "@aws-sdk/client-ssm";
import { manifestParameterName, parseKmsKeyRef, type AuditManifest } from "../../baseline";
import type { ClientFactory } from "../aws/clients";
import type { AuditCredentials } from "../aws/credentials";
import {
  failed,
  type Collected,
  type CollectError,
  type ObservedArchiveBucket,
  type ObservedCisMonitoring,
  type ObservedCloudTrail,
  type ObservedConfigAggregator,
  type ObservedKey,
  type ObservedLogGroup,
  type ObservedDnsQueryLogs,
  type ObservedGuardDutyOrganization,
  type ObservedFlowLogBucket,
  type ObservedAthenaCatalog,
  type ObservedAthenaWorkgroup,
  type ObservedLogBucket,
  type ObservedManifestParameter,
  type ObservedMemberBaseline,
  type ObservedInspectorOrganization,
  type ObservedOrganization,
  type ObservedRegionDetection,
  type ObservedRole,
  type ObservedSecurityHubOrganization,
} from "../model";
import type { ObservedIntegrity } from "../integrity/observed";
import { AuditConfigError } from "../options";
import { collectIntegrity } from "../integrity/collect";
import { collectCisMonitoring, unreadableCis } from "./cis";
import { collectCloudTrail } from "./cloudtrail";
import { collectConfigAggregator, unreadableConfigAggregator } from "./config";
import { collectRegionDetection, unreadableRegionDetection } from "./detection";
import { baselineKeyTask, collectKey, unreadableKey } from "./kms";
import { memberRolesTask, roleTask } from "./iam-roles";
import { memberRolesInputOf, memberRoles } from "../../baseline/detection";
import { collectLogGroup } from "./logs";
import { collectManifestParameter, unreadableManifestParameter } from "./manifest-parameter";
import { collectOrganization } from "./organizations";
import { collectArchiveBucket, collectDeliveries, type ArchiveTarget } from "./s3";
import { collectFlowLogBucket, unreadableFlowLogBucket } from "./flow-logs";
import { athenaCatalogTask, athenaWorkgroupTask } from "./athena-task";
import { collectLogBucket, unreadableLogBucket } from "./log-buckets";
import { detectionPipelineTask, type ObservedDetectionPipeline } from "./detection-pipeline";
import { forwardingRuleNames } from "../../baseline/detection";
import { memberBaselineTask } from "./stackset";
import { auditAgentTask, type ObservedAgentDeployment } from "./audit-agent";
import { dnsQueryLogTasks } from "./dns-query-log-tasks";
import { guardDutyOrganizationTask } from "./guardduty-task";
import { inspectorOrganizationTasks } from "./inspector-organization";
import { securityHubOrganizationTask } from "./securityhub-organization";

/** How collection runs: the same for the plan and every batch. */
export interface CollectRuntime {
  clients: ClientFactory;
  creds: AuditCredentials;
  concurrency: number;
  taskTimeoutMs: number;
  /** Counts collection tasks: `add` when they are known, `done` as each ends (the CLI's progress line). */
  progress?: { add(n: number): void; done(): void };
}

/** The pieces every account shares, collected once per run. `archive.newestDeliveryByAccount` is empty: it is per account. */
export interface SharedCollection {
  organization: ObservedOrganization;
  cloudTrail: ObservedCloudTrail;
  archive: ObservedArchiveBucket;
  key: ObservedKey;
  /** The baseline's other keys (manifest `keys.others`, in order), when the manifest lists them. */
  keys?: ObservedKey[];
  /** The baseline's shared roles (manifest `roles.shared`, in order), when the manifest lists them. */
  roles?: ObservedRole[];
  logGroup: Collected<ObservedLogGroup>;
  /** The audit manifest's SSM parameter (security account, home region): its pinned digest. */
  manifestParameter: ObservedManifestParameter;
  /** The VPC Flow Logs bucket (log-archive account), when the manifest names one. */
  flowLogBucket?: ObservedFlowLogBucket;
  /** The organization's Config aggregator, when the manifest's pipeline area names one. */
  configAggregator?: ObservedConfigAggregator;
  athenaCatalog?: ObservedAthenaCatalog;
  athenaWorkgroup?: ObservedAthenaWorkgroup;
  /** The manifest's logBuckets (log-archive and security accounts), when it has them. */
  logBuckets?: ObservedLogBucket[];
  /** Resolver query logging (log-archive account, every governed region), when the manifest names it. */
  dnsQueryLogs?: ObservedDnsQueryLogs;
  /** GuardDuty's delegated administrator and organization configuration (every region of the run), when the manifest has a guardDuty area. */
  guardDutyOrganization?: ObservedGuardDutyOrganization;
  cis: ObservedCisMonitoring;
  /** The alert topics and the central bus, when the manifest has a detectionPipeline area. */
  detectionPipeline?: ObservedDetectionPipeline;
  /** The member-baseline StackSet and direct stacks, when the manifest has a stackSet area. */
  memberBaseline?: ObservedMemberBaseline;
  /** The audit agent's schedule, alarms and log groups, when the manifest has an auditAgent area. */
  auditAgent?: ObservedAgentDeployment;
  /** Amazon Inspector's delegation, organization configuration and members per region, when the manifest has an inspector area. */
  inspectorOrganization?: ObservedInspectorOrganization;
  /** Security Hub's organization setup (management and security accounts), when the manifest has a securityHub area. */
  securityHub?: ObservedSecurityHubOrganization;
  /** The shared accounts (management, log-archive, key's) that could not be entered. */
  unreachableAccounts: Record<string, CollectError>;
  /** Per-account work covers these: ACTIVE accounts (narrowed by --accounts), or the manifest's own when the list is unreadable. */
  accounts: string[];
}

/** The per-account part of the observed state, for the accounts of one batch. */
export interface AccountsCollection {
  detection: ObservedRegionDetection[];
  /** account → governed region → newest delivery under that account's and region's CloudTrail prefix. */
  newestDeliveryByAccount: Record<string, Record<string, Collected<string | undefined>>>;
  integrity?: ObservedIntegrity;
  /** The read role and the forwarder role of each account (not the excluded ones), when the manifest has `roles.perAccount`. */
  memberRoles?: ObservedRole[];
  /** Accounts of the batch that could not be entered. */
  unreachableAccounts: Record<string, CollectError>;
}

export interface Task<T> {
  account: string;
  region: string;
  service: string;
  run: () => Promise<T>;
  unreadable: (e: CollectError) => T;
}

/**
 * Collection tasks in flight: C × TASKS_PER_FAMILY_SLOT. A detection task calls five API families
 * at once, each through a chain of two or three dependent calls, so with only C tasks in flight a
 * family's C slots stand idle while its tasks wait on their other families; the pacer's per-family
 * limit (C calls in flight), not this one, is what bounds the calls.
 */
export const TASKS_PER_FAMILY_SLOT = 4;

function executor(rt: CollectRuntime, unreachable: Record<string, CollectError>) {
  const limit = pLimit(rt.concurrency * TASKS_PER_FAMILY_SLOT);
  return <T>(t: Task<T>): Promise<T> =>
    limit(async () => {
      const r = await runTask(rt.creds, t, rt.taskTimeoutMs, unreachable);
      rt.progress?.done();
      return r;
    });
}

export async function collectShared(
  rt: CollectRuntime,
  m: AuditManifest,
  requestedAccounts: string[] | undefined,
  now: Date,
  /** The run's regions (--regions); default every governed region. Only per-region shared reads (the direct stacks) use it. */
  regions: string[] = m.regions.governed,
): Promise<SharedCollection> {
  const { clients } = rt;
  const home = m.regions.home;
  const mgmt = m.organization.managementAccountId;
  const unreachableAccounts: Record<string, CollectError> = {};
  const exec = executor(rt, unreachableAccounts);
  rt.progress?.add(1);
  const organization = await exec<ObservedOrganization>({
    account: mgmt,
    region: home,
    service: "organizations",
    run: () => collectOrganization(clients.get(OrganizationsClient, mgmt, home), mgmt),
    unreadable: (e) => ({
      organizationId: failed(e),
      accounts: failed(e),
      scps: failed(e),
      enabledServicePrincipals: failed(e),
      featureSet: failed(e),
      roots: failed(e),
      delegatedAdministrators: failed(e),
    }),
  });
  const accounts = scopeAccounts(organization, m, requestedAccounts);

  const keyArn = parseKeyArn(m.key.arn);
  rt.progress?.add(6);
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
  const logArchive = m.organization.logArchiveAccountId;
  const archiveTask = exec<ObservedArchiveBucket>({
    account: logArchive,
    region: home,
    service: "s3",
    run: () =>
      collectArchiveBucket(clients.get(S3Client, logArchive, home), logArchive, home, archiveTarget(m, [], [], now)),
    unreadable: (e) => unreadableArchive(m.archive.bucketName, e),
  });
  const keyTask = exec<ObservedKey>({
    account: keyArn.account,
    region: keyArn.region,
    service: "kms",
    run: () =>
      collectKey(
        clients.get(KMSClient, keyArn.account, keyArn.region),
        keyArn.account,
        keyArn.region,
        m.key.arn,
        m.keys?.logKeyAlias,
      ),
    unreadable: (e) => unreadableKey(m.key.arn, e, m.keys?.logKeyAlias),
  });
  // The baseline's other keys (manifest `keys`), each in its own account and region.
  rt.progress?.add(m.keys?.others.length ?? 0);
  const otherKeysTask = Promise.all((m.keys?.others ?? []).map((k) => exec(baselineKeyTask(clients, k))));
  // The baseline's shared roles (manifest `roles`), each in its own account.
  rt.progress?.add(m.roles?.shared.length ?? 0);
  const rolesTask = Promise.all((m.roles?.shared ?? []).map((r) => exec(roleTask(clients, r, home))));
  const security = m.organization.securityAccountId;
  const parameterName = manifestParameterName(m.stack);
  const manifestParameterTask = exec({
    account: security,
    region: home,
    service: "ssm",
    run: () => collectManifestParameter(clients.get(SSMClient, security, home), security, home, parameterName),
    unreadable: (e) => unreadableManifestParameter(parameterName, security, home, e),
  });
  const flowLogs = m.flowLogs;
  if (flowLogs) rt.progress?.add(1);
  const flowLogTask = flowLogs
    ? exec({
        account: logArchive,
        region: home,
        service: "s3",
        run: () => collectFlowLogBucket(clients.get(S3Client, logArchive, home), logArchive, home, flowLogs.bucketName),
        unreadable: (e) => unreadableFlowLogBucket(flowLogs.bucketName, e),
      })
    : Promise.resolve(undefined);
  const aggregatorTask = configAggregatorTask(rt, exec, m);
  const dnsTask = dnsQueryLogTasks(rt, m, exec);
  const athenaTask = athenaCatalogTask(m, rt, clients, exec);
  const workgroupTask = athenaWorkgroupTask(m, rt, clients, exec);
  const memberBaselineRead = memberBaselineTask(m, rt, exec, accounts, regions);
  const guardDutyRead = guardDutyOrganizationTask(m, rt, exec, regions);
  const logBucketIntents = m.logBuckets ?? [];
  rt.progress?.add(logBucketIntents.length);
  const logBucketTasks = logBucketIntents.map((b) =>
    exec<ObservedLogBucket>({
      account: b.accountId,
      region: b.region,
      service: "s3",
      run: () => collectLogBucket(clients.get(S3Client, b.accountId, b.region), b),
      unreadable: (e) => unreadableLogBucket(b, e),
    }),
  );
  const [
    cloudTrail,
    logGroup,
    cis,
    archive,
    key,
    manifestParameter,
    flowLogBucket,
    configAggregator,
    athenaCatalog,
    athenaWorkgroup,
    logBuckets,
    keys,
    roles,
    detectionPipeline,
    memberBaseline,
    dnsQueryLogs,
    guardDutyOrganization,
    auditAgent,
    inspectorOrganization,
    securityHub,
  ] = await Promise.all([
    trailTask,
    logGroupTask,
    cisTask,
    archiveTask,
    keyTask,
    manifestParameterTask,
    flowLogTask,
    aggregatorTask,
    athenaTask,
    workgroupTask,
    m.logBuckets ? Promise.all(logBucketTasks) : Promise.resolve(undefined),
    otherKeysTask,
    rolesTask,
    detectionPipelineTask(rt, exec, m),
    memberBaselineRead,
    dnsTask,
    guardDutyRead,
    auditAgentTask(rt, exec, m),
    inspectorOrganizationTasks(rt, m, exec, regions),
    securityHubOrganizationTask(m, rt, exec),
  ]);
  return {
    organization,
    cloudTrail,
    archive,
    key,
    ...(m.keys ? { keys } : {}),
    ...(m.roles ? { roles } : {}),
    logGroup,
    cis,
    manifestParameter,
    ...(flowLogBucket ? { flowLogBucket } : {}),
    ...(configAggregator ? { configAggregator } : {}),
    ...(athenaCatalog ? { athenaCatalog } : {}),
    ...(athenaWorkgroup ? { athenaWorkgroup } : {}),
    ...(logBuckets ? { logBuckets } : {}),
    ...(detectionPipeline ? { detectionPipeline } : {}),
    ...(memberBaseline ? { memberBaseline } : {}),
    ...(dnsQueryLogs ? { dnsQueryLogs } : {}),
    ...(guardDutyOrganization ? { guardDutyOrganization } : {}),
    ...(auditAgent ? { auditAgent } : {}),
    ...(inspectorOrganization ? { inspectorOrganization } : {}),
    ...(securityHub ? { securityHub } : {}),
    unreachableAccounts,
    accounts,
  };
}

/** The organization's Config aggregator, where the manifest's pipeline area says infra laid it. */
function configAggregatorTask(
  rt: CollectRuntime,
  exec: ReturnType<typeof executor>,
  m: AuditManifest,
): Promise<ObservedConfigAggregator | undefined> {
  const a = m.pipeline?.config?.aggregator;
  if (!a) return Promise.resolve(undefined);
  rt.progress?.add(1);
  return exec({
    account: a.accountId,
    region: a.region,
    service: "config",
    run: () =>
      collectConfigAggregator(
        rt.clients.get(ConfigServiceClient, a.accountId, a.region),
        a.accountId,
        a.region,
        a.name,
      ),
    unreadable: (e) => unreadableConfigAggregator(a.name, a.accountId, a.region, e),
  });
}

export interface AccountsTarget {
  manifest: AuditManifest;
  now: Date;
  accounts: string[];
  regions: string[];
  /** GetTrailStatus LatestDigestDeliveryTime from the shared collection: the digest chains must reach it. */
  latestDigestDeliveryTime?: string;
}

export async function collectAccounts(rt: CollectRuntime, t: AccountsTarget): Promise<AccountsCollection> {
  const m = t.manifest;
  const home = m.regions.home;
  const unreachable: Record<string, CollectError> = {};
  const exec = executor(rt, unreachable);
  const logArchive = m.organization.logArchiveAccountId;
  rt.progress?.add(1 + t.accounts.length * t.regions.length);
  const deliveriesTask = exec({
    account: logArchive,
    region: home,
    service: "s3",
    run: () =>
      collectDeliveries(
        rt.clients.get(S3Client, logArchive, home),
        logArchive,
        home,
        archiveTarget(m, t.accounts, t.regions, t.now),
      ),
    unreadable: (e) =>
      Object.fromEntries(
        t.accounts.map((a) => [a, Object.fromEntries(t.regions.map((r) => [r, failed<string | undefined>(e)]))]),
      ),
  });
  const forwarding = m.detectionPipeline && forwardingRuleNames(m.detectionPipeline.namePrefix);
  const network = { flowLogs: m.flowLogs !== undefined, dnsQueryLogAssociations: m.dnsQueryLogs !== undefined };
  const detectionTasks = t.accounts.flatMap((account) =>
    t.regions.map((region) =>
      exec({
        account,
        region,
        service: "detection",
        run: () => collectRegionDetection(rt.clients, account, region, forwarding, network),
        unreadable: (e) => unreadableRegionDetection(account, region, e),
      }),
    ),
  );
  // As the log auditor role, not the read role.
  const integrityTask = collectIntegrity(rt.clients, rt.creds, {
    manifest: m,
    now: t.now,
    accounts: t.accounts,
    regions: t.regions,
    concurrency: rt.concurrency,
    latestDigestDeliveryTime: t.latestDigestDeliveryTime,
  });
  const memberRolesRead = memberRolesReads(rt, exec, m, t.accounts);
  const [newestDeliveryByAccount, detection, integrity, memberRoleStates] = await Promise.all([
    deliveriesTask,
    Promise.all(detectionTasks),
    integrityTask,
    memberRolesRead,
  ]);
  // The log-archive account entered for the listing belongs to this batch only if it is one of its accounts; its own failure is in every listing.
  const unreachableAccounts = Object.fromEntries(Object.entries(unreachable).filter(([a]) => t.accounts.includes(a)));
  return {
    detection,
    newestDeliveryByAccount,
    unreachableAccounts,
    ...(integrity ? { integrity } : {}),
    ...(memberRoleStates ? { memberRoles: memberRoleStates.flat() } : {}),
  };
}

/** One IAM task per account that gets the member baseline (home region; IAM is global), when the manifest has `roles.perAccount`. */
function memberRolesReads(
  rt: CollectRuntime,
  exec: ReturnType<typeof executor>,
  m: AuditManifest,
  accounts: string[],
): Promise<ObservedRole[][] | undefined> {
  const input = m.roles?.perAccount && memberRolesInputOf(m);
  if (!input) return Promise.resolve(undefined);
  const excluded = m.stackSet?.excludeAccounts ?? [];
  const read = accounts.filter((a) => !excluded.includes(a));
  rt.progress?.add(read.length);
  return Promise.all(read.map((a) => exec(memberRolesTask(rt.clients, a, memberRoles(input, a), m.regions.home))));
}

function archiveTarget(m: AuditManifest, accounts: string[], regions: string[], now: Date): ArchiveTarget {
  return {
    bucketName: m.archive.bucketName,
    organizationId: m.organization.id,
    accounts,
    regions,
    now,
    maxAgeMinutes: m.thresholds.deliveryMaxAgeMinutes,
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

function unreadableArchive(bucketName: string, e: CollectError): ObservedArchiveBucket {
  return {
    bucketName,
    policy: failed(e),
    objectLock: failed(e),
    versioning: failed(e),
    encryption: failed(e),
    publicAccessBlock: failed(e),
    ownership: failed(e),
    newestDeliveryByAccount: {},
  };
}
