/**
 * The foundation section of the stack config: one zod schema, nested as the typed config is, each
 * leaf a field carrying its flat key (the user-facing `orgwarden:<key>`), Pulumi.yaml type, default
 * and description (infra/config-field.ts). Declaration order is the order of the key table, of
 * Pulumi.yaml, of the docs and of the problems. The detection section is infra/detection/config.ts.
 */
import { z } from "zod";
import { roleArn } from "../baseline/arns";
import { CT_LOG_GROUP_NAME, CT_TRAIL_NAME } from "../baseline/control-tower";
import { BATCH_SIZE, CONCURRENCY, DEFAULT_BATCH_SIZE } from "../agent/limits";
import { MAX_CONCURRENCY } from "./audit-state-machine";
import { configFields, ConfigKeySpec, field, intInRange } from "./config-field";
import * as v from "./config-fields";

export const DEFAULT_DEPLOY_ROLE = "OrganizationAccountAccessRole";

const leaf = <T extends z.ZodType>(
  key: string,
  type: ConfigKeySpec["type"],
  dflt: ConfigKeySpec["default"],
  description: string,
  schema: T,
) => field({ key, type, default: dflt, description }, schema);

/** "" stands for "not set" in Pulumi.yaml (a declared key needs a default); the typed config says undefined. */
const optional = (s: string) => (s === "" ? undefined : s);
/** Key=Value entries (already validated to hold an '=') as a record. */
const pairs = (entries: string[]) =>
  Object.fromEntries(entries.map((e) => [e.slice(0, e.indexOf("=")), e.slice(e.indexOf("=") + 1)]));

const memberAccount = (section: "logArchive" | "security", name: string, what: string) => ({
  accountName: leaf(`${section}.accountName`, "string", name, `Name of the ${what} account.`, v.accountName),
  email: leaf(
    `${section}.email`,
    "string",
    "",
    `Required. Root e-mail address of the ${section === "logArchive" ? "log-archive" : "security"} account.`,
    v.email,
  ),
  accountId: leaf(
    `${section}.accountId`,
    "string",
    "",
    `Adopt an existing ${section === "logArchive" ? "log-archive" : "security"} account (imported) instead of creating one. Adopt mode only.`,
    v.optionalAccountId,
  ).transform(optional),
});

const organization = z.object({
  mode: leaf(
    "organization.mode",
    "string",
    "create",
    "create: create a new organization; adopt: import the existing one (organization.id and organization.rootId required).",
    z.enum(["create", "adopt"], { error: 'must be "create" or "adopt"' }),
  ),
  /** Set in adopt mode only. */
  id: leaf(
    "organization.id",
    "string",
    "",
    "Organization id (o-…) to adopt. Required when organization.mode is adopt, empty otherwise.",
    v.orgId,
  ).transform(optional),
  rootId: leaf(
    "organization.rootId",
    "string",
    "",
    "Root id (r-…) of the adopted organization. Required when organization.mode is adopt, empty otherwise.",
    v.rootId,
  ).transform(optional),
  ous: leaf(
    "organization.ous",
    "array",
    ["Security", "Workloads"],
    "Organizational units created directly under the root.",
    v.list(v.ouName, "OU names").min(1, { error: "must name at least one OU" }),
  ),
  securityOu: leaf(
    "organization.securityOu",
    "string",
    "Security",
    "OU (one of organization.ous) that holds the log-archive and security accounts.",
    v.str("must be an OU name").min(1, { error: "must name one of organization.ous" }),
  ),
  /** OU name → existing OU id to import (adopt mode). */
  existingOuIds: leaf(
    "organization.existingOuIds",
    "array",
    [],
    "Adopt mode only: OUs that already exist, as Name=ou-xxxx-xxxxxxxx; they are imported instead of created.",
    v.list(v.existingOuId, "Name=ou-xxxx-xxxxxxxx entries"),
  ).transform(pairs),
});

