/**
 * How many account × region collection tasks the agent runs at once. The CLI (--concurrency), the
 * Lambda (ORGWARDEN_CONCURRENCY) and the stack config that sets it (orgwarden:audit.concurrency)
 * accept the same range, so it is stated once, here, with no imports: infra reads it too.
 */
export const CONCURRENCY = { min: 1, max: 64 } as const;

/** The range in words, for messages and help texts. */
export const CONCURRENCY_RANGE = `a whole number from ${CONCURRENCY.min} to ${CONCURRENCY.max}`;
