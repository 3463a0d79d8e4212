/**
 * One clean organization, twice: the manifest infra would publish (built from the baseline
 * documents) and the observed state a collector would read back from an org that matches it.
 * Every failing test case changes exactly one thing in a fresh copy of these.
 */
import {
  accessLogBucketPolicy,
  archiveLifecycle,
  auditReportBucketPolicy,
  expiringLifecycle,
  lifecycleRule,
  archiveBucketPolicy,
  buildAuditManifest,
  loggingProtectionScp,
  logAuditorPolicy,
  logAuditorTrustPolicy,
  logGroupKeyPolicy,
  logKeyPolicy,
  MANIFEST_DIGEST_TAG,
  manifestParameterNames,
  manifestDigest,
  manifestParameterName,
  alarmArn,
  topicArn,
  trailArn,
  type AuditManifest,
  type PolicyDocument,
} from "../../../baseline";
import { intendedTrailSelectors } from "../../../baseline/event-selectors";
import { dnsQueryLogBucketPolicy, flowLogBucketPolicy } from "../../../baseline/network";
import { FLOW_LOG_FORMAT } from "../../../baseline/network/flow-log-remediation";
import {
  cloudTrailTable,
  flowLogTable,
  resultsBucketPolicy,
  resultsLifecycle,
  workgroupSpec,
  type TableSpec,
} from "../../../baseline/athena";
import {
  CIS_ALARM,
  cisAlarmsIntent,
  configBucketPolicy,
  detectionPipelineArea,
  memberRoles,
  memberRolesDigest,
  pipelineIntent,
  type MemberRolesInput,
  type RuleIntent,
} from "../../../baseline/detection";
import type { ObservedDetectionPipeline, ObservedRule } from "../../../agent/collectors/detection-pipeline";
import { configAggregatorSpec, configDeliveryChannelSpec } from "../../../baseline/pipeline";
import { guardDutyIntent } from "../../../baseline/detection/guardduty";
import {
  delegatedServicePrincipals,
  ORG_SERVICE_ACCESS_PRINCIPALS,
  organizationSettingsArea,
} from "../../../baseline/organization";
import type { CheckContext } from "../../../agent/checks/common";
import { agentArea, observedAgent } from "./audit-agent-fixtures";
import {
  collected,
  failed,
  type Collected,
  type CollectError,
  type ObservedCisMonitoring,
  type ObservedGuardDutyDetector,
  type ObservedGuardDutyOrganization,
  type ObservedLogBucket,
  type ObservedMemberBaseline,
  type ObservedInspectorOrganization,
  type ObservedInspectorRegion,
  type ObservedRegionDetection,
  type ObservedRegionNetwork,
  type ObservedResourceShare,
  type ObservedRole,
  type ObservedState,
} from "../../../agent/model";

export const NOW = new Date("2026-11-22T12:00:00.000Z");
export const CTX: CheckContext = { now: NOW };

