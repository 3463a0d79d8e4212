/**
 * GuardDuty's organization-wide intent, written once: the protection features (and the agent
 * management each runtime feature comes with), organization auto-enable for every member, and the
 * administrator detector's finding publishing frequency. infra/detection/guardduty.ts lays the
 * detector, the OrganizationConfiguration, one OrganizationConfigurationFeature and one
 * DetectorFeature per feature from guardDutyIntent(), and the audit manifest's `guardDuty` area is
 * that same value, so guardduty-organization and guardduty-features judge exactly what was laid.
 */
import { z } from "zod";

/** Feature names: https://docs.aws.amazon.com/guardduty/latest/APIReference/API_DetectorFeatureConfiguration.html */
export const GUARDDUTY_FEATURES = [
  "S3_DATA_EVENTS",
  "EKS_AUDIT_LOGS",
  "EBS_MALWARE_PROTECTION",
  "RDS_LOGIN_EVENTS",
  "EKS_RUNTIME_MONITORING",
  "LAMBDA_NETWORK_LOGS",
  "RUNTIME_MONITORING",
] as const;
export type GuardDutyFeature = (typeof GUARDDUTY_FEATURES)[number];

/**
 * Every protection plan that applies to the usual workloads: S3, EKS audit logs, EBS malware scans,
 * RDS login activity, Lambda network activity and runtime monitoring (which supersedes
 * EKS_RUNTIME_MONITORING).
 */
export const DEFAULT_GUARDDUTY_FEATURES: GuardDutyFeature[] = [
  "S3_DATA_EVENTS",
  "EKS_AUDIT_LOGS",
  "EBS_MALWARE_PROTECTION",
  "RDS_LOGIN_EVENTS",
  "LAMBDA_NETWORK_LOGS",
  "RUNTIME_MONITORING",
];

/** https://docs.aws.amazon.com/guardduty/latest/APIReference/API_DetectorAdditionalConfiguration.html */
export const GUARDDUTY_ADDITIONAL_CONFIGURATIONS = [
  "EKS_ADDON_MANAGEMENT",
  "ECS_FARGATE_AGENT_MANAGEMENT",
  "EC2_AGENT_MANAGEMENT",
] as const;
export type GuardDutyAdditionalConfiguration = (typeof GUARDDUTY_ADDITIONAL_CONFIGURATIONS)[number];

/** Agent management that makes a runtime feature useful without per-cluster work. */
export const GUARDDUTY_ADDITIONAL: Partial<Record<GuardDutyFeature, readonly GuardDutyAdditionalConfiguration[]>> = {
  RUNTIME_MONITORING: ["EKS_ADDON_MANAGEMENT", "ECS_FARGATE_AGENT_MANAGEMENT", "EC2_AGENT_MANAGEMENT"],
  EKS_RUNTIME_MONITORING: ["EKS_ADDON_MANAGEMENT"],
};

export const GUARDDUTY_FINDING_FREQUENCIES = ["FIFTEEN_MINUTES", "ONE_HOUR", "SIX_HOURS"] as const;
export type GuardDutyFindingFrequency = (typeof GUARDDUTY_FINDING_FREQUENCIES)[number];

/**
 * Organization auto-enable of members and of every feature: "ALL" covers the members that exist
 * and the ones that join ("NEW" would leave the existing ones out, "NONE" every one);
 * https://docs.aws.amazon.com/guardduty/latest/APIReference/API_UpdateOrganizationConfiguration.html
 */
export const GUARDDUTY_AUTO_ENABLE = "ALL";

/**
 * The manifest's `guardDuty` area. Absent in a manifest published before it: guardduty-organization
 * and guardduty-features are then NOT_APPLICABLE, saying to republish, never a PASS.
 */
export const guardDutyManifestSchema = z
  .strictObject({
    /** OrganizationConfiguration autoEnableOrganizationMembers, and every feature's autoEnable. */
    autoEnable: z.literal(GUARDDUTY_AUTO_ENABLE),
    /** The administrator (security account) detector's findingPublishingFrequency. */
    findingPublishingFrequency: z.enum(GUARDDUTY_FINDING_FREQUENCIES),
    /** Each feature on for the administrator and auto-enabled for all members, with its additional configurations. */
    features: z.array(
      z.strictObject({
        name: z.enum(GUARDDUTY_FEATURES),
        additionalConfigurations: z.array(z.enum(GUARDDUTY_ADDITIONAL_CONFIGURATIONS)),
      }),
    ),
  })
  .superRefine((g, ctx) => {
    const seen = new Set<string>();
    g.features.forEach((f, n) => {
      if (seen.has(f.name))
        ctx.addIssue({ code: "custom", path: ["features", n, "name"], message: `${f.name} is listed twice` });
      seen.add(f.name);
    });
  });
export type GuardDutyIntent = z.infer<typeof guardDutyManifestSchema>;

/** What infra lays and the manifest publishes, from the stack's detection.guardDuty config. */
export function guardDutyIntent(i: {
  features: readonly GuardDutyFeature[];
  findingPublishingFrequency: GuardDutyFindingFrequency;
}): GuardDutyIntent {
  return {
    autoEnable: GUARDDUTY_AUTO_ENABLE,
    findingPublishingFrequency: i.findingPublishingFrequency,
    features: i.features.map((name) => ({ name, additionalConfigurations: [...(GUARDDUTY_ADDITIONAL[name] ?? [])] })),
  };
}

/** `--features` of `aws guardduty update-organization-configuration` (OrganizationFeatureConfiguration list). */
export function organizationFeaturesJson(g: GuardDutyIntent): string {
  return JSON.stringify(
    g.features.map((f) => ({
      Name: f.name,
      AutoEnable: g.autoEnable,
      ...(f.additionalConfigurations.length > 0
        ? { AdditionalConfiguration: f.additionalConfigurations.map((Name) => ({ Name, AutoEnable: g.autoEnable })) }
        : {}),
    })),
  );
}

/** `--features` of `aws guardduty update-detector` / `update-member-detectors` (feature Status list). */
export function detectorFeaturesJson(g: GuardDutyIntent): string {
  return JSON.stringify(
    g.features.map((f) => ({
      Name: f.name,
      Status: "ENABLED",
      ...(f.additionalConfigurations.length > 0
        ? { AdditionalConfiguration: f.additionalConfigurations.map((Name) => ({ Name, Status: "ENABLED" })) }
        : {}),
    })),
  );
}
