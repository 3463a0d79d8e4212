import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { trailArn as trailArnOf } from "../baseline";
import { AccessLogBucket } from "./access-log-bucket";
import { ArchiveBucket } from "./archive-bucket";
import { AuditAgent } from "./audit-agent";
import { longestRunSeconds, runAlarmPeriodSeconds, runIntervalSeconds } from "./audit-run-alarms";
import { AuditDashboard } from "./audit-dashboard";
import { ObservabilityLink, ObservabilitySink } from "./observability-link";
import { AuditManifest, publishedWaivers } from "./audit-manifest";
import { eventForwarderRoleName, forwardingRuleNamePrefix } from "../baseline/detection/stackset-template";
import { loadStackConfig, type OrgwardenConfig } from "./config";
import {
  configBucketName,
  DetectionBaseline,
  type DetectionConfig,
  memberBaselineName,
  parseDetectionConfig,
} from "./detection";
import { laterKey, laterRole } from "./laid-key";
import { homeFirst } from "./detection/providers";
import { LogAuditorRole } from "./log-auditor-role";
import { LogGroupKey } from "./log-group-key";
import { dnsQueryLogBucketName, FlowLogBucket, flowLogBucketName, flowLogKeyAlias } from "./network";
import { dnsQueryLogs } from "./network/dns-query-logs-wiring";
import {
  dnsAssociationDocumentName,
  dnsAssociationEventRoleName,
  dnsAssociationRoleName,
  dnsAssociationRuleName,
  flowLogDocumentName,
  flowLogRemediationRoleName,
} from "../baseline/network";
import type { DnsQueryLogs } from "./network/dns-query-logs";
import { LogKey } from "./log-key";
import { logAnalytics, analystRoleNames } from "./athena/wiring";
import { LoggingScp } from "./logging-scp";
import {
  auditAgentIntent,
  auditManifestDocument,
  detectionPipelineIntent,
  memberRolesArea,
  pipelineIntent,
} from "./manifest-document";
import {
  accessLogPrefix,
  AUDIT_REPORT_PREFIX,
  auditAgentFunctionName,
  auditManifestParameterName,
  bucketNames,
  LOG_GROUP_ALIAS_SUFFIX,
} from "./naming";
import { OrgTrail } from "./org-trail";
import { controlTowerRefs, type ControlTowerRefs } from "./control-tower";
import { Organization } from "./organization";
import { isAbsolute } from "node:path";
import { AccountProviders } from "./providers";

/** The program: config is read once, then every component gets the provider of the account it deploys into. */
export async function main(): Promise<Record<string, unknown>> {
  const { cfg, detection } = loadStackConfig();
  // The directory of Pulumi.yaml; the mock runtime reports a placeholder ("rootDirectory"), and runs from the project directory.
  const root = pulumi.runtime.getRootDirectory();
  return deploy(cfg, detection, { projectDir: isAbsolute(root) ? root : process.cwd() });
}

export interface DeployOptions {
  /** Where orgwarden:audit.waiversFile is resolved (the directory of Pulumi.yaml); default the working directory. */
  projectDir?: string;
}

/**
 * Member accounts that exist before the detection services are delegated, so auto-enable would
 * never reach them: in adopt mode every ACTIVE account the organization lists today except the
 * management and security accounts; a log-archive account this program creates (in either mode) is
 * one too, since it joins before the delegations. New accounts later are auto-enabled.
 */
async function existingMemberAccounts(cfg: OrgwardenConfig, management: aws.Provider): Promise<string[]> {
  if (cfg.organization.mode !== "adopt") return [];
  const org = await aws.organizations.getOrganization({}, { provider: management });
  const own = new Set([cfg.managementAccountId, cfg.security.accountId]);
  return (org.accounts ?? [])
    .filter((a) => a.state === "ACTIVE" && !own.has(a.id))
    .map((a) => a.id)
    .sort();
}

/** Names derived from config alone, so they are known at preview and shared by the components that need them. */
interface Names {
  buckets: ReturnType<typeof bucketNames>;
  /** The Config bucket (log-archive account); its access logs go to the foundation's access-log bucket. */
  configBucket: string;
  trailArn: string;
  /** The flow-log bucket (log-archive account); undefined when network.flowLogs.enabled is false. */
  flowLogBucket: string | undefined;
  /** Control Tower's trail, archive and key, referenced instead of laid (controlTower.enabled). */
  controlTower: ControlTowerRefs | undefined;
  /** The DNS query-log bucket (log-archive account); undefined when network.dnsQueryLogs.enabled is false. */
  dnsQueryLogBucket: string | undefined;
}

