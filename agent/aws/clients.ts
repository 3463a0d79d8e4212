/**
 * One SDK v3 client per service × account × region, all built from one configuration: the SDK's
 * adaptive retry mode with a fixed attempt budget (the only retry layer: nothing in the agent
 * retries a call again), socket timeouts on the request handler, and the endpoint override for
 * emulators. Every client is paced by the run's one Pacer (agent/aws/pacing.ts): a token bucket per
 * (account, region, API family) from the rate table, and a concurrency limit per API family.
 */
import { Agent as HttpAgent } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import { createRequire } from "node:module";
import { AdaptiveRetryStrategy, DefaultRateLimiter } from "@smithy/core/retry";
import type { AuditCredentials } from "./credentials";
import type { AwsCredentialsInput } from "../options";
import { keepErrorCodes } from "./error-body";
import { Pacer, pace } from "./pacing";

export interface ClientSettings {
  endpointUrl?: string;
  maxAttempts: number;
  requestTimeoutMs: number;
  connectionTimeoutMs: number;
  /**
   * Multiplies the SDK's retry delays, and divides the adaptive rate limiter's floor and the pacer's
   * request rates (default 1: the SDK's own and agent/aws/rate-limits.ts). Only tests against an
   * emulator set it, so that a run under 30 % throttling takes seconds instead of the minutes real
   * backoff and pacing cost, and a clean run does not wait on AWS's request rates.
   */
  retryDelayScale?: number;
  /** In-flight calls per API family (the audit's --concurrency); 8 when absent, as DEFAULTS.concurrency. */
  concurrency?: number;
}

/** The SDK's largest single backoff (MAXIMUM_RETRY_DELAY in @smithy/core/retry). */
const MAX_RETRY_DELAY_MS = 20_000;
/** DefaultRateLimiter's default minFillRate: after a throttle a client may slow to this many requests per second. */
const MIN_FILL_RATE = 0.5;

/**
 * The SDK's own backoff (full jitter: random × min(base × 2^retry, 20 s), where the strategy sets the
 * base: 1 s after a throttle, 50 ms otherwise), with every base multiplied by `scale`. It goes in
 * through the strategy's documented `backoff` option; nothing else of the strategy changes.
 */
export function scaledBackoff(scale: number) {
  let base = 0;
  return {
    setDelayBase(delayBase: number): void {
      base = delayBase * scale;
    },
    computeNextBackoffDelay(retry: number): number {
      return Math.floor(Math.random() * Math.min(base * 2 ** retry, MAX_RETRY_DELAY_MS));
    },
  };
}

/**
 * Clients whose package resolves an older @smithy/middleware-retry than the one @smithy/core/retry
 * speaks to: @aws-sdk/client-route53resolver 3.654 (the registry's newest) takes @smithy/middleware-retry
 * 3 and @smithy/util-retry 3. That middleware calls `acquireInitialRetryToken(context.partition_id)`,
 * which its own clients leave undefined, and @smithy/core/retry's strategy reads the scope
 * (`scope.includes(":longpoll")`): a TypeError before the first attempt. With retryMode the client
 * builds its own strategy, so only a scaled retry strategy built here must come from the
 * @smithy/util-retry the client's package itself resolves.
 */
const OWN_RETRY_PACKAGE: Readonly<Record<string, string>> = {
  Route53ResolverClient: "@aws-sdk/client-route53resolver",
};

/** What @smithy/util-retry 3 exports and ownRetryStrategy uses (its .d.ts, the shapes the old middleware calls). */
interface RetryToken {
  getRetryCount(): number;
  getRetryDelay(): number;
  getRetryCost(): number | undefined;
}
interface RetryStrategyV2 {
  mode?: string;
  acquireInitialRetryToken(scope: string): Promise<RetryToken>;
  refreshRetryTokenForRetry(token: RetryToken, errorInfo: unknown): Promise<RetryToken>;
  recordSuccess(token: RetryToken): void;
}
interface UtilRetryModule {
  AdaptiveRetryStrategy: new (maxAttempts: number, options: { rateLimiter: unknown }) => RetryStrategyV2;
  DefaultRateLimiter: new (options: { minFillRate: number }) => unknown;
}

/** The @smithy/util-retry a client package resolves for itself (not the agent's own @smithy/core). */
export function ownUtilRetry(clientPackage: string): UtilRetryModule {
  return createRequire(require.resolve(clientPackage))("@smithy/util-retry") as UtilRetryModule;
}

