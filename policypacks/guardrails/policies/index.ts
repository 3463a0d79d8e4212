/**
 * Every policy of the guardrails pack, in the order the documentation lists them. `exemptions` is
 * first (it loads the exemption list before any other policy judges a resource) and
 * `exemptions-in-use` last (it reports what the others exempted).
 */
import type { Policies } from "@pulumi/policy";
import { cloudtrailMultiRegionLogging } from "./cloudtrail/cloudtrail-multi-region-logging";
import { cloudtrailLogFileValidation } from "./cloudtrail/cloudtrail-log-file-validation";
import { cloudtrailKmsEncryption } from "./cloudtrail/cloudtrail-kms-encryption";
import { cloudtrailCloudwatchLogs } from "./cloudtrail/cloudtrail-cloudwatch-logs";
import { cloudtrailDataEvents } from "./cloudtrail/cloudtrail-data-events";
import { s3TrailBucketAccessLogging } from "./s3/s3-trail-bucket-access-logging";
import { s3ArchiveObjectLock } from "./s3/s3-archive-object-lock";
import { s3LogBucketVersioning } from "./s3/s3-log-bucket-versioning";
import { s3LogBucketKmsEncryption } from "./s3/s3-log-bucket-kms-encryption";
import { s3LogBucketPublicAccess } from "./s3/s3-log-bucket-public-access";
import { kmsKeyRotation } from "./kms/kms-key-rotation";
import { kmsKeyPolicySafety } from "./kms/kms-key-policy-safety";
import { cloudwatchLogGroupRetention } from "./cloudwatch/cloudwatch-log-group-retention";
import { cloudwatchLogGroupKms } from "./cloudwatch/cloudwatch-log-group-kms";
import { configRecorderAllResources } from "./config/config-recorder-all-resources";
import { detectionServicesOrganization } from "./detection/detection-services-organization";
import { cisMetricFiltersAlarms } from "./detection/cis-metric-filters-alarms";
import { scpProtectsCloudtrail } from "./organizations/scp-protects-cloudtrail";
import { scpLimitsPolicy } from "./organizations/scp-limits";
import { protectCriticalResources } from "./protection/protect-critical-resources";
import { ec2NoAdminPortsOpen } from "./ec2/ec2-no-admin-ports-open";
import { exemptionsPolicy } from "./exemptions/exemptions";
import { exemptionsInUsePolicy } from "./exemptions/exemptions-in-use";
import { s3FlowLogBucket } from "./s3/s3-flow-log-bucket";
import { athenaWorkgroup } from "./athena/athena-workgroup";
import { route53ResolverQueryLogging } from "./route53/route53-resolver-query-logging";

const judging: Policies = [
  cloudtrailMultiRegionLogging,
  cloudtrailLogFileValidation,
  cloudtrailKmsEncryption,
  cloudtrailCloudwatchLogs,
  cloudtrailDataEvents,
  s3TrailBucketAccessLogging,
  s3ArchiveObjectLock,
  s3LogBucketVersioning,
  s3LogBucketKmsEncryption,
  s3LogBucketPublicAccess,
  kmsKeyRotation,
  kmsKeyPolicySafety,
  cloudwatchLogGroupRetention,
  cloudwatchLogGroupKms,
  configRecorderAllResources,
  detectionServicesOrganization,
  cisMetricFiltersAlarms,
  scpProtectsCloudtrail,
  scpLimitsPolicy,
  protectCriticalResources,
  ec2NoAdminPortsOpen,
  s3FlowLogBucket,
  athenaWorkgroup,
  route53ResolverQueryLogging,
];

/** The policies an exemption may name. */
export const EXEMPTABLE_POLICIES = judging.map((p) => p.name) as [string, ...string[]];

export const guardrailsPolicies: Policies = [
  exemptionsPolicy(EXEMPTABLE_POLICIES),
  ...judging,
  exemptionsInUsePolicy(),
];