export async function deploy(
  cfg: OrgwardenConfig,
  detectionConfig: DetectionConfig = parseDetectionConfig({}),
  options: DeployOptions = {},
): Promise<Record<string, unknown>> {
  // Read first: a bad waivers file or alarm period fails the program before any resource is declared.
  const waivers = publishedWaivers(cfg.audit.waiversFile, options.projectDir ?? process.cwd());
  const runPeriod = runAlarmPeriodSeconds(
    cfg.audit.schedule,
    cfg.audit.runAlarmPeriodHours,
    longestRunSeconds(cfg.audit.engine),
  );
  const ct = controlTowerRefs(cfg);
  const names: Names = {
    buckets: bucketNames({
      bucketPrefix: cfg.logArchive.bucketPrefix,
      stack: cfg.stack,
      managementAccountId: cfg.managementAccountId,
    }),
    configBucket: configBucketName(detectionConfig.namePrefix, cfg.stack, cfg.managementAccountId),
    trailArn: ct?.trailArn ?? trailArnOf(cfg.homeRegion, cfg.managementAccountId, cfg.trail.name),
    flowLogBucket: cfg.network.flowLogs.enabled
      ? flowLogBucketName(cfg.logArchive.bucketPrefix, cfg.stack, cfg.managementAccountId)
      : undefined,
    controlTower: ct,
    dnsQueryLogBucket: cfg.network.dnsQueryLogs.enabled
      ? dnsQueryLogBucketName(cfg.logArchive.bucketPrefix, cfg.stack, cfg.managementAccountId)
      : undefined,
  };
  const providers = new AccountProviders({
    stack: cfg.stack,
    homeRegion: cfg.homeRegion,
    managementAccountId: cfg.managementAccountId,
    deployRoleName: cfg.deployRoleName,
    tags: cfg.tags,
  });
  const existingMembers = await existingMemberAccounts(cfg, providers.management);
  const org = organization(cfg, providers);
  const logging = names.controlTower
    ? controlTowerLogging(cfg, names, providers, org)
    : loggingFoundation(cfg, names, providers, org);
  const flowLogs = flowLogBucket(cfg, names, providers, org, logging.accessLogs);
  const dns = dnsQueryLogs(cfg, names.dnsQueryLogBucket, providers, org, logging.accessLogs);
  const detection = detectionBaseline(
    cfg,
    detectionConfig,
    providers,
    org,
    logging,
    names.configBucket,
    flowLogs,
    dns,
    [
      ...existingMembers,
      // A log-archive account created here joins before the delegations: auto-enable would miss it.
      ...(cfg.logArchive.accountId ? [] : [org.logArchiveAccountId]),
    ],
  );
  const scp = loggingScp(cfg, names, detectionConfig, providers, org);
  // Under Control Tower no log auditor: CT's bucket policy admits no reader orgwarden could add (docs/control-tower.md).
  const logAuditor = logging.key ? logAuditorRole(cfg, names, providers, org, logging.key) : undefined;
  // Never under Control Tower (a config rule refuses athena.enabled there): no orgwarden log key.
  const athena = logging.key
    ? logAnalytics(cfg, names.buckets.archive, providers, org, logging.key, flowLogs)
    : undefined;
  const agentKey = laterKey();
  const agentRole = laterRole();
  // The step-functions engine's state machine and schedule roles, laid with the agent after the manifest.
  const engineRoles = cfg.audit.engine === "step-functions" ? [laterRole(), laterRole()] : [];
  const document = auditManifestDocument(cfg, {
    org,
    ...(logging.key ? { key: logging.key } : {}),
    ...(logging.archive ? { archive: logging.archive } : {}),
    ...(logAuditor ? { logAuditor } : {}),
    scp,
    accessLogs: logging.accessLogs,
    config: detection.configBucket,
    ...names,
    cisAlarmTopicArn: detection.managementTopicArn,
    stackSet: detection.stackSetIntent,
    guardDuty: detection.guardDutyIntent,
    delegatedServices: detection.delegatedServices,
    inspector: detection.inspectorIntent,
    securityHub: detection.securityHubArea,
    pipeline: pipelineIntent({
      namePrefix: detectionConfig.namePrefix,
      homeRegion: cfg.homeRegion,
      regions: homeFirst(cfg.homeRegion, cfg.governedRegions),
      configBucketName: names.configBucket,
      configKeyArn: detection.configKeyArn,
      deliveryFrequency: detectionConfig.config.deliveryFrequency,
      securityAccountId: org.securityAccountId,
    }),
    detectionPipeline: detectionPipelineIntent({
      namePrefix: detectionConfig.namePrefix,
      agentRoleName: cfg.audit.agentRoleName,
      homeRegion: cfg.homeRegion,
      emails: detectionConfig.alerts.emails,
      orgId: org.organizationId,
      managementAccountId: cfg.managementAccountId,
      securityAccountId: org.securityAccountId,
      securityTopicKeyArn: detection.securityTopicKeyArn,
      cisTopicKeyArn: detection.managementTopicKeyArn,
    }),
    perAccountRoles: memberRolesArea({
      namePrefix: detectionConfig.namePrefix,
      readRoleName: cfg.audit.readRoleName,
      agentRoleName: cfg.audit.agentRoleName,
      homeRegion: cfg.homeRegion,
      orgId: org.organizationId,
      securityAccountId: org.securityAccountId,
    }),
    waivers,
    ...(flowLogs ? { flowLogs } : {}),
    ...(athena ? { athena } : {}),
    ...(logging.logGroupKey ? { logGroupKeyArn: logging.logGroupKey.keyArn } : {}),
    // Under Control Tower the trail, its log group key and the log auditor are not orgwarden's: none is listed.
    otherKeys: [
      ...(logging.logGroupKey ? [logging.logGroupKey.laidKey] : []),
      ...detection.laidKeys,
      ...(flowLogs ? [flowLogs.laidKey] : []),
      ...(athena ? [athena.laidKey] : []),
      ...(dns ? [dns.laidKey] : []),
      agentKey.key,
    ],
    roles: [
      ...(logging.trail ? [logging.trail.laidRole] : []),
      ...(logAuditor ? [logAuditor.laidRole] : []),
      ...(athena ? [athena.laidRole] : []),
      ...detection.laidRoles,
      agentRole.role,
      ...engineRoles.map((r) => r.role),
    ],
    ...(dns ? { dnsQueryLogs: dns } : {}),
    auditAgent: auditAgentIntent({
      stack: cfg.stack,
      homeRegion: cfg.homeRegion,
      securityAccountId: org.securityAccountId,
      functionName: auditAgentFunctionName(cfg.stack),
      agentRoleName: cfg.audit.agentRoleName,
      engine: cfg.audit.engine,
      schedule: cfg.audit.schedule,
      // As auditAgent() below gives them to the component: the security-alerts topic, notifications always configured.
      topicArn: detection.securityTopicArn,
      runAlarmPeriodSeconds: runPeriod,
      notifications: true,
      logKey: agentKey.key,
    }),
  });
  const manifest = new AuditManifest(
    "audit-manifest",
    { parameterName: auditManifestParameterName(cfg.stack), manifest: document },
    { provider: providers.security },
  );
  let agent!: AuditAgent;
  agentKey.settle(() => (agent = auditAgent(cfg, names, providers, org, detection, manifest, runPeriod)).laidKey);
  agentRole.settle(() => agent.laidRole);
  engineRoles.forEach((r, n) => r.settle(() => agent.engineRoles[n]));
  const dashboard = new AuditDashboard(
    "audit-dashboard",
    {
      stack: cfg.stack,
      region: cfg.homeRegion,
      managementAccountId: cfg.managementAccountId,
      securityAccountId: org.securityAccountId,
      agentAlarmNames: agent.alarmNames,
      period: runIntervalSeconds(cfg.audit.schedule, cfg.audit.runAlarmPeriodHours),
      ...(cfg.audit.dashboard.crossAccount
        ? {
            cis: {
              link: cisMetricLink(cfg, providers),
              trailLogGroupName: cfg.trail.logGroupName,
              topicArn: detection.securityTopicArn,
            },
          }
        : {}),
    },
    { provider: providers.security },
  );
  return {
    managementAccountId: cfg.managementAccountId,
    logArchiveAccountId: org.logArchiveAccountId,
    securityAccountId: org.securityAccountId,
    organizationId: org.organizationId,
    rootId: org.rootId,
    trailArn: logging.trail?.trailArn ?? names.trailArn,
    archiveBucketName: logging.archive?.bucketName ?? names.controlTower?.logArchiveBucketName,
    accessLogBucketName: logging.accessLogs.bucketName,
    logKeyArn: logging.key?.keyArn ?? names.controlTower?.kmsKeyArn,
    // No trail log group key under Control Tower: the log group is Control Tower's.
    ...(logging.logGroupKey ? { logGroupKeyArn: logging.logGroupKey.keyArn } : {}),
    scpId: scp.policyId,
    stackSetName: detection.stackSetName,
    configBucketName: detection.configBucketName,
    centralBusArn: detection.centralBusArn,
    securityTopicArn: detection.securityTopicArn,
    cisAlarmTopicArn: detection.managementTopicArn,
    auditManifest: manifest.manifest,
    auditAgentFunctionName: agent.functionName,
    auditReportBucketName: agent.reportBucketName,
    // Only with the step-functions engine (audit.engine).
    ...(agent.stateMachineArn ? { auditStateMachineArn: agent.stateMachineArn } : {}),
    auditDashboardName: dashboard.dashboardName,
    ...(flowLogs ? { flowLogBucketName: flowLogs.bucketName, flowLogKeyArn: flowLogs.keyArn } : {}),
    ...(athena ? { athenaWorkgroupName: athena.workgroup.name, logAnalystRoleArn: athena.analystRoleArn } : {}),
    ...(dns ? { dnsQueryLogBucketName: dns.bucketName, dnsQueryLogKeyArn: dns.keyArn } : {}),
  };
}

