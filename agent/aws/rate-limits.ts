/**
 * The one table of AWS request rates the agent paces its calls by: per service and, where AWS
 * meters API families apart, per family. Each row says where its figure comes from. "published"
 * rows quote the service's quotas page or API reference; "observed" rows are commonly observed
 * limits (AWS publishes none, or only "may be throttled"), set on the low side, because a throttled
 * call costs a retry with backoff while a slower bucket only costs time.
 *
 * The pacer keeps one bucket per (account, region, family). Organizations is one global service
 * metered for the whole organization, so all its calls share one bucket, whatever region a
 * client names (see `scope`).
 */

export interface RateLimit {
  /** Family key: `<service>` or `<service>:<family>`. */
  family: string;
  /** Sustained requests per second. */
  rate: number;
  /** Requests that may go at once after an idle period (the bucket's capacity). */
  burst: number;
  /** "published": AWS documents the figure; "observed": commonly observed, AWS publishes none. */
  basis: "published" | "observed";
  source: string;
  /** "account-region" (the default) or "organization": one bucket for every call of the family. */
  scope?: "account-region" | "organization";
}

interface Row extends RateLimit {
  /** Operations (without "Command") of this family; absent on the service's default row. */
  operations?: string[];
}

/** Keyed by the SDK client's class name (context.clientName in the middleware). */
const TABLE: Record<string, Row[]> = {
  OrganizationsClient: [
    {
      family: "organizations",
      rate: 5,
      burst: 10,
      basis: "observed",
      scope: "organization",
      source:
        "https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html (says only that calls are throttled; a few TPS per organization is what is observed)",
    },
  ],
  STSClient: [
    {
      family: "sts",
      rate: 600,
      burst: 600,
      basis: "published",
      source:
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html (AWS STS: 600 requests/s per account per region)",
    },
  ],
  IAMClient: [
    {
      family: "iam",
      rate: 10,
      burst: 20,
      basis: "observed",
      source: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html (no per-API rate published)",
    },
  ],
  S3Client: [
    {
      family: "s3:list",
      operations: ["ListObjectsV2", "GetObject", "HeadObject", "GetObjectRetention"],
      rate: 5500,
      burst: 5500,
      basis: "published",
      source:
        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/optimizing-performance.html (5,500 GET/HEAD per second per prefix; one bucket per account here, so never above it)",
    },
    {
      family: "s3:bucket",
      rate: 50,
      burst: 100,
      basis: "observed",
      source:
        "https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketPolicy.html (bucket configuration APIs: no rate published; SlowDown is observed far below the object rates)",
    },
  ],
  KMSClient: [
    {
      family: "kms:crypto",
      operations: ["Decrypt", "Encrypt", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext", "ReEncrypt"],
      rate: 5500,
      burst: 5500,
      basis: "published",
      source:
        "https://docs.aws.amazon.com/kms/latest/developerguide/requests-per-second.html (cryptographic operations share one quota: 5,500/s, more in some regions)",
    },
    {
      family: "kms:describe",
      operations: ["DescribeKey", "GetKeyPolicy", "GetKeyRotationStatus"],
      rate: 1000,
      burst: 1000,
      basis: "published",
      source:
        "https://docs.aws.amazon.com/kms/latest/developerguide/requests-per-second.html (GetKeyPolicy, GetKeyRotationStatus 1,000/s; DescribeKey 2,000/s)",
    },
    {
      family: "kms:list",
      rate: 100,
      burst: 100,
      basis: "published",
      source:
        "https://docs.aws.amazon.com/kms/latest/developerguide/requests-per-second.html (ListGrants, ListKeys, ListAliases: 100/s)",
    },
  ],
  CloudTrailClient: [
    {
      family: "cloudtrail:lookup",
      operations: ["LookupEvents"],
      rate: 2,
      burst: 2,
      basis: "published",
      source:
        "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/WhatIsCloudTrail-Limits.html (LookupEvents: 2/s per account per region)",
    },
    {
      family: "cloudtrail",
      rate: 10,
      burst: 10,
      basis: "published",
      source:
        "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/WhatIsCloudTrail-Limits.html (DescribeTrails, GetTrailStatus, GetEventSelectors, ListPublicKeys: 10/s per account per region)",
    },
  ],
  CloudWatchLogsClient: [
    {
      family: "logs",
      rate: 5,
      burst: 10,
      basis: "published",
      source:
        "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/cloudwatch_limits_cwl.html (DescribeLogGroups 10/s, DescribeMetricFilters 5/s: the lower for both)",
    },
  ],
  CloudWatchClient: [
    {
      family: "cloudwatch",
      rate: 3,
      burst: 5,
      basis: "observed",
      source:
        "https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_limits.html (API request rates are per-API Service Quotas of service code monitoring, adjustable and not quoted on the page; DescribeAlarms is held low because the audit pages through a few pages at most)",
    },
  ],
  ConfigServiceClient: [
    {
      family: "config",
      rate: 5,
      burst: 10,
      basis: "observed",
      source:
        "https://docs.aws.amazon.com/config/latest/developerguide/configlimits.html (no Describe* rate published)",
    },
  ],
  GuardDutyClient: [
    {
      family: "guardduty",
      rate: 10,
      burst: 20,
      basis: "observed",
      source: "https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_limits.html (no API rate published)",
    },
  ],
  SecurityHubClient: [
    {
      family: "securityhub",
      rate: 10,
      burst: 30,
      basis: "published",
      source:
        "https://docs.aws.amazon.com/securityhub/latest/userguide/securityhub-limits.html (APIs other than GetFindings/BatchImportFindings/UpdateFindings: 10/s, burst 30)",
    },
  ],
  Inspector2Client: [
    {
      family: "inspector2",
      rate: 10,
      burst: 20,
      basis: "observed",
      source: "https://docs.aws.amazon.com/inspector/latest/user/quotas.html (no API rate published)",
    },
  ],
  CloudFormationClient: [
    {
      family: "cloudformation",
      rate: 5,
      burst: 5,
      basis: "observed",
      source:
        "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html (no rate for DescribeStackSet/ListStackInstances/DescribeStacks published; one call a run plus one per direct stack and region)",
    },
  ],
  AthenaClient: [
    {
      family: "athena",
      rate: 5,
      burst: 5,
      basis: "observed",
      source:
        "https://docs.aws.amazon.com/athena/latest/ug/service-limits.html (no GetWorkGroup rate published; one call a run)",
    },
  ],
  GlueClient: [
    {
      family: "glue",
      rate: 5,
      burst: 5,
      basis: "observed",
      source:
        "https://docs.aws.amazon.com/general/latest/gr/glue.html (no GetDatabase/GetTables rate published; two calls a run)",
    },
  ],
  SSMClient: [
    {
      family: "ssm",
      rate: 10,
      burst: 20,
      basis: "observed",
      source:
        "https://docs.aws.amazon.com/general/latest/gr/ssm.html (Service Quotas lists per-API rates for some APIs, none for ListAssociations/DescribeAssociation)",
    },
  ],
  SNSClient: [
    {
      family: "sns",
      rate: 10,
      burst: 10,
      basis: "observed",
      source:
        "https://docs.aws.amazon.com/general/latest/gr/sns.html (per-API TPS quotas vary by region; the audit makes a few GetTopicAttributes/ListSubscriptionsByTopic calls a run, set far below them)",
    },
  ],
  EC2Client: [
    {
      family: "ec2",
      rate: 20,
      burst: 100,
      basis: "published",
      source:
        "https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-throttling.html (non-mutating actions such as DescribeVpcs and DescribeFlowLogs: a bucket of 100 tokens refilled at 20 per second, per API, account and region; one bucket here for both)",
    },
  ],
  Route53ResolverClient: [
    {
      family: "route53resolver",
      rate: 5,
      burst: 5,
      basis: "observed",
      source:
        "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/DNSLimitations.html (no Resolver API request rate published; one or two List calls per account and region a run)",
    },
  ],
  SchedulerClient: [
    {
      family: "scheduler",
      rate: 5,
      burst: 5,
      basis: "observed",
      source:
        "https://docs.aws.amazon.com/scheduler/latest/UserGuide/scheduler-quotas.html (GetSchedule's regional request quota is far above one call a run; set on the low side)",
    },
  ],
  RAMClient: [
    {
      family: "ram",
      rate: 5,
      burst: 5,
      basis: "observed",
      source:
        "https://docs.aws.amazon.com/ram/latest/userguide/ram-limits.html (no API request rate published; up to three Get calls per governed region a run)",
    },
  ],
  EventBridgeClient: [
    {
      family: "events",
      rate: 10,
      burst: 10,
      basis: "observed",
      source:
        "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-quota.html (control-plane API rates are regional quotas; DescribeEventBus, DescribeRule, ListTargetsByRule set on the low side)",
    },
  ],
};

/** Any client not in the table: a deliberately low rate, so that a new collector is slow, never throttled. */
export const DEFAULT_LIMIT: RateLimit = {
  family: "default",
  rate: 5,
  burst: 5,
  basis: "observed",
  source: "none: a client class missing from agent/aws/rate-limits.ts",
};

/** The row that meters `operation` (without the "Command" suffix) of the client class `clientName`. */
export function limitFor(clientName: string, operation: string): RateLimit {
  const rows = TABLE[clientName];
  if (!rows) return { ...DEFAULT_LIMIT, family: `default:${clientName}` };
  const row = rows.find((r) => r.operations?.includes(operation)) ?? rows.find((r) => !r.operations) ?? rows[0];
  const { operations: _unused, ...limit } = row;
  return limit;
}

/** Every row, for the docs and the tests. */
export function rateTable(): Array<RateLimit & { client: string; operations?: string[] }> {
  return Object.entries(TABLE).flatMap(([client, rows]) => rows.map((r) => ({ client, ...r })));
}
