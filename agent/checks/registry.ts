/**
 * The explicit list of checks. A check is added here by hand, so a file that exists but is not
 * listed is caught by the registry test rather than silently never run.
 */
import { organizationArn, type AuditManifest } from "../../baseline";
import type { Finding } from "../finding";
import type { ObservedState } from "../model";
import type { Check } from "./common";
import { finding } from "./common";
import * as scpLoggingPresent from "./organization/scp-logging-present";
import * as accountsEnrolled from "./organization/accounts-enrolled";
import * as orgTrail from "./organization/org-trail-is-organization-trail";
import * as trailLogging from "./trail/trail-logging";
import * as trailConfiguration from "./trail/trail-configuration";
import * as trailS3Delivery from "./trail/trail-s3-delivery";
import * as trailCloudwatchDelivery from "./trail/trail-cloudwatch-delivery";
import * as trailDigestDelivery from "./trail/trail-digest-delivery";
import * as trailEventSelectors from "./trail/trail-event-selectors";
import * as archiveBucketPolicy from "./archive/archive-bucket-policy";
import * as archiveObjectLock from "./archive/archive-object-lock";
import * as archiveVersioning from "./archive/archive-versioning";
import * as archiveEncryption from "./archive/archive-encryption";
import * as archivePublicAccess from "./archive/archive-public-access";
import * as archiveDeliveryFreshness from "./archive/archive-delivery-freshness";
import * as kmsKeyPolicy from "./kms/kms-key-policy";
import * as kmsGrants from "./kms/kms-grants";
import * as kmsKeyState from "./kms/kms-key-state";
import * as configRecorder from "./detection/config-recorder";
import * as guarddutyEnabled from "./detection/guardduty-enabled";
import * as securityhubEnabled from "./detection/securityhub-enabled";
import * as inspectorEnabled from "./detection/inspector-enabled";
import * as ssmAgentAssociations from "./detection/ssm-agent-associations";
import * as trailLogGroup from "./detection/trail-log-group";
import * as cisMetricFilterAlarms from "./detection/cis-metric-filter-alarms";
import * as trailLogIntegrity from "./trail/trail-log-integrity";
import * as auditManifestParameter from "./organization/audit-manifest-parameter";
import * as flowLogBucketPolicy from "./archive/flow-log-bucket-policy";
import * as flowLogBucketEncryption from "./archive/flow-log-bucket-encryption";
import * as flowLogBucketTls from "./archive/flow-log-bucket-tls";
import * as configDeliveryChannel from "./detection/config-delivery-channel";
import * as configAggregator from "./detection/config-aggregator";
import * as scpEffectivePath from "./organization/scp-effective-path";
import * as athenaCatalog from "./archive/athena-catalog";
import * as athenaWorkgroup from "./archive/athena-workgroup";
import * as logBucketPolicy from "./log-buckets/log-bucket-policy";
import * as logBucketVersioning from "./log-buckets/log-bucket-versioning";
import * as logBucketEncryption from "./log-buckets/log-bucket-encryption";
import * as logBucketPublicAccess from "./log-buckets/log-bucket-public-access";
import * as logBucketOwnership from "./log-buckets/log-bucket-ownership";
import * as logBucketLifecycle from "./log-buckets/log-bucket-lifecycle";
import * as logBucketAccessLogging from "./log-buckets/log-bucket-access-logging";
import * as kmsKeyAlias from "./kms/kms-key-alias";
import * as iamRoleTrust from "./iam-roles/iam-role-trust";
import * as iamRolePermissions from "./iam-roles/iam-role-permissions";
import * as alertTopics from "./detection-pipeline/alert-topics";
import * as eventBusPolicy from "./detection-pipeline/event-bus-policy";
import * as eventBusRules from "./detection-pipeline/event-bus-rules";
import * as eventForwardingRules from "./detection-pipeline/event-forwarding-rules";
import * as stacksetInstances from "./stackset/stackset-instances";
import * as stacksetDrift from "./stackset/stackset-drift";
import * as stacksetDriftSchedule from "./stackset/stackset-drift-schedule";
import * as dnsQueryLogConfig from "./archive/dns-query-log-config";
import * as dnsQueryLogShare from "./archive/dns-query-log-share";
import * as vpcFlowLogs from "./detection/vpc-flow-logs";
import * as dnsQueryLogAssociations from "./detection/dns-query-log-associations";
import * as guarddutyOrganization from "./detection/guardduty-organization";
import * as guarddutyFeatures from "./detection/guardduty-features";
import * as organizationSettings from "./organization/organization-settings";
import * as delegatedAdministrators from "./organization/delegated-administrators";
import * as auditAgentSchedule from "./audit-agent/audit-agent-schedule";
import * as auditAgentAlarms from "./audit-agent/audit-agent-alarms";
import * as auditAgentLogGroups from "./audit-agent/audit-agent-log-groups";
import * as inspectorOrganization from "./detection/inspector-organization";
import * as inspectorMembers from "./detection/inspector-members";
import * as securityhubAdminAccount from "./detection/securityhub-admin-account";
import * as securityhubOrganization from "./detection/securityhub-organization";
import * as securityhubConfigurationPolicy from "./detection/securityhub-configuration-policy";
import * as securityhubStandards from "./detection/securityhub-standards";
import * as securityhubFindingAggregator from "./detection/securityhub-finding-aggregator";

