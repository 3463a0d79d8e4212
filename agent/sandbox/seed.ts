/**
 * Seeds a sandbox organization into a moto server from the baseline/ documents and returns the
 * matching audit manifest. Used by the agent's scenario tests and by `npm run demo`.
 */
import { seedDetectionPipeline } from "./seed-detection-pipeline";
import { athenaResultsKeyPolicyDocument, dnsQueryLogConfigName, dnsQueryLogKeyPolicyDocument } from "./layout";
import { sandboxAthena, seedAthenaCatalog, seedAthenaWorkgroup } from "./seed-athena";
import { seedAthenaResults } from "./seed-athena-results";
import { seedDnsQueryLogs } from "./seed-dns";
import { seedNetwork } from "./seed-network";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { AuditManifest } from "../../baseline";
import { applyDrift, type SandboxDrift } from "./drifts";
import { cisAlarmsIntent, pipelineIntent, type DetectionPipelineManifest } from "../../baseline/detection";
import {
  allAccounts,
  flowLogKeyPolicyDocument,
  configKeyPolicyDocument,
  loggingNames,
  SANDBOX,
  sandboxCisTopicArn,
  sandboxManifest,
  SANDBOX_GUARDDUTY,
  sandboxPipeline,
  sandboxAuditAgent,
  type SandboxAccounts,
  type SandboxOus,
} from "./layout";
import { CT_CONFIG_RECORDER_NAME, CT_DELIVERY_CHANNEL_NAME } from "../../baseline/control-tower";
import { seedCisAlarms } from "./seed-cis";
import { CONFIG_KEY_ALIAS, intent, seedOtherKeys } from "./seed-keys";
import { seedBaselineRoles } from "./seed-roles";
import { seedAgentRoles, seedAnalystRole, type AgentRolesInput } from "./seed-agent-roles";
import { seedGuardDutyAdmin } from "./seed-guardduty";
import { seedConfigAggregator, seedDetection, seedInspectorOrganization } from "./seed-detection";
import { seedSecurityHubOrganization } from "./seed-securityhub";
import { securityHubIntent } from "../../baseline/detection/security-hub";
import { sandboxSecurityHub } from "./layout";
import { seedLogBucketSettings } from "./seed-log-buckets";
import { seedManifestParameter } from "./seed-manifest";
import { seedStackSet } from "./seed-stackset";
import { seedAuditAgent } from "./seed-audit-agent";
import { seedBuckets, seedKey, seedLogGroup, seedTrail } from "./seed-logging";
import { seedOrganization, seedRoles, seedScps } from "./seed-org";
import { seedOrganizationSettings } from "./seed-org-settings";
import { SANDBOX_CREDENTIALS, SandboxSession, type StaticCredentials } from "./session";

export type { SandboxDrift } from "./drifts";

export interface SeedOptions {
  /** moto server URL, e.g. http://127.0.0.1:5123 */
  endpoint: string;
  /** Home region (trail, key, buckets, log group). */
  region?: string;
  /** Governed regions; must contain the home region. Default: home region and eu-west-1. */
  governedRegions?: string[];
  stack?: string;
  /** Drifts applied after the clean sandbox is laid, in order. */
  drifts?: SandboxDrift[];
  /** Where to write the manifest as JSON (directories are created). */
  manifestPath?: string;
  /**
   * Lay what an AWS Control Tower landing zone has and publish the manifest infra publishes under
   * controlTower.enabled: Control Tower's trail, log group and log buckets (no Object Lock), its
   * Config recorder in every account but the management account, which keeps orgwarden's.
   */
  controlTower?: boolean;
}

export interface Sandbox {
  endpoint: string;
  stack: string;
  region: string;
  governedRegions: string[];
  orgId: string;
  rootId: string;
  ous: SandboxOus;
  accounts: SandboxAccounts;
  /** Management-account credentials (moto's default account): what the agent starts from. */
  credentials: StaticCredentials;
  key: { arn: string; id: string; grantId: string };
  /** The first SCP ("protect logging"), the one the scp-detached drift detaches. */
  scpId: string;
  scpIds: string[];
  buckets: { archive: string; accessLogs: string; config: string };
  trailName: string;
  /** GuardDuty detector ids by "<account>/<region>". */
  detectors: Record<string, string>;
  manifest: AuditManifest;
  manifestPath?: string;
  /** Account ids of accounts created by drifts (e.g. createUnenrolledAccount). */
  extraAccounts: string[];
  session: SandboxSession;
  /** The log-archive account's Resolver query logging configuration id by governed region (none where a drift left it out). */
  dnsQueryLogConfigIds: Record<string, string>;
}

