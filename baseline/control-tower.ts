/**
 * What an AWS Control Tower landing zone (3.x) lays and names, for coexistence (controlTower.enabled):
 * orgwarden references these instead of laying a second trail, archive or Config recorder.
 *
 * Sources (read 2026-12):
 * - Organization-level trail in the management account since landing zone 3.0:
 *   https://docs.aws.amazon.com/controltower/latest/userguide/about-logging.html and
 *   https://aws.amazon.com/about-aws/whats-new/2022/07/aws-control-tower-adopts-aws-cloudtrail-organization-logging/
 * - The log-archive buckets aws-controltower-logs-<logArchiveAccountId>-<homeRegion> and
 *   aws-controltower-s3-access-logs-<logArchiveAccountId>-<homeRegion> (SSE-S3 unless the landing zone names a KMS key):
 *   https://docs.aws.amazon.com/prescriptive-guidance/latest/designing-control-tower-landing-zone/storage.html,
 *   https://docs.aws.amazon.com/controltower/latest/userguide/lz-manifest-file.html (centralizedLogging.configurations.kmsKeyArn)
 * - Mandatory controls (SCPs that protect the buckets, the log group, Config, CloudTrail and CT's roles, with an
 *   exception for AWSControlTowerExecution): https://docs.aws.amazon.com/controltower/latest/userguide/mandatory-controls.html
 * - AWSControlTowerExecution in every enrolled account:
 *   https://docs.aws.amazon.com/controltower/latest/userguide/importing-existing.html
 * - "A limit of 5 SCPs per OU applies to OUs in your AWS Control Tower landing zone":
 *   https://docs.aws.amazon.com/controltower/latest/userguide/limits.html
 * - Control Tower does not enable AWS Config in the management account (AWS SRA ships a separate solution for it):
 *   aws-samples/aws-security-reference-architecture-examples, solutions/config/config_management_account/README.md
 * The trail, log group, recorder and delivery channel names are Control Tower's defaults; they are config keys
 * because a landing zone set up before 3.0 or by hand may differ.
 */
import { roleArn } from "./arns";

export const CT_TRAIL_NAME = "aws-controltower-BaselineCloudTrail";
export const CT_LOG_GROUP_NAME = "aws-controltower/CloudTrailLogs";
export const CT_CONFIG_RECORDER_NAME = "aws-controltower-BaselineConfigRecorder";
export const CT_DELIVERY_CHANNEL_NAME = "aws-controltower-BaselineConfigDeliveryChannel";
/** The role Control Tower acts through in every enrolled account; its own SCPs exempt it, and so must orgwarden's. */
export const CT_EXECUTION_ROLE_NAME = "AWSControlTowerExecution";
/** The exemption pattern orgwarden's SCPs need under controlTower.enabled (the role sits at path / in every account). */
export const CT_EXECUTION_ROLE_PATTERN = roleArn("*", CT_EXECUTION_ROLE_NAME);

/** Control Tower's log-archive bucket (CloudTrail and Config of every enrolled account). */
export function ctLogArchiveBucketName(logArchiveAccountId: string, homeRegion: string): string {
  return `aws-controltower-logs-${logArchiveAccountId}-${homeRegion}`;
}

/** The bucket that receives the log-archive bucket's S3 server access logs. */
export function ctAccessLogBucketName(logArchiveAccountId: string, homeRegion: string): string {
  return `aws-controltower-s3-access-logs-${logArchiveAccountId}-${homeRegion}`;
}
