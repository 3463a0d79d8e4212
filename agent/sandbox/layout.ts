/**
 * Names and documents of the sandbox organization. Every document comes from baseline/, with the
 * same defaults infra uses (infra/config-schema.ts), so the sandbox is what a fresh `pulumi up` would lay.
 */
import {
  dnsQueryLogBucketPolicy,
  dnsQueryLogKeyPolicy,
  flowLogBucketPolicy,
  flowLogKeyPolicy,
} from "../../baseline/network";
import {
  accessLogBucketPolicy,
  archiveBucketPolicy,
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
import { cisAlarmsIntent } from "../../baseline/detection";

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
  /** The DNS query-log bucket's own key (log-archive account). */
  dnsQueryLogKeyArn: string;
  /** Policy ids of sandboxScps(), in order. */
  scpIds: string[];
}

export const SANDBOX = {
  trailName: "orgwarden-organization-trail",
  logGroupName: "/orgwarden/cloudtrail",
  logGroupRetentionDays: 365,
  trailLogsRoleName: "orgwarden-cloudtrail-logs",
  lockMode: "COMPLIANCE" as const,
  lockDays: 365,
  readRoleName: "orgwarden-audit-read",
  auditorRoleName: "orgwarden-log-auditor",
  deployRoleName: "OrganizationAccountAccessRole",
  scpName: "orgwarden-protect-logging",
  /** One name per security-baseline SCP (baseline SCP_PARTS order); the first is scpName. */
  scpNames: ["orgwarden-protect-logging", "orgwarden-protect-detection", "orgwarden-protect-identities"],
  keyAlias: "alias/orgwarden-cloudtrail",
  accessLogPrefix: "archive/",
  configRecorderName: "default",
  /** infra's `<namePrefix>-cis-alarms` with the default prefix. */
  cisAlarmTopicName: "orgwarden-cis-alarms",
  deliveryMaxAgeMinutes: 60,
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
    dnsQueryLogs: `orgwarden-${stack}-dns-logs-${managementAccountId}`,
  };
}

export function sandboxTrailArn(ids: Pick<SandboxIds, "homeRegion" | "accounts">): string {
  return trailArn(ids.homeRegion, ids.accounts.management, SANDBOX.trailName);
}

/** The topic the CIS alarms notify: management account, home region, as infra lays it. */
export function sandboxCisTopicArn(ids: Pick<SandboxIds, "homeRegion" | "accounts">): string {
  return topicArn(ids.homeRegion, ids.accounts.management, SANDBOX.cisAlarmTopicName);
}

export function allAccounts(a: SandboxAccounts): string[] {
  return [a.management, a.logArchive, a.security, ...a.members];
}

/** The security-baseline SCPs with the same inputs infra derives from its defaults (namePrefix orgwarden). */
export function sandboxScps(stack: string, managementAccountId: string): { name: string; document: PolicyDocument }[] {
  const b = bucketNames(stack, managementAccountId);
  return securityBaselineScps({
    exemptPrincipalArns: SANDBOX.exemptPrincipalArns,
    protectedBucketNames: [b.archive, b.accessLogs, b.config],
    objectProtectedBucketNames: [b.accessLogs, b.config],
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

type DocIds = Pick<SandboxIds, "stack" | "homeRegion" | "orgId" | "accounts">;

export function archivePolicyDocument(ids: DocIds): PolicyDocument {
  return archiveBucketPolicy({
    bucketName: bucketNames(ids.stack, ids.accounts.management).archive,
    orgId: ids.orgId,
    managementAccountId: ids.accounts.management,
    trailArn: sandboxTrailArn(ids),
    securityAccountId: ids.accounts.security,
    auditorRoleNames: [SANDBOX.auditorRoleName],
  });
}

export function accessLogPolicyDocument(ids: DocIds): PolicyDocument {
  const b = bucketNames(ids.stack, ids.accounts.management);
  return accessLogBucketPolicy({
    bucketName: b.accessLogs,
    sourceBucketName: b.archive,
    sourceAccountId: ids.accounts.logArchive,
    orgId: ids.orgId,
    prefix: SANDBOX.accessLogPrefix,
  });
}

export function flowLogPolicyDocument(ids: DocIds): PolicyDocument {
  return flowLogBucketPolicy({
    bucketName: bucketNames(ids.stack, ids.accounts.management).flowLogs,
    orgId: ids.orgId,
    securityAccountId: ids.accounts.security,
    readerRoleNames: [SANDBOX.auditorRoleName],
  });
}

export function flowLogKeyPolicyDocument(ids: DocIds): PolicyDocument {
  return flowLogKeyPolicy({
    accountId: ids.accounts.logArchive,
    bucketName: bucketNames(ids.stack, ids.accounts.management).flowLogs,
    region: ids.homeRegion,
    securityAccountId: ids.accounts.security,
    readerRoleNames: [SANDBOX.auditorRoleName],
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

export function keyPolicyDocument(ids: DocIds): PolicyDocument {
  return logKeyPolicy({
    securityAccountId: ids.accounts.security,
    managementAccountId: ids.accounts.management,
    trailArn: sandboxTrailArn(ids),
    adminRoleNames: [SANDBOX.deployRoleName],
    auditorRoleNames: [SANDBOX.auditorRoleName],
    auditReadRoleNames: [SANDBOX.readRoleName],
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

export function sandboxManifest(ids: SandboxIds): AuditManifest {
  const b = bucketNames(ids.stack, ids.accounts.management);
  const grant = allowedGrant(ids.accounts.security);
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
      name: SANDBOX.trailName,
      arn: sandboxTrailArn(ids),
      homeRegion: ids.homeRegion,
      isOrganizationTrail: true,
      logGroupName: SANDBOX.logGroupName,
      logGroupRetentionDays: SANDBOX.logGroupRetentionDays,
      dataEvents: { s3: false, lambda: false },
    },
    archive: {
      bucketName: b.archive,
      accessLogBucketName: b.accessLogs,
      objectLock: { mode: SANDBOX.lockMode, days: SANDBOX.lockDays },
      expectedBucketPolicy: archivePolicyDocument(ids),
    },
    key: {
      arn: ids.keyArn,
      expectedKeyPolicy: keyPolicyDocument(ids),
      allowedGrantees: [{ granteePrincipal: grant.granteePrincipal, operations: grant.operations }],
    },
    flowLogs: { bucketName: b.flowLogs, keyArn: ids.flowLogKeyArn, expectedBucketPolicy: flowLogPolicyDocument(ids) },
    dnsQueryLogs: {
      bucketName: b.dnsQueryLogs,
      keyArn: ids.dnsQueryLogKeyArn,
      expectedBucketPolicy: dnsQueryLogPolicyDocument(ids),
      configName: dnsQueryLogConfigName(ids.stack),
    },
    scps: sandboxScps(ids.stack, ids.accounts.management).map((s, n) => ({
      id: ids.scpIds[n],
      name: s.name,
      content: s.document,
      targets: [ids.rootId],
    })),
    detection: { cisAlarms: cisAlarmsIntent(sandboxCisTopicArn(ids)) },
    audit: { readRoleName: SANDBOX.readRoleName },
    thresholds: { deliveryMaxAgeMinutes: SANDBOX.deliveryMaxAgeMinutes },
  });
}