/** The management account's CIS metrics, linked to the security account's sink (infra/observability-link.ts). */
function cisMetricLink(cfg: OrgwardenConfig, providers: AccountProviders): ObservabilityLink {
  const sink = new ObservabilitySink(
    "cis-metrics-sink",
    { stack: cfg.stack, sourceAccountId: cfg.managementAccountId },
    { provider: providers.security },
  );
  return new ObservabilityLink(
    "cis-metrics-link",
    { sinkArn: sink.sinkArn, sinkPolicy: sink.policy },
    { provider: providers.management },
  );
}

/** The organization, its OUs and the two member accounts; the member providers are bound to their ids. */
function organization(cfg: OrgwardenConfig, providers: AccountProviders): Organization {
  const org = new Organization(
    "org",
    {
      mode: cfg.organization.mode,
      organizationId: cfg.organization.id,
      rootId: cfg.organization.rootId,
      ous: cfg.organization.ous,
      securityOu: cfg.organization.securityOu,
      existingOuIds: cfg.organization.existingOuIds,
      logArchive: cfg.logArchive,
      security: cfg.security,
      deployRoleName: cfg.deployRoleName,
    },
    { provider: providers.management },
  );
  providers.bindMemberAccounts({ logArchive: org.logArchiveAccountId, security: org.securityAccountId });
  return org;
}

