/**
 * Names and documents of the sandbox organization. Every document comes from baseline/, with the
 * same defaults infra uses (infra/config-schema.ts), so the sandbox is what a fresh `pulumi up` would lay.
 */
import type { InspectorResourceType } from "../../baseline/detection/inspector";
import {
  dnsQueryLogBucketPolicy,
  dnsQueryLogKeyPolicy,
  flowLogBucketPolicy,
  flowLogKeyPolicy,
} from "../../baseline/network";
import {
  resultsBucketPolicy,
  resultsKeyPolicy,
  resultsLifecycle,
  type AthenaManifest,
  type ResultsPolicyInput,
} from "../../baseline/athena";
import {
  accessLogBucketPolicy,
  archiveBucketPolicy,
  archiveLifecycle,
  auditReportBucketPolicy,
  expiringLifecycle,
  buildAuditManifest,
  cloudTrailLogsRolePolicy,
  cloudTrailLogsTrustPolicy,
  logKeyPolicy,
  securityBaselineScps,
  roleArn,
  topicArn,
  trailArn,
  type AuditManifest,
  type PolicyDocument,
} from "../../baseline";
import { memberBaselineName, type StackSetIntent } from "../../baseline/stackset";
import { auditAgentArea } from "../../baseline/audit-agent-deployment";
import { securityHubPolicyName, type SecurityHubArea } from "../../baseline/detection/security-hub";
import { cisAlarmsIntent, configBucketPolicy, configKeyPolicy, memberDeliveryChannel } from "../../baseline/detection";
import { configAggregatorSpec } from "../../baseline/pipeline";
import { DEFAULT_GUARDDUTY_FEATURES, guardDutyIntent, type GuardDutyIntent } from "../../baseline/detection/guardduty";
import {
  delegatedServicePrincipals,
  ORG_SERVICE_ACCESS_PRINCIPALS,
  organizationSettingsArea,
} from "../../baseline/organization";
import {
  CT_CONFIG_RECORDER_NAME,
  CT_DELIVERY_CHANNEL_NAME,
  CT_EXECUTION_ROLE_NAME,
  CT_LOG_GROUP_NAME,
  CT_TRAIL_NAME,
  ctAccessLogBucketName,
  ctLogArchiveBucketName,
} from "../../baseline/control-tower";

export interface SandboxAccounts {
  management: string;
  logArchive: string;
  security: string;
  /** Workload accounts under the Workloads OU. */
  members: string[];
}

export interface SandboxOus {
  security: string;
  workloads: string;
}

/** Everything the documents depend on that only exists once the organization is created. */
export interface SandboxIds {
  /** The Athena log catalogue the seeder laid (agent/sandbox/seed-athena.ts). */
  athena?: AthenaManifest;
  stack: string;
  homeRegion: string;
  governedRegions: string[];
  orgId: string;
  rootId: string;
  ous: SandboxOus;
  accounts: SandboxAccounts;
  keyArn: string;
  /** The flow-log bucket's own key (log-archive account). */
  flowLogKeyArn: string;
  /** The Config bucket's own key (log-archive account). */
  configKeyArn: string;
  /** The DNS query-log bucket's own key (log-archive account). */
  dnsQueryLogKeyArn: string;
  /** The Athena query-results bucket's own key (security account), laid with it (seed-athena-results.ts); absent: no results bucket. */
  athenaResultsKeyArn?: string;
  /** Policy ids of sandboxScps(), in order. */
  scpIds: string[];
  /** The baseline's other keys as laid (seed-keys.ts), for the manifest's `keys.others`. */
  otherKeys?: NonNullable<AuditManifest["keys"]>["others"];
  /** The baseline roles as laid (seed-roles.ts), for the manifest's `roles.shared`; absent: no `roles` section. */
  roles?: NonNullable<AuditManifest["roles"]>["shared"];
  /** The alert pipeline the seeder laid (agent/sandbox/seed-detection-pipeline.ts). */
  detectionPipeline?: NonNullable<AuditManifest["detectionPipeline"]>;
  /** The agent's schedule, alarms and log groups as seed-audit-agent.ts lays them (sandboxAuditAgent). */
  auditAgent?: NonNullable<AuditManifest["auditAgent"]>;
  /** An AWS Control Tower landing zone: its trail, log group and buckets instead of orgwarden's (docs/control-tower.md). */
  controlTower?: boolean;
}

