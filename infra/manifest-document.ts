import { AUDIT_MANIFEST_SCHEMA_VERSION, type AuditManifestInput } from "../baseline";
import { cisAlarmsIntent } from "../baseline/detection";
import type * as pulumi from "@pulumi/pulumi";
import type { ArchiveBucket } from "./archive-bucket";
import type { DeepInput } from "./audit-manifest";
import type { OrgwardenConfig } from "./config";
import type { LogAuditorRole } from "./log-auditor-role";
import type { LogKey } from "./log-key";
import type { LoggingScp } from "./logging-scp";
import type { Organization } from "./organization";
import type { DnsQueryLogs, FlowLogBucket } from "./network";

/** What the manifest reads from the deployed components (ids and documents known only once they exist). */
export interface ManifestParts {
  org: Organization;
  key: LogKey;
  archive: ArchiveBucket;
  scp: LoggingScp;
  logAuditor: LogAuditorRole;
  buckets: { archive: string; accessLogs: string };
  trailArn: string;
  /** The topic the CIS alarms notify (management account, home region). */
  cisAlarmTopicArn: pulumi.Input<string>;
  /** The repository's waivers (infra/audit-manifest.ts publishedWaivers); none when empty. */
  waivers?: AuditManifestInput["waivers"];
  /** The VPC Flow Logs bucket, when network.flowLogs.enabled. */
  flowLogs?: FlowLogBucket;
  /** The Resolver query logging, when network.dnsQueryLogs.enabled. */
  dnsQueryLogs?: DnsQueryLogs;
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
      objectLock: { mode: cfg.logArchive.lockMode, days: cfg.logArchive.retentionDays },
      expectedBucketPolicy: p.archive.policyDocument,
    },
    // CloudTrail uses the key through its key policy, never through grants: any grant on the key is drift.
    key: { arn: p.key.keyArn, expectedKeyPolicy: p.key.policyDocument, allowedGrantees: [] },
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
            keyArn: p.dnsQueryLogs.keyArn,
            expectedBucketPolicy: p.dnsQueryLogs.policyDocument,
            configName: p.dnsQueryLogs.configName,
          },
        }
      : {}),
    scps: p.scp.scps.map((s) => ({ id: s.policyId, name: s.name, content: s.document, targets: [org.rootId] })),
    // The CIS filters and alarms infra/detection/cis-alarms.ts lays, from the same baseline definitions.
    detection: { cisAlarms: cisAlarmsIntent(p.cisAlarmTopicArn) },
    audit: {
      readRoleName: cfg.audit.readRoleName,
      logAuditorRoleArn: p.logAuditor.roleArn,
      integrityWindowHours: cfg.audit.integrityWindowHours,
    },
    thresholds: { deliveryMaxAgeMinutes: cfg.audit.deliveryMaxAgeMinutes },
    ...(p.waivers && p.waivers.length > 0 ? { waivers: p.waivers } : {}),
  };
}
