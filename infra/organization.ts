import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { slug } from "./naming";
import { requireProvider } from "./providers";

/** Services the baseline and its later capabilities need trusted access for. */
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
 * Properties Organizations cannot read back (roleName, iamUserAccessToBilling), or whose change
 * would replace the account (email, and name on older APIs): an account is never recreated by a
 * config edit, and an adopted account is imported whatever its current name and e-mail.
 */
export const ACCOUNT_IGNORE_CHANGES = ["roleName", "iamUserAccessToBilling", "email", "name"];

export interface MemberAccountArgs {
  /** Account name (1-50 characters). */
  accountName: string;
  /** Root e-mail of the account. */
  email: string;
  /** Existing account id to import instead of creating an account. */
  accountId?: string;
}

export interface OrganizationArgs {
  /** "create" a new organization, or "adopt" (import) the existing one. */
  mode: "create" | "adopt";
  /** Organization id to import; required in adopt mode. */
  organizationId?: string;
  /** Root id of the adopted organization; required in adopt mode. */
  rootId?: string;
  /** OU names created under the root. */
  ous: string[];
  /** The OU (one of `ous`) that receives the log-archive and security accounts. */
  securityOu: string;
  /** OU name → existing OU id to import (adopt mode). Default: none. */
  existingOuIds?: Record<string, string>;
  logArchive: MemberAccountArgs;
  security: MemberAccountArgs;
  /** Role Organizations creates in new accounts, which pulumi then assumes. */
  deployRoleName: string;
  /** Trusted-access service principals. Default: ORG_SERVICE_ACCESS_PRINCIPALS. */
  serviceAccessPrincipals?: string[];
}

/** The organization (management account): feature set ALL with SCPs, its OUs, and the log-archive and security accounts. */
export class Organization extends pulumi.ComponentResource {
  public readonly organization: aws.organizations.Organization;
  public readonly organizationId: pulumi.Output<string>;
  public readonly rootId: pulumi.Output<string>;
  public readonly ous: Record<string, aws.organizations.OrganizationalUnit>;
  public readonly logArchiveAccount: aws.organizations.Account;
  public readonly securityAccount: aws.organizations.Account;
  public readonly logArchiveAccountId: pulumi.Output<string>;
  public readonly securityAccountId: pulumi.Output<string>;

  constructor(name: string, args: OrganizationArgs, opts?: pulumi.ComponentResourceOptions) {
    requireProvider("orgwarden:organization:Organization", name, opts);
    super("orgwarden:organization:Organization", name, {}, opts);
    if (args.mode === "adopt" && (!args.organizationId || !args.rootId)) {
      throw new Error(`Organization "${name}": adopt mode needs organizationId and rootId`);
    }
    if (!args.ous.includes(args.securityOu))
      throw new Error(
        `Organization "${name}": securityOu "${args.securityOu}" is not one of ous (${args.ous.join(", ")})`,
      );
    const adopt = args.mode === "adopt";

    this.organization = new aws.organizations.Organization(
      `${name}-organization`,
      {
        featureSet: "ALL",
        enabledPolicyTypes: ["SERVICE_CONTROL_POLICY"],
        awsServiceAccessPrincipals: args.serviceAccessPrincipals ?? ORG_SERVICE_ACCESS_PRINCIPALS,
      },
      { parent: this, protect: true, ...(adopt ? { import: args.organizationId } : {}) },
    );
    this.organizationId = this.organization.id;
    this.rootId = adopt ? pulumi.output(args.rootId!) : this.organization.roots.apply((r) => r[0].id);

    const existing = args.existingOuIds ?? {};
    this.ous = {};
    for (const ou of args.ous) {
      this.ous[ou] = new aws.organizations.OrganizationalUnit(
        `${name}-ou-${slug(ou)}`,
        { name: ou, parentId: this.rootId },
        {
          parent: this,
          protect: true,
          dependsOn: [this.organization],
          ...(existing[ou] ? { import: existing[ou] } : {}),
        },
      );
    }
    const parentId = this.ous[args.securityOu].id;
    this.logArchiveAccount = this.account(`${name}-log-archive`, args.logArchive, parentId, args.deployRoleName);
    this.securityAccount = this.account(`${name}-security`, args.security, parentId, args.deployRoleName);
    this.logArchiveAccountId = this.logArchiveAccount.id;
    this.securityAccountId = this.securityAccount.id;

    this.registerOutputs({
      organizationId: this.organizationId,
      rootId: this.rootId,
      logArchiveAccountId: this.logArchiveAccountId,
      securityAccountId: this.securityAccountId,
    });
  }

  private account(
    name: string,
    a: MemberAccountArgs,
    parentId: pulumi.Input<string>,
    roleName: string,
  ): aws.organizations.Account {
    return new aws.organizations.Account(
      name,
      { name: a.accountName, email: a.email, parentId, roleName, closeOnDeletion: false },
      {
        parent: this,
        protect: true,
        ignoreChanges: ACCOUNT_IGNORE_CHANGES,
        ...(a.accountId ? { import: a.accountId } : {}),
      },
    );
  }
}
