import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { LOG_RETENTION_DAYS } from "../../baseline/detection/cloudwatch-agent-config";
import type { ComplianceSeverity, ConfigDeliveryFrequency } from "../../baseline/detection/stackset-template";
import type { ConfigKeySpec } from "../config-keys";
import { intInRange, validateKeys } from "../config-parse";

/**
 * The detection section of the stack config: flat dotted keys (Pulumi.yaml declarations only
 * know string, integer, boolean and array), read once, validated with zod, every problem listed
 * with its full key.
 */
export const GUARDDUTY_FEATURES = [
  "S3_DATA_EVENTS", "EKS_AUDIT_LOGS", "EBS_MALWARE_PROTECTION", "RDS_LOGIN_EVENTS", "EKS_RUNTIME_MONITORING", "LAMBDA_NETWORK_LOGS", "RUNTIME_MONITORING",
] as const;
export type GuardDutyFeature = (typeof GUARDDUTY_FEATURES)[number];
/**
 * Every protection plan that applies to the usual workloads: S3, EKS audit logs, EBS malware scans,
 * RDS login activity, Lambda network activity and runtime monitoring (which supersedes
 * EKS_RUNTIME_MONITORING). Feature names: https://docs.aws.amazon.com/guardduty/latest/APIReference/API_DetectorFeatureConfiguration.html
 */
export const DEFAULT_GUARDDUTY_FEATURES: GuardDutyFeature[] = ["S3_DATA_EVENTS", "EKS_AUDIT_LOGS", "EBS_MALWARE_PROTECTION", "RDS_LOGIN_EVENTS", "LAMBDA_NETWORK_LOGS", "RUNTIME_MONITORING"];
export const INSPECTOR_RESOURCE_TYPES = ["EC2", "ECR", "LAMBDA", "LAMBDA_CODE"] as const;
export type InspectorResourceType = (typeof INSPECTOR_RESOURCE_TYPES)[number];
export const CIS_STANDARD_VERSIONS = ["1.4.0", "3.0.0"] as const;

export const DETECTION_CONFIG_KEYS: ConfigKeySpec[] = [
  { key: "detection.namePrefix", type: "string", default: "orgwarden", description: "Prefix of the detection resources' names (StackSet, roles, rules, topics, bus, Config bucket)." },
  { key: "stackSet.targetOus", type: "array", default: ["Security", "Workloads"], description: "OUs (names from organization.ous) whose accounts, now and future, get the member baseline StackSet." },
  { key: "stackSet.maxConcurrentPercentage", type: "integer", default: 25, description: "StackSet operations: percentage of accounts deployed at once, per region (1-100)." },
  { key: "stackSet.failureTolerancePercentage", type: "integer", default: 10, description: "StackSet operations: percentage of accounts that may fail per region before the operation stops (0-100)." },
  { key: "stackSet.regionConcurrencyType", type: "string", default: "SEQUENTIAL", description: "SEQUENTIAL only: home region first, so the global IAM roles exist before the other regions need them." },
  { key: "detection.config.deliveryFrequency", type: "string", default: "TwentyFour_Hours", description: "AWS Config snapshot delivery frequency: One_Hour, Three_Hours, Six_Hours, Twelve_Hours or TwentyFour_Hours." },
  { key: "detection.config.bucketExpirationDays", type: "integer", default: 730, description: "Days Config history and snapshots are kept in the Config bucket (log-archive account)." },
  { key: "detection.guardDuty.features", type: "array", default: DEFAULT_GUARDDUTY_FEATURES, description: `GuardDuty protection features enabled organization-wide (auto-enabled for all members, on for the administrator): any of ${GUARDDUTY_FEATURES.join(", ")}. RUNTIME_MONITORING comes with GuardDuty-managed agents for EKS, ECS Fargate and EC2.` },
  { key: "detection.guardDuty.findingPublishingFrequency", type: "string", default: "FIFTEEN_MINUTES", description: "How often GuardDuty publishes updated findings: FIFTEEN_MINUTES, ONE_HOUR or SIX_HOURS." },
  { key: "detection.securityHub.cisVersion", type: "string", default: "3.0.0", description: `CIS AWS Foundations Benchmark standard version Security Hub subscribes to: ${CIS_STANDARD_VERSIONS.join(" or ")}.` },
  { key: "detection.inspector.resourceTypes", type: "array", default: ["EC2", "ECR", "LAMBDA"], description: `Inspector scan types auto-enabled for the organization: any of ${INSPECTOR_RESOURCE_TYPES.join(", ")}.` },
  { key: "alerts.emails", type: "array", default: [], description: "E-mail addresses subscribed to both alert topics (CIS alarms, HIGH/CRITICAL findings and CIS events). Each must confirm its subscription." },
  { key: "ssm.targetTagKey", type: "string", default: "", description: "Empty: the SSM associations target every instance. Otherwise only instances with this tag key." },
  { key: "ssm.targetTagValue", type: "string", default: "", description: "With ssm.targetTagKey: only instances whose tag has this value (empty: any value)." },
  { key: "ssm.updateAgentSchedule", type: "string", default: "rate(14 days)", description: "Schedule of the AWS-UpdateSSMAgent association (rate(...) or cron(...))." },
  { key: "ssm.cloudWatchAgentSchedule", type: "string", default: "rate(30 days)", description: "Schedule of the CloudWatch agent install and configure associations." },
  { key: "ssm.complianceSeverity", type: "string", default: "HIGH", description: "Compliance severity of the associations: CRITICAL, HIGH, MEDIUM, LOW or UNSPECIFIED." },
  { key: "cloudWatchAgent.logGroupPrefix", type: "string", default: "/orgwarden/os", description: "OS security logs go to <prefix>/linux/<file> and <prefix>/windows/security." },
  { key: "cloudWatchAgent.retentionDays", type: "integer", default: 365, description: "Retention of the OS security log groups; one of the values CloudWatch Logs accepts." },
  {
    key: "detection.directStacks.createServiceRoles",
    type: "boolean",
    default: true,
    description: "false when the accounts covered by plain stacks (always the management account) already have AWSServiceRoleForConfig and AWSSystemsManagerDefaultEC2InstanceManagementRole.",
  },
];