export const ORG = {
  id: "o-a1b2c3d4e5",
  rootId: "r-a1b2",
  ou: { id: "ou-a1b2-workload1", name: "Workloads" },
  management: "111111111111",
  logArchive: "222222222222",
  security: "333333333333",
  member: "444444444444",
  outsider: "999999999999",
} as const;
export const ACCOUNTS = [ORG.management, ORG.logArchive, ORG.security, ORG.member];
export const HOME = "us-east-1";
export const OTHER_REGION = "eu-west-1";
export const TRAIL_NAME = "orgwarden-org-trail";
export const TRAIL_ARN = trailArn(HOME, ORG.management, TRAIL_NAME);
export const BUCKET = "orgwarden-prod-cloudtrail-222222222222";
export const KEY_ARN = `arn:aws:kms:${HOME}:${ORG.security}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
export const LOG_GROUP = "/orgwarden/cloudtrail";
export const SCP_ID = "p-abcd1234";
export const SCP_NAME = "orgwarden-protect-security-logging";
export const AUDITOR_ROLE = "orgwarden-log-auditor";
export const CIS_TOPIC_ARN = topicArn(HOME, ORG.management, "orgwarden-cis-alarms");

export const CONFIG_BUCKET = "orgwarden-prod-config-111111111111";
export const CONFIG_KEY_ARN = `arn:aws:kms:${HOME}:${ORG.logArchive}:key/5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b`;
/** The member template's channel and infra's aggregator, from the same baseline functions. */
export const DELIVERY_CHANNEL = configDeliveryChannelSpec({
  namePrefix: "orgwarden",
  bucketName: CONFIG_BUCKET,
  kmsKeyArn: CONFIG_KEY_ARN,
  deliveryFrequency: "TwentyFour_Hours",
});
export const AGGREGATOR = configAggregatorSpec({
  namePrefix: "orgwarden",
  securityAccountId: ORG.security,
  homeRegion: HOME,
  regions: [HOME, OTHER_REGION],
});

/** GuardDuty as the baseline lays it: one plain feature and the runtime one with its three agent managements. */
export const GUARDDUTY = guardDutyIntent({
  features: ["S3_DATA_EVENTS", "RUNTIME_MONITORING"],
  findingPublishingFrequency: "FIFTEEN_MINUTES",
});
export const detectorIdOf = (account: string, region: string) => `d${account}${region.replace(/-/g, "")}`;

/** An account's detector as GetDetector reads it once the organization auto-enabled the baseline's features. */
export function cleanDetector(account: string, region: string): ObservedGuardDutyDetector {
  return {
    detectorId: detectorIdOf(account, region),
    status: "ENABLED",
    // Members inherit the administrator's frequency; GetDetector reports it in every account.
    findingPublishingFrequency: "FIFTEEN_MINUTES",
    features: [
      { name: "CLOUD_TRAIL", status: "ENABLED", additional: [] },
      { name: "S3_DATA_EVENTS", status: "ENABLED", additional: [] },
      { name: "EKS_AUDIT_LOGS", status: "DISABLED", additional: [] },
      {
        name: "RUNTIME_MONITORING",
        status: "ENABLED",
        additional: [
          { name: "EKS_ADDON_MANAGEMENT", status: "ENABLED" },
          { name: "ECS_FARGATE_AGENT_MANAGEMENT", status: "ENABLED" },
          { name: "EC2_AGENT_MANAGEMENT", status: "ENABLED" },
        ],
      },
    ],
  };
}

/** The security account as the one delegated administrator, and its organization configuration, in both regions. */
export function cleanGuardDutyOrganization(): ObservedGuardDutyOrganization {
  return {
    managementAccountId: ORG.management,
    securityAccountId: ORG.security,
    regions: [HOME, OTHER_REGION].map((region) => ({
      region,
      adminAccounts: collected([{ accountId: ORG.security, status: "ENABLED" }]),
      configuration: collected({
        detectorId: detectorIdOf(ORG.security, region),
        autoEnableOrganizationMembers: "ALL",
        memberAccountLimitReached: false,
        features: [
          { name: "S3_DATA_EVENTS", autoEnable: "ALL", additional: [] },
          { name: "EKS_AUDIT_LOGS", autoEnable: "NONE", additional: [] },
          {
            name: "RUNTIME_MONITORING",
            autoEnable: "ALL",
            additional: [
              { name: "EKS_ADDON_MANAGEMENT", autoEnable: "ALL" },
              { name: "ECS_FARGATE_AGENT_MANAGEMENT", autoEnable: "ALL" },
              { name: "EC2_AGENT_MANAGEMENT", autoEnable: "ALL" },
            ],
          },
        ],
      }),
    })),
  };
}

/** The services infra registers the security account as delegated administrator of (Config's two, GuardDuty, Security Hub, Inspector). */
export const BASELINE_DELEGATED_SERVICES = delegatedServicePrincipals({
  guardDuty: true,
  securityHub: true,
  inspector: true,
});
export const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000).toISOString();
const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

export const bucketPolicy = (): PolicyDocument =>
  archiveBucketPolicy({
    bucketName: BUCKET,
    orgId: ORG.id,
    managementAccountId: ORG.management,
    trailArn: TRAIL_ARN,
    securityAccountId: ORG.security,
    auditorRoleNames: [AUDITOR_ROLE],
  });
export const keyPolicy = (): PolicyDocument =>
  logKeyPolicy({
    securityAccountId: ORG.security,
    managementAccountId: ORG.management,
    trailArn: TRAIL_ARN,
    adminRoleNames: ["orgwarden-key-admin"],
    auditorRoleNames: [AUDITOR_ROLE],
    auditReadRoleNames: ["orgwarden-audit-read"],
  });
export const scpContent = (): PolicyDocument =>
  loggingProtectionScp({
    exemptPrincipalArns: ["arn:aws:iam::*:role/orgwarden-break-glass"],
    protectedBucketNames: [BUCKET],
    objectProtectedBucketNames: [],
  });

export const ALLOWED_GRANTEE = "arn:aws:iam::333333333333:role/orgwarden-log-*";

export const LOG_AUDITOR_ROLE_ARN = `arn:aws:iam::${ORG.security}:role/orgwarden-log-auditor`;

export const LOG_KEY_ALIAS = "alias/orgwarden-cloudtrail";
/** One of the baseline's other keys (manifest `keys.others`): the trail log group's, in the management account. */
export const LOG_GROUP_KEY_ARN = `arn:aws:kms:${HOME}:${ORG.management}:key/5e6f7a8b-1c2d-4e3f-9a0b-1c2d3e4f5a6b`;
export const LOG_GROUP_KEY_ALIAS = "alias/orgwarden-cloudtrail-log-group";
export const logGroupKeyDoc = (): PolicyDocument =>
  logGroupKeyPolicy({ accountId: ORG.management, region: HOME, logGroupName: LOG_GROUP, adminPrincipalArns: [] });
export const keyIdOf = (arn: string) => arn.slice(arn.lastIndexOf("/") + 1);
/** One of the baseline's roles (manifest `roles.shared`): the log auditor role. */
export const auditorTrustDoc = (): PolicyDocument =>
  logAuditorTrustPolicy({ securityAccountId: ORG.security, orgId: ORG.id, agentRoleName: "orgwarden-audit-agent" });
export const auditorPolicyDoc = (): PolicyDocument =>
  logAuditorPolicy({ archiveBucketName: BUCKET, orgId: ORG.id, keyArn: KEY_ARN, trailArn: TRAIL_ARN, region: HOME });

/** The VPC Flow Logs bucket (log-archive account) and its own key. */
export const FLOW_LOG_BUCKET = "orgwarden-prod-flow-logs-111111111111";
export const ATHENA_DATABASE = "orgwarden_prod_logs";
export const athenaTables = (): TableSpec[] => [
  cloudTrailTable({ archiveBucketName: BUCKET, orgId: ORG.id, regions: [HOME, OTHER_REGION] }),
  flowLogTable({ flowLogBucketName: FLOW_LOG_BUCKET, regions: [HOME] }),
];
export const FLOW_LOG_KEY_ARN = `arn:aws:kms:${HOME}:${ORG.logArchive}:key/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d`;
/** The Athena log workgroup (security account) as infra lays it with the default 100 GiB scan limit. */
export const ATHENA_WORKGROUP = "orgwarden-prod-logs";
export const ATHENA_RESULTS_KEY_ARN = `arn:aws:kms:${HOME}:${ORG.security}:key/3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f`;
export const athenaWorkgroup = () =>
  workgroupSpec({
    name: ATHENA_WORKGROUP,
    resultsBucketName: "orgwarden-prod-query-results-111111111111",
    resultsKeyArn: ATHENA_RESULTS_KEY_ARN,
    securityAccountId: ORG.security,
    bytesScannedCutoffPerQuery: 100 * 1024 ** 3,
  });
/** Resolver query logging (log-archive account): the DNS query-log bucket and the configuration name. */
export const DNS_BUCKET = "orgwarden-prod-dns-logs-111111111111";
export const DNS_CONFIG_NAME = "orgwarden-prod-dns-query-logs";
export const dnsConfigId = (region: string) =>
  `rslvr-qlc-${region === HOME ? "0a1b2c3d4e5f60718" : "1b2c3d4e5f6071829"}`;
/** The DNS query-log bucket's own key (log-archive account). */
export const DNS_KEY_ARN = `arn:aws:kms:${HOME}:${ORG.logArchive}:key/7c8d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0f`;
/** The baseline's RAM share of a region's configuration, as RAM describes it: ACTIVE, the organization its one principal. */
export const dnsShareArn = (region: string) =>
  `arn:aws:ram:${region}:${ORG.logArchive}:resource-share/${region === HOME ? "5a6b7c8d-0000-4000-8000-0123456789ab" : "6b7c8d9e-0000-4000-8000-0123456789ab"}`;
export const dnsShare = (region: string): ObservedResourceShare => ({
  arn: dnsShareArn(region),
  name: DNS_CONFIG_NAME,
  status: "ACTIVE",
  allowExternalPrincipals: false,
  principals: [
    { id: `arn:aws:organizations::${ORG.management}:organization/${ORG.id}`, status: "ASSOCIATED", external: false },
  ],
});
/** The Athena query-results bucket (security account) and its own key. */
export const ATHENA_RESULTS_BUCKET = "orgwarden-prod-query-results-111111111111";
const dnsConfig = (region: string) => ({
  id: dnsConfigId(region),
  arn: `arn:aws:route53resolver:${region}:${ORG.logArchive}:resolver-query-log-config/rslvr-qlc-${region === HOME ? "0a1b2c3d4e5f60718" : "1b2c3d4e5f6071829"}`,
  name: DNS_CONFIG_NAME,
  ownerId: ORG.logArchive,
  destinationArn: `arn:aws:s3:::${DNS_BUCKET}`,
  status: "CREATED",
  shareStatus: "SHARED_BY_ME",
});

export const flowLogPolicy = (): PolicyDocument =>
  flowLogBucketPolicy({
    bucketName: FLOW_LOG_BUCKET,
    orgId: ORG.id,
    securityAccountId: ORG.security,
    readerRoleNames: [AUDITOR_ROLE],
  });

/** The other log buckets (the family of agent/checks/log-buckets/), as infra describes them in the manifest. */
export const ACCESS_LOG_BUCKET = `${BUCKET}-access-logs`;
export const REPORT_BUCKET = "orgwarden-prod-audit-reports-111111111111";

export function logBucketIntents(): NonNullable<AuditManifest["logBuckets"]> {
  const la = { accountId: ORG.logArchive, region: HOME };
  const to = (b: string) => ({ targetBucket: ACCESS_LOG_BUCKET, targetPrefix: `${b}/` });
  return [
    {
      role: "archive",
      bucketName: BUCKET,
      ...la,
      lifecycle: archiveLifecycle({
        lockDays: 365,
        noncurrentDays: 365,
        transitionDays: 90,
        logPrefixes: ["AWSLogs/"],
      }),
      accessLogging: to(BUCKET),
    },
    {
      role: "access-log",
      bucketName: ACCESS_LOG_BUCKET,
      ...la,
      expectedBucketPolicy: accessLogBucketPolicy({
        bucketName: ACCESS_LOG_BUCKET,
        sourceBucketName: BUCKET,
        sourceAccountId: ORG.logArchive,
        orgId: ORG.id,
        prefix: `${BUCKET}/`,
        additionalSources: [CONFIG_BUCKET, FLOW_LOG_BUCKET, DNS_BUCKET].map((b) => ({
          bucketName: b,
          prefix: `${b}/`,
        })),
      }),
      encryption: { algorithm: "AES256" },
      lifecycle: expiringLifecycle("expire-access-logs", 365, [
        `${BUCKET}/`,
        `${CONFIG_BUCKET}/`,
        `${FLOW_LOG_BUCKET}/`,
        `${DNS_BUCKET}/`,
      ]),
    },
    {
      role: "config",
      bucketName: CONFIG_BUCKET,
      ...la,
      expectedBucketPolicy: configBucketPolicy({ bucketName: CONFIG_BUCKET, orgId: ORG.id }),
      encryption: { algorithm: "aws:kms", keyArn: CONFIG_KEY_ARN },
      lifecycle: expiringLifecycle("expire-config-history", 2555, ["AWSLogs/"]),
      accessLogging: to(CONFIG_BUCKET),
    },
    {
      role: "flow-log",
      bucketName: FLOW_LOG_BUCKET,
      ...la,
      lifecycle: expiringLifecycle("expire-flow-logs", 365, ["AWSLogs/"]),
      accessLogging: to(FLOW_LOG_BUCKET),
    },
    {
      role: "dns-query-log",
      bucketName: DNS_BUCKET,
      ...la,
      expectedBucketPolicy: dnsQueryLogBucketPolicy({
        bucketName: DNS_BUCKET,
        orgId: ORG.id,
        logArchiveAccountId: ORG.logArchive,
        regions: [HOME, OTHER_REGION],
        securityAccountId: ORG.security,
        readerRoleNames: [AUDITOR_ROLE],
      }),
      encryption: { algorithm: "aws:kms", keyArn: DNS_KEY_ARN },
      lifecycle: expiringLifecycle("expire-dns-query-logs", 365, ["AWSLogs/"]),
      accessLogging: to(DNS_BUCKET),
    },
    {
      role: "athena-results",
      bucketName: ATHENA_RESULTS_BUCKET,
      accountId: ORG.security,
      region: HOME,
      expectedBucketPolicy: resultsBucketPolicy({
        bucketName: ATHENA_RESULTS_BUCKET,
        securityAccountId: ORG.security,
        region: HOME,
        analystRoleName: "orgwarden-log-analyst",
        adminRoleNames: ["OrganizationAccountAccessRole"],
        auditReadRoleNames: ["orgwarden-audit-read"],
      }),
      encryption: { algorithm: "aws:kms", keyArn: ATHENA_RESULTS_KEY_ARN },
      lifecycle: resultsLifecycle(30),
    },
    {
      role: "report",
      bucketName: REPORT_BUCKET,
      accountId: ORG.security,
      region: HOME,
      expectedBucketPolicy: auditReportBucketPolicy(REPORT_BUCKET),
      encryption: { algorithm: "AES256" },
      lifecycle: expiringLifecycle("expire-audit-reports", 400, ["orgwarden-audit/"]),
    },
  ];
}

/** What the collector reads back from buckets laid exactly as `logBucketIntents()` says. */
export function cleanLogBuckets(): ObservedLogBucket[] {
  return logBucketIntents().map((b) => {
    const rule = lifecycleRule(b.lifecycle);
    return {
      role: b.role,
      bucketName: b.bucketName,
      account: b.accountId,
      region: b.region,
      policy: collected(b.expectedBucketPolicy ? clone(b.expectedBucketPolicy) : flowLogPolicy()),
      versioning: collected("Enabled"),
      encryption: collected(
        b.encryption?.algorithm === "aws:kms"
          ? { algorithm: "aws:kms", kmsKeyId: b.encryption.keyArn }
          : {
              algorithm: b.role === "archive" ? "aws:kms" : "AES256",
              kmsKeyId: b.role === "archive" ? KEY_ARN : undefined,
            },
      ),
      publicAccessBlock: collected({
        blockPublicAcls: true,
        ignorePublicAcls: true,
        blockPublicPolicy: true,
        restrictPublicBuckets: true,
      }),
      ownership: collected("BucketOwnerEnforced"),
      lifecycle: collected([
        {
          id: rule.ID,
          enabled: true,
          prefix: "",
          narrowed: false,
          ...(rule.Expiration ? { expirationDays: rule.Expiration.Days } : {}),
          noncurrentDays: rule.NoncurrentVersionExpiration.NoncurrentDays,
          abortDays: rule.AbortIncompleteMultipartUpload.DaysAfterInitiation,
        },
      ]),
      accessLogging: collected(b.accessLogging),
    };
  });
}

export const STACKSET_NAME = "orgwarden-member-baseline";
export const STACKSET_ID = `${STACKSET_NAME}:0f1e2d3c-4b5a-4697-8877-665544332211`;

/** The StackSet ACTIVE, every member × governed region CURRENT/SUCCEEDED and IN_SYNC an hour ago, the management account's stacks too. */
export function cleanMemberBaseline(): ObservedMemberBaseline {
  const checked = minutesAgo(60);
  const regions = [HOME, OTHER_REGION];
  return {
    driftSchedule: {
      name: `${STACKSET_NAME}-drift`,
      account: ORG.management,
      region: HOME,
      schedule: collected({
        state: "ENABLED",
        scheduleExpression: "rate(24 hours)",
        targetArn: "arn:aws:scheduler:::aws-sdk:cloudformation:detectStackSetDrift",
        roleArn: `arn:aws:iam::${ORG.management}:role/${STACKSET_NAME}-drift`,
        input: JSON.stringify({ StackSetName: STACKSET_NAME, CallAs: "SELF" }),
      }),
    },
    stackSet: {
      name: STACKSET_NAME,
      account: ORG.management,
      region: HOME,
      stackSet: collected({
        arn: `arn:aws:cloudformation:${HOME}:${ORG.management}:stackset/${STACKSET_ID}`,
        status: "ACTIVE",
        permissionModel: "SERVICE_MANAGED",
        drift: {
          driftStatus: "IN_SYNC",
          detectionStatus: "COMPLETED",
          lastDriftCheckTimestamp: checked,
          driftedInstances: 0,
          failedInstances: 0,
        },
      }),
      instances: collected(
        [ORG.logArchive, ORG.security, ORG.member].flatMap((account) =>
          regions.map((region) => ({
            account,
            region,
            status: "CURRENT",
            detailedStatus: "SUCCEEDED",
            driftStatus: "IN_SYNC",
            lastDriftCheckTimestamp: checked,
            stackId: `arn:aws:cloudformation:${region}:${account}:stack/StackSet-${STACKSET_NAME}-0f1e2d3c/1a2b3c4d`,
          })),
        ),
      ),
    },
    directStacks: regions.map((region) => ({
      account: ORG.management,
      region,
      stack: collected({
        stackId: `arn:aws:cloudformation:${region}:${ORG.management}:stack/${STACKSET_NAME}/5e6f7a8b`,
        status: "CREATE_COMPLETE",
        driftStatus: "IN_SYNC",
        lastDriftCheckTimestamp: checked,
      }),
    })),
  };
}

/** The inputs the member roles are rebuilt from, as the clean manifest's audit and detectionPipeline areas give them. */
export const MEMBER_ROLES_INPUT: MemberRolesInput = {
  orgId: ORG.id,
  securityAccountId: ORG.security,
  auditReadRoleName: "orgwarden-audit-read",
  auditAgentRoleName: "orgwarden-audit-agent",
  namePrefix: "orgwarden",
  centralBusArn: `arn:aws:events:${HOME}:${ORG.security}:event-bus/orgwarden-security`,
};

/** Both member roles of every account, read exactly as the member template lays them. */
export function cleanMemberRoles(): ObservedRole[] {
  return ACCOUNTS.flatMap((a) =>
    memberRoles(MEMBER_ROLES_INPUT, a).map((i) => ({
      name: i.name,
      account: a,
      roleName: i.roleName,
      trust: collected(clone(i.trustPolicy)),
      inlinePolicies: collected(clone(i.inlinePolicies)),
      managedPolicyArns: collected([...i.managedPolicyArns]),
      ...(i.maxSessionDuration ? { maxSessionDuration: i.maxSessionDuration } : {}),
    })),
  );
}

/** The manifest's inspector area: detection.inspector.resourceTypes' default. */
export const INSPECTOR_TYPES = ["EC2", "ECR", "LAMBDA"] as const;

/** Inspector's organization as infra lays it in every governed region: delegated, auto-enabling EC2, ECR and Lambda, every member account associated. */
export function cleanInspectorOrganization(): ObservedInspectorOrganization {
  const region = (): ObservedInspectorRegion => ({
    delegatedAdmins: collected([{ accountId: ORG.security, status: "ENABLED" }]),
    configuration: collected({
      autoEnable: { ec2: true, ecr: true, lambda: true, lambdaCode: false, codeRepository: false },
      maxAccountLimitReached: false,
    }),
    members: collected(
      [ORG.logArchive, ORG.member].map((accountId) => ({
        accountId,
        relationshipStatus: "ENABLED",
        delegatedAdminAccountId: ORG.security,
        updatedAt: minutesAgo(6000),
      })),
    ),
  });
  return {
    managementAccountId: ORG.management,
    securityAccountId: ORG.security,
    byRegion: { [HOME]: region(), [OTHER_REGION]: region() },
  };
}

export function cleanManifest(): AuditManifest {
  return buildAuditManifest({
    schemaVersion: 1,
    stack: "prod",
    organization: {
      id: ORG.id,
      rootId: ORG.rootId,
      managementAccountId: ORG.management,
      logArchiveAccountId: ORG.logArchive,
      securityAccountId: ORG.security,
      governedOus: [ORG.ou],
    },
    regions: { home: HOME, governed: [HOME, OTHER_REGION] },
    trail: {
      name: TRAIL_NAME,
      arn: TRAIL_ARN,
      homeRegion: HOME,
      isOrganizationTrail: true,
      logGroupName: LOG_GROUP,
      logGroupRetentionDays: 365,
      dataEvents: { s3: true, lambda: false },
    },
    archive: {
      bucketName: BUCKET,
      accessLogBucketName: `${BUCKET}-access-logs`,
      objectLock: { mode: "COMPLIANCE", days: 365 },
      expectedBucketPolicy: bucketPolicy(),
    },
    key: {
      arn: KEY_ARN,
      expectedKeyPolicy: keyPolicy(),
      allowedGrantees: [{ granteePrincipal: ALLOWED_GRANTEE, operations: ["Decrypt", "DescribeKey"] }],
    },
    keys: {
      logKeyAlias: LOG_KEY_ALIAS,
      others: [
        {
          name: "log-group-key",
          purpose: "the organization trail's CloudWatch Logs group key",
          arn: LOG_GROUP_KEY_ARN,
          aliasName: LOG_GROUP_KEY_ALIAS,
          expectedKeyPolicy: logGroupKeyDoc(),
          allowedGrantees: [],
          rotationEnabled: true,
        },
      ],
    },
    roles: {
      // The member baseline's read role and forwarder role in every account (cleanMemberRoles).
      perAccount: { digest: memberRolesDigest(MEMBER_ROLES_INPUT) },
      shared: [
        {
          name: "log-auditor-role",
          purpose: "the log auditor role",
          account: ORG.security,
          roleName: AUDITOR_ROLE,
          trustPolicy: auditorTrustDoc(),
          inlinePolicies: { "orgwarden-log-auditor": auditorPolicyDoc() },
          managedPolicyArns: [],
        },
      ],
    },
    flowLogs: { bucketName: FLOW_LOG_BUCKET, keyArn: FLOW_LOG_KEY_ARN, expectedBucketPolicy: flowLogPolicy() },
    dnsQueryLogs: { bucketName: DNS_BUCKET, configName: DNS_CONFIG_NAME },
    athena: {
      databaseName: ATHENA_DATABASE,
      workgroupName: ATHENA_WORKGROUP,
      tables: athenaTables(),
      workgroup: athenaWorkgroup(),
    },
    logBuckets: logBucketIntents(),
    scps: [{ id: SCP_ID, name: SCP_NAME, content: scpContent(), targets: [ORG.rootId, ORG.ou.id] }],
    stackSet: { name: STACKSET_NAME, targetOuIds: [ORG.ou.id] },
    organizationSettings: organizationSettingsArea({
      serviceAccessPrincipals: ORG_SERVICE_ACCESS_PRINCIPALS,
      delegatedServices: BASELINE_DELEGATED_SERVICES,
    }),
    detection: { cisAlarms: cisAlarmsIntent(CIS_TOPIC_ARN) },
    guardDuty: GUARDDUTY,
    inspector: { resourceTypes: [...INSPECTOR_TYPES] },
    pipeline: { config: { deliveryChannel: DELIVERY_CHANNEL, aggregator: AGGREGATOR } },
    detectionPipeline: detectionPipelineArea(PIPELINE_AREA, PIPELINE_IDS),
    auditAgent: agentArea(ORG.security, HOME),
    securityHub: { configuration: "central", cisVersion: "3.0.0", policyName: SECURITY_HUB_POLICY_NAME },
    audit: { readRoleName: "orgwarden-audit-read", logAuditorRoleArn: LOG_AUDITOR_ROLE_ARN },
    thresholds: { deliveryMaxAgeMinutes: 60 },
  });
}

export function detectionEntry(account: string, region: string): ObservedRegionDetection {
  return {
    account,
    region,
    configRecorders: collected([
      {
        name: "default",
        recording: true,
        allSupported: true,
        includeGlobalResourceTypes: region === HOME,
        lastStatus: "Success",
      },
    ]),
    configDeliveryChannels: collected([
      {
        name: DELIVERY_CHANNEL.name,
        s3BucketName: DELIVERY_CHANNEL.s3BucketName,
        s3KmsKeyArn: DELIVERY_CHANNEL.s3KmsKeyArn,
        deliveryFrequency: DELIVERY_CHANNEL.deliveryFrequency,
        status: {
          snapshot: { lastStatus: "Success", lastAttemptTime: minutesAgo(300), lastSuccessfulTime: minutesAgo(300) },
          history: { lastStatus: "Success", lastAttemptTime: minutesAgo(30), lastSuccessfulTime: minutesAgo(30) },
          stream: { lastStatus: "Not_Applicable" },
        },
      },
    ]),
    guardDutyDetectors: collected([cleanDetector(account, region)]),
    securityHubEnabled: collected(true),
    inspector: collected({ ec2: "ENABLED", ecr: "ENABLED", lambda: "ENABLED" }),
    ssmAssociations: collected([
      {
        name: "AWS-UpdateSSMAgent",
        associationId: `upd-${account}-${region}`,
        status: "Success",
        lastExecutionDate: minutesAgo(600),
      },
      {
        name: "AWS-ConfigureAWSPackage",
        associationId: `cwa-${account}-${region}`,
        status: "Success",
        lastExecutionDate: minutesAgo(600),
        parameters: { action: ["Install"], name: ["AmazonCloudWatchAgent"] },
      },
      {
        name: "AmazonCloudWatch-ManageAgent",
        associationId: `cwc-${account}-${region}`,
        status: "Success",
        lastExecutionDate: minutesAgo(600),
      },
    ]),
    forwardingRules: collected(pipelineFixtureIntent().forwardingRules(account).map(ruleAsLaid)),
    network: networkEntry(account, region),
  };
}

/** The VPC id of an account's default VPC in a region (fixture ids, shaped as EC2's). */
export const vpcIdOf = (account: string, region: string) =>
  `vpc-${(account.slice(-6) + (region === HOME ? "0a" : "0b")).padStart(17, "0")}`;

/** One default VPC per cell, with the baseline's flow log (as createFlowLogsRequest lays it) and its DNS association. */
export function networkEntry(account: string, region: string): ObservedRegionNetwork {
  const vpcId = vpcIdOf(account, region);
  return {
    vpcs: collected([{ vpcId, isDefault: true, state: "available" }]),
    flowLogs: collected([
      {
        flowLogId: `fl-${vpcId.slice(4)}`,
        resourceId: vpcId,
        trafficType: "ALL",
        logDestinationType: "s3",
        logDestination: `arn:aws:s3:::${FLOW_LOG_BUCKET}`,
        flowLogStatus: "ACTIVE",
        deliverLogsStatus: "SUCCESS",
        logFormat: FLOW_LOG_FORMAT,
        destinationOptions: { fileFormat: "parquet", hiveCompatiblePartitions: false, perHourPartition: true },
      },
    ]),
    dnsQueryLogAssociations: collected([
      {
        id: `rslvr-qlca-${vpcId.slice(4)}`,
        configId: dnsConfigId(region),
        resourceId: vpcId,
        status: "ACTIVE",
        error: "NONE",
      },
    ]),
  };
}

/** The alert pipeline's manifest inputs (baseline/detection/alert-pipeline.ts). */
export const PIPELINE_AREA = {
  namePrefix: "orgwarden",
  agentRoleName: "orgwarden-audit-agent",
  keyArns: {
    "security-alerts": `arn:aws:kms:${HOME}:${ORG.security}:key/00000001-1111-2222-3333-444444444444`,
    "cis-alarms": `arn:aws:kms:${HOME}:${ORG.management}:key/00000002-1111-2222-3333-444444444444`,
  },
  emails: ["soc@example.com"],
};
export const PIPELINE_IDS = {
  orgId: ORG.id,
  homeRegion: HOME,
  managementAccountId: ORG.management,
  securityAccountId: ORG.security,
};
export const pipelineFixtureIntent = () => pipelineIntent(PIPELINE_AREA, PIPELINE_IDS);

export const ruleAsLaid = (r: RuleIntent): ObservedRule => ({
  name: r.name,
  rule: collected({ state: "ENABLED", eventPattern: JSON.stringify(r.pattern) }),
  targets: collected([{ id: r.targetId, arn: r.targetArn, ...(r.roleArn ? { roleArn: r.roleArn } : {}) }]),
});

/** The topics and the central bus exactly as infra lays them. */
export function cleanDetectionPipeline(): ObservedDetectionPipeline {
  const i = pipelineFixtureIntent();
  return {
    topics: i.topics.map((t) => ({
      role: t.role,
      arn: t.arn,
      account: t.accountId,
      region: t.region,
      attributes: collected({ kmsMasterKeyId: t.keyArn, policy: JSON.stringify(t.policy) }),
      subscriptions: collected(
        t.emails.map((e, n) => ({ subscriptionArn: `${t.arn}:sub-${n}`, protocol: "email", endpoint: e })),
      ),
    })),
    bus: {
      name: i.bus.name,
      account: i.bus.accountId,
      region: i.bus.region,
      bus: collected({ arn: i.bus.arn, policy: JSON.stringify(i.bus.policy) }),
      rules: i.centralRules.map(ruleAsLaid),
    },
  };
}

/** The CIS filters and alarms exactly as infra lays them (infra/detection/cis-alarms.ts). */
export function cleanCis(): ObservedCisMonitoring {
  const intent = cisAlarmsIntent(CIS_TOPIC_ARN);
  return {
    logGroupName: LOG_GROUP,
    filters: collected(
      intent.filters.map((f) => ({
        name: f.filterName,
        pattern: f.pattern,
        metrics: [{ name: f.metricName, namespace: intent.metricNamespace, value: CIS_ALARM.metricValue }],
      })),
    ),
    alarms: collected(
      intent.filters.map((f) => ({
        name: f.alarmName,
        arn: alarmArn(HOME, ORG.management, f.alarmName),
        namespace: intent.metricNamespace,
        metricName: f.metricName,
        statistic: CIS_ALARM.statistic,
        dimensions: [],
        usesMetricMath: false,
        period: CIS_ALARM.period,
        evaluationPeriods: CIS_ALARM.evaluationPeriods,
        threshold: CIS_ALARM.threshold,
        comparisonOperator: CIS_ALARM.comparisonOperator,
        actionsEnabled: true,
        alarmActions: [CIS_TOPIC_ARN],
      })),
    ),
  };
}

export function cleanObserved(): ObservedState {
  return {
    organization: {
      organizationId: collected(ORG.id),
      accounts: collected([
        {
          id: ORG.management,
          name: "management",
          email: "mgmt@example.com",
          status: "ACTIVE",
          parentPath: [ORG.rootId],
        },
        {
          id: ORG.logArchive,
          name: "log-archive",
          email: "logs@example.com",
          status: "ACTIVE",
          parentPath: [ORG.ou.id, ORG.rootId],
        },
        {
          id: ORG.security,
          name: "security",
          email: "sec@example.com",
          status: "ACTIVE",
          parentPath: [ORG.ou.id, ORG.rootId],
        },
        {
          id: ORG.member,
          name: "workload",
          email: "work@example.com",
          status: "ACTIVE",
          parentPath: [ORG.ou.id, ORG.rootId],
        },
      ]),
      scps: collected([{ id: SCP_ID, name: SCP_NAME, content: clone(scpContent()), targets: [ORG.rootId, ORG.ou.id] }]),
      // Every principal infra lays, in another order than the manifest's: order means nothing.
      enabledServicePrincipals: collected([...ORG_SERVICE_ACCESS_PRINCIPALS].reverse()),
      featureSet: collected("ALL"),
      roots: collected([{ id: ORG.rootId, policyTypes: [{ type: "SERVICE_CONTROL_POLICY", status: "ENABLED" }] }]),
      delegatedAdministrators: collected([
        { accountId: ORG.security, name: "security", status: "ACTIVE", services: [...BASELINE_DELEGATED_SERVICES] },
      ]),
    },
    cloudTrail: {
      trails: collected([
        {
          name: TRAIL_NAME,
          arn: TRAIL_ARN,
          homeRegion: HOME,
          isOrganizationTrail: true,
          isMultiRegionTrail: true,
          includeGlobalServiceEvents: true,
          logFileValidationEnabled: true,
          kmsKeyId: KEY_ARN,
          s3BucketName: BUCKET,
          cloudWatchLogsLogGroupArn: `arn:aws:logs:${HOME}:${ORG.management}:log-group:${LOG_GROUP}:*`,
          cloudWatchLogsRoleArn: `arn:aws:iam::${ORG.management}:role/orgwarden-cloudtrail-logs`,
        },
      ]),
      status: collected({
        isLogging: true,
        latestDeliveryTime: minutesAgo(5),
        latestCloudWatchLogsDeliveryTime: minutesAgo(2),
        latestDigestDeliveryTime: minutesAgo(30),
      }),
      eventSelectors: collected({
        kind: "advanced" as const,
        selectors: intendedTrailSelectors({ s3DataEvents: true, logBucketNames: [BUCKET, `${BUCKET}-access-logs`] }),
      }),
    },
    dnsQueryLogs: {
      configName: DNS_CONFIG_NAME,
      byRegion: { [HOME]: collected([dnsConfig(HOME)]), [OTHER_REGION]: collected([dnsConfig(OTHER_REGION)]) },
      sharesByRegion: { [HOME]: collected([dnsShare(HOME)]), [OTHER_REGION]: collected([dnsShare(OTHER_REGION)]) },
    },
    configAggregator: {
      name: AGGREGATOR.name,
      account: AGGREGATOR.accountId,
      region: AGGREGATOR.region,
      aggregator: collected({
        arn: `arn:aws:config:${HOME}:${ORG.security}:config-aggregator/config-aggregator-a1b2c3d4`,
        organizationSource: { roleArn: AGGREGATOR.roleArn, allRegions: false, regions: [...AGGREGATOR.regions] },
        accountSources: 0,
      }),
      failedSources: collected([]),
    },
    guardDutyOrganization: cleanGuardDutyOrganization(),
    athenaCatalog: {
      databaseName: ATHENA_DATABASE,
      databaseExists: collected(true),
      tables: collected(
        athenaTables().map((t) => ({
          name: t.name,
          location: t.location,
          inputFormat: t.inputFormat,
          outputFormat: t.outputFormat,
          serializationLibrary: t.serializationLibrary,
          parameters: { ...t.parameters },
          columns: t.columns.map((c) => ({ ...c })),
          partitionKeys: t.partitionKeys.map((c) => ({ ...c })),
        })),
      ),
    },
    athenaWorkgroup: {
      name: ATHENA_WORKGROUP,
      workgroup: collected({
        state: "ENABLED",
        enforced: true,
        publishMetrics: true,
        bytesScannedCutoff: athenaWorkgroup().bytesScannedCutoff,
        resultsLocation: athenaWorkgroup().resultsLocation,
        encryptionOption: "SSE_KMS",
        kmsKey: ATHENA_RESULTS_KEY_ARN,
        expectedBucketOwner: ORG.security,
      }),
    },
    logBuckets: cleanLogBuckets(),
    detectionPipeline: cleanDetectionPipeline(),
    memberBaseline: cleanMemberBaseline(),
    auditAgent: observedAgent(agentArea(ORG.security, HOME), ORG.security, HOME),
    inspectorOrganization: cleanInspectorOrganization(),
    flowLogBucket: {
      bucketName: FLOW_LOG_BUCKET,
      policy: collected(clone(flowLogPolicy())),
      encryption: collected({ algorithm: "aws:kms", kmsKeyId: FLOW_LOG_KEY_ARN }),
      publicAccessBlock: collected({
        blockPublicAcls: true,
        ignorePublicAcls: true,
        blockPublicPolicy: true,
        restrictPublicBuckets: true,
      }),
    },
    archive: {
      bucketName: BUCKET,
      policy: collected(clone(bucketPolicy())),
      objectLock: collected({ enabled: true, mode: "COMPLIANCE", days: 365 }),
      versioning: collected("Enabled"),
      encryption: collected({ algorithm: "aws:kms", kmsKeyId: KEY_ARN }),
      publicAccessBlock: collected({
        blockPublicAcls: true,
        ignorePublicAcls: true,
        blockPublicPolicy: true,
        restrictPublicBuckets: true,
      }),
      ownership: collected("BucketOwnerEnforced"),
      newestDeliveryByAccount: Object.fromEntries(
        ACCOUNTS.map((a) => [a, { [HOME]: collected(minutesAgo(10)), [OTHER_REGION]: collected(minutesAgo(12)) }]),
      ),
    },
    key: {
      keyArn: KEY_ARN,
      policy: collected(clone(keyPolicy())),
      grants: collected([
        {
          grantId: "g-0001",
          name: "auditor-decrypt",
          granteePrincipal: `arn:aws:iam::${ORG.security}:role/orgwarden-log-auditor`,
          operations: ["Decrypt"],
        },
      ]),
      rotationEnabled: collected(true),
      metadata: collected({ keyState: "Enabled", keySpec: "SYMMETRIC_DEFAULT" }),
      alias: collected({ aliasName: LOG_KEY_ALIAS, targetKeyId: keyIdOf(KEY_ARN) }),
    },
    keys: [
      {
        keyArn: LOG_GROUP_KEY_ARN,
        policy: collected(clone(logGroupKeyDoc())),
        grants: collected([]),
        rotationEnabled: collected(true),
        metadata: collected({ keyState: "Enabled", keySpec: "SYMMETRIC_DEFAULT" }),
        alias: collected({ aliasName: LOG_GROUP_KEY_ALIAS, targetKeyId: keyIdOf(LOG_GROUP_KEY_ARN) }),
      },
    ],
    memberRoles: cleanMemberRoles(),
    roles: [
      {
        name: "log-auditor-role",
        account: ORG.security,
        roleName: AUDITOR_ROLE,
        trust: collected(clone(auditorTrustDoc())),
        inlinePolicies: collected({ "orgwarden-log-auditor": clone(auditorPolicyDoc()) }),
        managedPolicyArns: collected([]),
      },
    ],
    cis: cleanCis(),
    logGroup: collected({
      name: LOG_GROUP,
      exists: true,
      retentionDays: 365,
      kmsKeyId: LOG_GROUP_KEY_ARN,
      lastIngestionTime: minutesAgo(3),
    }),
    detection: ACCOUNTS.flatMap((a) => [HOME, OTHER_REGION].map((r) => detectionEntry(a, r))),
    integrity: {
      window: { from: new Date(NOW.getTime() - 24 * 3_600_000).toISOString(), to: NOW.toISOString() },
      roleArn: LOG_AUDITOR_ROLE_ARN,
      scopes: ACCOUNTS.flatMap((a) =>
        [HOME, OTHER_REGION].map((r) => ({
          account: a,
          region: r,
          result: collected({ digestsVerified: 24, logsVerified: 288, bytesHashed: 1_000_000, defects: [] }),
        })),
      ),
    },
    manifestParameter: {
      name: manifestParameterName(cleanManifest().stack),
      account: ORG.security,
      region: HOME,
      metadata: collected({
        arn: `arn:aws:ssm:${HOME}:${ORG.security}:parameter${manifestParameterName(cleanManifest().stack)}`,
        type: "String",
        tier: "Advanced",
        version: 3,
        lastModifiedDate: minutesAgo(600),
        lastModifiedUser: `arn:aws:sts::${ORG.security}:assumed-role/OrganizationAccountAccessRole/pulumi`,
      }),
      tags: collected({ [MANIFEST_DIGEST_TAG]: manifestDigest(cleanManifest()), ManagedBy: "orgwarden" }),
      parts: manifestParameterNames(manifestParameterName(cleanManifest().stack))
        .slice(1)
        .map((name, i) => ({
          name,
          index: i + 2,
          metadata: collected({
            arn: `arn:aws:ssm:${HOME}:${ORG.security}:parameter${name}`,
            type: "String",
            tier: "Advanced",
            version: 1,
            lastModifiedDate: minutesAgo(600),
            lastModifiedUser: `arn:aws:sts::${ORG.security}:assumed-role/OrganizationAccountAccessRole/pulumi`,
          }),
          tags: collected({ [MANIFEST_DIGEST_TAG]: manifestDigest(cleanManifest()), ManagedBy: "orgwarden" }),
        })),
    },
    securityHub: securityHubClean(),
    unreachableAccounts: {},
  };
}

export const SECURITY_HUB_POLICY_NAME = "orgwarden-prod-security-hub";
export const SECURITY_HUB_POLICY_ID = "a1b2c3d4-5678-90ab-cdef-111122223333";
export const SECURITY_HUB_AGGREGATOR_ARN = `arn:aws:securityhub:${HOME}:${ORG.security}:finding-aggregator/b2c3d4e5-6789-4abc-8def-222233334444`;
const FSBP = (region: string) =>
  `arn:aws:securityhub:${region}::standards/aws-foundational-security-best-practices/v/1.0.0`;
const CIS = (region: string) => `arn:aws:securityhub:${region}::standards/cis-aws-foundations-benchmark/v/3.0.0`;

/** Security Hub's organization setup as the clean manifest's central configuration lays it (home and one linked region). */
export function securityHubClean(): NonNullable<ObservedState["securityHub"]> {
  const admin = () => collected([{ accountId: ORG.security, status: "ENABLED" }]);
  const standards = (region: string) =>
    collected([FSBP(region), CIS(region)].map((standardsArn) => ({ standardsArn, status: "READY" })));
  return {
    adminAccountsByRegion: { [HOME]: admin(), [OTHER_REGION]: admin() },
    organizationConfigurationByRegion: {
      [HOME]: collected({
        autoEnable: false,
        autoEnableStandards: "NONE",
        configurationType: "CENTRAL",
        status: "ENABLED",
        memberAccountLimitReached: false,
      }),
    },
    configurationPolicies: collected([
      {
        id: SECURITY_HUB_POLICY_ID,
        arn: `arn:aws:securityhub:${HOME}:${ORG.security}:configuration-policy/${SECURITY_HUB_POLICY_ID}`,
        name: SECURITY_HUB_POLICY_NAME,
        serviceEnabled: true,
        enabledStandardIdentifiers: [FSBP(HOME), CIS(HOME)],
        disabledSecurityControlIdentifiers: [],
        hasSecurityControlsConfiguration: true,
      },
    ]),
    rootAssociation: collected({
      configurationPolicyId: SECURITY_HUB_POLICY_ID,
      targetId: ORG.rootId,
      associationType: "APPLIED",
      associationStatus: "SUCCESS",
    }),
    findingAggregators: collected([
      {
        arn: SECURITY_HUB_AGGREGATOR_ARN,
        aggregationRegion: HOME,
        regionLinkingMode: "SPECIFIED_REGIONS",
        regions: [OTHER_REGION],
      },
    ]),
    enabledStandardsByRegion: { [HOME]: standards(HOME), [OTHER_REGION]: standards(OTHER_REGION) },
  };
}

/** A read that failed the way the SDK reports it (denied after one attempt: the SDK does not retry a denial). */
export function readError(
  operation: string,
  service: string,
  account: string,
  region: string,
  name = "AccessDeniedException",
): CollectError {
  const kind = name.startsWith("AccessDenied") ? "access-denied" : "other";
  return {
    name,
    message: `User is not authorized to perform: ${service}:${operation}`,
    kind,
    attempts: 1,
    httpStatus: 400,
    operation,
    service,
    account,
    region,
  };
}
export function failedRead<T>(
  operation: string,
  service: string,
  account: string,
  region: string,
  name?: string,
): Collected<T> {
  return failed<T>(readError(operation, service, account, region, name));
}

export function detectionOf(o: ObservedState, account: string, region: string): ObservedRegionDetection {
  const d = o.detection.find((x) => x.account === account && x.region === region);
  if (!d) throw new Error(`fixture has no detection entry for ${account}/${region}`);
  return d;
}