/**
 * The client's own AdaptiveRetryStrategy (its attempts, capacity and rate limiter, the floor divided
 * by `scale`), with every delay it hands the old middleware multiplied by `scale`: that middleware
 * sleeps `token.getRetryDelay()` between attempts (util-retry 3 has no `backoff` option).
 */
export function ownRetryStrategy(clientPackage: string, maxAttempts: number, scale: number): RetryStrategyV2 {
  const { AdaptiveRetryStrategy: Adaptive, DefaultRateLimiter: Limiter } = ownUtilRetry(clientPackage);
  const inner = new Adaptive(maxAttempts, { rateLimiter: new Limiter({ minFillRate: MIN_FILL_RATE / scale }) });
  const scaled = (t: RetryToken): RetryToken => ({
    getRetryCount: () => t.getRetryCount(),
    getRetryDelay: () => Math.floor(t.getRetryDelay() * scale),
    getRetryCost: () => t.getRetryCost(),
  });
  return {
    mode: inner.mode,
    acquireInitialRetryToken: async (scope) => scaled(await inner.acquireInitialRetryToken(scope)),
    refreshRetryTokenForRetry: async (token, errorInfo) =>
      scaled(await inner.refreshRetryTokenForRetry(token, errorInfo)),
    recordSuccess: (token) => inner.recordSuccess(token),
  };
}

/**
 * The one retry layer. Either retryMode + maxAttempts (the SDK builds its AdaptiveRetryStrategy), or —
 * only when the delays are scaled — that same strategy built here through its documented options
 * (`backoff`, `rateLimiter`); never both. `clientName` picks the client's own retry package where
 * it differs (OWN_RETRY_PACKAGE).
 */
function retryConfig(settings: ClientSettings, clientName?: string): Record<string, unknown> {
  const scale = settings.retryDelayScale ?? 1;
  if (scale === 1) return { retryMode: "adaptive", maxAttempts: settings.maxAttempts };
  // The header amz-sdk-request then says max=3 (the SDK reads it from config.maxAttempts, unset
  // here by the one-layer rule); the attempts made are still the strategy's maxAttempts.
  if (!(scale > 0)) throw new Error(`retryDelayScale must be > 0, got ${scale}`);
  const own = clientName === undefined ? undefined : OWN_RETRY_PACKAGE[clientName];
  if (own) return { retryStrategy: ownRetryStrategy(own, settings.maxAttempts, scale) };
  const rateLimiter = new DefaultRateLimiter({ minFillRate: MIN_FILL_RATE / scale });
  return {
    retryStrategy: new AdaptiveRetryStrategy(settings.maxAttempts, {
      maxAttempts: settings.maxAttempts,
      backoff: scaledBackoff(scale),
      rateLimiter,
    }),
  };
}

/** The constructor shape every @aws-sdk/client-* class has. */
export interface SdkClient {
  destroy(): void;
  middlewareStack: Parameters<typeof keepErrorCodes>[0];
}
type ClientClass<C extends SdkClient> = new (config: any) => C;

/** The sockets every client of a run shares (see ClientFactory). */
export interface SharedAgents {
  httpAgent: HttpAgent;
  httpsAgent: HttpsAgent;
}

/**
 * Keep-alive connection pools for a whole run. Without them each client (one per service × account ×
 * region: 85,000 at 1,000 accounts × 17 regions) opens and keeps its own sockets, in a pool of its own
 * (the SDK's default agent per client): a TCP connect per client, and measured with the benchmark at
 * 200 accounts × 17 regions, 1,071 MB peak RSS against 910 MB with one pool (docs/performance.md). SigV4 signs each request, so a connection carries no identity
 * and may serve every account. No socket limit: the Pacer's per-family limit is the one bound on
 * calls in flight, and a pool limit (the SDK's default is 50 per host) would be a second, hidden one.
 */
export function sharedAgents(): SharedAgents {
  const o = { keepAlive: true, maxSockets: Infinity };
  return { httpAgent: new HttpAgent(o), httpsAgent: new HttpsAgent(o) };
}

/** Base configuration, exported so the tests can assert the one retry policy. */
export function clientConfig(
  settings: ClientSettings,
  region: string,
  credentials: AwsCredentialsInput,
  agents?: SharedAgents,
  clientName?: string,
): Record<string, unknown> {
  const config: Record<string, unknown> = {
    region,
    credentials,
    ...retryConfig(settings, clientName),
    // Without throwOnRequestTimeout the SDK only logs a breached requestTimeout and keeps waiting.
    requestHandler: {
      requestTimeout: settings.requestTimeoutMs,
      connectionTimeout: settings.connectionTimeoutMs,
      throwOnRequestTimeout: true,
      ...agents,
    },
  };
  if (settings.endpointUrl) {
    config.endpoint = settings.endpointUrl;
    // Emulators serve every bucket under one host; virtual-hosted names would not resolve.
    config.forcePathStyle = true;
  }
  return config;
}

