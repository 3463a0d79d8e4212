import { AUDIT_MANIFEST_SCHEMA_VERSION, auditReportBucketPolicy, type AuditManifestInput } from "../baseline";
import { cisAlarmsIntent } from "../baseline/detection";
import * as pulumi from "@pulumi/pulumi";
import { memberDeliveryChannel, type ConfigDeliveryFrequency } from "../baseline/detection/stackset-template";
import { configAggregatorSpec } from "../baseline/pipeline";
import type { AccessLogBucket } from "./access-log-bucket";
import type { ArchiveBucket } from "./archive-bucket";
import { reportLifecycle } from "./audit-agent";
import type { ConfigBucket } from "./detection/config-bucket";
import { AUDIT_REPORT_PREFIX } from "./naming";
import type { DeepInput } from "./audit-manifest";
import type { OrgwardenConfig } from "./config";
import type { LogAuditorRole } from "./log-auditor-role";
import type { LogKey } from "./log-key";
import type { LoggingScp } from "./logging-scp";
import type { Organization } from "./organization";
import type { DnsQueryLogs, FlowLogBucket } from "./network";
import type { ControlTowerRefs } from "./control-tower";
import type { LogAnalytics } from "./athena";

/** What the manifest reads from the deployed components (ids and documents known only once they exist). */
export interface ManifestParts {
  org: Organization;
  /** orgwarden's log key, archive and log auditor; all three absent under controlTower. */
  key?: LogKey;
  archive?: ArchiveBucket;
  scp: LoggingScp;
  logAuditor?: LogAuditorRole;
  buckets: { archive: string; accessLogs: string; auditReports: string };
  /** The access-log bucket and the Config bucket, for the manifest's logBuckets. */
  accessLogs: AccessLogBucket;
  config: ConfigBucket;
  /** The Config bucket's name (known at preview). */
  configBucket: string;
  trailArn: string;
  /** The topic the CIS alarms notify (management account, home region). */
  cisAlarmTopicArn: pulumi.Input<string>;
  /** The repository's waivers (infra/audit-manifest.ts publishedWaivers); none when empty. */
  waivers?: AuditManifestInput["waivers"];
  /** The VPC Flow Logs bucket, when network.flowLogs.enabled. */
  flowLogs?: FlowLogBucket;
  /** Control Tower's trail, archive and key (controlTower.enabled): the manifest names them instead. */
  controlTower?: ControlTowerRefs;
  /** The detection pipeline as laid (pipelineIntent). */
  pipeline?: DeepInput<AuditManifestInput["pipeline"]>;
  /** Athena over the logs, when athena.enabled. */
  athena?: LogAnalytics;
  /** The Resolver query logging, when network.dnsQueryLogs.enabled. */
  dnsQueryLogs?: DnsQueryLogs;
}

export interface PipelineParts {
  namePrefix: string;
  homeRegion: string;
  /** Governed regions, home first: the aggregator's source regions. */
  regions: string[];
  configBucketName: string;
  configKeyArn: pulumi.Input<string>;
  deliveryFrequency: ConfigDeliveryFrequency;
  securityAccountId: pulumi.Input<string>;
}

/**
 * The manifest's `pipeline` area, from the same baseline functions the member template and
 * infra/detection/config-aggregator.ts lay the delivery channel and the aggregator with.
 */
export function pipelineIntent(p: PipelineParts): pulumi.Output<NonNullable<AuditManifestInput["pipeline"]>> {
  return pulumi.all([p.configKeyArn, p.securityAccountId]).apply(([configKmsKeyArn, securityAccountId]) => ({
    config: {
      deliveryChannel: memberDeliveryChannel({
        namePrefix: p.namePrefix,
        configBucketName: p.configBucketName,
        configKmsKeyArn,
        configDeliveryFrequency: p.deliveryFrequency,
      }),
      aggregator: configAggregatorSpec({
        namePrefix: p.namePrefix,
        securityAccountId,
        homeRegion: p.homeRegion,
        regions: p.regions,
      }),
    },
  }));
}

/**
 * The audit manifest's input: the intended state the agent judges the live organization against,
 * from the config and the components that carry it (infra/audit-manifest.ts builds and validates it).
 */
export function auditManifestDocument(cfg: OrgwardenConfig, p: ManifestParts): DeepInput<AuditManifestInput> {
  const { org } = p;
  return {
    schemaVersion: AUDIT_MANIFEST_SCHEMA_VERSION,
    stack: cfg.stack,
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
    ...logging(cfg, p),
    ...(p.flowLogs
      ? {
          flowLogs: {
            bucketName: p.flowLogs.bucketName,
            keyArn: p.flowLogs.keyArn,
            expectedBucketPolicy: p.flowLogs.policyDocument,
          },
        }
      : {}),
    ...(p.dnsQueryLogs
      ? {
          dnsQueryLogs: {
            bucketName: p.dnsQueryLogs.bucketName,
            configName: p.dnsQueryLogs.configName,
          },
        }
      : {}),
    ...(p.athena
      ? {
          athena: {
            databaseName: p.athena.database.name,
            workgroupName: p.athena.workgroup.name,
            tables: p.athena.tableSpecs,
          },
        }
      : {}),
    logBuckets: logBucketsDocument(cfg, p),
    scps: p.scp.scps.map((s) => ({ id: s.policyId, name: s.name, content: s.document, targets: [org.rootId] })),
    // The CIS filters and alarms infra/detection/cis-alarms.ts lays, from the same baseline definitions.
    detection: { cisAlarms: cisAlarmsIntent(p.cisAlarmTopicArn) },
    ...(p.pipeline ? { pipeline: p.pipeline } : {}),
    audit: {
      readRoleName: cfg.audit.readRoleName,
      ...(p.logAuditor ? { logAuditorRoleArn: p.logAuditor.roleArn } : {}),
      integrityWindowHours: cfg.audit.integrityWindowHours,
    },
    thresholds: { deliveryMaxAgeMinutes: cfg.audit.deliveryMaxAgeMinutes },
    ...(p.waivers && p.waivers.length > 0 ? { waivers: p.waivers } : {}),
  };
}

