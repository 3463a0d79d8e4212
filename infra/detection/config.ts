import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import type { ComplianceSeverity, ConfigDeliveryFrequency } from "../../baseline/detection/stackset-template";
import {
  assemble,
  ConfigKeySpec,
  configFields,
  ConfigValidationError,
  field,
  intInRange,
  keyTable,
  PROJECT,
  validateFields,
} from "../config-field";
import { retentionDays } from "../config-fields";
import {
  DEFAULT_GUARDDUTY_FEATURES,
  GUARDDUTY_FEATURES,
  GUARDDUTY_FINDING_FREQUENCIES,
} from "../../baseline/detection/guardduty";

// Defined in baseline (the audit manifest publishes them); re-exported for the config's readers.
export {
  DEFAULT_GUARDDUTY_FEATURES,
  GUARDDUTY_FEATURES,
  type GuardDutyFeature,
} from "../../baseline/detection/guardduty";
import { INSPECTOR_RESOURCE_TYPES, type InspectorResourceType } from "../../baseline/detection/inspector";
import { CIS_STANDARD_VERSIONS, SECURITY_HUB_CONFIGURATIONS } from "../../baseline/detection/security-hub";

export { CIS_STANDARD_VERSIONS };
// The resource types and their autoEnable keys are the baseline's (infra lays them, the audit judges them).
export { INSPECTOR_RESOURCE_TYPES, type InspectorResourceType };

/**
 * The detection section of the stack config: flat dotted keys (Pulumi.yaml declarations only
 * know string, integer, boolean and array), one zod schema nested as DetectionConfig is, each leaf
 * a field with its key, type, default and description (infra/config-field.ts), read once, every
 * problem listed with its full key.
 */
const DELIVERY_FREQUENCIES = [
  "One_Hour",
  "Three_Hours",
  "Six_Hours",
  "Twelve_Hours",
  "TwentyFour_Hours",
] as const satisfies readonly ConfigDeliveryFrequency[];
const COMPLIANCE_SEVERITIES = [
  "CRITICAL",
  "HIGH",
  "MEDIUM",
  "LOW",
  "UNSPECIFIED",
] as const satisfies readonly ComplianceSeverity[];

/**
 * SSM State Manager association schedules (ScheduleExpression of the StackSet's AWS::SSM::Association),
 * not EventBridge's: SSM documents its own cron and rate rules for associations (other required cron
 * fields than EventBridge's six), so this is deliberately not infra/config-fields.ts's EVENTBRIDGE_SCHEDULE.
 */
const SSM_ASSOCIATION_SCHEDULE = /^(rate\(([1-9]\d*) (minutes|hours|days)\)|cron\([^()]+\))$/;
const oneOf = <T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: `must be one of ${values.join(", ")}` });
const uniqueList = <T extends z.ZodType>(item: T, what: string) =>
  z
    .array(item, { error: `must be a list (YAML sequence) of ${what}` })
    .refine((a) => new Set(a).size === a.length, { error: "must not repeat an entry" });
const schedule = z
  .string({ error: "must be a schedule" })
  .regex(SSM_ASSOCIATION_SCHEDULE, { error: "must be rate(<n> minutes|hours|days) or cron(...)" });
const leaf = <T extends z.ZodType>(
  key: string,
  type: ConfigKeySpec["type"],
  dflt: ConfigKeySpec["default"],
  description: string,
  schema: T,
) => field({ key, type, default: dflt, description }, schema);
const unset = (s: string) => s || undefined;