/**
 * Settings every SDK client otherwise resolves for itself on its first call, from the environment
 * and the shared config files (AWS_USE_FIPS_ENDPOINT, use_dualstack_endpoint, …), each through a
 * provider chain that builds and throws a CredentialsProviderError per miss. Measured, that is
 * ≈ 0.7 ms of CPU per client, and a run has one client per service × account × region (85,000 at
 * 1,000 × 17). The first client of a service and region resolves them; the others of that service
 * and region take its (memoized) providers, so the environment and profile still decide, once.
 */
const INHERITED_SETTINGS = [
  "useFipsEndpoint",
  "useDualstackEndpoint",
  "authSchemePreference",
  "userAgentAppId",
  "requestChecksumCalculation",
  "responseChecksumValidation",
  "disableS3ExpressSessionAuth",
  "sigv4aSigningRegionSet",
  "useArnRegion",
] as const;

function inheritedSettings(client: SdkClient): Record<string, unknown> {
  const config = (client as unknown as { config?: Record<string, unknown> }).config ?? {};
  return Object.fromEntries(
    INHERITED_SETTINGS.filter((k) => typeof config[k] === "function").map((k) => [k, config[k]]),
  );
}

export class ClientFactory {
  private readonly cache = new Map<string, SdkClient>();
  /** The settings the first client of each service × region resolved (INHERITED_SETTINGS). */
  private readonly inherited = new Map<string, Record<string, unknown>>();
  /** The run's one pacing layer, shared by every client the factory builds. */
  readonly pacer: Pacer;
  /** The run's connection pools, shared by every client the factory builds; closed by destroy(). */
  readonly agents: SharedAgents = sharedAgents();

  constructor(
    private readonly settings: ClientSettings,
    private readonly credentials: AuditCredentials,
    pacer?: Pacer,
  ) {
    this.pacer =
      pacer ??
      new Pacer({ familyConcurrency: settings.concurrency ?? 8, rateScale: 1 / (settings.retryDelayScale ?? 1) });
  }

  /**
   * The client for a service in an account and region, created once. Credentials for a non-starting
   * account are resolved lazily by the provider (AssumeRole, cached per account), so an account that
   * cannot be entered fails at its first call, not here.
   */
  get<C extends SdkClient>(Ctor: ClientClass<C>, account: string, region: string): C {
    const key = `${Ctor.name}|${account}|${region}`;
    let client = this.cache.get(key);
    if (!client) {
      client = this.build(Ctor, region, this.credentials.providerFor(account));
      keepErrorCodes(client.middlewareStack);
      pace(client.middlewareStack, this.pacer, account, region);
      this.cache.set(key, client);
    }
    return client as C;
  }

  /**
   * A client acting as another principal than the read role (`as` names it, e.g. the log auditor
   * role's ARN), created once per service × principal × region, with the same retry policy.
   */
  getAs<C extends SdkClient>(Ctor: ClientClass<C>, as: string, region: string, credentials: AwsCredentialsInput): C {
    const key = `${Ctor.name}|as:${as}|${region}`;
    let client = this.cache.get(key);
    if (!client) {
      client = this.build(Ctor, region, credentials);
      keepErrorCodes(client.middlewareStack);
      // Paced as the principal it acts as: its calls are metered in that principal's account.
      pace(client.middlewareStack, this.pacer, /^arn:[^:]+:iam::(\d{12}):/.exec(as)?.[1] ?? as, region);
      this.cache.set(key, client);
    }
    return client as C;
  }

  private build<C extends SdkClient>(Ctor: ClientClass<C>, region: string, credentials: AwsCredentialsInput): C {
    const key = `${Ctor.name}|${region}`;
    const known = this.inherited.get(key);
    const client = new Ctor({ ...clientConfig(this.settings, region, credentials, this.agents, Ctor.name), ...known });
    if (!known) this.inherited.set(key, inheritedSettings(client));
    return client;
  }

  /** Number of distinct clients built; the tests use it to prove the one-per-scope rule. */
  get size(): number {
    return this.cache.size;
  }

  destroy(): void {
    for (const c of this.cache.values()) c.destroy();
    this.cache.clear();
    this.agents.httpAgent.destroy();
    this.agents.httpsAgent.destroy();
  }
}
