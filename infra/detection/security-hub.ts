import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { SecurityHubIntent } from "../../baseline/detection/security-hub";
import { RegionalProviders, requireProviders } from "./providers";

export interface SecurityHubOrganizationArgs {
  securityAccountId: pulumi.Input<string>;
  /**
   * What to lay (baseline/detection/security-hub.ts securityHubIntent, the same function the audit
   * judges by): every governed region home first, "central" (one configuration policy in the home
   * region, associated with the organization root, so every account, existing or new, gets Security
   * Hub and both standards in every linked region) or "local" (per-region auto-enable, which reaches
   * only accounts that join after the designation), the standards, the aggregator and the policy.
   */
  intent: SecurityHubIntent;
  /** The organization root (the central configuration policy's target). */
  rootId: pulumi.Input<string>;
  providers: RegionalProviders;
  /** Resources to exist first (the organization's trusted access for this service). */
  waitFor?: pulumi.Input<pulumi.Resource>[];
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
    const intent = args.intent;
    const central = intent.configuration === "central";
    const homeRegion = intent.regions[0];
    const admins: pulumi.Resource[] = [];
    let homeAccount: aws.securityhub.Account | undefined;
    for (const region of intent.regions) {
      const security = { parent: this, provider: providers.forRegion("security", region) };
      // Enabled here first: designating an admin that has no hub would enable one outside Pulumi's state.
      const account = new aws.securityhub.Account(
        `${name}-${region}-account`,
        { enableDefaultStandards: false, autoEnableControls: true, controlFindingGenerator: "SECURITY_CONTROL" },
        security,
      );
      if (region === homeRegion) homeAccount = account;
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
        {
          autoEnable: intent.autoEnable,
          autoEnableStandards: intent.autoEnableStandards,
          organizationConfiguration: { configurationType: intent.configurationType },
        },
        { ...security, dependsOn: [admin] },
      );
      const [fsbp, cis] = intent.standardsByRegion[region];
      new aws.securityhub.StandardsSubscription(
        `${name}-${region}-fsbp`,
        { standardsArn: fsbp },
        { ...security, dependsOn: [account] },
      );
      new aws.securityhub.StandardsSubscription(
        `${name}-${region}-cis`,
        { standardsArn: cis },
        { ...security, dependsOn: [account] },
      );
    }
    const home = { parent: this, provider: providers.forRegion("security", homeRegion) };
    const agg = intent.aggregator;
    if (agg) {
      this.aggregator = new aws.securityhub.FindingAggregator(
        `${name}-aggregator`,
        agg.linkingMode === "SPECIFIED_REGIONS"
          ? { linkingMode: agg.linkingMode, specifiedRegions: agg.regions }
          : { linkingMode: agg.linkingMode },
        { ...home, dependsOn: homeAccount ? [homeAccount] : [] },
      );
    }
    const p = intent.policy;
    if (p) {
      // Every region's designation first: the linked regions are governed by the home region's policy.
      const orgConfig = new aws.securityhub.OrganizationConfiguration(
        `${name}-organization`,
        {
          autoEnable: intent.autoEnable,
          autoEnableStandards: intent.autoEnableStandards,
          organizationConfiguration: { configurationType: intent.configurationType },
        },
        { ...home, dependsOn: [...admins, ...(this.aggregator ? [this.aggregator] : [])] },
      );
      this.policy = new aws.securityhub.ConfigurationPolicy(
        `${name}-policy`,
        {
          name: p.name,
          description: p.description,
          configurationPolicy: {
            serviceEnabled: p.serviceEnabled,
            enabledStandardArns: p.enabledStandardArns,
            securityControlsConfiguration: { disabledControlIdentifiers: p.disabledControlIdentifiers },
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
