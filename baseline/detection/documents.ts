import { accountRoot, alarmArn, awsManagedPolicyArn, bucketArn, eventRuleArn, roleArn } from "../arns";
import { denyInsecureTransport, denyObjectDeletion } from "../bucket-policies";
import { KEY_ADMIN_ACTIONS } from "../key-policy";
import { LOG_BUCKET_READ_ACTIONS } from "../log-buckets";
import { stackSetReadStatement } from "../stackset";
// A call-time use only: alert-pipeline.ts imports this module for its documents.
import { eventForwarderRoleName } from "./alert-pipeline";

/** Source of the audit agent's events (baseline/audit-agent-policy.ts AUDIT_EVENT). */
const AUDIT_EVENT_SOURCE = "orgwarden.audit";
import { policy, PolicyDocument, type ConditionBlock, type Statement } from "../policy-types";

export const CONFIG_SERVICE = "config.amazonaws.com";
export const EVENTS_SERVICE = "events.amazonaws.com";
export const CLOUDWATCH_SERVICE = "cloudwatch.amazonaws.com";

/**
 * Policy of the AWS Config delivery bucket (log-archive account), as the AWS Config guide's
 * cross-account bucket policy, widened from a list of accounts to the whole organization so that
 * accounts created later can deliver without a policy change. `${aws:SourceAccount}` in the
 * Resource ties each account to its own prefix: an account can never write into another's.
 * Config delivers as its service principal only when the recorder uses the service-linked role.
 */
export function configBucketPolicy(i: { bucketName: string; orgId: string }): PolicyDocument {
  const bucket = bucketArn(i.bucketName);
  const fromOrg = { "aws:SourceOrgID": i.orgId };
  return policy([
    denyInsecureTransport(i.bucketName),
    {
      Sid: "AWSConfigBucketPermissionsCheck",
      Effect: "Allow",
      Principal: { Service: CONFIG_SERVICE },
      Action: "s3:GetBucketAcl",
      Resource: bucket,
      Condition: { StringEquals: fromOrg },
    },
    {
      Sid: "AWSConfigBucketExistenceCheck",
      Effect: "Allow",
      Principal: { Service: CONFIG_SERVICE },
      Action: "s3:ListBucket",
      Resource: bucket,
      Condition: { StringEquals: fromOrg },
    },
    {
      Sid: "AWSConfigBucketDelivery",
      Effect: "Allow",
      Principal: { Service: CONFIG_SERVICE },
      Action: "s3:PutObject",
      Resource: `${bucket}/AWSLogs/\${aws:SourceAccount}/Config/*`,
      Condition: { StringEquals: { ...fromOrg, "s3:x-amz-acl": "bucket-owner-full-control" } },
    },
    {
      Sid: "DenyObjectWritesExceptConfig",
      Effect: "Deny",
      Principal: "*",
      Action: ["s3:PutObject", "s3:PutObjectAcl"],
      Resource: `${bucket}/*`,
      // Negated operator: matches IAM principals (key absent), so only Config's own calls pass.
      Condition: { StringNotEquals: { "aws:PrincipalServiceName": CONFIG_SERVICE } },
    },
    denyObjectDeletion(i.bucketName),
  ]);
}

export interface AuditRoleInput {
  securityAccountId: string;
  /** Role the audit agent runs as in the security account. */
  agentRoleName: string;
  orgId: string;
}

/**
 * Trust of the audit read role: only the agent role of the security account, and only from
 * inside the organization. No sts:ExternalId: it defends against a confused deputy, i.e. a third
 * party acting for several customers; the agent is our own role in our own organization, so an
 * exact aws:PrincipalArn is the stronger control and needs no shared secret.
 * The account root is the principal (with the ARN as a condition) because IAM rejects a trust
 * policy naming a role that does not exist yet, and StackSets reach new accounts at any time.
 */
export function auditRoleTrustPolicy(i: AuditRoleInput): PolicyDocument {
  return policy([
    {
      Sid: "AuditAgentOnly",
      Effect: "Allow",
      Principal: { AWS: accountRoot(i.securityAccountId) },
      Action: "sts:AssumeRole",
      Condition: {
        ArnEquals: { "aws:PrincipalArn": roleArn(i.securityAccountId, i.agentRoleName) },
        StringEquals: { "aws:PrincipalOrgID": i.orgId },
      },
    },
  ]);
}