export const SANDBOX = {
  trailName: "orgwarden-organization-trail",
  logGroupName: "/orgwarden/cloudtrail",
  logGroupRetentionDays: 365,
  /** infra's `<trail>-cloudwatch-logs` (infra/org-trail.ts) and its inline policy's name. */
  trailLogsRoleName: "orgwarden-organization-trail-cloudwatch-logs",
  trailLogsPolicyName: "cloudtrail-to-cloudwatch-logs",
  lockMode: "COMPLIANCE" as const,
  lockDays: 365,
  readRoleName: "orgwarden-audit-read",
  agentRoleName: "orgwarden-audit-agent",
  auditorRoleName: "orgwarden-log-auditor",
  /** The sandbox lays what a stack with athena.enabled does: the log analyst is admitted to the archive, the key and the flow logs. */
  analystRoleName: "orgwarden-log-analyst",
  /**
   * athena.analystPrincipals: a stack with athena.enabled must name at least one; the sandbox admits
   * one role of its security account (not laid: the trust names it by aws:PrincipalArn, as infra's does).
   */
  analystPrincipals: ["orgwarden-responder"],
  /** audit.engine's default: the schedule starts the state machine, whose and whose schedule's roles infra lays too. */
  auditEngine: "step-functions" as "step-functions" | "lambda",
  /** audit.securityHub's default: the agent role may import findings into the security account's Security Hub. */
  auditSecurityHub: true,
  deployRoleName: "OrganizationAccountAccessRole",
  scpName: "orgwarden-protect-logging",
  /** One name per security-baseline SCP (baseline SCP_PARTS order); the first is scpName. */
  scpNames: ["orgwarden-protect-logging", "orgwarden-protect-detection", "orgwarden-protect-identities"],
  keyAlias: "alias/orgwarden-cloudtrail",
  /** infra's flowLogKeyAlias(bucketPrefix, stack) with the default prefix. */
  flowLogKeyAlias: (stack: string) => `alias/orgwarden-${stack}-flow-logs`,
  /** infra's dnsQueryLogKeyAlias(bucketPrefix, stack) with the default prefix. */
  dnsQueryLogKeyAlias: (stack: string) => `alias/orgwarden-${stack}-dns-logs`,
  /** infra's athenaResultsKeyAlias(bucketPrefix, stack) with the default prefix. */
  athenaResultsKeyAlias: (stack: string) => `alias/orgwarden-${stack}-query-results`,
  accessLogPrefix: "archive/",
  /** infra's detection.namePrefix default: the member template names the recorder and the delivery channel with it. */
  namePrefix: "orgwarden",
  configRecorderName: "orgwarden",
  /** infra's detection.config.deliveryFrequency default. */
  configDeliveryFrequency: "TwentyFour_Hours" as const,
  /** infra's defaults (infra/config-schema.ts): access logs, Config history, flow logs, DNS query logs, Athena query results and reports expire after these days. */
  accessLogRetentionDays: 365,
  configExpirationDays: 2555,
  flowLogRetentionDays: 365,
  dnsQueryLogRetentionDays: 365,
  athenaResultRetentionDays: 30,
  reportRetentionDays: 400,
  transitionDays: 90,
  reportPrefix: "orgwarden-audit",
  /** alerts.emails: the sandbox lays what a stack with one subscriber does (the default subscribes none). */
  alertEmails: ["security-alerts@example.com"],
  /** infra's `<namePrefix>-cis-alarms` with the default prefix. */
  cisAlarmTopicName: "orgwarden-cis-alarms",
  deliveryMaxAgeMinutes: 60,
  /** infra's detection.inspector.resourceTypes default: what Inspector auto-enables and enables in every account. */
  inspectorResourceTypes: ["EC2", "ECR", "LAMBDA"] as InspectorResourceType[],
  exemptPrincipalArns: [
    roleArn("*", "OrganizationAccountAccessRole"),
    roleArn("*", "stacksets-exec-*"),
    roleArn("*", "orgwarden-break-glass"),
  ],
  /** An account outside the organization, used by the drift helpers. */
  outsiderAccount: "999999999999",
};