export interface DetectionConfig {
  namePrefix: string;
  stackSet: { targetOus: string[]; maxConcurrentPercentage: number; failureTolerancePercentage: number; regionConcurrencyType: "SEQUENTIAL" | "PARALLEL" };
  config: { deliveryFrequency: ConfigDeliveryFrequency; bucketExpirationDays: number };
  guardDuty: { features: GuardDutyFeature[]; findingPublishingFrequency: "FIFTEEN_MINUTES" | "ONE_HOUR" | "SIX_HOURS" };
  securityHub: { cisVersion: (typeof CIS_STANDARD_VERSIONS)[number] };
  inspector: { resourceTypes: InspectorResourceType[] };
  alerts: { emails: string[] };
  ssm: { targetTagKey?: string; targetTagValue?: string; updateAgentSchedule: string; cloudWatchAgentSchedule: string; complianceSeverity: ComplianceSeverity };
  cloudWatchAgent: { logGroupPrefix: string; retentionDays: number };
  directStacks: { createServiceRoles: boolean };
}

/**
 * SSM State Manager association schedules (ScheduleExpression of the StackSet's AWS::SSM::Association),
 * not EventBridge's: SSM documents its own cron and rate rules for associations (other required cron
 * fields than EventBridge's six), so this is deliberately not infra/config-fields.ts's EVENTBRIDGE_SCHEDULE.
 */
const SSM_ASSOCIATION_SCHEDULE = /^(rate\(([1-9]\d*) (minutes|hours|days)\)|cron\([^()]+\))$/;
const oneOf = <T extends readonly [string, ...string[]]>(values: T) => z.enum(values, { error: `must be one of ${values.join(", ")}` });
const uniqueList = <T extends z.ZodType>(item: T, what: string) =>
  z.array(item, { error: `must be a list (YAML sequence) of ${what}` }).refine((a) => new Set(a).size === a.length, { error: "must not repeat an entry" });
const schedule = z.string({ error: "must be a schedule" }).regex(SSM_ASSOCIATION_SCHEDULE, { error: "must be rate(<n> minutes|hours|days) or cron(...)" });