export const SECURITY_AUDIT_POLICY_ARN = awsManagedPolicyArn("SecurityAudit");

/** Read actions the agent needs beyond SecurityAudit, each with its reason. */
export const AUDIT_EXTRA_READ_ACTIONS: ReadonlyArray<{ action: string; why: string }> = [
  { action: "s3:ListBucket", why: "freshness: list the last day's CloudTrail prefixes in the archive" },
  { action: "s3:GetObjectRetention", why: "Object Lock: read the retention of the newest archived objects" },
  { action: "s3:GetObjectLegalHold", why: "Object Lock: detect legal holds on archived objects" },
  { action: "ssm:ListAssociations", why: "agents: find the SSM agent and CloudWatch agent associations" },
  { action: "ssm:DescribeAssociation", why: "agents: read an association's document, targets and schedule" },
  { action: "ssm:DescribeAssociationExecutions", why: "agents: read the association's last execution status" },
  { action: "ssm:GetServiceSetting", why: "Default Host Management Configuration setting" },
  { action: "inspector2:BatchGetAccountStatus", why: "Inspector: scan status per resource type" },
  { action: "inspector2:ListCoverage", why: "Inspector: which instances are actually covered" },
  { action: "logs:DescribeLogStreams", why: "freshness: last event time of the trail's log group" },
  { action: "ssm:DescribeParameters", why: "manifest: version and last writer of the audit manifest parameter" },
  { action: "ssm:ListTagsForResource", why: "manifest: the digest tag infra pins the audit manifest parameter with" },
  {
    action: "config:DescribeDeliveryChannels",
    why: "Config: the delivery channel's bucket, prefix, key and snapshot frequency",
  },
  { action: "config:DescribeDeliveryChannelStatus", why: "Config: whether the channel's last deliveries failed" },
  {
    action: "config:DescribeConfigurationAggregators",
    why: "Config: the organization aggregator's source, role and regions",
  },
  {
    action: "config:DescribeConfigurationAggregatorSourcesStatus",
    why: "Config: the aggregator's sources whose last update failed",
  },
  { action: "glue:GetDatabase", why: "athena-catalog: the Athena log database exists (security account)" },
  { action: "glue:GetTables", why: "athena-catalog: the log tables' location, SerDe and partition projection" },
  {
    action: "athena:GetWorkGroup",
    why: "athena-workgroup: the log workgroup's state, enforcement, results location and encryption, and scan limit",
  },
  {
    action: "route53resolver:ListResolverQueryLogConfigs",
    why: "DNS: the Resolver query logging configurations of the log-archive account, per governed region",
  },
  {
    action: "scheduler:GetSchedule",
    why: "stackset-drift-schedule: the StackSet drift schedule's state, target, role and rate (management account)",
  },
  {
    action: "ram:GetResourceShareAssociations",
    why: "DNS: which RAM shares hold the query logging configuration, and their principals (log-archive account)",
  },
  {
    action: "ram:GetResourceShares",
    why: "DNS: those shares' status and allowExternalPrincipals (log-archive account)",
  },
  {
    action: "route53resolver:ListResolverQueryLogConfigAssociations",
    why: "DNS: which VPCs of the account are associated with the shared query logging configuration, per governed region",
  },
  {
    action: "guardduty:DescribeOrganizationConfiguration",
    why: "guardduty-organization: the organization's auto-enable of members and features (security account, per governed region)",
  },
  {
    action: "inspector2:ListDelegatedAdminAccounts",
    why: "inspector-organization: which account is Inspector's delegated administrator, per governed region (management account)",
  },
  {
    action: "inspector2:DescribeOrganizationConfiguration",
    why: "inspector-organization: the scan types Inspector auto-enables for new accounts, and the member account limit (security account)",
  },
  {
    action: "inspector2:ListMembers",
    why: "inspector-members: every account's Inspector membership of the security account, per governed region",
  },
  {
    action: "securityhub:ListOrganizationAdminAccounts",
    why: "securityhub-admin-account: Security Hub's delegated administrator per governed region (management account)",
  },
  {
    action: "securityhub:DescribeOrganizationConfiguration",
    why: "securityhub-organization: the organization configuration's type, status and auto-enable (security account)",
  },
  {
    action: "securityhub:ListConfigurationPolicies",
    why: "securityhub-configuration-policy: find the central configuration policy by name (security account, home region)",
  },
  {
    action: "securityhub:GetConfigurationPolicy",
    why: "securityhub-configuration-policy: the policy's service state, standards and controls",
  },
  {
    action: "securityhub:GetConfigurationPolicyAssociation",
    why: "securityhub-configuration-policy: the organization root's association, its type and status",
  },
  {
    action: "securityhub:ListFindingAggregators",
    why: "securityhub-finding-aggregator: the security account's finding aggregator (home region)",
  },
  {
    action: "securityhub:GetFindingAggregator",
    why: "securityhub-finding-aggregator: its aggregation region, linking mode and linked regions",
  },
  {
    action: "securityhub:GetEnabledStandards",
    why: "securityhub-standards: the security account's standards and their status per governed region (local configuration)",
  },
];

