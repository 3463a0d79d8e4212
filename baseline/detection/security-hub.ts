/**
 * Security Hub's organization setup as infra lays it (infra/detection/security-hub.ts) and the audit
 * judges it (the securityhub-* checks): the configuration type, the standards, the central
 * configuration policy and the finding aggregator, all from one function, securityHubIntent(), over
 * the manifest's `securityHub` area and its regions. Pure: no Pulumi, no SDK.
 */
import { z } from "zod";
import { securityHubStandardArn } from "../arns";

/** "central": one configuration policy on the root; "local": per-region auto-enable (infra's detection.securityHub.configuration). */
export const SECURITY_HUB_CONFIGURATIONS = ["central", "local"] as const;
export type SecurityHubConfiguration = (typeof SECURITY_HUB_CONFIGURATIONS)[number];

/** The CIS AWS Foundations Benchmark versions Security Hub offers as regional `standards/` ARNs. */
export const CIS_STANDARD_VERSIONS = ["1.4.0", "3.0.0"] as const;
export type CisStandardVersion = (typeof CIS_STANDARD_VERSIONS)[number];

export const FSBP_STANDARD = "aws-foundational-security-best-practices/v/1.0.0";

export function fsbpStandardArn(region: string): string {
  return securityHubStandardArn(region, FSBP_STANDARD);
}

export function cisStandardArn(region: string, version: string): string {
  return securityHubStandardArn(region, `cis-aws-foundations-benchmark/v/${version}`);
}

/** The central configuration policy's name (one per stack, in the security account's home region). */
export function securityHubPolicyName(namePrefix: string, stack: string): string {
  return `${namePrefix}-${stack}-security-hub`;
}

/**
 * The manifest's `securityHub` area. Absent in a manifest published before it: the securityhub-*
 * checks other than securityhub-enabled are then NOT_APPLICABLE, saying to republish, never a PASS.
 * The standards, the aggregator's regions and the organization settings are not published: the
 * agent rebuilds them with securityHubIntent() from this area and the manifest's regions, as infra does.
 */
export const securityHubManifestSchema = z
  .strictObject({
    configuration: z.enum(SECURITY_HUB_CONFIGURATIONS),
    cisVersion: z.enum(CIS_STANDARD_VERSIONS),
    /** The central configuration policy's name; present exactly when configuration is central. */
    policyName: z.string().min(1).max(128).optional(),
  })
  .superRefine((s, ctx) => {
    if ((s.configuration === "central") !== (s.policyName !== undefined))
      ctx.addIssue({
        code: "custom",
        path: ["policyName"],
        message:
          s.configuration === "central"
            ? "is required when configuration is central (the configuration policy the root is associated with)"
            : "must be absent when configuration is local (no configuration policy is laid)",
      });
  });
export type SecurityHubArea = z.infer<typeof securityHubManifestSchema>;

export interface SecurityHubAggregatorIntent {
  /** The aggregation (home) region. */
  region: string;
  linkingMode: "SPECIFIED_REGIONS" | "NO_REGIONS";
  /** The linked regions (every governed region but the home region), in the governed order; empty under NO_REGIONS. */
  regions: string[];
}

export interface SecurityHubPolicyIntent {
  name: string;
  description: string;
  serviceEnabled: true;
  /** The home region's FSBP and CIS standards: a central policy names the home region's ARNs and applies them in every linked region. */
  enabledStandardArns: string[];
  /** An empty deny-list: every control, including ones AWS releases later, is enabled. */
  disabledControlIdentifiers: string[];
}

export interface SecurityHubIntent {
  configuration: SecurityHubConfiguration;
  /** DescribeOrganizationConfiguration's OrganizationConfiguration.ConfigurationType. */
  configurationType: "CENTRAL" | "LOCAL";
  autoEnable: boolean;
  autoEnableStandards: "NONE" | "DEFAULT";
  /** Where infra sets the organization configuration: the home region under central, every governed region under local. */
  organizationRegions: string[];
  /** Every governed region, home first: a hub and the delegated administrator in each. */
  regions: string[];
  /**
   * FSBP and CIS of each governed region, as the security account's subscriptions there show them:
   * laid as StandardsSubscriptions under local, enabled by the configuration policy under central.
   */
  standardsByRegion: Record<string, string[]>;
  /** Absent only under local with a single governed region (nothing to aggregate, and no policy that needs one). */
  aggregator?: SecurityHubAggregatorIntent;
  /** Present exactly under central. */
  policy?: SecurityHubPolicyIntent;
}

export interface SecurityHubIntentInput {
  area: SecurityHubArea;
  homeRegion: string;
  /** The governed regions (any order; the home region among them). */
  regions: string[];
}

/** What infra lays and the audit expects; the one place the Security Hub intent is written. */
export function securityHubIntent(i: SecurityHubIntentInput): SecurityHubIntent {
  const { area, homeRegion } = i;
  const central = area.configuration === "central";
  if (central && !area.policyName)
    throw new Error("securityHubIntent: area.policyName is required when configuration is central");
  const regions = [homeRegion, ...i.regions.filter((r) => r !== homeRegion)];
  const linked = regions.slice(1);
  const standards = (region: string) => [fsbpStandardArn(region), cisStandardArn(region, area.cisVersion)];
  // Central configuration needs an aggregator even with one region (NO_REGIONS then).
  const aggregator: SecurityHubAggregatorIntent | undefined =
    linked.length > 0
      ? { region: homeRegion, linkingMode: "SPECIFIED_REGIONS", regions: linked }
      : central
        ? { region: homeRegion, linkingMode: "NO_REGIONS", regions: [] }
        : undefined;
  return {
    configuration: area.configuration,
    configurationType: central ? "CENTRAL" : "LOCAL",
    autoEnable: !central,
    autoEnableStandards: central ? "NONE" : "DEFAULT",
    organizationRegions: central ? [homeRegion] : regions,
    regions,
    standardsByRegion: Object.fromEntries(regions.map((r) => [r, standards(r)])),
    ...(aggregator ? { aggregator } : {}),
    ...(central
      ? {
          policy: {
            name: area.policyName!,
            description:
              "orgwarden: Security Hub on with FSBP and CIS in every governed region, every control enabled, for every account of the organization",
            serviceEnabled: true as const,
            enabledStandardArns: standards(homeRegion),
            disabledControlIdentifiers: [],
          },
        }
      : {}),
  };
}