export function bucketNames(stack: string, managementAccountId: string) {
  return {
    archive: `orgwarden-${stack}-cloudtrail-${managementAccountId}`,
    accessLogs: `orgwarden-${stack}-access-logs-${managementAccountId}`,
    config: `orgwarden-${stack}-config-${managementAccountId}`,
    flowLogs: `orgwarden-${stack}-flow-logs-${managementAccountId}`,
    /** Security account. */
    reports: `orgwarden-${stack}-audit-reports-${managementAccountId}`,
    dnsQueryLogs: `orgwarden-${stack}-dns-logs-${managementAccountId}`,
    /** Security account (infra's athenaResultsBucketName). */
    athenaResults: `orgwarden-${stack}-query-results-${managementAccountId}`,
  };
}

type NameIds = Pick<SandboxIds, "stack" | "homeRegion" | "accounts" | "controlTower">;

/**
 * The trail, its log group and the log buckets the sandbox lays: orgwarden's, or with controlTower
 * what a Control Tower landing zone has (its names; its bucket without Object Lock), beside
 * orgwarden's Config and flow-log buckets, which infra still lays there.
 */
export function loggingNames(ids: NameIds) {
  const own = bucketNames(ids.stack, ids.accounts.management);
  if (!ids.controlTower)
    return { ...own, trailName: SANDBOX.trailName, logGroupName: SANDBOX.logGroupName, objectLock: true };
  return {
    ...own,
    archive: ctLogArchiveBucketName(ids.accounts.logArchive, ids.homeRegion),
    accessLogs: ctAccessLogBucketName(ids.accounts.logArchive, ids.homeRegion),
    trailName: CT_TRAIL_NAME,
    logGroupName: CT_LOG_GROUP_NAME,
    objectLock: false,
  };
}

export function sandboxTrailArn(ids: Pick<SandboxIds, "homeRegion" | "accounts"> & Partial<NameIds>): string {
  return trailArn(ids.homeRegion, ids.accounts.management, ids.controlTower ? CT_TRAIL_NAME : SANDBOX.trailName);
}

/** The topic the CIS alarms notify: management account, home region, as infra lays it. */
/** infra's auditAgentFunctionName(stack) (infra/naming.ts): the function, the rule and the state machine are named so. */
export function sandboxAgentFunctionName(stack: string): string {
  return `orgwarden-${stack}-audit-agent`;
}

/**
 * The agent's deployment as infra lays it with the stack defaults (audit.engine step-functions,
 * audit.schedule cron(0 5 * * ? *), audit.runAlarmPeriodHours 0: one day + the 6 h execution
 * timeout + 10 min), notifying the security-alerts topic, its log groups under the agent log key.
 */
export function sandboxAuditAgent(
  ids: Pick<SandboxIds, "stack" | "homeRegion" | "accounts">,
  logKeyArn: string,
): NonNullable<AuditManifest["auditAgent"]> {
  return auditAgentArea({
    stack: ids.stack,
    region: ids.homeRegion,
    securityAccountId: ids.accounts.security,
    functionName: sandboxAgentFunctionName(ids.stack),
    agentRoleName: SANDBOX.agentRoleName,
    engine: SANDBOX.auditEngine,
    schedule: "cron(0 5 * * ? *)",
    topicArn: topicArn(ids.homeRegion, ids.accounts.security, `${SANDBOX.namePrefix}-security-alerts`),
    runAlarmPeriodSeconds: 86_400 + 21_600 + 600,
    notifications: true,
    logKeyArn,
  });
}