/** The log key, the two log buckets, the trail log group's key and the organization trail. */
function loggingFoundation(
  cfg: OrgwardenConfig,
  { buckets, configBucket, trailArn, flowLogBucket, dnsQueryLogBucket }: Names,
  providers: AccountProviders,
  org: Organization,
): Required<LoggingParts> {
  const key = new LogKey(
    "log-key",
    {
      securityAccountId: org.securityAccountId,
      managementAccountId: cfg.managementAccountId,
      trailArn,
      adminRoleNames: cfg.kms.adminRoleNames,
      auditorRoleNames: auditorRoleNames(cfg),
      auditReadRoleNames: [cfg.audit.readRoleName],
      ...(cfg.athena.enabled ? { analyst: { roleNames: analystRoleNames(cfg), region: cfg.homeRegion } } : {}),
      aliasName: cfg.kms.aliasName,
    },
    { provider: providers.security },
  );
  const accessLogs = new AccessLogBucket(
    "access-logs",
    {
      bucketName: buckets.accessLogs,
      sourceBucketName: buckets.archive,
      sourceAccountId: org.logArchiveAccountId,
      organizationId: org.organizationId,
      prefix: accessLogPrefix(buckets.archive),
      retentionDays: cfg.logArchive.accessLogRetentionDays,
      additionalSources: [configBucket, ...[flowLogBucket, dnsQueryLogBucket].filter((b) => b !== undefined)].map(
        (bucketName) => ({
          bucketName,
          prefix: accessLogPrefix(bucketName),
        }),
      ),
    },
    { provider: providers.logArchive },
  );
  const archive = new ArchiveBucket(
    "archive",
    {
      bucketName: buckets.archive,
      keyArn: key.keyArn,
      organizationId: org.organizationId,
      managementAccountId: cfg.managementAccountId,
      trailArn,
      securityAccountId: org.securityAccountId,
      auditorRoleNames: auditorRoleNames(cfg),
      ...(cfg.athena.enabled ? { analystRoleNames: analystRoleNames(cfg) } : {}),
      lockMode: cfg.logArchive.lockMode,
      retentionDays: cfg.logArchive.retentionDays,
      transitionDays: cfg.logArchive.transitionDays,
      noncurrentExpirationDays: cfg.logArchive.noncurrentExpirationDays,
      accessLogBucketName: accessLogs.bucketName,
      accessLogPrefix: accessLogPrefix(buckets.archive),
      accessLogPolicy: accessLogs.policy,
    },
    { provider: providers.logArchive },
  );
  const logGroupKey = new LogGroupKey(
    "log-group-key",
    {
      managementAccountId: cfg.managementAccountId,
      region: cfg.homeRegion,
      logGroupName: cfg.trail.logGroupName,
      adminPrincipalArns: cfg.kms.logGroupKeyAdminArns,
      auditReadRoleName: cfg.audit.readRoleName,
      aliasName: `${cfg.kms.aliasName}${LOG_GROUP_ALIAS_SUFFIX}`,
    },
    { provider: providers.management },
  );
  const trail = new OrgTrail(
    "org-trail",
    {
      trailName: cfg.trail.name,
      trailArn,
      homeRegion: cfg.homeRegion,
      managementAccountId: cfg.managementAccountId,
      archiveBucketName: archive.bucketName,
      logBucketNames: [buckets.archive, buckets.accessLogs],
      keyArn: key.keyArn,
      logGroupName: cfg.trail.logGroupName,
      logGroupRetentionDays: cfg.trail.logGroupRetentionDays,
      logGroupKey: logGroupKey.key,
      s3DataEvents: cfg.trail.s3DataEvents,
      lambdaDataEvents: cfg.trail.lambdaDataEvents,
      waitFor: [archive.policy, key.key, org.organization],
    },
    { provider: providers.management },
  );
  return { key, accessLogs, archive, logGroupKey, trail };
}