const FIELDS: Record<string, z.ZodType> = {
  "detection.namePrefix": z.string().regex(/^[a-z][a-z0-9-]{0,19}$/, { error: "must be 1-20 lowercase letters, digits or hyphens, starting with a letter" }),
  "stackSet.targetOus": uniqueList(z.string().min(1, { error: "must be an OU name" }), "OU names").refine((a) => a.length > 0, { error: "must name at least one OU" }),
  "stackSet.maxConcurrentPercentage": intInRange(1, 100),
  "stackSet.failureTolerancePercentage": intInRange(0, 100),
  // Only SEQUENTIAL: the template creates its global IAM roles in the home region, which the other regions then use.
  "stackSet.regionConcurrencyType": z.literal("SEQUENTIAL", {
    error: "must be SEQUENTIAL: the member template creates its global IAM roles (Config service-linked role, event forwarder, audit read role) in the home region only, and PARALLEL would let the other regions start before they exist",
  }),
  "detection.config.deliveryFrequency": oneOf(["One_Hour", "Three_Hours", "Six_Hours", "Twelve_Hours", "TwentyFour_Hours"]),
  "detection.config.bucketExpirationDays": intInRange(1, 36500),
  "detection.guardDuty.features": uniqueList(oneOf(GUARDDUTY_FEATURES), "GuardDuty feature names").refine(
    (f) => !(f.includes("RUNTIME_MONITORING") && f.includes("EKS_RUNTIME_MONITORING")),
    { error: "must not list both RUNTIME_MONITORING and EKS_RUNTIME_MONITORING (RUNTIME_MONITORING includes EKS)" },
  ),
  "detection.guardDuty.findingPublishingFrequency": oneOf(["FIFTEEN_MINUTES", "ONE_HOUR", "SIX_HOURS"]),
  "detection.securityHub.cisVersion": oneOf(CIS_STANDARD_VERSIONS),
  "detection.inspector.resourceTypes": uniqueList(oneOf(INSPECTOR_RESOURCE_TYPES), "Inspector resource types")
    .refine((a) => a.length > 0, { error: "must name at least one resource type" })
    .refine((a) => !a.includes("LAMBDA_CODE") || a.includes("LAMBDA"), { error: "must include LAMBDA when it includes LAMBDA_CODE (code scanning extends Lambda scanning)" }),
  "alerts.emails": uniqueList(z.email({ error: "must be e-mail addresses such as security-alerts@example.com" }), "e-mail addresses"),
  "ssm.targetTagKey": z.string().regex(/^([\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128})?$/u, { error: "must be empty or a tag key (1-128 characters)" }),
  "ssm.targetTagValue": z.string().max(256, { error: "must be at most 256 characters" }),
  "ssm.updateAgentSchedule": schedule,
  "ssm.cloudWatchAgentSchedule": schedule,
  "ssm.complianceSeverity": oneOf(["CRITICAL", "HIGH", "MEDIUM", "LOW", "UNSPECIFIED"]),
  "cloudWatchAgent.logGroupPrefix": z.string().regex(/^\/[A-Za-z0-9_\-./#]*[^/]$/, { error: 'must start with "/" and not end with "/" (letters, digits and _-./#)' }),
  "detection.directStacks.createServiceRoles": z.boolean({ error: "must be true or false" }),
  "cloudWatchAgent.retentionDays": z.number().refine((n) => (LOG_RETENTION_DAYS as readonly number[]).includes(n), {
    error: `must be one of the values CloudWatch Logs accepts: ${LOG_RETENTION_DAYS.join(", ")}`,
  }),
};

export class DetectionConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid detection configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "DetectionConfigError";
  }
}

/** Validates raw values (bare key → Pulumi's string form); throws DetectionConfigError listing every problem. */
export function parseDetectionConfig(raw: Record<string, string | undefined>, project = "orgwarden"): DetectionConfig {
  const { values: v, problems } = validateKeys(DETECTION_CONFIG_KEYS, FIELDS, raw, project);
  if (v["ssm.targetTagValue"] && !v["ssm.targetTagKey"]) problems.push(`${project}:ssm.targetTagValue needs ${project}:ssm.targetTagKey`);
  if (problems.length > 0) throw new DetectionConfigError(problems);
  const s = (k: string) => v[k] as string;
  const n = (k: string) => v[k] as number;
  return {
    namePrefix: s("detection.namePrefix"),
    stackSet: {
      targetOus: v["stackSet.targetOus"] as string[],
      maxConcurrentPercentage: n("stackSet.maxConcurrentPercentage"),
      failureTolerancePercentage: n("stackSet.failureTolerancePercentage"),
      regionConcurrencyType: s("stackSet.regionConcurrencyType") as "SEQUENTIAL" | "PARALLEL",
    },
    config: { deliveryFrequency: s("detection.config.deliveryFrequency") as ConfigDeliveryFrequency, bucketExpirationDays: n("detection.config.bucketExpirationDays") },
    guardDuty: {
      features: v["detection.guardDuty.features"] as GuardDutyFeature[],
      findingPublishingFrequency: s("detection.guardDuty.findingPublishingFrequency") as DetectionConfig["guardDuty"]["findingPublishingFrequency"],
    },
    securityHub: { cisVersion: s("detection.securityHub.cisVersion") as DetectionConfig["securityHub"]["cisVersion"] },
    inspector: { resourceTypes: v["detection.inspector.resourceTypes"] as InspectorResourceType[] },
    alerts: { emails: v["alerts.emails"] as string[] },
    ssm: {
      targetTagKey: s("ssm.targetTagKey") || undefined,
      targetTagValue: s("ssm.targetTagValue") || undefined,
      updateAgentSchedule: s("ssm.updateAgentSchedule"),
      cloudWatchAgentSchedule: s("ssm.cloudWatchAgentSchedule"),
      complianceSeverity: s("ssm.complianceSeverity") as ComplianceSeverity,
    },
    cloudWatchAgent: { logGroupPrefix: s("cloudWatchAgent.logGroupPrefix"), retentionDays: n("cloudWatchAgent.retentionDays") },
    directStacks: { createServiceRoles: v["detection.directStacks.createServiceRoles"] as boolean },
  };
}

/** Reads the detection keys of the current stack once. */
export function readDetectionConfig(cfg: pulumi.Config): DetectionConfig {
  const raw: Record<string, string | undefined> = {};
  for (const spec of DETECTION_CONFIG_KEYS) raw[spec.key] = cfg.get(spec.key);
  return parseDetectionConfig(raw, cfg.name);
}
