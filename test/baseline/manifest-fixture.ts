/** A complete, valid audit-manifest input for the fixed organization, built from the real baseline documents. */
import { topicArn, type AuditManifestInput } from "../../baseline";
import { cisAlarmsIntent } from "../../baseline/detection";
import { ORG } from "../helpers/iam-sim";
import { ACCESS_LOG_BUCKET, ARCHIVE_BUCKET, docs, KEY_ARN, LOG_GROUP, TRAIL_ARN } from "./fixtures";

export function validManifestInput(): AuditManifestInput {
  return {
    schemaVersion: 1,
    stack: "prod",
    organization: {
      id: ORG.orgId,
      rootId: ORG.rootId,
      managementAccountId: ORG.management,
      logArchiveAccountId: ORG.logArchive,
      securityAccountId: ORG.security,
      governedOus: [
        { id: "ou-a1b2-c3d4e5f6", name: "Security" },
        { id: "ou-a1b2-f6e5d4c3", name: "Workloads" },
      ],
    },
    regions: { home: ORG.region, governed: ["us-east-1", "eu-west-1"] },
    trail: {
      name: ORG.trailName,
      arn: TRAIL_ARN,
      homeRegion: ORG.region,
      isOrganizationTrail: true,
      logGroupName: LOG_GROUP,
      logGroupRetentionDays: 365,
      dataEvents: { s3: false, lambda: false },
    },
    archive: {
      bucketName: ARCHIVE_BUCKET,
      accessLogBucketName: ACCESS_LOG_BUCKET,
      objectLock: { mode: "COMPLIANCE", days: 365 },
      expectedBucketPolicy: structuredClone(docs.archive),
    },
    key: {
      arn: KEY_ARN,
      expectedKeyPolicy: structuredClone(docs.key),
      allowedGrantees: [],
    },
    scps: [{ name: "orgwarden-protect-security-logging", content: structuredClone(docs.scp), targets: [ORG.rootId] }],
    detection: { cisAlarms: cisAlarmsIntent(topicArn(ORG.region, ORG.management, "orgwarden-cis-alarms")) },
    audit: { readRoleName: "orgwarden-audit-read" },
  };
}