/**
 * Under Control Tower (controlTower.enabled) the trail, the archive and its access-log bucket, and the
 * key are Control Tower's: none is laid. orgwarden's access-log bucket stays, for the buckets it still
 * lays (the management account's Config bucket, the flow-log and the DNS query-log buckets).
 */
function controlTowerLogging(
  cfg: OrgwardenConfig,
  { buckets, configBucket, flowLogBucket, dnsQueryLogBucket }: Names,
  providers: AccountProviders,
  org: Organization,
): LoggingParts {
  const accessLogs = new AccessLogBucket(
    "access-logs",
    {
      bucketName: buckets.accessLogs,
      sourceBucketName: configBucket,
      sourceAccountId: org.logArchiveAccountId,
      organizationId: org.organizationId,
      prefix: accessLogPrefix(configBucket),
      retentionDays: cfg.logArchive.accessLogRetentionDays,
      additionalSources: [flowLogBucket, dnsQueryLogBucket]
        .filter((b) => b !== undefined)
        .map((bucketName) => ({ bucketName, prefix: accessLogPrefix(bucketName) })),
    },
    { provider: providers.logArchive },
  );
  return { accessLogs };
}

/** What the logging foundation laid: everything, or under Control Tower only the access-log bucket. */
interface LoggingParts {
  key?: LogKey;
  accessLogs: AccessLogBucket;
  archive?: ArchiveBucket;
  logGroupKey?: LogGroupKey;
  trail?: OrgTrail;
}

/** The roles the key and archive bucket policies let read and decrypt: the configured ones and the one infra lays. */
function auditorRoleNames(cfg: OrgwardenConfig): string[] {
  return [...new Set([...cfg.auditorRoleNames, cfg.audit.logAuditorRoleName])];
}

