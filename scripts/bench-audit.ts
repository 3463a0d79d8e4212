/**
 * The audit at organization scale, against its lower bound. Never a test: it prints figures.
 *
 *   npm run bench:audit -- --accounts N --regions R --latency-ms L --concurrency C
 *
 * A simulated organization of N accounts × R regions is seeded into a moto server; the audit runs
 * through the fault proxy (test/support/fault-proxy.ts), which adds L ms to every call and enforces
 * the rate table itself: a server-side token bucket per (account, region, API family), Organizations
 * one for the organization, answering a protocol-correct throttle (as AWS does) past it. The agent
 * paces itself from the same table, so throttles should be rare; the SDK's adaptive retry absorbs them.
 *
 * Lower bound = max(the slowest bucket's calls beyond its burst ÷ its rate, calls × L ÷ C).
 * Findings lost = findings that are ERROR because a call was throttled or a task timed out (a
 * fault-free run over the same state judges them PASS or FAIL).
 */
import { OrganizationsClient } from "@aws-sdk/client-organizations";
import { limitFor } from "../agent/aws/rate-limits";
import { runAuditDetailed } from "../agent/run-audit";
import { spawnMoto } from "../agent/sandbox/moto-server";
import { createAccount } from "../agent/sandbox/seed-org";
import { seedSandboxOrganization } from "../agent/sandbox/seed";
import { FaultProxy, type Interceptor } from "../test/support/fault-proxy";
import { errorAnswer, requestId } from "../test/support/fault-wire";
import { NOW, recordedAnswers } from "../test/agent/faults/_harness";

/** The 17 regions enabled by default in an AWS account, home region first. */
const REGIONS = [
  "us-east-1",
  "eu-west-1",
  "us-east-2",
  "us-west-1",
  "us-west-2",
  "ca-central-1",
  "eu-west-2",
  "eu-west-3",
  "eu-central-1",
  "eu-north-1",
  "ap-south-1",
  "ap-northeast-1",
  "ap-northeast-2",
  "ap-northeast-3",
  "ap-southeast-1",
  "ap-southeast-2",
  "sa-east-1",
];

/** The proxy names services by signing name; the table by SDK client class. */
const CLIENT: Record<string, string> = {
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

function args(): { accounts: number; regions: number; latencyMs: number; concurrency: number } {
  const a = process.argv.slice(2);
  const num = (name: string, dflt: number) => {
    const i = a.indexOf(`--${name}`);
    const v = i >= 0 ? Number(a[i + 1]) : dflt;
    if (!Number.isInteger(v) || v < 0) throw new Error(`--${name} must be a whole number ≥ 0, got ${a[i + 1]}`);
    return v;
  };
  const o = {
    accounts: num("accounts", 100),
    regions: num("regions", 4),
    latencyMs: num("latency-ms", 50),
    concurrency: num("concurrency", 8),
  };
  if (o.accounts < 5) throw new Error("--accounts must be ≥ 5 (the sandbox's own accounts)");
  if (o.regions < 1 || o.regions > REGIONS.length) throw new Error(`--regions must be 1..${REGIONS.length}`);
  return o;
}

/**
 * The SDK operation of an S3 request: the proxy names a REST call by its shape when the SDK sends no
 * `x-id` (ListObjectsV2 is `GET /{Bucket}?list-type`), and the table is keyed by operation.
 */
function s3Operation(operation: string): string {
  if (/^GET \/\{Bucket\}\?(.*&)?list-type/.test(operation)) return "ListObjectsV2";
  if (operation === "GET /{Bucket}/{Key+}") return "GetObject";
  if (operation === "HEAD /{Bucket}/{Key+}") return "HeadObject";
  return operation;
}

/** What AWS does past its rate: a bucket per (account, region, family) that refuses instead of queueing. */
class ServerLimits {
  private readonly buckets = new Map<string, { tokens: number; last: number; rate: number; burst: number }>();
  readonly calls = new Map<string, number>();
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
    return true;
  }

  /** Calls per API family, over every account and region. */
  byFamily(): Map<string, number> {
    const m = new Map<string, number>();
    for (const [key, calls] of this.calls) {
      const family = key.split("|").pop()!;
      m.set(family, (m.get(family) ?? 0) + calls);
    }
    return m;
  }

  /** The slowest bucket: its calls beyond the burst, at its rate. */
  slowest(): { key: string; calls: number; seconds: number } {
    let worst = { key: "none", calls: 0, seconds: 0 };
    for (const [key, calls] of this.calls) {
      const b = this.buckets.get(key)!;
      const seconds = Math.max(0, calls - b.burst) / b.rate;
      if (seconds > worst.seconds) worst = { key, calls, seconds };
    }
    return worst;
  }
}