export const CHECKS: readonly Check[] = [
  scpLoggingPresent,
  accountsEnrolled,
  orgTrail,
  trailLogging,
  trailConfiguration,
  trailS3Delivery,
  trailCloudwatchDelivery,
  trailDigestDelivery,
  trailEventSelectors,
  archiveBucketPolicy,
  archiveObjectLock,
  archiveVersioning,
  archiveEncryption,
  archivePublicAccess,
  archiveDeliveryFreshness,
  kmsKeyPolicy,
  kmsGrants,
  kmsKeyState,
  configRecorder,
  guarddutyEnabled,
  securityhubEnabled,
  inspectorEnabled,
  ssmAgentAssociations,
  trailLogGroup,
  cisMetricFilterAlarms,
  trailLogIntegrity,
  auditManifestParameter,
  flowLogBucketPolicy,
  flowLogBucketEncryption,
  flowLogBucketTls,
  configDeliveryChannel,
  configAggregator,
  scpEffectivePath,
  athenaCatalog,
  athenaWorkgroup,
  logBucketPolicy,
  logBucketVersioning,
  logBucketEncryption,
  logBucketPublicAccess,
  logBucketOwnership,
  logBucketLifecycle,
  logBucketAccessLogging,
  kmsKeyAlias,
  iamRoleTrust,
  iamRolePermissions,
  alertTopics,
  eventBusPolicy,
  eventBusRules,
  eventForwardingRules,
  stacksetInstances,
  stacksetDrift,
  stacksetDriftSchedule,
  dnsQueryLogConfig,
  dnsQueryLogShare,
  vpcFlowLogs,
  dnsQueryLogAssociations,
  guarddutyOrganization,
  guarddutyFeatures,
  organizationSettings,
  delegatedAdministrators,
  auditAgentSchedule,
  auditAgentAlarms,
  auditAgentLogGroups,
  inspectorOrganization,
  inspectorMembers,
  securityhubAdminAccount,
  securityhubOrganization,
  securityhubConfigurationPolicy,
  securityhubStandards,
  securityhubFindingAggregator,
];

/**
 * The checks that judge each account (× region) on what its own batch collected: the detection
 * cells, the account's newest delivery in the archive and its digest chains. The evaluator runs
 * them once per batch, on the plan's shared pieces plus that batch's state (agent/engine/evaluate.ts),
 * so it never holds more than one batch. Every other check reads only what the plan collected once
 * (the organization, its account list, SCPs, trail, log group, archive bucket, key) and runs once.
 * A check missing here runs once with no batch's data: its accounts would all be ERROR "not
 * collected", never a silent PASS.
 */
export const PER_BATCH_CHECKS: ReadonlySet<string> = new Set([
  "config-recorder",
  "guardduty-enabled",
  "securityhub-enabled",
  "inspector-enabled",
  "ssm-agent-associations",
  "archive-delivery-freshness",
  "trail-log-integrity",
  "config-delivery-channel",
  "event-forwarding-rules",
  "vpc-flow-logs",
  // Each cell's VPCs against the log-archive account's configuration of the region, a shared piece.
  "dns-query-log-associations",
  // Shared roles from the plan, the member roles from each batch (its findings for shared roles repeat per batch and are kept once).
  "iam-role-trust",
  "iam-role-permissions",
  "guardduty-features",
]);

/** A check that throws, or returns nothing, is a bug; it becomes an ERROR finding so it can never read as a PASS. */
function crashed(check: Check, m: AuditManifest, name: string, message: string): Finding {
  const f = finding(
    check.metadata,
    { account: "-", region: "global", resourceArn: organizationArn(m.organization) },
    {
      status: "ERROR",
      intended: check.metadata.title,
      observed: "check did not complete",
      message: `Check ${check.metadata.id} failed inside the agent (${name}: ${message}); its result is unknown. Report this as a bug of the audit agent.`,
    },
  );
  return { ...f, error: { name, operation: `check:${check.metadata.id}`, message, kind: "other" } };
}

export function evaluateAll(
  observed: ObservedState,
  manifest: AuditManifest,
  now: Date,
  checks: readonly Check[] = CHECKS,
): Finding[] {
  return checks.flatMap((check) => {
    try {
      const out = check.evaluate(observed, manifest, { now });
      return out.length > 0 ? out : [crashed(check, manifest, "EmptyResult", "the check returned no finding")];
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      return [crashed(check, manifest, err.name, err.message)];
    }
  });
}