function logAuditorRole(
  cfg: OrgwardenConfig,
  { buckets, trailArn }: Names,
  providers: AccountProviders,
  org: Organization,
  key: LogKey,
): LogAuditorRole {
  return new LogAuditorRole(
    "log-auditor",
    {
      roleName: cfg.audit.logAuditorRoleName,
      securityAccountId: org.securityAccountId,
      orgId: org.organizationId,
      agentRoleName: cfg.audit.agentRoleName,
      archiveBucketName: buckets.archive,
      keyArn: key.keyArn,
      trailArn,
      region: cfg.homeRegion,
    },
    { provider: providers.security },
  );
}

/** The VPC Flow Logs bucket and its key (log-archive account), when network.flowLogs.enabled. */
function flowLogBucket(
  cfg: OrgwardenConfig,
  { flowLogBucket: bucketName }: Names,
  providers: AccountProviders,
  org: Organization,
  accessLogs: AccessLogBucket,
): FlowLogBucket | undefined {
  if (bucketName === undefined) return undefined;
  return new FlowLogBucket(
    "flow-logs",
    {
      bucketName,
      accountId: org.logArchiveAccountId,
      orgId: org.organizationId,
      region: cfg.homeRegion,
      securityAccountId: org.securityAccountId,
      // The Athena log analyst reads flow logs through the same reader statements (through S3, this bucket's objects only).
      readerRoleNames: [...cfg.auditorRoleNames, ...analystRoleNames(cfg)],
      keyAliasName: flowLogKeyAlias(cfg.logArchive.bucketPrefix, cfg.stack),
      retentionDays: cfg.network.flowLogs.retentionDays,
      accessLog: { bucketName: accessLogs.bucketName, prefix: accessLogPrefix(bucketName), policy: accessLogs.policy },
    },
    { provider: providers.logArchive },
  );
}

function detectionBaseline(
  cfg: OrgwardenConfig,
  config: DetectionConfig,
  providers: AccountProviders,
  org: Organization,
  { trail, accessLogs }: Pick<LoggingParts, "trail" | "accessLogs">,
  configBucket: string,
  flowLogs: FlowLogBucket | undefined,
  dns: DnsQueryLogs | undefined,
  existingMemberAccountIds: pulumi.Input<string>[],
): DetectionBaseline {
  return new DetectionBaseline("detection", {
    stack: cfg.stack,
    config,
    existingMemberAccountIds,
    homeRegion: cfg.homeRegion,
    governedRegions: cfg.governedRegions,
    managementAccountId: cfg.managementAccountId,
    logArchiveAccountId: org.logArchiveAccountId,
    securityAccountId: org.securityAccountId,
    orgId: org.organizationId,
    rootId: org.rootId,
    ouIds: Object.fromEntries(cfg.organization.ous.map((name) => [name, org.ous[name].id])),
    securityOu: cfg.organization.securityOu,
    trailLogGroupName: cfg.controlTower.enabled ? cfg.controlTower.logGroupName : cfg.trail.logGroupName,
    audit: {
      readRoleName: cfg.audit.readRoleName,
      agentRoleName: cfg.audit.agentRoleName,
      stackSetDriftMaxAgeHours: cfg.audit.stackSetDriftMaxAgeHours,
    },
    providers,
    // Trusted access and delegated-admin designations need the organization; the CIS filters need the trail's log group.
    waitFor: [org.organization],
    logGroupReady: trail ? [trail.logGroup] : [],
    configAccessLog: {
      bucketName: accessLogs.bucketName,
      prefix: accessLogPrefix(configBucket),
      policy: accessLogs.policy,
    },
    // The remediation's CreateFlowLogs checks the bucket policy: the stacks come after it.
    ...(flowLogs ? { flowLogs: { bucketArn: flowLogs.bucketArn, ready: [flowLogs.policy] } } : {}),
    // The daily sweep runs once at creation: the configurations and their RAM shares come first.
    ...(dns ? { dnsQueryLogs: { configName: dns.configName, ready: [dns] } } : {}),
    ...(cfg.controlTower.enabled ? { controlTower: true } : {}),
  });
}