export function sandboxCisTopicArn(ids: Pick<SandboxIds, "homeRegion" | "accounts">): string {
  return topicArn(ids.homeRegion, ids.accounts.management, SANDBOX.cisAlarmTopicName);
}

/** infra's defaults: the StackSet targets the Security and Workloads OUs and excludes no account; only the management account gets direct stacks. */
export function sandboxStackSet(ids: Pick<SandboxIds, "ous">): StackSetIntent {
  return { name: memberBaselineName(SANDBOX.namePrefix), targetOuIds: [ids.ous.security, ids.ous.workloads] };
}

export function allAccounts(a: SandboxAccounts): string[] {
  return [a.management, a.logArchive, a.security, ...a.members];
}

/** The security-baseline SCPs with the same inputs infra derives from its defaults (namePrefix orgwarden). */
/** With `controlTower` (its Log Archive account and home region) the SCPs infra lays under controlTower.enabled. */
export function sandboxScps(
  stack: string,
  managementAccountId: string,
  controlTower?: { logArchive: string; homeRegion: string },
): { name: string; document: PolicyDocument }[] {
  const b = bucketNames(stack, managementAccountId);
  const ct = controlTower && [
    ctLogArchiveBucketName(controlTower.logArchive, controlTower.homeRegion),
    ctAccessLogBucketName(controlTower.logArchive, controlTower.homeRegion),
  ];
  return securityBaselineScps({
    exemptPrincipalArns: ct
      ? [...SANDBOX.exemptPrincipalArns, roleArn("*", CT_EXECUTION_ROLE_NAME)]
      : SANDBOX.exemptPrincipalArns,
    protectedBucketNames: ct ? [...ct, b.accessLogs, b.config] : [b.archive, b.accessLogs, b.config],
    objectProtectedBucketNames: ct ? [...ct, b.accessLogs, b.config] : [b.accessLogs, b.config],
    forwardingRuleNamePrefix: "orgwarden-forward-",
    manifestParameterName: `/orgwarden/${stack}/audit-manifest`,
    baselineRoleNames: [SANDBOX.readRoleName, "orgwarden-event-forwarder"],
    stackSetName: "orgwarden-member-baseline",
  }).map((s, n) => ({ name: SANDBOX.scpNames[n], document: s.document }));
}

/** The first SCP ("protect logging"). */
export function scpDocument(stack: string, managementAccountId: string): PolicyDocument {
  return sandboxScps(stack, managementAccountId)[0].document;
}

type DocIds = Pick<SandboxIds, "stack" | "homeRegion" | "orgId" | "accounts" | "controlTower">;

export function archivePolicyDocument(ids: DocIds): PolicyDocument {
  // Under controlTower a stand-in for Control Tower's own policy (the audit does not judge it): CloudTrail-only writes, TLS.
  return archiveBucketPolicy({
    bucketName: loggingNames(ids).archive,
    orgId: ids.orgId,
    managementAccountId: ids.accounts.management,
    trailArn: sandboxTrailArn(ids),
    securityAccountId: ids.accounts.security,
    auditorRoleNames: [SANDBOX.auditorRoleName],
    analystRoleNames: [SANDBOX.analystRoleName],
  });
}

/** The access-log prefix of a bucket other than the archive, as infra names it (infra/naming.ts accessLogPrefix). */
export const sourcePrefix = (bucket: string) => `${bucket}/`;

export function accessLogPolicyDocument(ids: DocIds): PolicyDocument {
  const b = loggingNames(ids);
  return accessLogBucketPolicy({
    bucketName: b.accessLogs,
    sourceBucketName: b.archive,
    sourceAccountId: ids.accounts.logArchive,
    orgId: ids.orgId,
    prefix: SANDBOX.accessLogPrefix,
    // The Config, flow-log and DNS query-log buckets log here too, each under its own prefix, as infra lays them.
    additionalSources: [b.config, b.flowLogs, b.dnsQueryLogs].map((bucketName) => ({
      bucketName,
      prefix: sourcePrefix(bucketName),
    })),
  });
}