/**
 * Actions the audit role must never perform, denied explicitly so the guarantee does not depend
 * on what AWS puts into SecurityAudit in future: reading log content or secrets, decrypting, and
 * any write to logging, storage or IAM.
 */
export const AUDIT_DENIED_ACTIONS = [
  "s3:GetObject",
  "s3:GetObjectVersion",
  "s3:PutObject*",
  "s3:DeleteObject*",
  "s3:PutBucket*",
  "s3:DeleteBucket*",
  "s3:BypassGovernanceRetention",
  "kms:Decrypt",
  "kms:Encrypt",
  "kms:GenerateDataKey*",
  "kms:ReEncrypt*",
  "kms:CreateGrant",
  "kms:PutKeyPolicy",
  "kms:DisableKey",
  "kms:ScheduleKeyDeletion",
  "cloudtrail:StopLogging",
  "cloudtrail:DeleteTrail",
  "cloudtrail:UpdateTrail",
  "cloudtrail:PutEventSelectors",
  "cloudtrail:PutInsightSelectors",
  "iam:Add*",
  "iam:Attach*",
  "iam:Change*",
  "iam:Create*",
  "iam:Deactivate*",
  "iam:Delete*",
  "iam:Detach*",
  "iam:Enable*",
  "iam:PassRole",
  "iam:Put*",
  "iam:Remove*",
  "iam:Reset*",
  "iam:Resync*",
  "iam:Set*",
  "iam:Tag*",
  "iam:Untag*",
  "iam:Update*",
  "iam:Upload*",
  "sts:AssumeRole",
  "secretsmanager:GetSecretValue",
  "ssm:GetParameter*",
  "ssm:SendCommand",
  "ssm:StartSession",
];

/** The alert pipeline's reads (agent/collectors/detection-pipeline.ts), each on exactly the baseline's resources. */
export const DETECTION_PIPELINE_READ_ACTIONS = {
  topics: ["sns:GetTopicAttributes", "sns:ListSubscriptionsByTopic"],
  bus: ["events:DescribeEventBus"],
  rules: ["events:DescribeRule", "events:ListTargetsByRule"],
} as const;

/**
 * The pipeline reads on the resources named from `namePrefix` (baseline/detection/alert-pipeline.ts):
 * the two alert topics, the central bus, its rules (rule/<bus>/<rule>) and the forwarding rules on
 * the default bus. Account and region are wildcards: the same role is laid in every account.
 */
function detectionPipelineReads(namePrefix: string): Statement[] {
  const bus = `${namePrefix}-security`;
  return [
    {
      Sid: "AlertTopicsRead",
      Effect: "Allow",
      Action: [...DETECTION_PIPELINE_READ_ACTIONS.topics],
      Resource: ["security-alerts", "cis-alarms"].map((t) => `arn:aws:sns:*:*:${namePrefix}-${t}`),
    },
    {
      Sid: "CentralBusRead",
      Effect: "Allow",
      Action: [...DETECTION_PIPELINE_READ_ACTIONS.bus],
      Resource: `arn:aws:events:*:*:event-bus/${bus}`,
    },
    {
      Sid: "AlertRulesRead",
      Effect: "Allow",
      Action: [...DETECTION_PIPELINE_READ_ACTIONS.rules],
      Resource: [`arn:aws:events:*:*:rule/${bus}/${bus}-*`, `arn:aws:events:*:*:rule/${namePrefix}-forward-*`],
    },
  ];
}