/** moto's default account: the static "testing" key acts here, so it is the management account. */
export const MOTO_DEFAULT_ACCOUNT = "123456789012";

function validate(o: SeedOptions): { region: string; governed: string[]; stack: string } {
  const region = o.region ?? "us-east-1";
  const governed = o.governedRegions ?? [region, ...(region === "eu-west-1" ? [] : ["eu-west-1"])];
  const re = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;
  for (const r of [region, ...governed])
    if (!re.test(r)) throw new Error(`seedSandboxOrganization: region "${r}" is not an AWS region such as us-east-1`);
  if (!governed.includes(region))
    throw new Error(
      `seedSandboxOrganization: governedRegions must contain the home region "${region}", got ${JSON.stringify(governed)}`,
    );
  for (const d of o.drifts ?? []) {
    if (d.kind === "object-lock-days" && (!Number.isInteger(d.days) || d.days < 1)) {
      throw new Error(`seedSandboxOrganization: drift object-lock-days needs days, an integer ≥ 1, got ${d.days}`);
    }
  }
  const stack = o.stack ?? "sandbox";
  if (!/^[a-z0-9-]{1,20}$/.test(stack))
    throw new Error(
      `seedSandboxOrganization: stack "${stack}" must be 1-20 lower-case letters, digits or dashes (it goes into bucket names)`,
    );
  return { region, governed, stack };
}

