/**
 * ARNs: the one place that builds and parses them. Every ARN the project writes into a document,
 * a finding or an API call comes from a builder here; every ARN it reads apart goes through
 * parseArn() or parseKmsKeyRef().
 */
export const ACCOUNT_ID = /^\d{12}$/;
export const ORG_ID = /^o-[a-z0-9]{10,32}$/;
export const ROOT_ID = /^r-[0-9a-z]{4,32}$/;

/**
 * The partition the named builders write. The baseline governs commercial-partition regions only
 * (infra refuses others, see COMMERCIAL_REGIONS), so its documents name `aws`; the parsers accept
 * every partition (`aws`, `aws-cn`, `aws-us-gov`, …) because observed state may come from any.
 */
export const PARTITION = "aws";

const PARTITION_NAME = /^aws[a-z-]*$/;

/** `arn:<partition>:<service>:<region>:<account>:<resource>`; global services leave region (and S3 account) empty. */
export function arn(partition: string, service: string, region: string, account: string, resource: string): string {
  return `arn:${partition}:${service}:${region}:${account}:${resource}`;
}

export interface ParsedArn {
  partition: string;
  service: string;
  region: string;
  account: string;
  /** Everything after the fifth colon, colons included (`log-group:/x:*`, `alias/a:b`). */
  resource: string;
}

/**
 * The five parts of an ARN, or undefined when `s` is not `arn:<partition>:` followed by four more
 * colon-separated fields. Only the structure is judged: which fields may be empty, and what the
 * account or resource must look like, is the caller's (a policy value may hold `*` anywhere).
 */
export function parseArn(s: string): ParsedArn | undefined {
  const parts = s.split(":");
  if (parts.length < 6 || parts[0] !== "arn" || !PARTITION_NAME.test(parts[1])) return undefined;
  const [, partition, service, region, account] = parts;
  return { partition, service, region, account, resource: parts.slice(5).join(":") };
}

// --- IAM and STS ---------------------------------------------------------------------------

export function accountRoot(accountId: string): string {
  return arn(PARTITION, "iam", "", accountId, "root");
}

/** `accountId` may be `*` in a pattern (every account); `roleName` may carry a path (`aws-service-role/…/Name`). */
export function roleArn(accountId: string, roleName: string): string {
  return arn(PARTITION, "iam", "", accountId, `role/${roleName}`);
}

export function userArn(accountId: string, userName: string): string {
  return arn(PARTITION, "iam", "", accountId, `user/${userName}`);
}

/** An AWS managed policy, e.g. `SecurityAudit` or `service-role/AWSConfigRoleForOrganizations`. */
export function awsManagedPolicyArn(pathAndName: string): string {
  return arn(PARTITION, "iam", "", "aws", `policy/${pathAndName}`);
}

/** What every IAM ARN of one account starts with: the test of "a principal of this account". */
export function iamArnPrefix(accountId: string): string {
  return arn(PARTITION, "iam", "", accountId, "");
}

// --- Organizations -------------------------------------------------------------------------

/** Organizations ARNs live in the management account; the manifest's `organization` has this shape. */
export interface OrganizationIds {
  managementAccountId: string;
  id: string;
}

export function organizationArn(org: OrganizationIds): string {
  return arn(PARTITION, "organizations", "", org.managementAccountId, `organization/${org.id}`);
}

export function organizationAccountArn(org: OrganizationIds, accountId: string): string {
  return arn(PARTITION, "organizations", "", org.managementAccountId, `account/${org.id}/${accountId}`);
}

export function scpArn(org: OrganizationIds, policyId: string): string {
  return arn(
    PARTITION,
    "organizations",
    "",
    org.managementAccountId,
    `policy/${org.id}/service_control_policy/${policyId}`,
  );
}

// --- Logging: CloudTrail, S3, CloudWatch Logs ----------------------------------------------

/** `region` and `trailName` may be `*` in a pattern. */
export function trailArn(region: string, accountId: string, trailName: string): string {
  return arn(PARTITION, "cloudtrail", region, accountId, `trail/${trailName}`);
}

export function bucketArn(bucket: string): string {
  return arn(PARTITION, "s3", "", "", bucket);
}

/** An object, or with `*` in the key a set of objects (`reports/*`). */
export function objectArn(bucket: string, key: string): string {
  return arn(PARTITION, "s3", "", "", `${bucket}/${key}`);
}

/** `region` and `accountId` may be `*` in a pattern. */
export function logGroupArn(region: string, accountId: string, name: string): string {
  return arn(PARTITION, "logs", region, accountId, `log-group:${name}`);
}

