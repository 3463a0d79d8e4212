import { AUDIT_MANIFEST_SCHEMA_VERSION, trailArn as trailArnOf } from "../baseline";
import { AccessLogBucket } from "./access-log-bucket";
import { ArchiveBucket } from "./archive-bucket";
import { AuditAgent } from "./audit-agent";
import { AuditManifest } from "./audit-manifest";
import { loadStackConfig, type OrgwardenConfig } from "./config";
import { configBucketName, DetectionBaseline, type DetectionConfig, parseDetectionConfig } from "./detection";
import { LogGroupKey } from "./log-group-key";
import { LogKey } from "./log-key";
import { LoggingScp } from "./logging-scp";
import { accessLogPrefix, AUDIT_REPORT_PREFIX, auditAgentFunctionName, auditManifestParameterName, bucketNames, LOG_GROUP_ALIAS_SUFFIX, LOGGING_SCP_NAME } from "./naming";
import { OrgTrail } from "./org-trail";
import { Organization } from "./organization";
import { AccountProviders } from "./providers";

/** The program: config is read once, then every component gets the provider of the account it deploys into. */
export async function main(): Promise<Record<string, unknown>> {
  const { cfg, detection } = loadStackConfig();
  return deploy(cfg, detection);
}

export function deploy(cfg: OrgwardenConfig, detectionConfig: DetectionConfig = parseDetectionConfig({})): Record<string, unknown> {
  const stack = cfg.stack;
  const buckets = bucketNames({ bucketPrefix: cfg.logArchive.bucketPrefix, stack, managementAccountId: cfg.managementAccountId });
  const trailArn = trailArnOf(cfg.homeRegion, cfg.managementAccountId, cfg.trail.name);

  const providers = new AccountProviders({
    stack,
    homeRegion: cfg.homeRegion,
    managementAccountId: cfg.managementAccountId,
    deployRoleName: cfg.deployRoleName,
    tags: cfg.tags,
  });
  const management = providers.management;
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
    { provider: management },
  );
  providers.bindMemberAccounts({ logArchive: org.logArchiveAccountId, security: org.securityAccountId });

  const key = new LogKey(
    "log-key",
    {
      securityAccountId: org.securityAccountId,
      managementAccountId: cfg.managementAccountId,
      trailArn,
      adminRoleNames: cfg.kms.adminRoleNames,
      auditorRoleNames: cfg.auditorRoleNames,
      auditReadRoleNames: [cfg.audit.readRoleName],
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
      auditorRoleNames: cfg.auditorRoleNames,
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
      aliasName: `${cfg.kms.aliasName}${LOG_GROUP_ALIAS_SUFFIX}`,
    },
    { provider: management },
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
    { provider: management },
  );
  const detection = new DetectionBaseline("detection", {
    stack,
    config: detectionConfig,
    homeRegion: cfg.homeRegion,
    governedRegions: cfg.governedRegions,
    managementAccountId: cfg.managementAccountId,
    logArchiveAccountId: org.logArchiveAccountId,
    securityAccountId: org.securityAccountId,
    orgId: org.organizationId,
    ouIds: Object.fromEntries(cfg.organization.ous.map((name) => [name, org.ous[name].id])),
    securityOu: cfg.organization.securityOu,
    trailLogGroupName: cfg.trail.logGroupName,
    audit: { readRoleName: cfg.audit.readRoleName, agentRoleName: cfg.audit.agentRoleName },
    providers,
    // Trusted access and delegated-admin designations need the organization; the CIS filters need the trail's log group.
    waitFor: [org.organization],
    logGroupReady: [trail.logGroup],
  });
  const scp = new LoggingScp(
    "logging-scp",
    {
      policyName: LOGGING_SCP_NAME,
      exemptPrincipalArns: cfg.scp.exemptPrincipalArns,
      // The Config bucket's name is derived from config like the others, so the SCP stays complete and measured at preview.
      protectedBucketNames: [buckets.archive, buckets.accessLogs, configBucketName(detectionConfig.namePrefix, stack, cfg.managementAccountId)],
      trailLogGroupName: cfg.trail.logGroupName,
      targetId: org.rootId,
      waitFor: [org.organization],
    },
    { provider: management },
  );
  const manifest = new AuditManifest(
    "audit-manifest",
    {
      parameterName: auditManifestParameterName(stack),
      manifest: {
        schemaVersion: AUDIT_MANIFEST_SCHEMA_VERSION,
        stack,
        generatedBy: "orgwarden",
        organization: {
          id: org.organizationId,
          rootId: org.rootId,
          managementAccountId: cfg.managementAccountId,
          logArchiveAccountId: org.logArchiveAccountId,
          securityAccountId: org.securityAccountId,
          governedOus: cfg.organization.ous.map((name) => ({ id: org.ous[name].id, name })),
        },
        regions: { home: cfg.homeRegion, governed: cfg.governedRegions },
        trail: {
          name: cfg.trail.name,
          arn: trailArn,
          homeRegion: cfg.homeRegion,
          isOrganizationTrail: true,
          logGroupName: cfg.trail.logGroupName,
          logGroupRetentionDays: cfg.trail.logGroupRetentionDays,
          dataEvents: { s3: cfg.trail.s3DataEvents, lambda: cfg.trail.lambdaDataEvents },
        },
        archive: {
          bucketName: buckets.archive,
          accessLogBucketName: buckets.accessLogs,
          objectLock: { mode: cfg.logArchive.lockMode, days: cfg.logArchive.retentionDays },
          expectedBucketPolicy: archive.policyDocument,
        },
        // CloudTrail uses the key through its key policy, never through grants: any grant on the key is drift.
        key: { arn: key.keyArn, expectedKeyPolicy: key.policyDocument, allowedGrantees: [] },
        scps: [{ id: scp.policyId, name: LOGGING_SCP_NAME, content: scp.document, targets: [org.rootId] }],
        audit: { readRoleName: cfg.audit.readRoleName },
        thresholds: { deliveryMaxAgeMinutes: cfg.audit.deliveryMaxAgeMinutes },
      },
    },
    { provider: providers.security },
  );

  const agent = new AuditAgent(
    "audit-agent",
    {
      stack,
      region: cfg.homeRegion,
      securityAccountId: org.securityAccountId,
      orgId: org.organizationId,
      functionName: auditAgentFunctionName(stack),
      agentRoleName: cfg.audit.agentRoleName,
      readRoleName: cfg.audit.readRoleName,
      manifestParameterName: auditManifestParameterName(stack),
      reportBucketName: buckets.auditReports,
      reportPrefix: AUDIT_REPORT_PREFIX,
      reportRetentionDays: cfg.audit.reportRetentionDays,
      schedule: cfg.audit.schedule,
      concurrency: cfg.audit.concurrency,
      keyAdminRoleNames: cfg.kms.adminRoleNames,
      alarmTopicArn: detection.securityTopicArn,
      // The first run must find the manifest it reads.
      waitFor: [manifest.parameter],
    },
    { provider: providers.security },
  );

  return {
    managementAccountId: cfg.managementAccountId,
    logArchiveAccountId: org.logArchiveAccountId,
    securityAccountId: org.securityAccountId,
    organizationId: org.organizationId,
    rootId: org.rootId,
    trailArn: trail.trailArn,
    archiveBucketName: archive.bucketName,
    accessLogBucketName: accessLogs.bucketName,
    logKeyArn: key.keyArn,
    logGroupKeyArn: logGroupKey.keyArn,
    scpId: scp.policyId,
    stackSetName: detection.stackSetName,
    configBucketName: detection.configBucketName,
    centralBusArn: detection.centralBusArn,
    securityTopicArn: detection.securityTopicArn,
    cisAlarmTopicArn: detection.managementTopicArn,
    auditManifest: manifest.manifest,
    auditAgentFunctionName: agent.functionName,
    auditReportBucketName: agent.reportBucketName,
  };
}