const trail = z.object({
  name: leaf(
    "trail.name",
    "string",
    "orgwarden-organization-trail",
    "Name of the organization trail (3-47 characters; the CloudWatch Logs delivery role is <name>-cloudwatch-logs).",
    v.trailName,
  ),
  s3DataEvents: leaf(
    "trail.s3DataEvents",
    "boolean",
    false,
    "Log S3 object-level data events (all buckets except the log buckets themselves).",
    v.bool(),
  ),
  lambdaDataEvents: leaf("trail.lambdaDataEvents", "boolean", false, "Log Lambda invoke data events.", v.bool()),
  logGroupName: leaf(
    "trail.logGroupName",
    "string",
    "/orgwarden/cloudtrail",
    "CloudWatch Logs group the trail also delivers to (CIS metric filters read it).",
    v.logGroupName,
  ),
  logGroupRetentionDays: leaf(
    "trail.logGroupRetentionDays",
    "integer",
    365,
    "Retention of that log group; one of the values CloudWatch Logs accepts.",
    v.retentionDays,
  ),
});

const logArchive = z
  .object({
    ...memberAccount("logArchive", "Log Archive", "log-archive"),
    retentionDays: leaf(
      "logArchive.retentionDays",
      "integer",
      365,
      "Object Lock default retention of the archive, in days.",
      intInRange(1, 36500),
    ),
    lockMode: leaf(
      "logArchive.lockMode",
      "string",
      "COMPLIANCE",
      "Object Lock mode: COMPLIANCE (nobody can shorten it) or GOVERNANCE (for dev only).",
      z.enum(["COMPLIANCE", "GOVERNANCE"], { error: 'must be "COMPLIANCE" or "GOVERNANCE"' }),
    ),
    transitionDays: leaf(
      "logArchive.transitionDays",
      "integer",
      90,
      "Days after which archived log objects move to GLACIER_IR.",
      intInRange(1, Number.MAX_SAFE_INTEGER),
    ),
    noncurrentExpirationDays: leaf(
      "logArchive.noncurrentExpirationDays",
      "integer",
      0,
      "Days after which noncurrent versions expire; 0 means the retention; never shorter than logArchive.retentionDays.",
      intInRange(0, Number.MAX_SAFE_INTEGER),
    ),
    accessLogRetentionDays: leaf(
      "logArchive.accessLogRetentionDays",
      "integer",
      365,
      "Days S3 server access logs of the archive are kept.",
      intInRange(1, Number.MAX_SAFE_INTEGER),
    ),
    bucketPrefix: leaf(
      "logArchive.bucketPrefix",
      "string",
      "orgwarden",
      "Prefix of the bucket names <prefix>-<stack>-cloudtrail-<managementAccountId> and <prefix>-<stack>-access-logs-<managementAccountId>.",
      v.bucketPrefix,
    ),
  })
  // Already resolved in the typed config: never shorter than retentionDays.
  .transform((la) => ({ ...la, noncurrentExpirationDays: la.noncurrentExpirationDays || la.retentionDays }));

const roleNames = (what: string) =>
  v.list(v.roleName, "IAM role names").min(1, { error: `must name at least one role in the ${what}` });

const kms = z.object({
  adminRoleNames: leaf(
    "kms.adminRoleNames",
    "array",
    [DEFAULT_DEPLOY_ROLE],
    "Roles in the security account that administer the log key (no cryptographic use); must include deployRoleName.",
    roleNames("security account"),
  ),
  aliasName: leaf(
    "kms.aliasName",
    "string",
    "alias/orgwarden-cloudtrail",
    "Alias of the log key; the trail log group's key (management account) is <aliasName>-log-group.",
    v.kmsAlias,
  ),
  logGroupKeyAdminArns: leaf(
    "kms.logGroupKeyAdminArns",
    "array",
    [],
    "IAM principal ARN patterns of the management account that administer the trail log group's key (no cryptographic use); must cover the principal pulumi runs as. Empty: the management account's IAM policies decide.",
    v.list(v.iamPrincipalArnPattern, "IAM principal ARN patterns"),
  ),
});

