import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { awsManagedPolicyArn } from "../../baseline/arns";
import { CONFIG_DELEGATED_ADMIN_PRINCIPALS } from "../../baseline/organization";
import { configAggregatorName, configAggregatorRoleName, configAggregatorRoleTrust } from "../../baseline/pipeline";
import type { LaidRole } from "../laid-key";
import { RegionalProviders, requireProviders } from "./providers";

export interface ConfigOrganizationArgs {
  securityAccountId: pulumi.Input<string>;
  homeRegion: string;
  governedRegions: string[];
  namePrefix: string;
  providers: RegionalProviders;
  /** Resources to exist first (the organization's trusted access for this service). */
  waitFor?: pulumi.Input<pulumi.Resource>[];
}

export const CONFIG_ORG_ROLE_POLICY_ARN = awsManagedPolicyArn("service-role/AWSConfigRoleForOrganizations");

/**
 * The security account as AWS Config's delegated administrator: for config.amazonaws.com (which
 * an organization aggregator in a member account needs) and config-multiaccountsetup.amazonaws.com
 * (organization rules and conformance packs), plus the organization aggregator itself.
 */
export class ConfigOrganization extends pulumi.ComponentResource {
  public readonly aggregator: aws.cfg.ConfigurationAggregator;
  /** The aggregator's role as the manifest's `roles.shared` entry `config-aggregator-role`. */
  public readonly laidRole: LaidRole;

  constructor(name: string, args: ConfigOrganizationArgs, opts?: pulumi.ComponentResourceOptions) {
    const providers = requireProviders("orgwarden:detection:ConfigOrganization", name, args.providers);
    super("orgwarden:detection:ConfigOrganization", name, {}, opts);
    const management = providers.forRegion("management", args.homeRegion);
    const security = providers.forRegion("security", args.homeRegion);
    const admins = CONFIG_DELEGATED_ADMIN_PRINCIPALS.map(
      (servicePrincipal) =>
        new aws.organizations.DelegatedAdministrator(
          `${name}-${servicePrincipal.split(".")[0]}-admin`,
          { accountId: args.securityAccountId, servicePrincipal },
          { parent: this, provider: management, dependsOn: args.waitFor ?? [] },
        ),
    );
    const role = new aws.iam.Role(
      `${name}-aggregator-role`,
      {
        name: configAggregatorRoleName(args.namePrefix),
        assumeRolePolicy: JSON.stringify(configAggregatorRoleTrust()),
      },
      { parent: this, provider: security },
    );
    const attachment = new aws.iam.RolePolicyAttachment(
      `${name}-aggregator-role-policy`,
      { role: role.name, policyArn: CONFIG_ORG_ROLE_POLICY_ARN },
      { parent: this, provider: security },
    );
    this.aggregator = new aws.cfg.ConfigurationAggregator(
      `${name}-aggregator`,
      {
        name: configAggregatorName(args.namePrefix),
        organizationAggregationSource: { allRegions: false, regions: args.governedRegions, roleArn: role.arn },
      },
      { parent: this, provider: security, dependsOn: [...admins, attachment] },
    );
    this.laidRole = {
      name: "config-aggregator-role",
      purpose: "the Config aggregator's role",
      account: args.securityAccountId,
      roleName: configAggregatorRoleName(args.namePrefix),
      trustPolicy: configAggregatorRoleTrust(),
      inlinePolicies: {},
      managedPolicyArns: [CONFIG_ORG_ROLE_POLICY_ARN],
    };
    this.registerOutputs({ aggregatorArn: this.aggregator.arn });
  }
}