/** CloudTrail's date-partitioned key prefix for one account and region of an organization trail. */
export function cloudTrailPrefix(orgId: string, accountId: string, region: string): string {
  return `AWSLogs/${orgId}/${accountId}/CloudTrail/${region}/`;
}

// --- KMS -----------------------------------------------------------------------------------

export function keyArn(region: string, accountId: string, keyId: string): string {
  return arn(PARTITION, "kms", region, accountId, `key/${keyId}`);
}

/** A key id as KMS issues it: a UUID, or `mrk-` and 32 hex digits for a multi-Region key. */
const KMS_KEY_ID = /^(mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/**
 * The four ways a KMS key is named. A bare key id means a key in the account and region of whoever
 * names it; an alias (name or ARN) can be re-pointed at another key at any time.
 */
export type KmsKeyRef =
  | { kind: "key-id"; keyId: string }
  | { kind: "key-arn"; partition: string; region: string; account: string; keyId: string }
  | { kind: "alias-name"; aliasName: string }
  | { kind: "alias-arn"; partition: string; region: string; account: string; aliasName: string };

/** Which of the four forms `s` is, or undefined when it is none of them. */
export function parseKmsKeyRef(s: string): KmsKeyRef | undefined {
  if (s.startsWith("alias/")) return { kind: "alias-name", aliasName: s };
  if (KMS_KEY_ID.test(s)) return { kind: "key-id", keyId: s };
  const a = parseArn(s);
  if (!a || a.service !== "kms" || !/^[a-z0-9-]+$/.test(a.region) || !ACCOUNT_ID.test(a.account)) return undefined;
  const where = { partition: a.partition, region: a.region, account: a.account };
  if (a.resource.startsWith("alias/")) return { kind: "alias-arn", ...where, aliasName: a.resource };
  // Looser than KMS_KEY_ID: a bare id must look like one to be told from other names, while in a key ARN `key/` already says it.
  const id = /^key\/([A-Za-z0-9-]+)$/.exec(a.resource)?.[1];
  return id ? { kind: "key-arn", ...where, keyId: id } : undefined;
}

// --- Detection: EventBridge, SSM, GuardDuty, Security Hub, CloudWatch ---------------------

export function eventBusArn(region: string, accountId: string, busName: string): string {
  return arn(PARTITION, "events", region, accountId, `event-bus/${busName}`);
}

/** A rule on the default bus; `ruleName` may be `*` in a pattern. */
export function eventRuleArn(region: string, accountId: string, ruleName: string): string {
  return arn(PARTITION, "events", region, accountId, `rule/${ruleName}`);
}

/** `name` is the parameter's full path, starting with "/" (the ARN has no slash of its own before it). */
export function ssmParameterArn(region: string, accountId: string, name: string): string {
  return arn(PARTITION, "ssm", region, accountId, `parameter${name}`);
}

export function ssmAssociationArn(region: string, accountId: string, associationId: string): string {
  return arn(PARTITION, "ssm", region, accountId, `association/${associationId}`);
}

export function guardDutyDetectorArn(region: string, accountId: string, detectorId: string): string {
  return arn(PARTITION, "guardduty", region, accountId, `detector/${detectorId}`);
}

export function securityHubArn(region: string, accountId: string): string {
  return arn(PARTITION, "securityhub", region, accountId, "hub/default");
}

/** A Security Hub standard, e.g. `aws-foundational-security-best-practices/v/1.0.0` (standards belong to no account). */
export function securityHubStandardArn(region: string, standard: string): string {
  return arn(PARTITION, "securityhub", region, "", `standards/${standard}`);
}

export function topicArn(region: string, accountId: string, topicName: string): string {
  return arn(PARTITION, "sns", region, accountId, topicName);
}

/** `alarmName` may be `*` in a pattern. */
export function alarmArn(region: string, accountId: string, alarmName: string): string {
  return arn(PARTITION, "cloudwatch", region, accountId, `alarm:${alarmName}`);
}

/**
 * The values a CloudTrail data-event selector uses for "every resource of this type": basic selectors
 * write `arn:aws:s3:::` for all buckets, advanced ones the bare service prefix.
 */
export const DATA_EVENT_ALL_RESOURCES: Record<"AWS::S3::Object" | "AWS::Lambda::Function", readonly string[]> = {
  "AWS::S3::Object": [`arn:${PARTITION}:s3`, `arn:${PARTITION}:s3:::`],
  "AWS::Lambda::Function": [`arn:${PARTITION}:lambda`],
};
