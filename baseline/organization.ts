/**
 * The organization's own settings and the services it delegates to the security account, written
 * once: infra/organization.ts lays the organization from these constants, infra/detection/ registers
 * the delegated administrators from them, and the audit manifest's `organizationSettings` area
 * publishes what was laid, so organization-settings and delegated-administrators judge exactly that.
 */
import { z } from "zod";

/** All features: SCPs and every other policy type need it; "CONSOLIDATED_BILLING" has neither. */
export const ORG_FEATURE_SET = "ALL";

/** The policy types infra enables on the root (the logging SCPs need SERVICE_CONTROL_POLICY). */
export const ORG_ENABLED_POLICY_TYPES = ["SERVICE_CONTROL_POLICY"] as const;

/**
 * The policy types Organizations knows (the SDK's PolicyType enum, @aws-sdk/client-organizations;
 * https://docs.aws.amazon.com/organizations/latest/APIReference/API_EnablePolicyType.html).
 * The manifest accepts only these, so a misspelt type is an error rather than a check that can never pass.
 */
export const ORG_POLICY_TYPES = [
  "AISERVICES_OPT_OUT_POLICY",
  "BACKUP_POLICY",
  "BEDROCK_POLICY",
  "CHATBOT_POLICY",
  "DECLARATIVE_POLICY_EC2",
  "GUARDDUTY_POLICY",
  "INSPECTOR_POLICY",
  "NETWORK_SECURITY_DIRECTOR_POLICY",
  "RESOURCE_CONTROL_POLICY",
  "S3_POLICY",
  "SECURITYHUB_CSPM_POLICY",
  "SECURITYHUB_POLICY",
  "SERVICE_CONTROL_POLICY",
  "TAG_POLICY",
  "UPGRADE_ROLLOUT_POLICY",
] as const;

/** Services the baseline and its later capabilities need trusted access for (the default of infra's serviceAccessPrincipals). */
export const ORG_SERVICE_ACCESS_PRINCIPALS = [
  "cloudtrail.amazonaws.com",
  "config.amazonaws.com",
  "config-multiaccountsetup.amazonaws.com",
  "guardduty.amazonaws.com",
  "securityhub.amazonaws.com",
  "inspector2.amazonaws.com",
  "ssm.amazonaws.com",
  "member.org.stacksets.cloudformation.amazonaws.com",
  // RAM's organization sharing (infra/network/dns-query-logs.ts) turns this on itself; listed so that the
  // next update of the organization does not take it away again and unshare the query logging configurations.
  "ram.amazonaws.com",
];

/**
 * AWS Config's delegated administrator registrations (infra/detection/config-aggregator.ts):
 * config.amazonaws.com for an organization aggregator in a member account, and
 * config-multiaccountsetup.amazonaws.com for organization rules and conformance packs.
 */
export const CONFIG_DELEGATED_ADMIN_PRINCIPALS = ["config.amazonaws.com", "config-multiaccountsetup.amazonaws.com"];

/**
 * The principals GuardDuty, Security Hub and Inspector register in Organizations when the management
 * account designates their delegated administrator through their own APIs (EnableOrganizationAdminAccount,
 * EnableDelegatedAdminAccount): https://docs.aws.amazon.com/organizations/latest/userguide/orgs_integrate_services_list.html
 */
export const GUARDDUTY_SERVICE_PRINCIPAL = "guardduty.amazonaws.com";
export const SECURITY_HUB_SERVICE_PRINCIPAL = "securityhub.amazonaws.com";
export const INSPECTOR_SERVICE_PRINCIPAL = "inspector2.amazonaws.com";

/** Which detection services infra designates the security account for, as the delegated-administrator principals it registers. */
export function delegatedServicePrincipals(laid: { guardDuty: boolean; securityHub: boolean; inspector: boolean }) {
  return [
    ...CONFIG_DELEGATED_ADMIN_PRINCIPALS,
    ...(laid.guardDuty ? [GUARDDUTY_SERVICE_PRINCIPAL] : []),
    ...(laid.securityHub ? [SECURITY_HUB_SERVICE_PRINCIPAL] : []),
    ...(laid.inspector ? [INSPECTOR_SERVICE_PRINCIPAL] : []),
  ];
}

const servicePrincipal = z
  .string()
  .regex(/^[a-z0-9-]+(\.[a-z0-9-]+)*\.amazonaws\.com$/, "must be a service principal such as config.amazonaws.com");
const principals = z.array(servicePrincipal).superRefine((ps, ctx) => {
  const seen = new Set<string>();
  ps.forEach((p, n) => {
    if (seen.has(p)) ctx.addIssue({ code: "custom", path: [n], message: `${p} is listed twice` });
    seen.add(p);
  });
});

/**
 * The manifest's `organizationSettings` area: what infra laid on the organization and which services
 * it registered the security account (organization.securityAccountId) as delegated administrator of.
 * Optional, so that manifests published before it parse; organization-settings and
 * delegated-administrators are then NOT_APPLICABLE, saying so, never PASS.
 */
export const organizationSettingsSchema = z.strictObject({
  /** The organization's feature set (DescribeOrganization FeatureSet). */
  featureSet: z.literal(ORG_FEATURE_SET),
  /** Policy types enabled on the root (ListRoots PolicyTypes, each ENABLED). */
  enabledPolicyTypes: z.array(z.enum(ORG_POLICY_TYPES)).min(1),
  /**
   * The trusted-access principals infra laid (awsServiceAccessPrincipals): the whole list, since the
   * next `pulumi up` disables any other one.
   */
  serviceAccessPrincipals: principals,
  /** Services the security account is registered as delegated administrator for (ListDelegatedServicesForAccount). */
  delegatedServices: principals.min(1),
});

export type OrganizationSettings = z.infer<typeof organizationSettingsSchema>;

/** The area as infra publishes it, from the list it laid and the services it delegated. */
export function organizationSettingsArea(laid: {
  serviceAccessPrincipals: readonly string[];
  delegatedServices: readonly string[];
}): OrganizationSettings {
  return {
    featureSet: ORG_FEATURE_SET,
    enabledPolicyTypes: [...ORG_ENABLED_POLICY_TYPES],
    serviceAccessPrincipals: [...laid.serviceAccessPrincipals],
    delegatedServices: [...laid.delegatedServices],
  };
}