export async function seedSandboxOrganization(options: SeedOptions): Promise<Sandbox> {
  const { region, governed, stack } = validate(options);
  const session = new SandboxSession(options.endpoint, MOTO_DEFAULT_ACCOUNT, SANDBOX.deployRoleName);
  const org = await seedOrganization(session, region, stack);
  await seedOrganizationSettings(session, region, org.accounts);
  const everyone = allAccounts(org.accounts);
  const controlTower = options.controlTower === true;
  const ctx = { session, stack, home: region, governed, orgId: org.orgId, accounts: org.accounts, controlTower };
  const names = loggingNames({ stack, homeRegion: region, accounts: org.accounts, controlTower });
  await seedRoles(session, region, stack, org.orgId, org.accounts, everyone);
  const scpIds = await seedScps(
    session,
    region,
    stack,
    org.rootId,
    controlTower ? { logArchive: org.accounts.logArchive, homeRegion: region } : undefined,
  );
  const scpId = scpIds[0];
  const key = await seedKey(ctx);
  const lowered = (options.drifts ?? []).find(
    (d): d is Extract<SandboxDrift, { kind: "object-lock-days" }> => d.kind === "object-lock-days",
  );
  const dnsSkipped = (options.drifts ?? []).flatMap((d) =>
    d.kind === "dns-query-log-config-missing" ? [d.region] : [],
  );
  // Before seedBuckets: the DNS query-log bucket is access-logged there with the other sources.
  const { dnsQueryLogKeyArn } = await seedDnsQueryLogs({ ...ctx, skipRegions: dnsSkipped });
  const { flowLogKeyArn, configKeyArn } = await seedBuckets(ctx, key.keyArn, everyone, lowered?.days);
  const pipeline = sandboxPipeline({
    stack,
    homeRegion: region,
    governedRegions: governed,
    accounts: org.accounts,
    configKeyArn,
  });
  const { logGroupKeyArn } = await seedLogGroup(ctx);
  await seedCisAlarms({
    session,
    account: org.accounts.management,
    region,
    logGroupName: names.logGroupName,
    intent: cisAlarmsIntent(sandboxCisTopicArn({ homeRegion: region, accounts: org.accounts })),
  });
  await seedTrail(ctx, key.keyArn);
  // The log group's key is laid with the log group (seed-logging.ts); the manifest lists it with the other keys.
  const otherKeys = await seedOtherKeys({ ...ctx, existing: { "log-group-key": logGroupKeyArn } });
  const roles = await seedBaselineRoles(ctx, key.keyArn);
  // The Config and flow-log keys are laid with their buckets (seed-logging.ts), as infra lays them.
  const docIds = { stack, homeRegion: region, orgId: org.orgId, accounts: org.accounts, controlTower };
  otherKeys.push(
    intent(
      {
        name: "config-key",
        purpose: "the AWS Config bucket's key",
        aliasName: CONFIG_KEY_ALIAS,
        policy: configKeyPolicyDocument(docIds),
      },
      configKeyArn,
    ),
    intent(
      {
        name: "flow-log-key",
        purpose: "the VPC Flow Logs bucket's key",
        aliasName: SANDBOX.flowLogKeyAlias(stack),
        policy: flowLogKeyPolicyDocument(docIds),
      },
      flowLogKeyArn,
    ),
    intent(
      {
        name: "dns-query-log-key",
        purpose: "the DNS query-log bucket's key",
        aliasName: SANDBOX.dnsQueryLogKeyAlias(stack),
        policy: dnsQueryLogKeyPolicyDocument(docIds),
      },
      dnsQueryLogKeyArn,
    ),
  );
  const detectors: Record<string, string> = {};
  for (const account of everyone) {
    for (const r of governed) {
      const d = await seedDetection(session, {
        account,
        region: r,
        isHome: r === region,
        guardDuty: SANDBOX_GUARDDUTY,
        // Control Tower's recorder and channel deliver to its log-archive bucket; the management account keeps orgwarden's.
        ...(controlTower && account !== org.accounts.management
          ? {
              recorderName: CT_CONFIG_RECORDER_NAME,
              deliveryChannel: {
                ...pipeline.config!.deliveryChannel,
                name: CT_DELIVERY_CHANNEL_NAME,
                s3BucketName: names.archive,
              },
            }
          : { deliveryChannel: pipeline.config!.deliveryChannel }),
      });
      detectors[`${account}/${r}`] = d.detectorId;
    }
  }
  await seedInspectorOrganization(session, {
    management: org.accounts.management,
    security: org.accounts.security,
    members: everyone.filter((a) => a !== org.accounts.management && a !== org.accounts.security),
    regions: governed,
    resourceTypes: SANDBOX.inspectorResourceTypes,
  });
  const { dnsQueryLogConfigIds } = await seedNetwork({
    session,
    governed,
    accounts: everyone,
    logArchive: org.accounts.logArchive,
    flowLogBucket: names.flowLogs,
    dnsConfigName: dnsQueryLogConfigName(stack),
    skipAssociationRegions: (options.drifts ?? []).flatMap((d) =>
      d.kind === "dns-query-log-association-missing" ? [d.region] : [],
    ),
  });
  await seedConfigAggregator(session, pipeline.config!.aggregator);
  // After the detectors, as infra orders it: designating first would create the administrator's detector behind its back.
  await seedGuardDutyAdmin(session, org.accounts.management, org.accounts.security, governed);
  await seedSecurityHubOrganization(session, {
    managementAccountId: org.accounts.management,
    securityAccountId: org.accounts.security,
    intent: securityHubIntent({ area: sandboxSecurityHub(stack), homeRegion: region, regions: governed }),
  });
  const detectionPipeline = await seedDetectionPipeline(session, {
    namePrefix: SANDBOX.namePrefix,
    agentRoleName: SANDBOX.agentRoleName,
    emails: SANDBOX.alertEmails,
    orgId: org.orgId,
    homeRegion: region,
    managementAccountId: org.accounts.management,
    securityAccountId: org.accounts.security,
    accounts: everyone,
    regions: governed,
    // The topics encrypt with the alert keys seed-keys.ts laid (and the manifest's keys.others lists).
    keyArns: {
      "security-alerts": keyArnOf(otherKeys, "orgwarden-security-alerts-key"),
      "cis-alarms": keyArnOf(otherKeys, "orgwarden-cis-alarms-key"),
    },
  });
  // The results key is laid with its bucket, as infra lays it; the manifest lists it with the other keys, and the workgroup encrypts with it.
  const { athenaResultsKeyArn } = await seedAthenaResults(ctx);
  otherKeys.push(
    intent(
      {
        name: "athena-results-key",
        purpose: "the Athena query results bucket's key",
        aliasName: SANDBOX.athenaResultsKeyAlias(stack),
        policy: athenaResultsKeyPolicyDocument(docIds),
      },
      athenaResultsKeyArn,
    ),
  );
  const athena = sandboxAthena({
    stack,
    orgId: org.orgId,
    governedRegions: governed,
    archiveBucketName: names.archive,
    flowLogBucketName: names.flowLogs,
    managementAccountId: org.accounts.management,
    securityAccountId: org.accounts.security,
    resultsKeyArn: athenaResultsKeyArn,
  });
  await seedAthenaCatalog(session, org.accounts.security, region, athena);
  await seedAthenaWorkgroup(session, org.accounts.security, region, athena.workgroup);
  // The agent's schedule, alarms and log groups (security account), under the agent log key seed-keys.ts laid.
  const auditAgent = sandboxAuditAgent(
    { stack, homeRegion: region, accounts: org.accounts },
    keyArnOf(otherKeys, "audit-agent-logs-key"),
  );
  await seedAuditAgent(session, org.accounts.security, region, auditAgent);
  // The agent's roles and (never under Control Tower, as infra/program.ts has no Athena there) the analyst role.
  roles.push(...(await seedAgentRoles(ctx, agentNotifications(detectionPipeline, org, region))));
  if (!controlTower)
    roles.push(
      await seedAnalystRole(ctx, {
        athena,
        archive: { bucketName: names.archive, keyArn: key.keyArn },
        flowLogs: { bucketName: names.flowLogs, keyArn: flowLogKeyArn },
        results: { bucketName: names.athenaResults, keyArn: athenaResultsKeyArn },
      }),
    );
  const manifest = sandboxManifest({
    athena,
    stack,
    homeRegion: region,
    governedRegions: governed,
    orgId: org.orgId,
    rootId: org.rootId,
    ous: org.ous,
    accounts: org.accounts,
    keyArn: key.keyArn,
    flowLogKeyArn,
    configKeyArn,
    dnsQueryLogKeyArn,
    athenaResultsKeyArn,
    scpIds,
    otherKeys,
    roles,
    controlTower,
    detectionPipeline,
    auditAgent,
  });
  await seedLogBucketSettings(session, manifest.logBuckets!);
  await seedStackSet({
    session,
    management: org.accounts.management,
    home: region,
    regions: [region, ...governed.filter((r) => r !== region)],
    intent: manifest.stackSet!,
  });
  await seedManifestParameter(session, manifest);
  const sandbox: Sandbox = {
    endpoint: options.endpoint,
    stack,
    region,
    governedRegions: governed,
    ...org,
    credentials: SANDBOX_CREDENTIALS,
    key: { arn: key.keyArn, id: key.keyId, grantId: key.grantId },
    scpId,
    scpIds,
    buckets: { archive: names.archive, accessLogs: names.accessLogs, config: names.config },
    trailName: names.trailName,
    detectors,
    manifest,
    extraAccounts: [],
    session,
    dnsQueryLogConfigIds,
  };
  for (const drift of options.drifts ?? []) await applyDrift(sandbox, drift);
  if (options.manifestPath) {
    writeManifest(options.manifestPath, manifest);
    sandbox.manifestPath = options.manifestPath;
  }
  return sandbox;
}

export function writeManifest(path: string, manifest: AuditManifest): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(manifest, null, 2)}\n`);
}

/** The security-alerts topic, its key and the central bus, as the pipeline seed laid them: where the agent notifies. */
function agentNotifications(
  area: DetectionPipelineManifest,
  org: { orgId: string; accounts: SandboxAccounts },
  region: string,
): AgentRolesInput {
  const { digest: _digest, ...base } = area;
  const i = pipelineIntent(base, {
    orgId: org.orgId,
    homeRegion: region,
    managementAccountId: org.accounts.management,
    securityAccountId: org.accounts.security,
  });
  const topic = i.topics.find((t) => t.role === "security-alerts")!;
  return { alertTopic: { topicArn: topic.arn, keyArn: topic.keyArn }, eventBusArn: i.bus.arn };
}

function keyArnOf(keys: { name: string; arn: string }[], name: string): string {
  const k = keys.find((x) => x.name === name);
  if (!k) throw new Error(`sandbox: seed-keys.ts laid no key named ${name}`);
  return k.arn;
}
