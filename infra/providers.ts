import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { roleArn } from "../baseline";

export type AccountKey = "management" | "logArchive" | "security";

const PROVIDER_NAMES: Record<AccountKey, string> = {
  management: "management",
  logArchive: "log-archive",
  security: "security",
};

export interface AccountProvidersArgs {
  stack: string;
  homeRegion: string;
  managementAccountId: string;
  /** Role assumed in the member accounts. */
  deployRoleName: string;
  /** Default tags on every taggable resource. */
  tags: Record<string, string>;
}

export interface MemberAccountIds {
  logArchive: pulumi.Input<string>;
  security: pulumi.Input<string>;
}

/**
 * One aws.Provider per account (and per account × region on demand). The management provider
 * uses the caller's credentials; the member providers assume the deploy role. Every provider
 * pins allowedAccountIds, so a resource can never land in another account by mistake.
 */
export class AccountProviders {
  private readonly cache = new Map<string, aws.Provider>();
  private members?: MemberAccountIds;

  constructor(private readonly args: AccountProvidersArgs) {}

  /**
   * Member providers need the accounts' ids, which the Organization component yields (as outputs
   * of the Account resources, so the providers wait for the accounts and their deploy role).
   */
  bindMemberAccounts(ids: MemberAccountIds): void {
    if (this.members) throw new Error("AccountProviders: member accounts are already bound");
    this.members = ids;
  }

  get management(): aws.Provider {
    return this.forRegion("management", this.args.homeRegion);
  }
  get logArchive(): aws.Provider {
    return this.forRegion("logArchive", this.args.homeRegion);
  }
  get security(): aws.Provider {
    return this.forRegion("security", this.args.homeRegion);
  }

  /** The provider for an account in a region; named `<account>` in the home region and `<account>-<region>` elsewhere. */
  forRegion(account: AccountKey, region: string): aws.Provider {
    const name = region === this.args.homeRegion ? PROVIDER_NAMES[account] : `${PROVIDER_NAMES[account]}-${region}`;
    let p = this.cache.get(name);
    if (!p) {
      p = new aws.Provider(name, this.providerArgs(account, region));
      this.cache.set(name, p);
    }
    return p;
  }

  private providerArgs(account: AccountKey, region: string): aws.ProviderArgs {
    const a = this.args;
    const defaultTags = Object.keys(a.tags).length > 0 ? { defaultTags: { tags: a.tags } } : {};
    if (account === "management") return { region, allowedAccountIds: [a.managementAccountId], ...defaultTags };
    if (!this.members)
      throw new Error(`AccountProviders: the ${account} provider was asked for before bindMemberAccounts()`);
    const accountId = account === "logArchive" ? this.members.logArchive : this.members.security;
    return {
      region,
      allowedAccountIds: [accountId],
      assumeRoles: [
        {
          roleArn: pulumi.output(accountId).apply((id) => roleArn(id, a.deployRoleName)),
          sessionName: `orgwarden-${a.stack}`,
        },
      ],
      ...defaultTags,
    };
  }
}

/** Components that work in a given account refuse to fall back to an ambient provider. */
export function requireProvider(
  type: string,
  name: string,
  opts: pulumi.ComponentResourceOptions | undefined,
): pulumi.ProviderResource {
  const p = opts?.provider;
  if (!p)
    throw new Error(
      `${type} "${name}" needs opts.provider: the provider of the account it deploys into (see infra/providers.ts)`,
    );
  return p;
}
