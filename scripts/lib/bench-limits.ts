/**
 * What AWS does past its rate, server-side: a token bucket per (account, region, API family) from the
 * agent's own rate table (agent/aws/rate-limits.ts), Organizations one bucket for the organization,
 * refusing instead of queueing. The benchmark's responder answers a refused call with the throttle
 * of its protocol (test/support/fault-wire.ts).
 */
import { limitFor } from "../../agent/aws/rate-limits";

/** Requests name services by signing name; the table by SDK client class. */
export const CLIENT: Record<string, string> = {
  organizations: "OrganizationsClient",
  sts: "STSClient",
  iam: "IAMClient",
  s3: "S3Client",
  kms: "KMSClient",
  cloudtrail: "CloudTrailClient",
  logs: "CloudWatchLogsClient",
  config: "ConfigServiceClient",
  guardduty: "GuardDutyClient",
  securityhub: "SecurityHubClient",
  inspector2: "Inspector2Client",
  ssm: "SSMClient",
};

/**
 * The SDK operation of an S3 request: a REST call the SDK sends without `x-id` is named by its shape
 * (ListObjectsV2 is `GET /{Bucket}?list-type`), and the table is keyed by operation.
 */
export function s3Operation(operation: string): string {
  if (/^GET \/\{Bucket\}\?(.*&)?list-type/.test(operation)) return "ListObjectsV2";
  if (operation === "GET /{Bucket}/{Key+}") return "GetObject";
  if (operation === "HEAD /{Bucket}/{Key+}") return "HeadObject";
  return operation;
}

interface Bucket {
  tokens: number;
  last: number;
  rate: number;
  burst: number;
}

export interface SlowestBucket {
  key: string;
  /** Admitted requests. */
  calls: number;
  /** Requests it refused (throttled). */
  refused: number;
  seconds: number;
}

export class ServerLimits {
  private readonly buckets = new Map<string, Bucket>();
  /** Requests (attempts) per bucket key, admitted or not. */
  readonly calls = new Map<string, number>();
  /** Requests admitted per bucket key: the tokens taken, which is what the bucket's rate bounds. */
  readonly admitted = new Map<string, number>();
  throttles = 0;

  /** True when the request fits its bucket; counts it either way. */
  admit(service: string, operation: string, account: string, region: string): boolean {
    const limit = limitFor(CLIENT[service] ?? service, service === "s3" ? s3Operation(operation) : operation);
    const key =
      limit.scope === "organization" ? `organization|${limit.family}` : `${account}|${region}|${limit.family}`;
    const now = performance.now();
    let b = this.buckets.get(key);
    if (!b) this.buckets.set(key, (b = { tokens: limit.burst, last: now, rate: limit.rate, burst: limit.burst }));
    b.tokens = Math.min(b.burst, b.tokens + ((now - b.last) / 1000) * b.rate);
    b.last = now;
    this.calls.set(key, (this.calls.get(key) ?? 0) + 1);
    if (b.tokens < 1) return (this.throttles++, false);
    b.tokens -= 1;
    this.admitted.set(key, (this.admitted.get(key) ?? 0) + 1);
    return true;
  }

  /** Requests per API family, over every account and region. */
  byFamily(): Record<string, number> {
    const m: Record<string, number> = {};
    for (const [key, calls] of this.calls) {
      const family = key.split("|").pop()!;
      m[family] = (m[family] ?? 0) + calls;
    }
    return m;
  }

  /**
   * The slowest bucket: its admitted requests beyond the burst, at its rate. A refused request takes
   * no token, so it is no part of the bound (counting it made a run beat its "bound").
   */
  slowest(): SlowestBucket {
    let worst: SlowestBucket = { key: "none", calls: 0, refused: 0, seconds: 0 };
    for (const [key, calls] of this.admitted) {
      const b = this.buckets.get(key)!;
      const seconds = Math.max(0, calls - b.burst) / b.rate;
      if (seconds > worst.seconds) worst = { key, calls, refused: (this.calls.get(key) ?? 0) - calls, seconds };
    }
    return worst;
  }
}