export function configPolicyDocument(ids: DocIds): PolicyDocument {
  return configBucketPolicy({ bucketName: bucketNames(ids.stack, ids.accounts.management).config, orgId: ids.orgId });
}

export function configKeyPolicyDocument(ids: DocIds): PolicyDocument {
  return configKeyPolicy({
    accountId: ids.accounts.logArchive,
    configBucketName: bucketNames(ids.stack, ids.accounts.management).config,
  });
}

type LogBucketIntents = NonNullable<AuditManifest["logBuckets"]>;

/**
 * The seven log buckets as the sandbox lays them and the manifest describes them, from the same
 * baseline lifecycle helpers infra lays its buckets with (the Athena query-results bucket only when
 * its key was laid).
 */
export function sandboxLogBuckets(
  ids: DocIds &
    Pick<SandboxIds, "configKeyArn" | "dnsQueryLogKeyArn" | "governedRegions"> &
    Partial<Pick<SandboxIds, "controlTower" | "athenaResultsKeyArn">>,
): LogBucketIntents {
  // Under Control Tower the sandbox lays one access-log bucket, Control Tower's, which takes every source's access logs.
  const b = { ...bucketNames(ids.stack, ids.accounts.management), accessLogs: loggingNames(ids).accessLogs };
  const la = { accountId: ids.accounts.logArchive, region: ids.homeRegion };
  const toAccessLogs = (prefix: string) => ({ targetBucket: b.accessLogs, targetPrefix: prefix });
  return [
    {
      role: "archive",
      bucketName: b.archive,
      ...la,
      lifecycle: archiveLifecycle({
        lockDays: SANDBOX.lockDays,
        noncurrentDays: SANDBOX.lockDays,
        transitionDays: SANDBOX.transitionDays,
        logPrefixes: ["AWSLogs/"],
      }),
      accessLogging: toAccessLogs(SANDBOX.accessLogPrefix),
    },
    {
      role: "access-log",
      bucketName: b.accessLogs,
      ...la,
      expectedBucketPolicy: accessLogPolicyDocument(ids),
      encryption: { algorithm: "AES256" },
      lifecycle: expiringLifecycle("expire-access-logs", SANDBOX.accessLogRetentionDays, [
        SANDBOX.accessLogPrefix,
        sourcePrefix(b.config),
        sourcePrefix(b.flowLogs),
        sourcePrefix(b.dnsQueryLogs),
      ]),
    },
    {
      role: "config",
      bucketName: b.config,
      ...la,
      expectedBucketPolicy: configPolicyDocument(ids),
      encryption: { algorithm: "aws:kms", keyArn: ids.configKeyArn },
      lifecycle: expiringLifecycle("expire-config-history", SANDBOX.configExpirationDays, ["AWSLogs/"]),
      accessLogging: toAccessLogs(sourcePrefix(b.config)),
    },
    {
      role: "flow-log",
      bucketName: b.flowLogs,
      ...la,
      lifecycle: expiringLifecycle("expire-flow-logs", SANDBOX.flowLogRetentionDays, ["AWSLogs/"]),
      accessLogging: toAccessLogs(sourcePrefix(b.flowLogs)),
    },
    {
      role: "dns-query-log",
      bucketName: b.dnsQueryLogs,
      ...la,
      expectedBucketPolicy: dnsQueryLogPolicyDocument(ids),
      encryption: { algorithm: "aws:kms", keyArn: ids.dnsQueryLogKeyArn },
      lifecycle: expiringLifecycle("expire-dns-query-logs", SANDBOX.dnsQueryLogRetentionDays, ["AWSLogs/"]),
      accessLogging: toAccessLogs(sourcePrefix(b.dnsQueryLogs)),
    },
    // Security account, not access-logged, as infra lays it (infra/athena/log-analytics.ts).
    ...(ids.athenaResultsKeyArn
      ? [
          {
            role: "athena-results" as const,
            bucketName: b.athenaResults,
            accountId: ids.accounts.security,
            region: ids.homeRegion,
            expectedBucketPolicy: athenaResultsPolicyDocument(ids),
            encryption: { algorithm: "aws:kms" as const, keyArn: ids.athenaResultsKeyArn },
            lifecycle: resultsLifecycle(SANDBOX.athenaResultRetentionDays),
          },
        ]
      : []),
    {
      role: "report",
      bucketName: b.reports,
      accountId: ids.accounts.security,
      region: ids.homeRegion,
      expectedBucketPolicy: auditReportBucketPolicy(b.reports),
      encryption: { algorithm: "AES256" },
      lifecycle: expiringLifecycle("expire-audit-reports", SANDBOX.reportRetentionDays, [`${SANDBOX.reportPrefix}/`]),
    },
  ];
}

