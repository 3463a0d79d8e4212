import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ORG_ENABLED_POLICY_TYPES, ORG_FEATURE_SET, ORG_SERVICE_ACCESS_PRINCIPALS } from "../baseline/organization";
import { slug } from "./naming";
import { requireProvider } from "./providers";

/** The default trusted-access principals, from baseline/ (the audit judges the organization against the same list). */
export { ORG_SERVICE_ACCESS_PRINCIPALS };

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
  /** The trusted-access principals laid (serviceAccessPrincipals, or the default): the manifest's organizationSettings publishes them. */
  public readonly serviceAccessPrincipals: readonly string[];

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
    this.serviceAccessPrincipals = [...(args.serviceAccessPrincipals ?? ORG_SERVICE_ACCESS_PRINCIPALS)];

    this.organization = new aws.organizations.Organization(
      `${name}-organization`,
      {
        featureSet: ORG_FEATURE_SET,
        enabledPolicyTypes: [...ORG_ENABLED_POLICY_TYPES],
        awsServiceAccessPrincipals: [...this.serviceAccessPrincipals],
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
