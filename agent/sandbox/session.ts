/**
 * SDK clients for the sandbox, per account and region. Moto maps the static "testing" key to its
 * default account (the management account); any other account is entered the way a real
 * organization's admin would: AssumeRole into that account's OrganizationAccountAccessRole. Moto
 * does not check that the role exists — the returned session simply acts in that account.
 */
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { roleArn } from "../../baseline/arns";
import { SandboxInventory } from "./inventory";

export interface StaticCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** Fixed fake credentials; moto accepts any and maps this key to account 123456789012. */
export const SANDBOX_CREDENTIALS: StaticCredentials = { accessKeyId: "testing", secretAccessKey: "testing" };

type ClientCtor<C> = new (config: any) => C;

export class SandboxSession {
  private readonly creds = new Map<string, Promise<StaticCredentials>>();
  /** What the seeds laid, in infra's terms (agent/sandbox/inventory.ts). */
  readonly inventory = new SandboxInventory();

  constructor(
    readonly endpoint: string,
    readonly managementAccountId: string,
    private readonly deployRoleName: string,
  ) {
    if (!/^https?:\/\//.test(endpoint))
      throw new Error(`sandbox endpoint must be an http(s) URL such as http://127.0.0.1:5000, got "${endpoint}"`);
  }

  /** Credentials that act in `account` (cached: one AssumeRole per account). */
  credentialsFor(account: string): Promise<StaticCredentials> {
    if (account === this.managementAccountId) return Promise.resolve(SANDBOX_CREDENTIALS);
    let c = this.creds.get(account);
    if (!c) {
      c = this.assume(account);
      this.creds.set(account, c);
      c.catch(() => this.creds.delete(account));
    }
    return c;
  }

  private async assume(account: string): Promise<StaticCredentials> {
    const sts = new STSClient({ endpoint: this.endpoint, region: "us-east-1", credentials: SANDBOX_CREDENTIALS });
    const r = await sts.send(
      new AssumeRoleCommand({
        RoleArn: roleArn(account, this.deployRoleName),
        RoleSessionName: "orgwarden-sandbox-seed",
      }),
    );
    const c = r.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken)
      throw new Error(`AssumeRole into ${account} returned no credentials`);
    return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken };
  }

  async client<C>(Ctor: ClientCtor<C>, account: string, region: string): Promise<C> {
    const credentials = await this.credentialsFor(account);
    // forcePathStyle matters only to S3 (moto serves every bucket on one host); other clients ignore it.
    return new Ctor({ endpoint: this.endpoint, region, credentials, forcePathStyle: true, maxAttempts: 2 });
  }
}