const inFlight = { now: 0, peak: 0 };

function limited(limits: ServerLimits, latencyMs: number, inner: Interceptor): Interceptor {
  return async (info, forward) => {
    inFlight.peak = Math.max(inFlight.peak, ++inFlight.now);
    try {
      if (latencyMs > 0) await new Promise((r) => setTimeout(r, latencyMs));
      if (!limits.admit(info.service, info.operation, info.account, info.region))
        return errorAnswer("throttle", info, requestId(`bench|${limits.throttles}`));
      return (await inner(info, forward)) ?? (await forward());
    } finally {
      inFlight.now--;
    }
  };
}

async function main(): Promise<void> {
  const o = args();
  const regions = REGIONS.slice(0, o.regions);
  const moto = await spawnMoto();
  try {
    const seedStart = performance.now();
    const sb = await seedSandboxOrganization({ endpoint: moto.endpoint, governedRegions: regions });
    const org = await sb.session.client(OrganizationsClient, sb.accounts.management, sb.region);
    const existing = 3 + sb.accounts.members.length;
    for (let i = existing; i < o.accounts; i++) await createAccount(org, `Bench ${i}`, `bench-${i}@example.com`);
    const seedSeconds = (performance.now() - seedStart) / 1000;

    const limits = new ServerLimits();
    const proxy = await FaultProxy.start({
      target: moto.endpoint,
      seed: "bench",
      intercept: limited(limits, o.latencyMs, recordedAnswers(NOW)),
    });
    const start = performance.now();
    const { result } = await runAuditDetailed({
      manifest: sb.manifest,
      endpointUrl: proxy.endpoint,
      credentials: { ...sb.credentials },
      now: NOW,
      concurrency: o.concurrency,
    });
    const wall = (performance.now() - start) / 1000;
    const stats = proxy.stats();
    await proxy.close();

    const calls = Object.values(stats.operations).reduce((n, op) => n + op.invocations, 0);
    const slowest = limits.slowest();
    // The figure, calls × L ÷ C, is no bound here: up to C calls of *each* family are in
    // flight at once. The bound of this design is the busiest family's calls × L ÷ C.
    const naive = (calls * o.latencyMs) / 1000 / o.concurrency;
    const [busiest, busiestCalls] = [...limits.byFamily()].sort((a, b) => b[1] - a[1])[0];
    const latencyBound = (busiestCalls * o.latencyMs) / 1000 / o.concurrency;
    const bound = Math.max(slowest.seconds, latencyBound);
    const lost = result.findings.filter(
      (f) => f.status === "ERROR" && (f.error?.kind === "throttled" || f.error?.kind === "timeout"),
    );
    const accounts = result.scope.accounts.length;
    const line = (k: string, v: string) => console.log(`${k.padEnd(22)} ${v}`);
    line(
      "organization",
      `${accounts} accounts audited × ${regions.length} regions (seeded in ${seedSeconds.toFixed(1)} s)`,
    );
    line(
      "command",
      `--accounts ${o.accounts} --regions ${o.regions} --latency-ms ${o.latencyMs} --concurrency ${o.concurrency}`,
    );
    line("wall time", `${wall.toFixed(1)} s`);
    line("calls made", `${calls} (${stats.requests} requests with retries)`);
    line("throttles received", String(limits.throttles));
    line("slowest bucket", `${slowest.key}: ${slowest.calls} calls → ${slowest.seconds.toFixed(1)} s`);
    line("calls × latency ÷ C", `${naive.toFixed(1)} s (all calls; not a bound: C per family in flight)`);
    line("busiest family", `${busiest}: ${busiestCalls} calls × latency ÷ C = ${latencyBound.toFixed(1)} s`);
    line("peak calls in flight", String(inFlight.peak));
    line("lower bound", `${bound.toFixed(1)} s`);
    line("efficiency", (bound / wall).toFixed(2));
    line("peak RSS (agent+proxy)", `${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
    line("findings", `${result.findings.length}, exit code ${result.exitCode}`);
    line("findings lost", String(lost.length));
    if (accounts !== o.accounts) line("SCOPE", `audited ${accounts} of ${o.accounts} accounts`);
  } finally {
    await moto.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