/** The member roles' reads (agent/collectors/iam-roles.ts): a role's trust, its inline policies and its attachments. */
export const MEMBER_ROLE_READ_ACTIONS = [
  "iam:GetRole",
  "iam:ListRolePolicies",
  "iam:GetRolePolicy",
  "iam:ListAttachedRolePolicies",
] as const;

/**
 * `namePrefix`: detection.namePrefix, which names the member-baseline StackSet and stacks the role may describe and the
 * alert pipeline (topics, central bus, forwarding rules) it may read. `readRoleName`: audit.readRoleName, this role's own
 * name: iam-role-trust and iam-role-permissions read it and the event forwarder role (named from `namePrefix`) in every account.
 */
export function auditRoleExtraPolicy(namePrefix: string, readRoleName: string): PolicyDocument {
  return policy([
    { Sid: "AuditExtraRead", Effect: "Allow", Action: AUDIT_EXTRA_READ_ACTIONS.map((a) => a.action), Resource: "*" },
    // Granted here on exactly these two roles rather than left to SecurityAudit's iam:Get*/List*.
    {
      Sid: "MemberRolesRead",
      Effect: "Allow",
      Action: [...MEMBER_ROLE_READ_ACTIONS],
      Resource: [readRoleName, eventForwarderRoleName(namePrefix)].map((n) => `arn:aws:iam::*:role/${n}`),
    },
    // stackset-instances / stackset-drift: the baseline's own StackSet and stacks only, not whatever SecurityAudit's cloudformation:Describe* reaches.
    stackSetReadStatement(namePrefix),
    // The log-bucket checks' configuration reads, granted here rather than left to what SecurityAudit
    // happens to hold; every one is a bucket-level action (none reads an object), and the Deny below still wins.
    {
      Sid: "LogBucketConfigurationRead",
      Effect: "Allow",
      Action: [...LOG_BUCKET_READ_ACTIONS],
      Resource: "arn:aws:s3:::*",
    },
    ...detectionPipelineReads(namePrefix),
    { Sid: "DenyDataAccessAndWrites", Effect: "Deny", Action: AUDIT_DENIED_ACTIONS, Resource: "*" },
  ]);
}

/**
 * Policy of the central event bus: any principal of the organization may put events, nobody else.
 * When `auditEventRoleArn` is given, only that role (the audit agent) may put events of source
 * orgwarden.audit, so no other principal of the organization can pose as the audit.
 */
export function centralBusPolicy(i: { busArn: string; orgId: string; auditEventRoleArn?: string }): PolicyDocument {
  return policy([
    {
      Sid: "OrganizationPutEvents",
      Effect: "Allow",
      Principal: "*",
      Action: "events:PutEvents",
      Resource: i.busArn,
      Condition: { StringEquals: { "aws:PrincipalOrgID": i.orgId } },
    },
    ...(i.auditEventRoleArn
      ? [
          {
            Sid: "OnlyTheAuditAgentPutsAuditEvents",
            Effect: "Deny" as const,
            Principal: "*" as const,
            Action: "events:PutEvents",
            Resource: i.busArn,
            Condition: {
              // events:source is multivalued (one value per entry of the call): any entry of that source.
              "ForAnyValue:StringEquals": { "events:source": AUDIT_EVENT_SOURCE },
              ArnNotEquals: { "aws:PrincipalArn": i.auditEventRoleArn },
            },
          },
        ]
      : []),
  ]);
}

export interface AlertTopicPolicyInput {
  topicArn: string;
  /** Account and region that own the topic: CloudWatch alarms and EventBridge rules can only notify a topic of their own account and region. */
  accountId: string;
  region: string;
  /** IAM roles of the owning account that publish too (the audit agent's run message); none by default. */
  publisherRoleArns?: string[];
}