export function flowLogPolicyDocument(ids: DocIds): PolicyDocument {
  return flowLogBucketPolicy({
    bucketName: bucketNames(ids.stack, ids.accounts.management).flowLogs,
    orgId: ids.orgId,
    securityAccountId: ids.accounts.security,
    readerRoleNames: [SANDBOX.auditorRoleName, SANDBOX.analystRoleName],
  });
}

export function flowLogKeyPolicyDocument(ids: DocIds): PolicyDocument {
  return flowLogKeyPolicy({
    accountId: ids.accounts.logArchive,
    bucketName: bucketNames(ids.stack, ids.accounts.management).flowLogs,
    region: ids.homeRegion,
    securityAccountId: ids.accounts.security,
    readerRoleNames: [SANDBOX.auditorRoleName, SANDBOX.analystRoleName],
  });
}

/** infra's dnsQueryLogConfigName with the default bucket prefix: the configuration and its RAM share, every governed region. */
export function dnsQueryLogConfigName(stack: string): string {
  return `orgwarden-${stack}-dns-query-logs`;
}

export function dnsQueryLogPolicyDocument(ids: DocIds & { governedRegions: string[] }): PolicyDocument {
  return dnsQueryLogBucketPolicy({
    bucketName: bucketNames(ids.stack, ids.accounts.management).dnsQueryLogs,
    orgId: ids.orgId,
    logArchiveAccountId: ids.accounts.logArchive,
    regions: ids.governedRegions,
    securityAccountId: ids.accounts.security,
    readerRoleNames: [SANDBOX.auditorRoleName],
  });
}

export function dnsQueryLogKeyPolicyDocument(ids: DocIds): PolicyDocument {
  return dnsQueryLogKeyPolicy({
    logArchiveAccountId: ids.accounts.logArchive,
    bucketName: bucketNames(ids.stack, ids.accounts.management).dnsQueryLogs,
    region: ids.homeRegion,
    securityAccountId: ids.accounts.security,
    readerRoleNames: [SANDBOX.auditorRoleName],
  });
}

/** The results bucket's and key's policy input as infra derives it (infra/athena/wiring.ts) from the sandbox's defaults. */
function athenaResultsInput(ids: DocIds): ResultsPolicyInput {
  return {
    bucketName: bucketNames(ids.stack, ids.accounts.management).athenaResults,
    securityAccountId: ids.accounts.security,
    region: ids.homeRegion,
    analystRoleName: SANDBOX.analystRoleName,
    adminRoleNames: [SANDBOX.deployRoleName],
    auditReadRoleNames: [SANDBOX.readRoleName],
  };
}

export function athenaResultsPolicyDocument(ids: DocIds): PolicyDocument {
  return resultsBucketPolicy(athenaResultsInput(ids));
}

export function athenaResultsKeyPolicyDocument(ids: DocIds): PolicyDocument {
  return resultsKeyPolicy(athenaResultsInput(ids));
}