const audit = z.object({
  readRoleName: leaf(
    "audit.readRoleName",
    "string",
    "orgwarden-audit-read",
    "Read-only role the audit agent assumes in every account; may read the key's policy and grants.",
    v.roleName,
  ),
  agentRoleName: leaf(
    "audit.agentRoleName",
    "string",
    "orgwarden-audit-agent",
    "Role the scheduled audit agent runs as in the security account.",
    v.roleName,
  ),
  logAuditorRoleName: leaf(
    "audit.logAuditorRoleName",
    "string",
    "orgwarden-log-auditor",
    "Log auditor role infra lays in the security account: only the agent role may assume it, and it alone validates the CloudTrail digest chain nightly (reads the archive, decrypts log files). Added to auditorRoleNames in the key and archive bucket policies.",
    v.roleName,
  ),
  deliveryMaxAgeMinutes: leaf(
    "audit.deliveryMaxAgeMinutes",
    "integer",
    60,
    "Maximum age of the newest CloudTrail delivery before the agent reports drift.",
    intInRange(5, 10080),
  ),
  integrityWindowHours: leaf(
    "audit.integrityWindowHours",
    "integer",
    24,
    "Hours of CloudTrail digest chain (and the log files it lists) the nightly audit validates, newest first (1-744, i.e. 31 days).",
    intInRange(1, 744),
  ),
  stackSetDriftMaxAgeHours: leaf(
    "audit.stackSetDriftMaxAgeHours",
    "integer",
    48,
    "Maximum age of the member-baseline StackSet's last drift check (per stack instance, and of the management account's stacks) before stackset-drift reports the drift unknown (1-720). infra schedules the StackSet's drift detection every half of it; run detect-stack-drift on the direct stacks yourself.",
    intInRange(1, 720),
  ),
  /** EventBridge schedule expression of the scheduled agent. */
  schedule: leaf(
    "audit.schedule",
    "string",
    "cron(0 5 * * ? *)",
    "When the scheduled audit agent runs: an EventBridge cron(...) or rate(...) expression, in UTC.",
    v.eventBridgeSchedule,
  ),
  reportRetentionDays: leaf(
    "audit.reportRetentionDays",
    "integer",
    365,
    "Days audit reports are kept in the report bucket (security account).",
    intInRange(1, 36500),
  ),
  concurrency: leaf(
    "audit.concurrency",
    "integer",
    8,
    `Calls in flight per API family in the scheduled agent, with 4 × as many account × region collection tasks at once (${CONCURRENCY.min}-${CONCURRENCY.max}).`,
    intInRange(CONCURRENCY.min, CONCURRENCY.max),
  ),
  engine: leaf(
    "audit.engine",
    "string",
    "step-functions",
    "How the nightly audit runs: step-functions (a Distributed Map of batch workers, for any organization size) or lambda (one function on the schedule, for small organizations).",
    z.enum(["step-functions", "lambda"], { error: 'must be "step-functions" or "lambda"' }),
  ),
  batchSize: leaf(
    "audit.batchSize",
    "integer",
    DEFAULT_BATCH_SIZE,
    `Accounts per batch of the step-functions engine; one worker collects every governed region of a batch and validates its digest chains inside Lambda's 900 s (${BATCH_SIZE.min}-${BATCH_SIZE.max}; the default is sized in agent/limits.ts, raise it only without log-file validation).`,
    intInRange(BATCH_SIZE.min, BATCH_SIZE.max),
  ),
  maxConcurrency: leaf(
    "audit.maxConcurrency",
    "integer",
    10,
    `Batches the step-functions engine collects at once (the Distributed Map's MaxConcurrency, ${MAX_CONCURRENCY.min}-${MAX_CONCURRENCY.max}).`,
    intInRange(MAX_CONCURRENCY.min, MAX_CONCURRENCY.max),
  ),
  tracing: leaf(
    "audit.tracing",
    "boolean",
    false,
    "X-Ray tracing of the step-functions engine's state machine (its role then may send traces).",
    v.bool(),
  ),
  securityHub: leaf(
    "audit.securityHub",
    "boolean",
    true,
    "Import the nightly run's findings into the security account's Security Hub (ASFF, home region) and archive resolved ones.",
    v.bool(),
  ),
  notifyWhen: leaf(
    "audit.notifyWhen",
    "string",
    "changes",
    "When the nightly run publishes its message to the security-alerts topic and its Audit Completed event to the central bus: changes (something new or worse, or the run is incomplete) or always (every run).",
    z.enum(["changes", "always"], { error: 'must be "changes" or "always"' }),
  ),
  waiversFile: leaf(
    "audit.waiversFile",
    "string",
    "",
    "Waivers YAML published with the audit manifest for the nightly run, relative to the project directory. Empty: waivers.yaml when the project has one, else none; a file named here must exist.",
    z.string({ error: "must be a path relative to the project directory" }),
  ).transform(optional),
  runAlarmPeriodHours: leaf(
    "audit.runAlarmPeriodHours",
    "integer",
    0,
    "Period of the missed-run alarm (no RunCompleted metric in that many hours), 1-168, taken as given. 0: derived from the schedule (a daily or hourly cron or a rate()): its interval plus the engine's longest run (15 min for lambda, 6 h for step-functions) plus 10 min, so that a run taking longer than the one before never trips it.",
    intInRange(0, 168),
  ),
  dashboard: z.object({
    crossAccount: leaf(
      "audit.dashboard.crossAccount",
      "boolean",
      true,
      "Show the CIS alarm states on the audit dashboard: the management account links its CISBenchmark and AWS/Logs metrics (those two namespaces only) to a CloudWatch cross-account observability sink in the security account (home region), where alarms evaluate them as the management account's CIS alarms do. An account has one sink per Region: false where the security account already has one there (another stack, an existing monitoring setup); then no sink, no link, no CIS widgets.",
      v.bool(),
    ),
  }),
});

