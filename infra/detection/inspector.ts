import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { InspectorResourceType } from "./config";
import { RegionalProviders, requireProviders } from "./providers";

export interface InspectorOrganizationArgs {
  securityAccountId: pulumi.Input<string>;
  regions: string[];
  resourceTypes: InspectorResourceType[];
  providers: RegionalProviders;
  /** Resources to exist first (the organization's trusted access for this service). */
  waitFor?: pulumi.Input<pulumi.Resource>[];
}

/** Amazon Inspector (v2) with the security account as delegated administrator, auto-enabled for the organization in every governed region. */
export class InspectorOrganization extends pulumi.ComponentResource {
  constructor(name: string, args: InspectorOrganizationArgs, opts?: pulumi.ComponentResourceOptions) {
    const providers = requireProviders("orgwarden:detection:InspectorOrganization", name, args.providers);
    super("orgwarden:detection:InspectorOrganization", name, {}, opts);
    const on = (t: InspectorResourceType) => args.resourceTypes.includes(t);
    for (const region of args.regions) {
      const security = { parent: this, provider: providers.forRegion("security", region) };
      const admin = new aws.inspector2.DelegatedAdminAccount(
        `${name}-${region}-admin`,
        { accountId: args.securityAccountId },
        { parent: this, provider: providers.forRegion("management", region), dependsOn: args.waitFor ?? [] },
      );
      new aws.inspector2.OrganizationConfiguration(
        `${name}-${region}-organization`,
        { autoEnable: { ec2: on("EC2"), ecr: on("ECR"), lambda: on("LAMBDA"), lambdaCode: on("LAMBDA_CODE") } },
        { ...security, dependsOn: [admin] },
      );
      new aws.inspector2.Enabler(
        `${name}-${region}-admin-scanning`,
        { accountIds: [args.securityAccountId], resourceTypes: args.resourceTypes },
        { ...security, dependsOn: [admin] },
      );
    }
    this.registerOutputs({});
  }
}
