/**
 * Throttling, 5xx answers and connection resets over real HTTP (fault proxy → moto): the SDK's one
 * retry layer absorbs them, so a faulted run reports exactly what a fault-free run over the same
 * state reports. Retry delays are scaled down (retryDelayScale) so each run takes about a second;
 * the attempt budget and the retry decisions are the production ones.
 */
import { describe, expect, it } from "vitest";
import { DEFAULTS } from "../../../agent/options";
import { useMoto } from "../../helpers/moto";
import { auditThroughProxy, NOW, sharedCleanRun, sorted, withStatus } from "./_harness";

const FAST = 0.02;

describe("faults over real HTTP: retried faults do not change the findings", () => {
  // Every test only audits: one seeded sandbox and one clean run serve the file.
  const moto = useMoto({ reset: "file" });
  const cleanRun = sharedCleanRun(moto);

  it("10 % throttles, 5 % 5xx, 1 % resets (and some latency): exactly the findings of the fault-free run", async () => {
    const { sb, clean } = await cleanRun();
    // The baseline is a complete audit: nothing unread, no fault, one attempt per call.
    expect(withStatus(clean.result.findings, "ERROR")).toEqual([]);
    expect(clean.stats.faults).toEqual({ throttle: 0, serverError: 0, unavailable: 0, reset: 0, hang: 0, latency: 0 });
    expect(clean.stats.maxAttemptsPerInvocation).toBe(1);

    const run = await auditThroughProxy(sb, {
      seed: 1,
      now: NOW,
      rates: { throttle: 0.1, serverError: 0.025, unavailable: 0.025, reset: 0.01, latencyMs: 20, latencyRate: 0.05 },
      // 1 % of ~140 requests may well be no reset at all: the run's first call is reset once for sure.
      rules: [{ match: { service: "sts", operation: "GetCallerIdentity", attempt: 1 }, rates: { reset: 1 } }],
      audit: { retryDelayScale: FAST },
    });
    expect(sorted(run.result.findings)).toEqual(sorted(clean.result.findings));
    expect(run.result.exitCode).toBe(clean.result.exitCode);
    // Every fault kind really happened (so the equality is not vacuous); no call went over its budget.
    for (const kind of ["throttle", "serverError", "unavailable", "reset", "latency"] as const)
      expect(run.stats.faults[kind]).toBeGreaterThan(0);
    expect(run.stats.failedInvocations).toEqual({});
    expect(run.stats.maxAttemptsPerInvocation).toBeGreaterThan(1);
    expect(run.stats.maxAttemptsPerInvocation).toBeLessThanOrEqual(DEFAULTS.maxAttempts);
  });

  it("30 % throttles with a budget of 2 attempts: no check flips PASS↔FAIL; every ERROR is a call throttled on both attempts, no more than the budget predicts", async () => {
    const { sb, clean } = await cleanRun();
    const maxAttempts = 2;
    const run = await auditThroughProxy(sb, {
      seed: 30,
      now: NOW,
      rates: { throttle: 0.3 },
      audit: { maxAttempts, retryDelayScale: FAST },
    });
    const errors = withStatus(run.result.findings, "ERROR");
    // Whatever was judged is judged exactly as in the clean run; what could not be read is ERROR, never PASS or FAIL.
    // (A failed organization-wide read replaces per-account findings by one ERROR, so ids may differ; a judged one never does.)
    const judged = run.result.findings.filter((x) => x.status !== "ERROR");
    expect(judged.length).toBeGreaterThan(0);
    for (const f of judged) expect(clean.result.findings).toContainEqual(f);
    expect(errors.length).toBeGreaterThan(0);
    for (const f of errors) {
      expect(f.error).toMatchObject({ kind: "throttled", attempts: maxAttempts });
      expect(f.message).toContain(`was throttled by AWS after ${maxAttempts} attempts (`);
    }
    // The budget's prediction: each call is lost with probability 0.3^2; the count must stay within
    // the expectation plus four standard deviations (seeded, so the count itself is reproducible).
    const calls = Object.values(run.stats.operations).reduce((n, o) => n + o.invocations, 0);
    const lost = Object.values(run.stats.failedInvocations).reduce((n, c) => n + c, 0);
    const expected = calls * 0.3 ** maxAttempts;
    expect(lost).toBeGreaterThan(0);
    expect(lost).toBeLessThanOrEqual(Math.ceil(expected + 4 * Math.sqrt(expected)));
    // Every failed read an ERROR names is an operation the proxy saw the SDK give up on.
    const gaveUp = Object.keys(run.stats.failedInvocations).map((k) => k.split(" ").slice(1).join(" "));
    for (const f of errors) expect(gaveUp).toContain(s3Operation(f.error!.operation));
    expect(run.stats.maxAttemptsPerInvocation).toBe(maxAttempts);
    expect(run.result.exitCode).toBe(3);
  });

  it(`30 % throttles with the default budget (${DEFAULTS.maxAttempts} attempts, adaptive mode): exactly the findings of the fault-free run`, async () => {
    const { sb, clean } = await cleanRun();
    const run = await auditThroughProxy(sb, {
      seed: 30,
      now: NOW,
      rates: { throttle: 0.3 },
      audit: { retryDelayScale: FAST },
    });
    expect(sorted(run.result.findings)).toEqual(sorted(clean.result.findings));
    expect(run.stats.faults.throttle).toBeGreaterThan(0);
    expect(run.stats.failedInvocations).toEqual({});
    expect(run.stats.maxAttemptsPerInvocation).toBeGreaterThan(2);
    expect(run.stats.maxAttemptsPerInvocation).toBeLessThanOrEqual(DEFAULTS.maxAttempts);
  });
});

/** The proxy names S3's REST operations by method and path (no X-Amz-Target); the agent by SDK command. */
function s3Operation(op: string): string {
  const sub: Record<string, string> = {
    ListObjectsV2: "GET /{Bucket}?list-type",
    GetBucketPolicy: "GET /{Bucket}?policy",
    GetObjectLockConfiguration: "GET /{Bucket}?object-lock",
    GetBucketVersioning: "GET /{Bucket}?versioning",
    GetBucketEncryption: "GET /{Bucket}?encryption",
    GetPublicAccessBlock: "GET /{Bucket}?publicAccessBlock",
    GetBucketOwnershipControls: "GET /{Bucket}?ownershipControls",
    GetDetector: "GET /detector/{id}",
    ListDetectors: "GET /detector",
    BatchGetAccountStatus: "POST /status/batch/get",
    DescribeHub: "GET /accounts",
  };
  return sub[op] ?? op;
}
