import {
  AUDIT_MANIFEST_SCHEMA_VERSION,
  auditAgentArea,
  auditReportBucketPolicy,
  type AuditManifestInput,
} from "../baseline";
import { cisAlarmsIntent, detectionPipelineArea, memberRolesDigest } from "../baseline/detection";
import { eventBusArn } from "../baseline/arns";
import { centralBusName } from "../baseline/detection/alert-pipeline";
import * as pulumi from "@pulumi/pulumi";
import { memberDeliveryChannel, type ConfigDeliveryFrequency } from "../baseline/detection/stackset-template";
import { configAggregatorSpec } from "../baseline/pipeline";
import { organizationSettingsArea } from "../baseline/organization";
import { DEFAULT_STACKSET_DRIFT_MAX_AGE_HOURS } from "../baseline/stackset";
import type { GuardDutyIntent } from "../baseline/detection/guardduty";
import type { AccessLogBucket } from "./access-log-bucket";
import type { ArchiveBucket } from "./archive-bucket";
import { reportLifecycle } from "./audit-agent";
import type { ConfigBucket } from "./detection/config-bucket";
import { AUDIT_REPORT_PREFIX } from "./naming";
import type { DeepInput } from "./audit-manifest";
import type { OrgwardenConfig } from "./config";
import type { LogAuditorRole } from "./log-auditor-role";
import type { LaidKey, LaidRole, LaterKey, LaterRole } from "./laid-key";
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
  /** The trail log group's key (infra/log-group-key.ts); absent under controlTower. */
  logGroupKeyArn?: pulumi.Input<string>;
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
  /** Every customer key the baseline lays besides the log key (its own alias is cfg.kms.aliasName). */
  otherKeys: (LaidKey | LaterKey)[];
  /** The roles the baseline depends on that live in one account each. */
  roles: (LaidRole | LaterRole)[];
  /** The digest of the read role and the forwarder role the member baseline lays in every account (memberRolesArea). */
  perAccountRoles?: pulumi.Output<{ digest: string }>;
  /** The alert topics, the central bus and the forwarding rules (detectionPipelineIntent). */
  detectionPipeline?: DeepInput<AuditManifestInput["detectionPipeline"]>;
  /** The member-baseline StackSet and its direct stacks (DetectionBaseline.stackSetIntent). */
  stackSet?: {
    name: string;
    targetOuIds: pulumi.Input<string>[];
    excludeAccounts: string[];
    directAccounts: pulumi.Input<string>[];
  };
  /** The Resolver query logging, when network.dnsQueryLogs.enabled. */
  dnsQueryLogs?: DnsQueryLogs;
  /** GuardDuty's organization settings and features as laid (DetectionBaseline.guardDutyIntent). */
  guardDuty?: GuardDutyIntent;
  /** The services the security account was registered as delegated administrator of (DetectionBaseline.delegatedServices). */
  delegatedServices?: string[];
  /** The agent's own deployment (auditAgentIntent). */
  auditAgent?: pulumi.Output<NonNullable<AuditManifestInput["auditAgent"]>>;
  /** Amazon Inspector's scan types as InspectorOrganization lays them (DetectionBaseline.inspectorIntent). */
  inspector?: NonNullable<AuditManifestInput["inspector"]>;
  /** Security Hub's organization setup (DetectionBaseline.securityHubArea, what securityHubIntent() lays from). */
  securityHub?: AuditManifestInput["securityHub"];
}

/** A laid role as the manifest's `roles.shared` entry. */
function roleIntent(r: LaidRole | LaterRole) {
  const laid$: LaterRole = pulumi.Output.isInstance(r) ? r : pulumi.output(r as pulumi.Input<LaidRole>);
  return laid$.apply((laid) => ({ ...laid }));
}

/** A laid key as the manifest's `keys.others` entry: no grants are intended on any of them, and every one rotates (infra/customer-key.ts). */
function keyIntent(k: LaidKey | LaterKey) {
  const laid$: LaterKey = pulumi.Output.isInstance(k) ? k : pulumi.output(k as pulumi.Input<LaidKey>);
  return laid$.apply((laid) => ({
    name: laid.name,
    purpose: laid.purpose,
    arn: laid.keyArn,
    aliasName: laid.aliasName,
    expectedKeyPolicy: laid.policyDocument,
    allowedGrantees: [],
    rotationEnabled: true,
  }));
}