function loggingScp(
  cfg: OrgwardenConfig,
  { buckets, configBucket, controlTower: ct }: Names,
  detection: DetectionConfig,
  providers: AccountProviders,
  org: Organization,
): LoggingScp {
  return new LoggingScp(
    "logging-scp",
    {
      exemptPrincipalArns: cfg.scp.exemptPrincipalArns,
      // Every name is derived from config, so the SCPs stay complete and measured at preview.
      // Under Control Tower its two buckets (no Object Lock) instead of orgwarden's archive: deleting their objects is
      // denied on top of Control Tower's own controls, which protect the buckets' configuration but not their objects.
      protectedBucketNames: ct
        ? [ct.logArchiveBucketName, ct.accessLogBucketName, buckets.accessLogs, configBucket]
        : [buckets.archive, buckets.accessLogs, configBucket],
      // The archive is under Object Lock; these are not.
      objectProtectedBucketNames: ct
        ? [ct.logArchiveBucketName, ct.accessLogBucketName, buckets.accessLogs, configBucket]
        : [buckets.accessLogs, configBucket],
      forwardingRuleNamePrefix: forwardingRuleNamePrefix(detection.namePrefix),
      manifestParameterName: auditManifestParameterName(cfg.stack),
      // The agent role and the log auditor role too: whoever rewrote their trust could enter the one role that decrypts the logs.
      baselineRoleNames: [
        cfg.audit.readRoleName,
        eventForwarderRoleName(detection.namePrefix),
        cfg.audit.agentRoleName,
        cfg.audit.logAuditorRoleName,
        // The network automation's roles, in every account when it is laid: whoever rewrote one runs as it.
        ...(cfg.network.dnsQueryLogs.enabled
          ? [dnsAssociationRoleName(detection.namePrefix), dnsAssociationEventRoleName(detection.namePrefix)]
          : []),
        ...(cfg.network.flowLogs.enabled ? [flowLogRemediationRoleName(detection.namePrefix)] : []),
      ],
      stackSetName: memberBaselineName(detection.namePrefix),
      automationRuleNames: cfg.network.dnsQueryLogs.enabled ? [dnsAssociationRuleName(detection.namePrefix)] : [],
      automationDocumentNames: [
        ...(cfg.network.dnsQueryLogs.enabled ? [dnsAssociationDocumentName(detection.namePrefix)] : []),
        ...(cfg.network.flowLogs.enabled ? [flowLogDocumentName(detection.namePrefix)] : []),
      ],
      targetId: org.rootId,
      waitFor: [org.organization],
    },
    { provider: providers.management },
  );
}

function auditAgent(
  cfg: OrgwardenConfig,
  { buckets }: Names,
  providers: AccountProviders,
  org: Organization,
  detection: DetectionBaseline,
  manifest: AuditManifest,
  runPeriod: number,
): AuditAgent {
  return new AuditAgent(
    "audit-agent",
    {
      stack: cfg.stack,
      region: cfg.homeRegion,
      securityAccountId: org.securityAccountId,
      orgId: org.organizationId,
      functionName: auditAgentFunctionName(cfg.stack),
      agentRoleName: cfg.audit.agentRoleName,
      readRoleName: cfg.audit.readRoleName,
      logAuditorRoleName: cfg.audit.logAuditorRoleName,
      manifestParameterName: auditManifestParameterName(cfg.stack),
      reportBucketName: buckets.auditReports,
      reportPrefix: AUDIT_REPORT_PREFIX,
      reportRetentionDays: cfg.audit.reportRetentionDays,
      schedule: cfg.audit.schedule,
      concurrency: cfg.audit.concurrency,
      engine: cfg.audit.engine,
      batchSize: cfg.audit.batchSize,
      maxConcurrency: cfg.audit.maxConcurrency,
      tracing: cfg.audit.tracing,
      keyAdminRoleNames: cfg.kms.adminRoleNames,
      alarmTopicArn: detection.securityTopicArn,
      // The first run must find the manifest it reads, every part of it.
      waitFor: [manifest.parameter, ...manifest.parts],
      securityHub: cfg.audit.securityHub,
      notifications: {
        topicArn: detection.securityTopicArn,
        topicKeyArn: detection.securityTopicKeyArn,
        busArn: detection.centralBusArn,
        when: cfg.audit.notifyWhen,
      },
      runAlarmPeriodSeconds: runPeriod,
    },
    { provider: providers.security },
  );
}
