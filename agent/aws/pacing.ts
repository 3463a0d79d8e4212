/**
 * Client-side pacing of every SDK call: a token bucket per (account, region, API family) with the
 * rates of agent/aws/rate-limits.ts, and a concurrency limit per API family, so that calls of one
 * family (S3 listing) never queue behind another's (KMS). It is one middleware on every client the
 * ClientFactory builds; collectors know nothing of it.
 *
 * It paces, it never retries: the SDK's adaptive retry stays the one retry layer. The middleware
 * sits at the `initialize` step, outside the retry middleware, so it takes one token per command;
 * the attempts the SDK repeats after a throttle are paced by its own adaptive rate limiter.
 *
 * The bucket is written here rather than taken from npm (bottleneck, limiter): node_modules is shared
 * with the other worktrees of this repository and the lock file is the lead's to change, and the
 * bucket needed is small — a reservation counter that can go negative, which also makes the waiting
 * order FIFO and every delay a pure function of the clock, so the tests assert it without timing.
 */
import pLimit from "p-limit";
import { limitFor, type RateLimit } from "./rate-limits";

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * Tokens refill at `rate` per second up to `burst`. `reserve()` takes a token at once, going into
 * debt when none is left, and returns how long the caller must wait for the token it took: so
 * callers are served in the order they asked, `burst` at once, then one every 1/rate s.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;
  /** Tokens handed out, and how many of them had to wait: the benchmark and the tests count them. */
  taken = 0;
  delayed = 0;

  constructor(
    readonly rate: number,
    readonly burst: number,
    private readonly clock: Clock = realClock,
  ) {
    if (!(rate > 0) || !(burst >= 1))
      throw new Error(`token bucket needs rate > 0 and burst ≥ 1, got ${rate}/${burst}`);
    this.tokens = burst;
    this.last = clock.now();
  }

  reserve(): number {
    const now = this.clock.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
    this.tokens -= 1;
    this.taken++;
    if (this.tokens >= 0) return 0;
    this.delayed++;
    return (-this.tokens / this.rate) * 1000;
  }

  async take(): Promise<void> {
    const wait = this.reserve();
    if (wait > 0) await this.clock.sleep(wait);
  }
}

export interface PacerOptions {
  /** In-flight calls per API family (the audit's --concurrency). */
  familyConcurrency: number;
  clock?: Clock;
  /** The rate table lookup; tests give their own rows. */
  limitFor?: (clientName: string, operation: string) => RateLimit;
  /**
   * Multiplies every bucket's rate (default 1: the table's). Only a run against an emulator sets it
   * (ClientSettings.retryDelayScale, as 1 / scale), so that a test does not wait on AWS's request rates.
   */
  rateScale?: number;
}

export interface BucketStats {
  key: string;
  rate: number;
  taken: number;
  delayed: number;
}

/** One per audit run: its buckets are shared by every client of the run. */
export class Pacer {
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly families = new Map<string, pLimit.Limit>();
  private readonly clock: Clock;
  private readonly lookup: (clientName: string, operation: string) => RateLimit;

  constructor(private readonly options: PacerOptions) {
    if (!(options.familyConcurrency >= 1))
      throw new Error(`familyConcurrency must be ≥ 1, got ${options.familyConcurrency}`);
    const scale = options.rateScale ?? 1;
    if (!(scale > 0)) throw new Error(`rateScale must be > 0, got ${scale}`);
    this.clock = options.clock ?? realClock;
    const table = options.limitFor ?? limitFor;
    this.lookup =
      scale === 1
        ? table
        : (c, o) => {
            const l = table(c, o);
            return { ...l, rate: l.rate * scale };
          };
  }

  /** The bucket a call is paced by; Organizations' is one for the whole organization, whatever the region. */
  bucket(clientName: string, operation: string, account: string, region: string): TokenBucket {
    const limit = this.lookup(clientName, operation);
    const key =
      limit.scope === "organization" ? `organization|${limit.family}` : `${account}|${region}|${limit.family}`;
    let b = this.buckets.get(key);
    if (!b) {
      b = new TokenBucket(limit.rate, limit.burst, this.clock);
      this.buckets.set(key, b);
    }
    return b;
  }

  private family(clientName: string, operation: string): pLimit.Limit {
    const { family } = this.lookup(clientName, operation);
    let l = this.families.get(family);
    if (!l) {
      l = pLimit(this.options.familyConcurrency);
      this.families.set(family, l);
    }
    return l;
  }

  /**
   * Runs `call` once its bucket grants a token, then in its family's concurrency slot. The token is
   * awaited outside the slot: a call waiting for its own account's bucket must not hold a slot that
   * another account's call of the same family could use. A call can only go later than its token.
   */
  async run<T>(
    clientName: string,
    operation: string,
    account: string,
    region: string,
    call: () => Promise<T>,
  ): Promise<T> {
    await this.bucket(clientName, operation, account, region).take();
    return this.family(clientName, operation)(call);
  }

  /** Calls waiting for a slot of each family, and in flight (for the tests and the benchmark). */
  familyLoad(): Record<string, { active: number; pending: number }> {
    return Object.fromEntries(
      [...this.families].map(([f, l]) => [f, { active: l.activeCount, pending: l.pendingCount }]),
    );
  }

  stats(): BucketStats[] {
    return [...this.buckets].map(([key, b]) => ({ key, rate: b.rate, taken: b.taken, delayed: b.delayed }));
  }
}

/** The part of an SDK client's middleware stack used here. */
interface Stack {
  add(middleware: any, options: any): void;
}

/** Adds the pacing middleware to a client of `account` × `region`. */
export function pace(stack: Stack, pacer: Pacer, account: string, region: string): void {
  stack.add(
    (next: any, context: { clientName?: string; commandName?: string }) => (args: any) =>
      pacer.run(
        context.clientName ?? "unknown",
        (context.commandName ?? "").replace(/Command$/, ""),
        account,
        region,
        () => next(args),
      ),
    // Low priority in initialize: after the SDK's own initialize middlewares, still outside retry.
    { step: "initialize", priority: "low", name: "orgwardenPace" },
  );
}
