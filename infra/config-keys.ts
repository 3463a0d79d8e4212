/**
 * Every project config key, its Pulumi.yaml type, default and meaning. Pulumi.yaml's `config:`
 * block is checked against this table by a test, and docs/infra.md documents the same keys, so
 * the three cannot drift apart. Keys are flat with dotted group names because Pulumi.yaml config
 * declarations only know string, integer, boolean and array.
 */
import { CONCURRENCY } from "../agent/limits";
import { roleArn } from "../baseline/arns";

export type ConfigKeyType = "string" | "integer" | "boolean" | "array";

export interface ConfigKeySpec {
  key: string;
  type: ConfigKeyType;
  default: string | number | boolean | string[];
  description: string;
}

export const PROJECT = "orgwarden";
export const DEFAULT_DEPLOY_ROLE = "OrganizationAccountAccessRole";

export const CONFIG_KEYS: ConfigKeySpec[] = [
  { key: "homeRegion", type: "string", default: "us-east-1", description: "Region of the organization trail, its log group, the KMS key, the buckets and the audit manifest parameter." },
  { key: "governedRegions", type: "array", default: ["us-east-1"], description: "Regions the baseline governs; must contain homeRegion." },
  { key: "managementAccountId", type: "string", default: "", description: "Required. 12-digit id of the organization's management account (the account pulumi runs in)." },
  { key: "organization.mode", type: "string", default: "create", description: "create: create a new organization; adopt: import the existing one (organization.id and organization.rootId required)." },
  { key: "organization.id", type: "string", default: "", description: "Organization id (o-…) to adopt. Required when organization.mode is adopt, empty otherwise." },
  { key: "organization.rootId", type: "string", default: "", description: "Root id (r-…) of the adopted organization. Required when organization.mode is adopt, empty otherwise." },
  { key: "organization.ous", type: "array", default: ["Security", "Workloads"], description: "Organizational units created directly under the root." },
  { key: "organization.securityOu", type: "string", default: "Security", description: "OU (one of organization.ous) that holds the log-archive and security accounts." },
  { key: "organization.existingOuIds", type: "array", default: [], description: "Adopt mode only: OUs that already exist, as Name=ou-xxxx-xxxxxxxx; they are imported instead of created." },
  { key: "logArchive.accountName", type: "string", default: "Log Archive", description: "Name of the log-archive account." },
  { key: "logArchive.email", type: "string", default: "", description: "Required. Root e-mail address of the log-archive account." },
  { key: "logArchive.accountId", type: "string", default: "", description: "Adopt an existing log-archive account (imported) instead of creating one. Adopt mode only." },
  { key: "security.accountName", type: "string", default: "Security", description: "Name of the security (audit) account." },
  { key: "security.email", type: "string", default: "", description: "Required. Root e-mail address of the security account." },
  { key: "security.accountId", type: "string", default: "", description: "Adopt an existing security account (imported) instead of creating one. Adopt mode only." },
  { key: "deployRoleName", type: "string", default: DEFAULT_DEPLOY_ROLE, description: "Role pulumi assumes in the member accounts; created by Organizations in new accounts." },
  { key: "trail.name", type: "string", default: "orgwarden-organization-trail", description: "Name of the organization trail (3-47 characters; the CloudWatch Logs delivery role is <name>-cloudwatch-logs)." },
  { key: "trail.s3DataEvents", type: "boolean", default: false, description: "Log S3 object-level data events (all buckets except the log buckets themselves)." },
  { key: "trail.lambdaDataEvents", type: "boolean", default: false, description: "Log Lambda invoke data events." },
  { key: "trail.logGroupName", type: "string", default: "/orgwarden/cloudtrail", description: "CloudWatch Logs group the trail also delivers to (CIS metric filters read it)." },
  { key: "trail.logGroupRetentionDays", type: "integer", default: 365, description: "Retention of that log group; one of the values CloudWatch Logs accepts." },
  { key: "logArchive.retentionDays", type: "integer", default: 365, description: "Object Lock default retention of the archive, in days." },
  { key: "logArchive.lockMode", type: "string", default: "COMPLIANCE", description: "Object Lock mode: COMPLIANCE (nobody can shorten it) or GOVERNANCE (for dev only)." },
  { key: "logArchive.transitionDays", type: "integer", default: 90, description: "Days after which archived log objects move to GLACIER_IR." },
  { key: "logArchive.noncurrentExpirationDays", type: "integer", default: 0, description: "Days after which noncurrent versions expire; 0 means the retention; never shorter than logArchive.retentionDays." },
  { key: "logArchive.accessLogRetentionDays", type: "integer", default: 365, description: "Days S3 server access logs of the archive are kept." },
  { key: "logArchive.bucketPrefix", type: "string", default: "orgwarden", description: "Prefix of the bucket names <prefix>-<stack>-cloudtrail-<managementAccountId> and <prefix>-<stack>-access-logs-<managementAccountId>." },
  { key: "auditorRoleNames", type: "array", default: ["orgwarden-log-auditor"], description: "Roles in the security account allowed to read the archive and decrypt the logs." },
  { key: "kms.adminRoleNames", type: "array", default: [DEFAULT_DEPLOY_ROLE], description: "Roles in the security account that administer the log key (no cryptographic use); must include deployRoleName." },
  { key: "kms.aliasName", type: "string", default: "alias/orgwarden-cloudtrail", description: "Alias of the log key; the trail log group's key (management account) is <aliasName>-log-group." },
  {
    key: "kms.logGroupKeyAdminArns",
    type: "array",
    default: [],
    description: "IAM principal ARN patterns of the management account that administer the trail log group's key (no cryptographic use); must cover the principal pulumi runs as. Empty: the management account's IAM policies decide.",
  },
  {
    key: "scp.exemptPrincipalArns",
    type: "array",
    default: [roleArn("*", DEFAULT_DEPLOY_ROLE), roleArn("*", "stacksets-exec-*"), roleArn("*", "orgwarden-break-glass")],
    description: "Principal ARN patterns the security-baseline SCPs do not apply to (deployment, StackSets and break-glass roles); must cover arn:aws:iam::*:role/<deployRoleName> and the StackSets execution role arn:aws:iam::*:role/stacksets-exec-*.",
  },
  { key: "audit.readRoleName", type: "string", default: "orgwarden-audit-read", description: "Read-only role the audit agent assumes in every account; may read the key's policy and grants." },
  { key: "audit.agentRoleName", type: "string", default: "orgwarden-audit-agent", description: "Role the scheduled audit agent runs as in the security account." },
  { key: "audit.deliveryMaxAgeMinutes", type: "integer", default: 60, description: "Maximum age of the newest CloudTrail delivery before the agent reports drift." },
  { key: "audit.schedule", type: "string", default: "cron(0 5 * * ? *)", description: "When the scheduled audit agent runs: an EventBridge cron(...) or rate(...) expression, in UTC." },
  { key: "audit.reportRetentionDays", type: "integer", default: 365, description: "Days audit reports are kept in the report bucket (security account)." },
  { key: "audit.concurrency", type: "integer", default: 8, description: `Account × region collection tasks the scheduled agent runs at once (${CONCURRENCY.min}-${CONCURRENCY.max}).` },
  { key: "tags", type: "array", default: ["ManagedBy=orgwarden"], description: "Tags (Key=Value) applied to every taggable resource through the providers' default tags." },
];

export function keySpec(key: string): ConfigKeySpec {
  const spec = CONFIG_KEYS.find((k) => k.key === key);
  if (!spec) throw new Error(`no such config key: ${PROJECT}:${key}`);
  return spec;
}
