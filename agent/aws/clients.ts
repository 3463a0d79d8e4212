/**
 * One SDK v3 client per service × account × region, all built from one configuration: standard
 * retry mode with a fixed attempt budget (the only retry layer: nothing in the agent retries a call
 * again), socket timeouts on the request handler, and the endpoint override for emulators.
 */
import type { AuditCredentials } from "./credentials";
import type { AwsCredentialsInput } from "../options";
import { keepErrorCodes } from "./error-body";

export interface ClientSettings {
  endpointUrl?: string;
  maxAttempts: number;
  requestTimeoutMs: number;
  connectionTimeoutMs: number;
}

/** The constructor shape every @aws-sdk/client-* class has. */
export interface SdkClient {
  destroy(): void;
  middlewareStack: Parameters<typeof keepErrorCodes>[0];
}
type ClientClass<C extends SdkClient> = new (config: any) => C;

/** Base configuration, exported so the tests can assert the one retry policy. */
export function clientConfig(settings: ClientSettings, region: string, credentials: AwsCredentialsInput): Record<string, unknown> {
  const config: Record<string, unknown> = {
    region,
    credentials,
    retryMode: "standard",
    maxAttempts: settings.maxAttempts,
    // Without throwOnRequestTimeout the SDK only logs a breached requestTimeout and keeps waiting.
    requestHandler: { requestTimeout: settings.requestTimeoutMs, connectionTimeout: settings.connectionTimeoutMs, throwOnRequestTimeout: true },
  };
  if (settings.endpointUrl) {
    config.endpoint = settings.endpointUrl;
    // Emulators serve every bucket under one host; virtual-hosted names would not resolve.
    config.forcePathStyle = true;
  }
  return config;
}

export class ClientFactory {
  private readonly cache = new Map<string, SdkClient>();

  constructor(
    private readonly settings: ClientSettings,
    private readonly credentials: AuditCredentials,
  ) {}

  /**
   * The client for a service in an account and region, created once. Credentials for a non-starting
   * account are resolved lazily by the provider (AssumeRole, cached per account), so an account that
   * cannot be entered fails at its first call, not here.
   */
  get<C extends SdkClient>(Ctor: ClientClass<C>, account: string, region: string): C {
    const key = `${Ctor.name}|${account}|${region}`;
    let client = this.cache.get(key);
    if (!client) {
      client = new Ctor(clientConfig(this.settings, region, this.credentials.providerFor(account)));
      keepErrorCodes(client.middlewareStack);
      this.cache.set(key, client);
    }
    return client as C;
  }

  /** Number of distinct clients built; the tests use it to prove the one-per-scope rule. */
  get size(): number {
    return this.cache.size;
  }

  destroy(): void {
    for (const c of this.cache.values()) c.destroy();
    this.cache.clear();
  }
}
