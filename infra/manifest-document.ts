import { AUDIT_MANIFEST_SCHEMA_VERSION, type AuditManifestInput } from "../baseline";
import { cisAlarmsIntent } from "../baseline/detection";
import * as pulumi from "@pulumi/pulumi";
import type { ArchiveBucket } from "./archive-bucket";
import type { DeepInput } from "./audit-manifest";
import type { OrgwardenConfig } from "./config";
import type { LogAuditorRole } from "./log-auditor-role";
import type { LaidKey, LaidRole, LaterKey, LaterRole } from "./laid-key";
import type { LogKey } from "./log-key";
import type { LoggingScp } from "./logging-scp";
import type { Organization } from "./organization";
import type { FlowLogBucket } from "./network";

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
  /** Every customer key the baseline lays besides the log key (its own alias is cfg.kms.aliasName). */
  otherKeys: (LaidKey | LaterKey)[];
  /** The roles the baseline depends on that live in one account each. */
  roles: (LaidRole | LaterRole)[];
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
    keys: { logKeyAlias: cfg.kms.aliasName, others: p.otherKeys.map(keyIntent) },
    roles: { shared: p.roles.map(roleIntent) },
    ...(p.flowLogs
      ? {
          flowLogs: {
            bucketName: p.flowLogs.bucketName,
            keyArn: p.flowLogs.keyArn,
            expectedBucketPolicy: p.flowLogs.policyDocument,
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
