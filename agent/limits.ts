/**
 * Calls in flight per API family (and 4 × that many collection tasks at once, TASKS_PER_FAMILY_SLOT
 * in agent/collectors/index.ts). The CLI (--concurrency), the
 * Lambda (ORGWARDEN_CONCURRENCY) and the stack config that sets it (orgwarden:audit.concurrency)
 * accept the same range, so it is stated once, here, with no imports: infra reads it too.
 */
export const CONCURRENCY = { min: 1, max: 64 } as const;

/** The range in words, for messages and help texts. */
export const CONCURRENCY_RANGE = `a whole number from ${CONCURRENCY.min} to ${CONCURRENCY.max}`;

/**
 * Accounts per batch of the engine (agent/engine/): the CLI's --batch-size and the Lambda's
 * ORGWARDEN_BATCH_SIZE accept this range. A batch is one Lambda invocation of the nightly run, so
 * the top of the range is where a batch without the digest chains still ends inside 900 s at the
 * slowest rate below (500 × ≈ 1.6 s ≈ 800 s).
 */
export const BATCH_SIZE = { min: 1, max: 500 } as const;
export const BATCH_SIZE_RANGE = `a whole number from ${BATCH_SIZE.min} to ${BATCH_SIZE.max}`;

/**
 * The nightly run's default batch: 5 accounts × every governed region. Sized for the slowest
 * plausible shape, 17 regions with the digest chains validated (audit.logAuditorRoleArn set),
 * against Lambda's 900 s:
 * - detection is ≈ 9 calls per account × region (Config 2, GuardDuty 2, Security Hub 1,
 *   Inspector 1, SSM 1 + 1 per association read), so ≈ 153 per account; no (account, region,
 *   family) bucket of agent/aws/rate-limits.ts is asked for more than its burst (SSM: 3 calls,
 *   burst 20), so detection is bound by latency: the busiest family, SSM at ≈ 51 calls per account,
 *   8 in flight (ORGWARDEN_CONCURRENCY), at 250 ms per call (a far region) is ≈ 1.6 s per account;
 * - the digest chains dominate: a 24 h window is 24 digests and up to ≈ 288 log files (one per
 *   5 minutes) per account × region, ≈ 5,300 S3 GETs per account (s3:list, 5,500/s: never the
 *   bound), hashed 4 at a time (agent/integrity/validate.ts) at ≈ 50 ms per GET in the home region:
 *   ≈ 66 s per account.
 * Five accounts are ≈ 340 s, well inside 900 s, leaving room for the SDK's backoff on throttles.
 * Without the digest chains a batch of 5 is a few seconds and a larger batch only saves Lambda
 * invocations: raise ORGWARDEN_BATCH_SIZE (up to BATCH_SIZE.max) for such organizations.
 */
export const DEFAULT_BATCH_SIZE = 5;
