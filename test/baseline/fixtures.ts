/** Fixed inputs for every baseline document test: one realistic organization, built once. */
import {
  accessLogBucketPolicy,
  archiveBucketPolicy,
  cloudTrailLogsRolePolicy,
  cloudTrailLogsTrustPolicy,
  logKeyPolicy,
  loggingProtectionScp,
  securityBaselineScps,
  trailArn,
  type AccessLogBucketPolicyInput,
  type ArchiveBucketPolicyInput,
  type LogKeyPolicyInput,
  type SecurityScpsInput,
  type TrailRoleInput,
} from "../../baseline";
import { ORG } from "../helpers/iam-sim";

export const TRAIL_ARN = trailArn(ORG.region, ORG.management, ORG.trailName);
export const ARCHIVE_BUCKET = "orgwarden-prod-cloudtrail-222222222222";
export const ACCESS_LOG_BUCKET = "orgwarden-prod-access-logs-222222222222";
export const CONFIG_BUCKET = "orgwarden-prod-config-222222222222";
export const KEY_ARN = `arn:aws:kms:${ORG.region}:${ORG.security}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
export const LOG_GROUP = "/orgwarden/cloudtrail";
export const BREAK_GLASS = "orgwarden-break-glass";
export const DEPLOY_ROLE = "orgwarden-deploy";
export const AUDITOR = "orgwarden-auditor";
export const KEY_ADMIN = "orgwarden-key-admin";
export const AUDIT_AGENT = "orgwarden-audit-read";

export const scpInput: SecurityScpsInput = {
  exemptPrincipalArns: [`arn:aws:iam::*:role/${BREAK_GLASS}`, `arn:aws:iam::${ORG.management}:role/${DEPLOY_ROLE}`],
  protectedBucketNames: [ARCHIVE_BUCKET, ACCESS_LOG_BUCKET, CONFIG_BUCKET],
  objectProtectedBucketNames: [ACCESS_LOG_BUCKET, CONFIG_BUCKET],
  forwardingRuleNamePrefix: "orgwarden-forward-",
  manifestParameterName: "/orgwarden/prod/audit-manifest",
  baselineRoleNames: [AUDIT_AGENT, "orgwarden-event-forwarder"],
  stackSetName: "orgwarden-member-baseline",
};

export const archiveInput: ArchiveBucketPolicyInput = {
  bucketName: ARCHIVE_BUCKET,
  orgId: ORG.orgId,
  managementAccountId: ORG.management,
  trailArn: TRAIL_ARN,
  securityAccountId: ORG.security,
  auditorRoleNames: [AUDITOR],
};

export const accessLogInput: AccessLogBucketPolicyInput = {
  bucketName: ACCESS_LOG_BUCKET,
  sourceBucketName: ARCHIVE_BUCKET,
  sourceAccountId: ORG.logArchive,
  orgId: ORG.orgId,
  prefix: "s3-access/",
  additionalSources: [{ bucketName: CONFIG_BUCKET, prefix: `${CONFIG_BUCKET}/` }],
};

export const keyInput: LogKeyPolicyInput = {
  securityAccountId: ORG.security,
  managementAccountId: ORG.management,
  trailArn: TRAIL_ARN,
  adminRoleNames: [KEY_ADMIN],
  auditorRoleNames: [AUDITOR],
  auditReadRoleNames: [AUDIT_AGENT],
};

export const trailRoleInput: TrailRoleInput = {
  trailArn: TRAIL_ARN,
  managementAccountId: ORG.management,
  homeRegion: ORG.region,
  logGroupName: LOG_GROUP,
};

export const docs = {
  scp: loggingProtectionScp(scpInput),
  scps: securityBaselineScps(scpInput).map((s) => s.document),
  archive: archiveBucketPolicy(archiveInput),
  accessLog: accessLogBucketPolicy(accessLogInput),
  key: logKeyPolicy(keyInput),
  trailTrust: cloudTrailLogsTrustPolicy(trailRoleInput),
  trailRole: cloudTrailLogsRolePolicy(trailRoleInput),
};

/**
 * The administrative actions every orgwarden key grants its administrators, written out once for the
 * key-policy tests: administration only, no Encrypt/Decrypt/GenerateDataKey and no CreateGrant.
 */
export const EXPECTED_KEY_ADMIN_ACTIONS = [
  "kms:CreateAlias",
  "kms:DeleteAlias",
  "kms:UpdateAlias",
  "kms:DescribeKey",
  "kms:EnableKey",
  "kms:DisableKey",
  "kms:EnableKeyRotation",
  "kms:DisableKeyRotation",
  "kms:RotateKeyOnDemand",
  "kms:GetKeyPolicy",
  "kms:PutKeyPolicy",
  "kms:GetKeyRotationStatus",
  "kms:ListKeyRotations",
  "kms:ListGrants",
  "kms:ListKeyPolicies",
  "kms:ListResourceTags",
  "kms:RevokeGrant",
  "kms:TagResource",
  "kms:UntagResource",
  "kms:UpdateKeyDescription",
  "kms:ScheduleKeyDeletion",
  "kms:CancelKeyDeletion",
];
