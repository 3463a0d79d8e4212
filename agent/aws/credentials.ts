/**
 * Credentials of an audit run: the starting identity (default chain, a named profile, or given
 * directly), and for every other account the read role assumed once and cached. An account whose
 * role cannot be assumed is reported unreachable with the STS error, never silently skipped.
 */
import { STSClient } from "@aws-sdk/client-sts";
import { fromIni, fromNodeProviderChain } from "@aws-sdk/credential-providers";
import { collected, type Collected, type CollectError } from "../model";
import { AuditConfigError, type AwsCredentialsInput } from "../options";
import { assumeReadRole, assumeRoleArn, callerAccount, type TemporaryCredentials } from "../collectors/sts";
import { clientConfig, type ClientSettings } from "./clients";
import { keepErrorCodes } from "./error-body";

export interface CredentialSettings {
  profile?: string;
  credentials?: AwsCredentialsInput;
  readRoleName: string;
  externalId?: string;
  /**
   * Enter the starting account through the read role too. The scheduled agent sets it, so its own
   * role needs nothing but sts:AssumeRole and one permission model covers every account; the CLI
   * keeps using an operator's own credentials in their own account.
   */
  assumeReadRoleEverywhere?: boolean;
  /** Region STS is called in (the home region keeps the call regional). */
  stsRegion: string;
}

export function startingCredentials(s: { profile?: string; credentials?: AwsCredentialsInput }): AwsCredentialsInput {
  if (s.credentials) return s.credentials;
  if (s.profile) return fromIni({ profile: s.profile });
  return fromNodeProviderChain();
}

/** How an error names the starting credentials when they fail: the caller's own words, a profile, or the default chain. */
export function startingCredentialsName(
  s: { profile?: string; credentials?: AwsCredentialsInput; startingCredentialsName?: string },
  env: NodeJS.ProcessEnv = process.env,
): string {
  if (s.startingCredentialsName) return s.startingCredentialsName;
  if (s.credentials) return "the credentials passed to runAudit";
  if (s.profile) return `--profile ${s.profile}`;
  // Said, since it is the one link of the chain a machine outside EC2 may want to skip (it waits for a timeout).
  const imds =
    env.AWS_EC2_METADATA_DISABLED === "true" ? "; the instance role was not tried: AWS_EC2_METADATA_DISABLED=true" : "";
  return `the default credential chain (environment, shared config, container/instance role)${imds}`;
}

/** No credentials at all: the provider (chain) found none. */
const MISSING = new Set(["CredentialsProviderError"]);
/** Credentials the service refuses as such: unknown or deleted key, wrong secret, expired session. */
const REJECTED = new Set([
  "InvalidClientTokenId",
  "SignatureDoesNotMatch",
  "ExpiredToken",
  "ExpiredTokenException",
  "UnrecognizedClientException",
  "InvalidAccessKeyId",
  "IncompleteSignature",
]);
/** GetCallerIdentity needs no permission: a denial there can only be an explicit deny of the identity itself. */
const DENIED = new Set(["AccessDenied", "AccessDeniedException"]);

/**
 * The configuration error for starting credentials that are missing or rejected, or undefined for
 * any other failure. Those others (throttling, network, 5xx) are transient: the run goes on, and
 * every account it could not enter becomes an ERROR (exit 3, incomplete) rather than exit 2, which
 * would send the operator to fix credentials that are fine. `operation` is the call that failed
 * ("STS GetCallerIdentity"); only there does AccessDenied mean the identity itself.
 */
export function startingCredentialsError(
  tried: string,
  err: { name: string; message: string },
  operation: string,
): AuditConfigError | undefined {
  if (MISSING.has(err.name))
    return new AuditConfigError(`starting AWS credentials missing: tried ${tried} (${err.name}: ${err.message})`);
  if (REJECTED.has(err.name) || (operation === "STS GetCallerIdentity" && DENIED.has(err.name))) {
    return new AuditConfigError(
      `starting AWS credentials rejected: ${tried}, by ${operation} (${err.name}: ${err.message})`,
    );
  }
  return undefined;
}

const REFRESH_BEFORE_MS = 5 * 60_000;

function expiresSoon(c: AwsCredentialsInput): boolean {
  const expiration = typeof c === "function" ? undefined : c.expiration;
  return expiration !== undefined && expiration.getTime() - Date.now() < REFRESH_BEFORE_MS;
}

export class AuditCredentials {
  private readonly base: AwsCredentialsInput;
  private readonly sts: STSClient;
  private baseAccountP?: Promise<Collected<string>>;
  private readonly entered = new Map<string, Promise<Collected<AwsCredentialsInput>>>();

  constructor(
    private readonly settings: CredentialSettings,
    clientSettings: ClientSettings,
  ) {
    this.base = startingCredentials(settings);
    this.sts = new STSClient(clientConfig(clientSettings, settings.stsRegion, this.base));
    keepErrorCodes(this.sts.middlewareStack);
  }

  /** Account of the starting credentials (GetCallerIdentity, once). */
  baseAccount(): Promise<Collected<string>> {
    this.baseAccountP ??= callerAccount(this.sts, this.settings.stsRegion);
    return this.baseAccountP;
  }

  /**
   * Checks the starting identity once, before any account is entered: missing or rejected
   * credentials are one configuration error naming `tried` (what was tried) and the AWS error,
   * instead of one ERROR finding per check and account that all say the same thing.
   */
  async requireStartingIdentity(tried: string): Promise<void> {
    const r = await this.baseAccount();
    const problem = r.ok ? undefined : startingCredentialsError(tried, r.error, "STS GetCallerIdentity");
    if (problem) throw problem;
  }

  /**
   * Credentials inside `account`: the starting ones if they already are that account's (unless
   * assumeReadRoleEverywhere), else the read role's. Resolved once per account; the result (or
   * the error) is reused by every client.
   */
  enter(account: string): Promise<Collected<AwsCredentialsInput>> {
    let p = this.entered.get(account);
    if (!p) {
      p = this.resolve(account);
      this.entered.set(account, p);
    }
    return p;
  }

  /** What clients are built with; only used for an account enter() already succeeded for. */
  providerFor(account: string): AwsCredentialsInput {
    return async () => {
      let r = await this.enter(account);
      // A role session lasts an hour; a longer audit assumes the role again rather than failing with ExpiredToken.
      if (r.ok && expiresSoon(r.value)) {
        this.entered.delete(account);
        r = await this.enter(account);
      }
      if (!r.ok) throw Object.assign(new Error(r.error.message), { name: r.error.name });
      const c = r.value;
      return typeof c === "function" ? await c() : c;
    };
  }

  /** A role named by its ARN, entered from the starting credentials (the log auditor: never the read role). */
  assumeRoleArn(arn: string, sessionName: string): Promise<Collected<TemporaryCredentials>> {
    return assumeRoleArn(this.sts, arn, this.settings.stsRegion, sessionName);
  }

  destroy(): void {
    this.sts.destroy();
  }

  private async resolve(account: string): Promise<Collected<AwsCredentialsInput>> {
    const base = await this.baseAccount();
    if (!base.ok) return { ok: false, error: { ...base.error, account } satisfies CollectError };
    if (base.value === account && !this.settings.assumeReadRoleEverywhere) return collected(this.base);
    const r = await assumeReadRole(this.sts, {
      account,
      roleName: this.settings.readRoleName,
      externalId: this.settings.externalId,
      region: this.settings.stsRegion,
    });
    return r.ok ? collected(r.value) : r;
  }
}