export interface DetectionPipelineParts {
  namePrefix: string;
  agentRoleName: string;
  homeRegion: string;
  emails: string[];
  orgId: pulumi.Input<string>;
  managementAccountId: string;
  securityAccountId: pulumi.Input<string>;
  securityTopicKeyArn: pulumi.Input<string>;
  cisTopicKeyArn: pulumi.Input<string>;
}

/**
 * The manifest's `detectionPipeline` area: the inputs baseline/detection/alert-pipeline.ts names and
 * builds the topics, the bus and the rules from (the same ones infra/detection/ lays them with),
 * and the digest of the documents they build, never the documents themselves (the manifest's size).
 */
export function detectionPipelineIntent(
  p: DetectionPipelineParts,
): pulumi.Output<NonNullable<AuditManifestInput["detectionPipeline"]>> {
  return pulumi
    .all([p.orgId, p.securityAccountId, p.securityTopicKeyArn, p.cisTopicKeyArn])
    .apply(([orgId, securityAccountId, securityKey, cisKey]) =>
      detectionPipelineArea(
        {
          namePrefix: p.namePrefix,
          agentRoleName: p.agentRoleName,
          keyArns: { "security-alerts": securityKey, "cis-alarms": cisKey },
          emails: p.emails,
        },
        { orgId, homeRegion: p.homeRegion, managementAccountId: p.managementAccountId, securityAccountId },
      ),
    );
}

/**
 * The manifest's `roles.perAccount`: the digest of the read role and the forwarder role as the member
 * template lays them (baseline/detection/member-roles.ts, from the same inputs the template gets).
 */
export function memberRolesArea(
  p: Omit<DetectionPipelineParts, "emails" | "managementAccountId" | "securityTopicKeyArn" | "cisTopicKeyArn"> & {
    readRoleName: string;
  },
): pulumi.Output<{ digest: string }> {
  return pulumi.all([p.orgId, p.securityAccountId]).apply(([orgId, securityAccountId]) => ({
    digest: memberRolesDigest({
      orgId,
      securityAccountId,
      auditReadRoleName: p.readRoleName,
      auditAgentRoleName: p.agentRoleName,
      namePrefix: p.namePrefix,
      centralBusArn: eventBusArn(p.homeRegion, securityAccountId, centralBusName(p.namePrefix)),
    }),
  }));
}

export interface AuditAgentParts {
  stack: string;
  homeRegion: string;
  securityAccountId: pulumi.Input<string>;
  functionName: string;
  agentRoleName: string;
  engine: "lambda" | "step-functions";
  schedule: string;
  topicArn: pulumi.Input<string>;
  runAlarmPeriodSeconds?: number;
  notifications: boolean;
  /** The agent log key, laid by the agent after the manifest (LaterKey): its ARN only, no cycle. */
  logKey: LaterKey;
}

/**
 * The manifest's `auditAgent` area: baseline's auditAgentArea over the same config values
 * infra/program.ts gives the AuditAgent component, names and ARNs built from config.
 */
