import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { GuardDutyIntent } from "../../baseline/detection/guardduty";
import { RegionalProviders, requireProviders } from "./providers";

export interface GuardDutyOrganizationArgs {
  securityAccountId: pulumi.Input<string>;
  regions: string[];
  /** Features, auto-enable and frequency (baseline guardDutyIntent: the audit manifest publishes the same value). */
  intent: GuardDutyIntent;
  providers: RegionalProviders;
  /** Resources to exist first (the organization's trusted access for this service). */
  waitFor?: pulumi.Input<pulumi.Resource>[];
}

/**
 * GuardDuty with the security account as delegated administrator, in every governed region.
 * Order matters: the admin's detector exists before the designation (designating first would
 * create one behind Pulumi's back), and the organization configuration needs the designation.
 */
export class GuardDutyOrganization extends pulumi.ComponentResource {
  public readonly detectorIds: Record<string, pulumi.Output<string>> = {};

  constructor(name: string, args: GuardDutyOrganizationArgs, opts?: pulumi.ComponentResourceOptions) {
    const providers = requireProviders("orgwarden:detection:GuardDutyOrganization", name, args.providers);
    super("orgwarden:detection:GuardDutyOrganization", name, {}, opts);
    for (const region of args.regions) {
      const security = { parent: this, provider: providers.forRegion("security", region) };
      const detector = new aws.guardduty.Detector(
        `${name}-${region}-detector`,
        { enable: true, findingPublishingFrequency: args.intent.findingPublishingFrequency },
        security,
      );
      const admin = new aws.guardduty.OrganizationAdminAccount(
        `${name}-${region}-admin`,
        { adminAccountId: args.securityAccountId },
        {
          parent: this,
          provider: providers.forRegion("management", region),
          dependsOn: [detector, ...((args.waitFor ?? []) as pulumi.Resource[])],
        },
      );
      const orgConfig = new aws.guardduty.OrganizationConfiguration(
        `${name}-${region}-organization`,
        { detectorId: detector.id, autoEnableOrganizationMembers: args.intent.autoEnable },
        { ...security, dependsOn: [admin] },
      );
      for (const { name: feature, additionalConfigurations: extra } of args.intent.features) {
        new aws.guardduty.OrganizationConfigurationFeature(
          `${name}-${region}-${feature.toLowerCase()}`,
          {
            detectorId: detector.id,
            name: feature,
            autoEnable: args.intent.autoEnable,
            additionalConfigurations: extra.map((n) => ({ name: n, autoEnable: args.intent.autoEnable })),
          },
          { ...security, dependsOn: [orgConfig] },
        );
        new aws.guardduty.DetectorFeature(
          `${name}-${region}-${feature.toLowerCase()}-admin`,
          {
            detectorId: detector.id,
            name: feature,
            status: "ENABLED",
            additionalConfigurations: extra.map((n) => ({ name: n, status: "ENABLED" })),
          },
          security,
        );
      }
      this.detectorIds[region] = detector.id;
    }
    this.registerOutputs({ detectorIds: this.detectorIds });
  }
}