/**
 * The trail, archive and key sections: orgwarden's, or under controlTower Control Tower's, judged
 * against the intent that makes sense for them (docs/control-tower.md): the same trail settings
 * (organization, multi-region, validation, the key), no data events (Control Tower's trail logs
 * management events), orgwarden's Object Lock intent (Control Tower's bucket has none: a FAIL the user
 * sees), and no bucket or key policy document (Control Tower's and the key owner's, not orgwarden's).
 */
type LoggingSections = {
  [K in "trail" | "archive" | "key"]: DeepInput<AuditManifestInput[K]>;
} & { controlTower?: DeepInput<NonNullable<AuditManifestInput["controlTower"]>> };

function logging(cfg: OrgwardenConfig, p: ManifestParts): LoggingSections {
  const objectLock = { mode: cfg.logArchive.lockMode, days: cfg.logArchive.retentionDays };
  const ct = p.controlTower;
  if (ct) {
    return {
      trail: {
        name: ct.trailName,
        arn: ct.trailArn,
        homeRegion: cfg.homeRegion,
        isOrganizationTrail: true,
        logGroupName: ct.logGroupName,
        logGroupRetentionDays: cfg.trail.logGroupRetentionDays,
        dataEvents: { s3: false, lambda: false },
      },
      archive: { bucketName: ct.logArchiveBucketName, accessLogBucketName: ct.accessLogBucketName, objectLock },
      key: { arn: ct.kmsKeyArn, allowedGrantees: [] },
      controlTower: {
        executionRoleName: ct.executionRoleName,
        configRecorderName: ct.configRecorderName,
        deliveryChannelName: ct.deliveryChannelName,
      },
    };
  }
  if (!p.archive || !p.key)
    throw new Error("auditManifestDocument: the archive and the log key are required unless controlTower is set");
  return {
    trail: {
      name: cfg.trail.name,
      arn: p.trailArn,
      homeRegion: cfg.homeRegion,
      isOrganizationTrail: true,
      logGroupName: cfg.trail.logGroupName,
      logGroupRetentionDays: cfg.trail.logGroupRetentionDays,
      dataEvents: { s3: cfg.trail.s3DataEvents, lambda: cfg.trail.lambdaDataEvents },
    },
    archive: {
      bucketName: p.buckets.archive,
      accessLogBucketName: p.buckets.accessLogs,
      objectLock,
      expectedBucketPolicy: p.archive.policyDocument,
    },
    // CloudTrail uses the key through its key policy, never through grants: any grant on the key is drift.
    key: { arn: p.key.keyArn, expectedKeyPolicy: p.key.policyDocument, allowedGrantees: [] },
  };
}

type LogBuckets = NonNullable<AuditManifestInput["logBuckets"]>;

/**
 * The manifest's logBuckets: each log bucket with what its component laid — the same policy
 * document, the same lifecycle intent (baseline/log-buckets.ts), the same access-log target — so
 * what the audit holds a bucket to is what `pulumi up` put there.
 */
export function logBucketsDocument(cfg: OrgwardenConfig, p: ManifestParts): DeepInput<LogBuckets> {
  const logArchive = { accountId: p.org.logArchiveAccountId, region: cfg.homeRegion };
  const target = (l: { bucketName: pulumi.Input<string>; prefix: string }) => ({
    targetBucket: l.bucketName,
    targetPrefix: l.prefix,
  });
  // Under controlTower the archive is Control Tower's bucket, with the lifecycle and access logging Control Tower gives it: not a log bucket orgwarden lays.
  const archive = p.archive;
  return [
    ...(archive
      ? [
          {
            role: "archive" as const,
            bucketName: p.buckets.archive,
            ...logArchive,
            lifecycle: archive.lifecycleIntent,
            accessLogging: target(archive.accessLog),
          },
        ]
      : []),
    {
      role: "access-log",
      bucketName: p.buckets.accessLogs,
      ...logArchive,
      expectedBucketPolicy: p.accessLogs.policyDocument,
      encryption: { algorithm: "AES256" },
      lifecycle: p.accessLogs.lifecycleIntent,
    },
    {
      role: "config",
      bucketName: p.configBucket,
      ...logArchive,
      expectedBucketPolicy: p.config.policyDocument,
      encryption: { algorithm: "aws:kms", keyArn: p.config.keyArn },
      lifecycle: p.config.lifecycleIntent,
      ...(p.config.accessLog ? { accessLogging: target(p.config.accessLog) } : {}),
    },
    ...(p.flowLogs
      ? [
          {
            role: "flow-log" as const,
            bucketName: p.flowLogs.bucketName,
            ...logArchive,
            lifecycle: p.flowLogs.lifecycleIntent,
            accessLogging: target(p.flowLogs.accessLog),
          },
        ]
      : []),
    {
      role: "report",
      bucketName: p.buckets.auditReports,
      accountId: p.org.securityAccountId,
      region: cfg.homeRegion,
      expectedBucketPolicy: auditReportBucketPolicy(p.buckets.auditReports),
      encryption: { algorithm: "AES256" },
      lifecycle: reportLifecycle({
        reportPrefix: AUDIT_REPORT_PREFIX,
        reportRetentionDays: cfg.audit.reportRetentionDays,
      }),
    },
  ];
}