export function auditAgentIntent(p: AuditAgentParts): pulumi.Output<NonNullable<AuditManifestInput["auditAgent"]>> {
  return pulumi
    .all([p.securityAccountId, p.topicArn, p.logKey.apply((k) => k.keyArn)])
    .apply(([securityAccountId, topicArn, logKeyArn]) =>
      auditAgentArea({
        stack: p.stack,
        region: p.homeRegion,
        securityAccountId,
        functionName: p.functionName,
        agentRoleName: p.agentRoleName,
        engine: p.engine,
        schedule: p.schedule,
        topicArn,
        runAlarmPeriodSeconds: p.runAlarmPeriodSeconds,
        notifications: p.notifications,
        logKeyArn,
      }),
    );
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
    // Under controlTower the log key is the landing zone's: orgwarden lays no alias for it.
    keys: { ...(p.controlTower ? {} : { logKeyAlias: cfg.kms.aliasName }), others: p.otherKeys.map(keyIntent) },
    roles: { shared: p.roles.map(roleIntent), ...(p.perAccountRoles ? { perAccount: p.perAccountRoles } : {}) },
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
            workgroup: p.athena.workgroupSpec,
          },
        }
      : {}),
    logBuckets: logBucketsDocument(cfg, p),
    ...(p.stackSet ? { stackSet: stackSetDocument(cfg, p.stackSet) } : {}),
    // The trusted-access list the organization was laid with (a configured one too) and the delegations.
    ...(p.delegatedServices
      ? {
          organizationSettings: organizationSettingsArea({
            serviceAccessPrincipals: org.serviceAccessPrincipals,
            delegatedServices: p.delegatedServices,
          }),
        }
      : {}),
    scps: p.scp.scps.map((s) => ({ id: s.policyId, name: s.name, content: s.document, targets: [org.rootId] })),
    // The CIS filters and alarms infra/detection/cis-alarms.ts lays, from the same baseline definitions.
    detection: { cisAlarms: cisAlarmsIntent(p.cisAlarmTopicArn) },
    ...(p.guardDuty ? { guardDuty: p.guardDuty } : {}),
    ...(p.inspector ? { inspector: { resourceTypes: [...p.inspector.resourceTypes] } } : {}),
    ...(p.pipeline ? { pipeline: p.pipeline } : {}),
    ...(p.detectionPipeline ? { detectionPipeline: p.detectionPipeline } : {}),
    ...(p.auditAgent ? { auditAgent: p.auditAgent } : {}),
    ...(p.securityHub ? { securityHub: p.securityHub } : {}),
    audit: {
      readRoleName: cfg.audit.readRoleName,
      ...(p.logAuditor ? { logAuditorRoleArn: p.logAuditor.roleArn } : {}),
      integrityWindowHours: cfg.audit.integrityWindowHours,
    },
    thresholds: { deliveryMaxAgeMinutes: cfg.audit.deliveryMaxAgeMinutes },
    ...(p.waivers && p.waivers.length > 0 ? { waivers: p.waivers } : {}),
  };
}

/** The stackSet area without what has its usual value (baseline/stackset.ts: the parameter is within bytes of 8 KB). */
function stackSetDocument(
  cfg: OrgwardenConfig,
  s: NonNullable<ManifestParts["stackSet"]>,
): DeepInput<NonNullable<AuditManifestInput["stackSet"]>> {
  const hours = cfg.audit.stackSetDriftMaxAgeHours;
  return {
    name: s.name,
    targetOuIds: s.targetOuIds,
    ...(s.excludeAccounts.length > 0 ? { excludeAccounts: s.excludeAccounts } : {}),
    ...(s.directAccounts.length > 0 ? { directAccounts: s.directAccounts } : {}),
    ...(hours !== DEFAULT_STACKSET_DRIFT_MAX_AGE_HOURS ? { driftMaxAgeHours: hours } : {}),
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
      ...(p.logGroupKeyArn ? { logGroupKeyArn: p.logGroupKeyArn } : {}),
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
    ...(p.dnsQueryLogs
      ? [
          {
            role: "dns-query-log" as const,
            bucketName: p.dnsQueryLogs.bucketName,
            ...logArchive,
            expectedBucketPolicy: p.dnsQueryLogs.policyDocument,
            encryption: { algorithm: "aws:kms" as const, keyArn: p.dnsQueryLogs.keyArn },
            lifecycle: p.dnsQueryLogs.lifecycleIntent,
            accessLogging: target(p.dnsQueryLogs.accessLog),
          },
        ]
      : []),
    // Not access-logged: S3 delivers server access logs only to a bucket of the source's own account, and the access-log bucket is the log-archive account's.
    ...(p.athena
      ? [
          {
            role: "athena-results" as const,
            bucketName: p.athena.results.bucketName,
            accountId: p.org.securityAccountId,
            region: cfg.homeRegion,
            expectedBucketPolicy: p.athena.results.policyDocument,
            encryption: { algorithm: "aws:kms" as const, keyArn: p.athena.resultsKeyArn },
            lifecycle: p.athena.results.lifecycleIntent,
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