export const DETECTION_SCHEMA = z.object({
  namePrefix: leaf(
    "detection.namePrefix",
    "string",
    "orgwarden",
    "Prefix of the detection resources' names (StackSet, roles, rules, topics, bus, Config bucket).",
    z.string().regex(/^[a-z][a-z0-9-]{0,19}$/, {
      error: "must be 1-20 lowercase letters, digits or hyphens, starting with a letter",
    }),
  ),
  stackSet: z.object({
    targetOus: leaf(
      "stackSet.targetOus",
      "array",
      ["Security", "Workloads"],
      "OUs (names from organization.ous) whose accounts, now and future, get the member baseline StackSet.",
      uniqueList(z.string().min(1, { error: "must be an OU name" }), "OU names").refine((a) => a.length > 0, {
        error: "must name at least one OU",
      }),
    ),
    excludeAccounts: leaf(
      "stackSet.excludeAccounts",
      "array",
      [],
      "Member accounts (12-digit ids) of the target OUs that do not get the member baseline StackSet (accountFilterType DIFFERENCE); the audit reports them as excluded, by name. Not the log-archive, security or management account.",
      uniqueList(z.string().regex(/^\d{12}$/, { error: "must be 12-digit AWS account ids" }), "account ids"),
    ),
    maxConcurrentPercentage: leaf(
      "stackSet.maxConcurrentPercentage",
      "integer",
      25,
      "StackSet operations: percentage of accounts deployed at once, per region (1-100).",
      intInRange(1, 100),
    ),
    failureTolerancePercentage: leaf(
      "stackSet.failureTolerancePercentage",
      "integer",
      10,
      "StackSet operations: percentage of accounts that may fail per region before the operation stops (0-100).",
      intInRange(0, 100),
    ),
    // Only SEQUENTIAL: the template creates its global IAM roles in the home region, which the other regions then use.
    regionConcurrencyType: leaf(
      "stackSet.regionConcurrencyType",
      "string",
      "SEQUENTIAL",
      "SEQUENTIAL only: home region first, so the global IAM roles exist before the other regions need them.",
      z.literal("SEQUENTIAL", {
        error:
          "must be SEQUENTIAL: the member template creates its global IAM roles (Config service-linked role, event forwarder, audit read role) in the home region only, and PARALLEL would let the other regions start before they exist",
      }),
    ),
  }),
  config: z.object({
    deliveryFrequency: leaf(
      "detection.config.deliveryFrequency",
      "string",
      "TwentyFour_Hours",
      "AWS Config snapshot delivery frequency: One_Hour, Three_Hours, Six_Hours, Twelve_Hours or TwentyFour_Hours.",
      oneOf(DELIVERY_FREQUENCIES),
    ),
    bucketExpirationDays: leaf(
      "detection.config.bucketExpirationDays",
      "integer",
      730,
      "Days Config history and snapshots are kept in the Config bucket (log-archive account).",
      intInRange(1, 36500),
    ),
  }),
  guardDuty: z.object({
    features: leaf(
      "detection.guardDuty.features",
      "array",
      DEFAULT_GUARDDUTY_FEATURES,
      `GuardDuty protection features enabled organization-wide (auto-enabled for all members, on for the administrator): any of ${GUARDDUTY_FEATURES.join(", ")}. RUNTIME_MONITORING comes with GuardDuty-managed agents for EKS, ECS Fargate and EC2.`,
      uniqueList(oneOf(GUARDDUTY_FEATURES), "GuardDuty feature names").refine(
        (f) => !(f.includes("RUNTIME_MONITORING") && f.includes("EKS_RUNTIME_MONITORING")),
        { error: "must not list both RUNTIME_MONITORING and EKS_RUNTIME_MONITORING (RUNTIME_MONITORING includes EKS)" },
      ),
    ),
    findingPublishingFrequency: leaf(
      "detection.guardDuty.findingPublishingFrequency",
      "string",
      "FIFTEEN_MINUTES",
      "How often GuardDuty publishes updated findings: FIFTEEN_MINUTES, ONE_HOUR or SIX_HOURS.",
      oneOf(GUARDDUTY_FINDING_FREQUENCIES),
    ),
  }),
  securityHub: z.object({
    configuration: leaf(
      "detection.securityHub.configuration",
      "string",
      "central",
      "central: one configuration policy associated with the organization root enrolls every account, existing and new, in every governed region; local: per-region auto-enable, which reaches only accounts that join later.",
      oneOf(SECURITY_HUB_CONFIGURATIONS),
    ),
    cisVersion: leaf(
      "detection.securityHub.cisVersion",
      "string",
      "3.0.0",
      `CIS AWS Foundations Benchmark standard version Security Hub subscribes to: ${CIS_STANDARD_VERSIONS.join(" or ")}.`,
      oneOf(CIS_STANDARD_VERSIONS),
    ),
  }),
  inspector: z.object({
    resourceTypes: leaf(
      "detection.inspector.resourceTypes",
      "array",
      ["EC2", "ECR", "LAMBDA"],
      `Inspector scan types auto-enabled for the organization: any of ${INSPECTOR_RESOURCE_TYPES.join(", ")}.`,
      uniqueList(oneOf(INSPECTOR_RESOURCE_TYPES), "Inspector resource types")
        .refine((a) => a.length > 0, { error: "must name at least one resource type" })
        .refine((a) => !a.includes("LAMBDA_CODE") || a.includes("LAMBDA"), {
          error: "must include LAMBDA when it includes LAMBDA_CODE (code scanning extends Lambda scanning)",
        }),
    ),
  }),
  alerts: z.object({
    emails: leaf(
      "alerts.emails",
      "array",
      [],
      "E-mail addresses subscribed to both alert topics (CIS alarms, HIGH/CRITICAL findings and CIS events). Each must confirm its subscription.",
      uniqueList(
        z.email({ error: "must be e-mail addresses such as security-alerts@example.com" }),
        "e-mail addresses",
      ),
    ),
  }),
  ssm: z.object({
    targetTagKey: leaf(
      "ssm.targetTagKey",
      "string",
      "",
      "Empty: the SSM associations target every instance. Otherwise only instances with this tag key.",
      z
        .string()
        .regex(/^([\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128})?$/u, { error: "must be empty or a tag key (1-128 characters)" }),
    ).transform(unset),
    targetTagValue: leaf(
      "ssm.targetTagValue",
      "string",
      "",
      "With ssm.targetTagKey: only instances whose tag has this value (empty: any value).",
      z.string().max(256, { error: "must be at most 256 characters" }),
    ).transform(unset),
    updateAgentSchedule: leaf(
      "ssm.updateAgentSchedule",
      "string",
      "rate(14 days)",
      "Schedule of the AWS-UpdateSSMAgent association (rate(...) or cron(...)).",
      schedule,
    ),
    cloudWatchAgentSchedule: leaf(
      "ssm.cloudWatchAgentSchedule",
      "string",
      "rate(30 days)",
      "Schedule of the CloudWatch agent install and configure associations.",
      schedule,
    ),
    complianceSeverity: leaf(
      "ssm.complianceSeverity",
      "string",
      "HIGH",
      "Compliance severity of the associations: CRITICAL, HIGH, MEDIUM, LOW or UNSPECIFIED.",
      oneOf(COMPLIANCE_SEVERITIES),
    ),
  }),
  cloudWatchAgent: z.object({
    logGroupPrefix: leaf(
      "cloudWatchAgent.logGroupPrefix",
      "string",
      "/orgwarden/os",
      "OS security logs go to <prefix>/linux/<file> and <prefix>/windows/security.",
      z.string().regex(/^\/[A-Za-z0-9_\-./#]*[^/]$/, {
        error: 'must start with "/" and not end with "/" (letters, digits and _-./#)',
      }),
    ),
    retentionDays: leaf(
      "cloudWatchAgent.retentionDays",
      "integer",
      365,
      "Retention of the OS security log groups; one of the values CloudWatch Logs accepts.",
      retentionDays,
    ),
  }),
  directStacks: z.object({
    createServiceRoles: leaf(
      "detection.directStacks.createServiceRoles",
      "boolean",
      true,
      "false when the accounts covered by plain stacks (always the management account) already have AWSServiceRoleForConfig and AWSSystemsManagerDefaultEC2InstanceManagementRole.",
      z.boolean({ error: "must be true or false" }),
    ),
  }),
});