export function keyPolicyDocument(ids: DocIds): PolicyDocument {
  return logKeyPolicy({
    securityAccountId: ids.accounts.security,
    managementAccountId: ids.accounts.management,
    trailArn: sandboxTrailArn(ids),
    adminRoleNames: [SANDBOX.deployRoleName],
    auditorRoleNames: [SANDBOX.auditorRoleName],
    auditReadRoleNames: [SANDBOX.readRoleName],
    analyst: { roleNames: [SANDBOX.analystRoleName], region: ids.homeRegion },
  });
}

export function trailRoleDocuments(ids: DocIds): { trust: PolicyDocument; permissions: PolicyDocument } {
  const input = {
    trailArn: sandboxTrailArn(ids),
    managementAccountId: ids.accounts.management,
    homeRegion: ids.homeRegion,
    logGroupName: SANDBOX.logGroupName,
  };
  return { trust: cloudTrailLogsTrustPolicy(input), permissions: cloudTrailLogsRolePolicy(input) };
}

/** The one grant the sandbox key carries and the manifest allows: the log auditor may decrypt. */
export function allowedGrant(securityAccountId: string) {
  return {
    granteePrincipal: roleArn(securityAccountId, SANDBOX.auditorRoleName),
    operations: ["Decrypt"],
    name: "orgwarden-log-auditor-decrypt",
  };
}

/** GuardDuty as a stack with the default detection.guardDuty config lays it (the manifest's guardDuty area). */
export const SANDBOX_GUARDDUTY: GuardDutyIntent = guardDutyIntent({
  features: DEFAULT_GUARDDUTY_FEATURES,
  findingPublishingFrequency: "FIFTEEN_MINUTES",
});

/** The manifest's pipeline area, from the baseline functions infra lays the channel and the aggregator with. */
export function sandboxPipeline(
  ids: Pick<SandboxIds, "stack" | "homeRegion" | "governedRegions" | "accounts" | "configKeyArn">,
): NonNullable<AuditManifest["pipeline"]> {
  return {
    config: {
      deliveryChannel: memberDeliveryChannel({
        namePrefix: SANDBOX.namePrefix,
        configBucketName: bucketNames(ids.stack, ids.accounts.management).config,
        configKmsKeyArn: ids.configKeyArn,
        configDeliveryFrequency: SANDBOX.configDeliveryFrequency,
      }),
      aggregator: configAggregatorSpec({
        namePrefix: SANDBOX.namePrefix,
        securityAccountId: ids.accounts.security,
        homeRegion: ids.homeRegion,
        regions: [ids.homeRegion, ...ids.governedRegions.filter((r) => r !== ids.homeRegion)],
      }),
    },
  };
}