const network = z.object({
  flowLogs: z.object({
    enabled: leaf(
      "network.flowLogs.enabled",
      "boolean",
      true,
      "VPC Flow Logs of every VPC of every governed account and region to the flow-log bucket <bucketPrefix>-<stack>-flow-logs-<managementAccountId> (log-archive account), enforced by the member baseline's VPC_FLOW_LOGS_ENABLED Config rule with automatic remediation.",
      v.bool(),
    ),
    retentionDays: leaf(
      "network.flowLogs.retentionDays",
      "integer",
      365,
      "Days flow-log objects are kept in the flow-log bucket (lifecycle expiry; the bucket has no Object Lock).",
      intInRange(1, 36500),
    ),
  }),
  dnsQueryLogs: z.object({
    enabled: leaf(
      "network.dnsQueryLogs.enabled",
      "boolean",
      true,
      "Route 53 Resolver query logging: a query logging configuration per governed region in the log-archive account, delivering to the DNS query-log bucket <bucketPrefix>-<stack>-dns-logs-<managementAccountId> and shared to the organization through RAM; the member template associates every VPC of every governed account and region with it (an automation run on CreateVpc and daily).",
      v.bool(),
    ),
    retentionDays: leaf(
      "network.dnsQueryLogs.retentionDays",
      "integer",
      365,
      "Days DNS query-log objects are kept in the DNS query-log bucket (lifecycle expiry; the bucket has no Object Lock).",
      intInRange(1, 36500),
    ),
  }),
});

const s3BucketName = v.str("must be an S3 bucket name").regex(/^(|[a-z0-9][a-z0-9.-]{1,61}[a-z0-9])$/, {
  error: "must be an S3 bucket name (3-63 lowercase letters, digits, dots and hyphens)",
});

