import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { inspectorAutoEnable, type InspectorResourceType } from "../../baseline/detection/inspector";
import { RegionalProviders, requireProviders } from "./providers";

export interface InspectorOrganizationArgs {
  securityAccountId: pulumi.Input<string>;
  regions: string[];
  resourceTypes: InspectorResourceType[];
  /**
   * Member accounts that already exist when Inspector is delegated (auto-enable reaches only
   * accounts that join later): each is associated with the administrator and its scans enabled.
   * Not the management account, and not the security account (the administrator enables itself).
   */
  existingMemberAccountIds: pulumi.Input<string>[];
  providers: RegionalProviders;
  /** Resources to exist first (the organization's trusted access for this service). */
  waitFor?: pulumi.Input<pulumi.Resource>[];
}

/** Inspector's Enable API accepts at most 100 account ids per call (API reference, EnableRequest.accountIds). */
export const ENABLE_MAX_ACCOUNTS = 100;

/** A resource name part for a member: its id when known at construction, else its position (a created account). */
function memberKey(accountId: pulumi.Input<string>, index: number): string {
  return typeof accountId === "string" ? accountId : `new-${index + 1}`;
}

/** Amazon Inspector (v2) with the security account as delegated administrator, auto-enabled for the organization in every governed region. */
export class InspectorOrganization extends pulumi.ComponentResource {
  constructor(name: string, args: InspectorOrganizationArgs, opts?: pulumi.ComponentResourceOptions) {
    const providers = requireProviders("orgwarden:detection:InspectorOrganization", name, args.providers);
    super("orgwarden:detection:InspectorOrganization", name, {}, opts);
    for (const region of args.regions) {
      const security = { parent: this, provider: providers.forRegion("security", region) };
      const admin = new aws.inspector2.DelegatedAdminAccount(
        `${name}-${region}-admin`,
        { accountId: args.securityAccountId },
        { parent: this, provider: providers.forRegion("management", region), dependsOn: args.waitFor ?? [] },
      );
      new aws.inspector2.OrganizationConfiguration(
        `${name}-${region}-organization`,
        { autoEnable: inspectorAutoEnable(args.resourceTypes) },
        { ...security, dependsOn: [admin] },
      );
      new aws.inspector2.Enabler(
        `${name}-${region}-admin-scanning`,
        { accountIds: [args.securityAccountId], resourceTypes: args.resourceTypes },
        { ...security, dependsOn: [admin] },
      );
      // Existing members: AssociateMember each, then Enable in chunks (the Enable API takes at most 100 account ids).
      const members = args.existingMemberAccountIds.map(
        (accountId, i) =>
          new aws.inspector2.MemberAssociation(
            `${name}-${region}-member-${memberKey(accountId, i)}`,
            { accountId },
            { ...security, dependsOn: [admin] },
          ),
      );
      for (let c = 0; c * ENABLE_MAX_ACCOUNTS < members.length; c++) {
        const chunk = args.existingMemberAccountIds.slice(c * ENABLE_MAX_ACCOUNTS, (c + 1) * ENABLE_MAX_ACCOUNTS);
        new aws.inspector2.Enabler(
          `${name}-${region}-members-scanning-${c + 1}`,
          { accountIds: chunk, resourceTypes: args.resourceTypes },
          { ...security, dependsOn: members.slice(c * ENABLE_MAX_ACCOUNTS, (c + 1) * ENABLE_MAX_ACCOUNTS) },
        );
      }
    }
    this.registerOutputs({});
  }
}