export function sandboxManifest(ids: SandboxIds): AuditManifest {
  const b = loggingNames(ids);
  const grant = allowedGrant(ids.accounts.security);
  const ct = ids.controlTower === true;
  return buildAuditManifest({
    schemaVersion: 1,
    stack: ids.stack,
    generatedBy: "orgwarden sandbox seeder",
    organization: {
      id: ids.orgId,
      rootId: ids.rootId,
      managementAccountId: ids.accounts.management,
      logArchiveAccountId: ids.accounts.logArchive,
      securityAccountId: ids.accounts.security,
      governedOus: [
        { id: ids.ous.security, name: "Security" },
        { id: ids.ous.workloads, name: "Workloads" },
      ],
    },
    regions: { home: ids.homeRegion, governed: ids.governedRegions },
    trail: {
      name: b.trailName,
      arn: sandboxTrailArn(ids),
      homeRegion: ids.homeRegion,
      isOrganizationTrail: true,
      logGroupName: b.logGroupName,
      logGroupRetentionDays: SANDBOX.logGroupRetentionDays,
      // infra publishes the log group's key with the trail (the same key keys.others lists as log-group-key).
      ...logGroupKeyOf(ids.otherKeys),
      dataEvents: { s3: false, lambda: false },
    },
    archive: {
      bucketName: b.archive,
      accessLogBucketName: b.accessLogs,
      objectLock: { mode: SANDBOX.lockMode, days: SANDBOX.lockDays },
      // Under controlTower infra publishes no bucket or key policy and allows no grant (infra/manifest-document.ts).
      ...(ct ? {} : { expectedBucketPolicy: archivePolicyDocument(ids) }),
    },
    key: ct
      ? { arn: ids.keyArn, allowedGrantees: [] }
      : {
          arn: ids.keyArn,
          expectedKeyPolicy: keyPolicyDocument(ids),
          allowedGrantees: [{ granteePrincipal: grant.granteePrincipal, operations: grant.operations }],
        },
    // Under controlTower the log key is the landing zone's: infra names no alias for it (infra/manifest-document.ts).
    keys: { ...(ct ? {} : { logKeyAlias: SANDBOX.keyAlias }), others: ids.otherKeys ?? [] },
    ...(ids.roles ? { roles: { shared: ids.roles } } : {}),
    ...(ct
      ? {
          controlTower: {
            executionRoleName: CT_EXECUTION_ROLE_NAME,
            configRecorderName: CT_CONFIG_RECORDER_NAME,
            deliveryChannelName: CT_DELIVERY_CHANNEL_NAME,
          },
        }
      : {}),
    flowLogs: { bucketName: b.flowLogs, keyArn: ids.flowLogKeyArn, expectedBucketPolicy: flowLogPolicyDocument(ids) },
    dnsQueryLogs: { bucketName: b.dnsQueryLogs, configName: dnsQueryLogConfigName(ids.stack) },
    // Under Control Tower the archive is the landing zone's bucket, with its own lifecycle: not one of orgwarden's log buckets (infra/manifest-document.ts).
    logBuckets: sandboxLogBuckets(ids).filter((b) => !(ct && b.role === "archive")),
    ...(ids.athena ? { athena: ids.athena } : {}),
    scps: sandboxScps(
      ids.stack,
      ids.accounts.management,
      ct ? { logArchive: ids.accounts.logArchive, homeRegion: ids.homeRegion } : undefined,
    ).map((s, n) => ({
      id: ids.scpIds[n],
      name: s.name,
      content: s.document,
      targets: [ids.rootId],
    })),
    stackSet: sandboxStackSet(ids),
    // What seed-org-settings.ts lays, from the baseline lists infra lays with.
    organizationSettings: organizationSettingsArea({
      serviceAccessPrincipals: ORG_SERVICE_ACCESS_PRINCIPALS,
      delegatedServices: delegatedServicePrincipals({ guardDuty: true, securityHub: true, inspector: true }),
    }),
    detection: { cisAlarms: cisAlarmsIntent(sandboxCisTopicArn(ids)) },
    guardDuty: SANDBOX_GUARDDUTY,
    inspector: { resourceTypes: [...SANDBOX.inspectorResourceTypes] },
    pipeline: sandboxPipeline(ids),
    ...(ids.detectionPipeline ? { detectionPipeline: ids.detectionPipeline } : {}),
    ...(ids.auditAgent ? { auditAgent: ids.auditAgent } : {}),
    securityHub: sandboxSecurityHub(ids.stack),
    audit: { readRoleName: SANDBOX.readRoleName },
    thresholds: { deliveryMaxAgeMinutes: SANDBOX.deliveryMaxAgeMinutes },
  });
}

/** infra's default Security Hub setup: central configuration, CIS 3.0.0, the policy named from the default prefix. */
export function sandboxSecurityHub(stack: string): SecurityHubArea {
  return {
    configuration: "central",
    cisVersion: "3.0.0",
    policyName: securityHubPolicyName(SANDBOX.namePrefix, stack),
  };
}

function logGroupKeyOf(keys: { name: string; arn: string }[] | undefined): { logGroupKeyArn?: string } {
  const k = keys?.find((x) => x.name === "log-group-key");
  return k ? { logGroupKeyArn: k.arn } : {};
}