/** Coexistence with an AWS Control Tower landing zone (docs/control-tower.md); baseline/control-tower.ts has the names and sources. */
const controlTower = z.object({
  enabled: leaf(
    "controlTower.enabled",
    "boolean",
    false,
    "The organization is an AWS Control Tower landing zone: orgwarden creates no organization trail, no CloudTrail archive, log key or trail log group, and no Config recorder or delivery channel in enrolled accounts; it references Control Tower's and audits them (docs/control-tower.md). Needs organization.mode adopt with logArchive.accountId and security.accountId (Control Tower's Log Archive and Audit accounts).",
    v.bool(),
  ),
  trailName: leaf(
    "controlTower.trailName",
    "string",
    CT_TRAIL_NAME,
    "Control Tower's organization trail (management account, homeRegion).",
    v.trailName,
  ),
  logGroupName: leaf(
    "controlTower.logGroupName",
    "string",
    CT_LOG_GROUP_NAME,
    "The CloudWatch Logs group Control Tower's trail delivers to (management account, homeRegion); the CIS metric filters are laid on it.",
    v.logGroupName,
  ),
  logArchiveBucketName: leaf(
    "controlTower.logArchiveBucketName",
    "string",
    "",
    "Control Tower's log-archive bucket. Empty: aws-controltower-logs-<logArchive.accountId>-<homeRegion>.",
    s3BucketName,
  ).transform(optional),
  accessLogBucketName: leaf(
    "controlTower.accessLogBucketName",
    "string",
    "",
    "The bucket that receives the log-archive bucket's access logs. Empty: aws-controltower-s3-access-logs-<logArchive.accountId>-<homeRegion>.",
    s3BucketName,
  ).transform(optional),
  kmsKeyArn: leaf(
    "controlTower.kmsKeyArn",
    "string",
    "",
    "Required with controlTower.enabled. The KMS key the landing zone encrypts CloudTrail and Config logs with (the landing zone's centralizedLogging kmsKeyArn, in homeRegion); the audit holds the trail and the archive to it.",
    v.str("must be a KMS key ARN").regex(/^(|arn:aws:kms:[a-z0-9-]+:\d{12}:key\/[0-9a-f-]{36})$/, {
      error:
        "must be a KMS key ARN such as arn:aws:kms:us-east-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    }),
  ).transform(optional),
});

const athena = z.object({
  enabled: leaf(
    "athena.enabled",
    "boolean",
    false,
    "Athena over the CloudTrail archive and the flow logs in the security account (docs/athena.md): a Glue database with partition-projected tables, an enforced workgroup with an encrypted results bucket, the responder's saved queries and the log analyst role. Requires athena.analystPrincipals.",
    v.bool(),
  ),
  analystPrincipals: leaf(
    "athena.analystPrincipals",
    "array",
    [],
    "Roles in the security account (names, optionally with a path and * wildcards) that may assume the log analyst role, the only principal Athena reads the logs as. Required when athena.enabled.",
    v.list(v.roleNamePattern, "IAM role name patterns"),
  ),
  resultRetentionDays: leaf(
    "athena.resultRetentionDays",
    "integer",
    30,
    "Days query results are kept in the Athena results bucket (lifecycle expiry).",
    intInRange(1, 3650),
  ),
  bytesScannedCutoffGb: leaf(
    "athena.bytesScannedCutoffGb",
    "integer",
    100,
    "Per-query scan limit of the log workgroup, in GiB (Athena cancels a query past it; about 5 USD per TiB scanned).",
    intInRange(1, 102400),
  ),
});

/** The foundation keys. logArchive comes after trail so that problems keep the order they always had (the account keys of logArchive moved with it). */
export const FOUNDATION_SCHEMA = z.object({
  homeRegion: leaf(
    "homeRegion",
    "string",
    "us-east-1",
    "Region of the organization trail, its log group, the KMS key, the buckets and the audit manifest parameter.",
    v.region,
  ),
  governedRegions: leaf(
    "governedRegions",
    "array",
    ["us-east-1"],
    "Regions the baseline governs; must contain homeRegion.",
    v.list(v.region, "regions").min(1, { error: "must name at least one region" }),
  ),
  managementAccountId: leaf(
    "managementAccountId",
    "string",
    "",
    "Required. 12-digit id of the organization's management account (the account pulumi runs in).",
    v.accountId,
  ),
  organization,
  security: z.object(memberAccount("security", "Security", "security (audit)")),
  deployRoleName: leaf(
    "deployRoleName",
    "string",
    DEFAULT_DEPLOY_ROLE,
    "Role pulumi assumes in the member accounts; created by Organizations in new accounts.",
    v.roleName,
  ),
  trail,
  logArchive,
  auditorRoleNames: leaf(
    "auditorRoleNames",
    "array",
    ["orgwarden-log-auditor"],
    "Roles in the security account allowed to read the archive and decrypt the logs; audit.logAuditorRoleName is always added.",
    roleNames("security account"),
  ),
  kms,
  scp: z.object({
    exemptPrincipalArns: leaf(
      "scp.exemptPrincipalArns",
      "array",
      [roleArn("*", DEFAULT_DEPLOY_ROLE), roleArn("*", "stacksets-exec-*"), roleArn("*", "orgwarden-break-glass")],
      "Principal ARN patterns the security-baseline SCPs do not apply to (deployment, StackSets and break-glass roles); must cover arn:aws:iam::*:role/<deployRoleName> and the StackSets execution role arn:aws:iam::*:role/stacksets-exec-*.",
      v
        .list(v.exemptArn, "principal ARN patterns")
        .min(1, { error: "must name at least one break-glass or deployment principal" }),
    ),
  }),
  audit,
  network,
  controlTower,
  athena,
  tags: leaf(
    "tags",
    "array",
    ["ManagedBy=orgwarden"],
    "Tags (Key=Value) applied to every taggable resource through the providers' default tags.",
    v.list(v.tag, "Key=Value tags"),
  ).transform(pairs),
});

/** Each foundation key's value schema, by flat key. */
export const FIELD_SCHEMAS: Record<string, z.ZodType> = Object.fromEntries(
  configFields(FOUNDATION_SCHEMA).map((f) => [f.key, f.schema]),
);
