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
  /**
   * "central": one configuration policy in the home region, associated with the organization root, so
   * every account, existing or new, gets Security Hub and both standards in every linked region.
   * "local": per-region auto-enable, which reaches only accounts that join after the designation.
   */
  configuration: SecurityHubConfigurationType;
  /** The organization root (the central configuration policy's target). */
  rootId: pulumi.Input<string>;
  /** Name of the central configuration policy. */
  policyName: string;
  providers: RegionalProviders;
  /** Resources to exist first (the organization's trusted access for this service). */
  waitFor?: pulumi.Input<pulumi.Resource>[];
}

export type SecurityHubConfigurationType = "central" | "local";

export function fsbpStandardArn(region: string): string {
  return securityHubStandardArn(region, "aws-foundational-security-best-practices/v/1.0.0");
}

export function cisStandardArn(region: string, version: string): string {
  return securityHubStandardArn(region, `cis-aws-foundations-benchmark/v/${version}`);
}

/**
 * Security Hub with the security account as delegated administrator in every governed region and
 * the other regions' findings aggregated into the home region.
 *
 * Central configuration (the default) is what enrolls the accounts that already exist: a
 * configuration policy (Security Hub on, FSBP and CIS, every control enabled) associated with the
 * root applies to every account and OU under it, now and later, in the home region and every linked
 * region; the per-region auto-enable of local configuration only reaches accounts that join after
 * it is set. https://docs.aws.amazon.com/securityhub/latest/userguide/central-configuration-intro.html
 * (central configuration needs a finding aggregator and a delegated administrator that is not the
 * management account: the security account).
 */
export class SecurityHubOrganization extends pulumi.ComponentResource {
  public readonly aggregator?: aws.securityhub.FindingAggregator;
  public readonly policy?: aws.securityhub.ConfigurationPolicy;

  constructor(name: string, args: SecurityHubOrganizationArgs, opts?: pulumi.ComponentResourceOptions) {
    const providers = requireProviders("orgwarden:detection:SecurityHubOrganization", name, args.providers);
    super("orgwarden:detection:SecurityHubOrganization", name, {}, opts);
    const central = args.configuration === "central";
    const admins: pulumi.Resource[] = [];
    let homeAccount: aws.securityhub.Account | undefined;
    for (const region of args.regions) {
      const security = { parent: this, provider: providers.forRegion("security", region) };
      // Enabled here first: designating an admin that has no hub would enable one outside Pulumi's state.
      const account = new aws.securityhub.Account(
        `${name}-${region}-account`,
        { enableDefaultStandards: false, autoEnableControls: true, controlFindingGenerator: "SECURITY_CONTROL" },
        security,
      );
      if (region === args.homeRegion) homeAccount = account;
      const admin = new aws.securityhub.OrganizationAdminAccount(
        `${name}-${region}-admin`,
        { adminAccountId: args.securityAccountId },
        {
          parent: this,
          provider: providers.forRegion("management", region),
          dependsOn: [account, ...((args.waitFor ?? []) as pulumi.Resource[])],
        },
      );
      admins.push(admin);
      if (central) continue;
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
    }
    const home = { parent: this, provider: providers.forRegion("security", args.homeRegion) };
    const linked = args.regions.filter((r) => r !== args.homeRegion);
    // Central configuration needs an aggregator even with one region (NO_REGIONS then).
    if (linked.length > 0 || central) {
      this.aggregator = new aws.securityhub.FindingAggregator(
        `${name}-aggregator`,
        linked.length > 0
          ? { linkingMode: "SPECIFIED_REGIONS", specifiedRegions: linked }
          : { linkingMode: "NO_REGIONS" },
        { ...home, dependsOn: homeAccount ? [homeAccount] : [] },
      );
    }
    if (central) {
      // Every region's designation first: the linked regions are governed by the home region's policy.
      const orgConfig = new aws.securityhub.OrganizationConfiguration(
        `${name}-organization`,
        { autoEnable: false, autoEnableStandards: "NONE", organizationConfiguration: { configurationType: "CENTRAL" } },
        { ...home, dependsOn: [...admins, this.aggregator!] },
      );
      this.policy = new aws.securityhub.ConfigurationPolicy(
        `${name}-policy`,
        {
          name: args.policyName,
          description:
            "orgwarden: Security Hub on with FSBP and CIS in every governed region, every control enabled, for every account of the organization",
          configurationPolicy: {
            serviceEnabled: true,
            enabledStandardArns: [fsbpStandardArn(args.homeRegion), cisStandardArn(args.homeRegion, args.cisVersion)],
            // An empty deny-list: every control, including ones AWS releases later, is enabled.
            securityControlsConfiguration: { disabledControlIdentifiers: [] },
          },
        },
        { ...home, dependsOn: [orgConfig] },
      );
      new aws.securityhub.ConfigurationPolicyAssociation(
        `${name}-policy-root`,
        { policyId: this.policy.id, targetId: args.rootId },
        { ...home, dependsOn: [this.policy] },
      );
    }
    this.registerOutputs({});
  }
}