export type DetectionConfig = z.output<typeof DETECTION_SCHEMA>;

export const DETECTION_CONFIG_KEYS: ConfigKeySpec[] = keyTable(DETECTION_SCHEMA);

/** The detection section's fields checked against `raw`, with the one rule across its keys. */
export function detectionProblems(raw: Record<string, string | undefined>): {
  values: Record<string, unknown>;
  problems: string[];
} {
  const { values, problems } = validateFields(configFields(DETECTION_SCHEMA), raw);
  if (values["ssm.targetTagValue"] && !values["ssm.targetTagKey"])
    problems.push(`${PROJECT}:ssm.targetTagValue needs ${PROJECT}:ssm.targetTagKey`);
  return { values, problems };
}

/** Validates raw values (bare key → Pulumi's string form); throws ConfigValidationError ("invalid detection configuration") listing every problem. */
export function parseDetectionConfig(raw: Record<string, string | undefined>): DetectionConfig {
  const { values, problems } = detectionProblems(raw);
  if (problems.length > 0) throw new ConfigValidationError(problems, "detection");
  return assemble(DETECTION_SCHEMA, values);
}

/** Reads the detection keys of the current stack once. */
export function readDetectionConfig(cfg: pulumi.Config): DetectionConfig {
  const raw: Record<string, string | undefined> = {};
  for (const spec of DETECTION_CONFIG_KEYS) raw[spec.key] = cfg.get(spec.key);
  return parseDetectionConfig(raw);
}