/**
 * Policy of an alert topic: CloudWatch alarms and EventBridge rules of the owning account publish;
 * nothing else does, not even the account's own IAM principals (explicit deny keyed on the
 * service name, which only service principals carry).
 */
export function alertTopicPolicy(i: AlertTopicPolicyInput): PolicyDocument {
  const source = { "aws:SourceAccount": i.accountId };
  const roles = i.publisherRoleArns ?? [];
  // The roles are exempt from the deny; their own IAM policy grants them Publish (same account).
  const exempt: ConditionBlock = roles.length > 0 ? { ArnNotEquals: { "aws:PrincipalArn": roles } } : {};
  return policy([
    {
      Sid: "CloudWatchAlarmsPublish",
      Effect: "Allow",
      Principal: { Service: CLOUDWATCH_SERVICE },
      Action: "sns:Publish",
      Resource: i.topicArn,
      Condition: { StringEquals: source, ArnLike: { "aws:SourceArn": alarmArn(i.region, i.accountId, "*") } },
    },
    {
      Sid: "EventBridgeRulesPublish",
      Effect: "Allow",
      Principal: { Service: EVENTS_SERVICE },
      Action: "sns:Publish",
      Resource: i.topicArn,
      Condition: { StringEquals: source, ArnLike: { "aws:SourceArn": eventRuleArn(i.region, i.accountId, "*") } },
    },
    {
      Sid: "DenyPublishExceptAlarmsAndEventBridge",
      Effect: "Deny",
      Principal: "*",
      Action: "sns:Publish",
      Resource: i.topicArn,
      Condition: { StringNotEquals: { "aws:PrincipalServiceName": [CLOUDWATCH_SERVICE, EVENTS_SERVICE] }, ...exempt },
    },
  ]);
}

/**
 * Key policy of an alert topic's key. SNS encrypts with the publisher's permissions, so the two
 * publishing services need GenerateDataKey and Decrypt; the AWS managed aws/sns key cannot be
 * used because its policy cannot grant them. The account administers the key through IAM (as
 * KMS's default policy, so the deploying principal can never be locked out), without any
 * cryptographic action.
 */
export function alertKeyPolicy(i: {
  accountId: string;
  /** Region of the topic: the publisher roles may use the key through this region's SNS only. */
  region?: string;
  /** IAM roles of the account that publish to the topic: KMS use is delegated to their IAM policy, through SNS only. */
  publisherRoleArns?: string[];
}): PolicyDocument {
  const roles = i.publisherRoleArns ?? [];
  if (roles.length > 0 && !i.region) throw new Error("alertKeyPolicy: publisherRoleArns need the topic's region");
  // The account root with aws:PrincipalArn, not the role as principal: KMS refuses a key policy naming a
  // role that does not exist yet, and the agent's role is created after the topic. The role's own
  // IAM policy must allow the same actions (baseline/audit-agent-policy.ts).
  const publishers: Statement[] =
    roles.length === 0
      ? []
      : [
          {
            Sid: "RolesPublishThroughSns",
            Effect: "Allow",
            Principal: { AWS: accountRoot(i.accountId) },
            Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
            Resource: "*",
            Condition: {
              ArnEquals: { "aws:PrincipalArn": roles },
              StringEquals: { "kms:ViaService": `sns.${i.region}.amazonaws.com` },
            },
          },
        ];
  return policy([
    {
      Sid: "KeyAdministration",
      Effect: "Allow",
      Principal: { AWS: accountRoot(i.accountId) },
      Action: KEY_ADMIN_ACTIONS,
      Resource: "*",
    },
    {
      Sid: "AlarmAndEventBridgePublishers",
      Effect: "Allow",
      Principal: { Service: [CLOUDWATCH_SERVICE, EVENTS_SERVICE] },
      Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
      Resource: "*",
      // IfExists: AWS's own examples for alarms and rules on encrypted topics carry no condition here, so
      // whether SNS forwards the publisher's source account to KMS is not documented; a plain StringEquals
      // could silently drop every notification. Present and foreign is still refused.
      Condition: { StringEqualsIfExists: { "aws:SourceAccount": i.accountId } },
    },
    ...publishers,
  ]);
}
