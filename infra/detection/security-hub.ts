import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { securityHubStandardArn } from "../../baseline/arns";
import { RegionalProviders, requireProviders } from "./providers";

export interface SecurityHubOrganizationArgs {
  securityAccountId: pulumi.Input<string>;
  homeRegion: string;
  /** Governed regions, home region first. */
  regions: string[];
  cisVersion: string;
  providers: RegionalProviders;
  /** Resources to exist first (the organization's trusted access for this service). */
  waitFor?: pulumi.Input<pulumi.Resource>[];
}

export function fsbpStandardArn(region: string): string {
  return securityHubStandardArn(region, "aws-foundational-security-best-practices/v/1.0.0");
}

export function cisStandardArn(region: string, version: string): string {
  return securityHubStandardArn(region, `cis-aws-foundations-benchmark/v/${version}`);
}

/**
 * Security Hub with the security account as delegated administrator in every governed region,
 * auto-enabled for new accounts, CIS and FSBP subscribed, and the other regions' findings
 * aggregated into the home region.
 */
export class SecurityHubOrganization extends pulumi.ComponentResource {
  public readonly aggregator?: aws.securityhub.FindingAggregator;

  constructor(name: string, args: SecurityHubOrganizationArgs, opts?: pulumi.ComponentResourceOptions) {
    const providers = requireProviders("orgwarden:detection:SecurityHubOrganization", name, args.providers);
    super("orgwarden:detection:SecurityHubOrganization", name, {}, opts);
    for (const region of args.regions) {
      const security = { parent: this, provider: providers.forRegion("security", region) };
      // Enabled here first: designating an admin that has no hub would enable one outside Pulumi's state.
      const account = new aws.securityhub.Account(
        `${name}-${region}-account`,
        { enableDefaultStandards: false, autoEnableControls: true, controlFindingGenerator: "SECURITY_CONTROL" },
        security,
      );
      const admin = new aws.securityhub.OrganizationAdminAccount(
        `${name}-${region}-admin`,
        { adminAccountId: args.securityAccountId },
        {
          parent: this,
          provider: providers.forRegion("management", region),
          dependsOn: [account, ...((args.waitFor ?? []) as pulumi.Resource[])],
        },
      );
      new aws.securityhub.OrganizationConfiguration(
        `${name}-${region}-organization`,
        { autoEnable: true, autoEnableStandards: "DEFAULT", organizationConfiguration: { configurationType: "LOCAL" } },
        { ...security, dependsOn: [admin] },
      );
      new aws.securityhub.StandardsSubscription(
        `${name}-${region}-fsbp`,
        { standardsArn: fsbpStandardArn(region) },
        { ...security, dependsOn: [account] },
      );
      new aws.securityhub.StandardsSubscription(
        `${name}-${region}-cis`,
        { standardsArn: cisStandardArn(region, args.cisVersion) },
        { ...security, dependsOn: [account] },
      );
      if (region === args.homeRegion && args.regions.length > 1) {
        this.aggregator = new aws.securityhub.FindingAggregator(
          `${name}-aggregator`,
          { linkingMode: "SPECIFIED_REGIONS", specifiedRegions: args.regions.filter((r) => r !== args.homeRegion) },
          { ...security, dependsOn: [account] },
        );
      }
    }
    this.registerOutputs({});
  }
}
