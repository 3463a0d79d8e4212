/**
 * A log bucket's lifecycle judged by meaning, not by equality with the rule infra lays: what the
 * enabled rules do to the objects under the bucket's log prefixes. S3 applies every enabled rule
 * whose filter matches an object and, where several expire it, the earliest wins
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-conflicts.html), so one
 * destructive rule anywhere over the logs is enough to lose them. Pure.
 */
import type { LifecycleIntent } from "./log-buckets";

/** One lifecycle rule as read (GetBucketLifecycleConfiguration), normalised. */
export interface LifecycleRuleFacts {
  id?: string;
  enabled: boolean;
  /** The prefix the rule is narrowed to ("" = the whole bucket): Filter.Prefix, Filter.And.Prefix or the legacy Prefix. */
  prefix: string;
  /** The rule also narrows by tags or object size: it may reach only some objects under its prefix. */
  narrowed: boolean;
  expirationDays?: number;
  /** ISO-8601: a date expiration removes every current object on that day, whatever its age. */
  expirationDate?: string;
  noncurrentDays?: number;
  abortDays?: number;
}

const list = (ps: string[]) => ps.map((p) => (p === "" ? "the whole bucket" : `"${p}"`)).join(", ");
const ruleName = (r: LifecycleRuleFacts) => (r.id ? `rule "${r.id}"` : "an unnamed rule");

/** The rule can act on some object under one of the log prefixes. */
function reachesLogs(r: LifecycleRuleFacts, logPrefixes: string[]): boolean {
  return r.enabled && logPrefixes.some((p) => p.startsWith(r.prefix) || r.prefix.startsWith(p));
}

/** The rule acts on every object under every log prefix. */
function coversLogs(r: LifecycleRuleFacts, logPrefixes: string[]): boolean {
  return r.enabled && !r.narrowed && logPrefixes.every((p) => p.startsWith(r.prefix));
}

/**
 * What is wrong with the bucket's lifecycle, as clauses naming the bucket; empty when it keeps the
 * logs at least as long as intended and cleans up as intended. `rules` undefined: no lifecycle
 * configuration (NoSuchLifecycleConfiguration).
 */
export function lifecycleProblems(
  bucket: string,
  want: LifecycleIntent,
  rules: LifecycleRuleFacts[] | undefined,
): string[] {
  const all = rules ?? [];
  const problems: string[] = [];
  const reaching = all.filter((r) => reachesLogs(r, want.logPrefixes));
  const covering = all.filter((r) => coversLogs(r, want.logPrefixes));
  const noncurrentFloor = Math.max(want.noncurrentDays, want.lockDays ?? 0);

  for (const r of reaching) {
    if (r.expirationDate)
      problems.push(
        `${ruleName(r)} of ${bucket} expires every current log object on ${r.expirationDate.slice(0, 10)}, whatever its age; remove the date expiration`,
      );
    if (r.expirationDays !== undefined) {
      if (want.expirationDays === undefined)
        problems.push(
          `${ruleName(r)} of ${bucket} expires current log objects after ${r.expirationDays} days; the baseline never expires them${want.lockDays ? ` (Object Lock keeps each for ${want.lockDays} days)` : ""}: remove the expiration`,
        );
      else if (r.expirationDays < want.expirationDays)
        problems.push(
          `${ruleName(r)} of ${bucket} expires current log objects after ${r.expirationDays} days, shorter than the ${want.expirationDays}-day retention`,
        );
    }
    if (r.noncurrentDays !== undefined && r.noncurrentDays < noncurrentFloor)
      problems.push(
        want.lockDays !== undefined && r.noncurrentDays < want.lockDays
          ? `${ruleName(r)} of ${bucket} expires noncurrent versions after ${r.noncurrentDays} days, shorter than the ${want.lockDays}-day Object Lock retention`
          : `${ruleName(r)} of ${bucket} expires noncurrent versions after ${r.noncurrentDays} days, shorter than the intended ${want.noncurrentDays}`,
      );
  }

  const intended = all.find((r) => r.id === want.ruleId);
  if (intended && !intended.enabled) problems.push(`the lifecycle rule "${want.ruleId}" of ${bucket} is Disabled`);
  else if (intended && !coversLogs(intended, want.logPrefixes))
    problems.push(
      `the lifecycle rule "${want.ruleId}" of ${bucket} is narrowed${intended.prefix ? ` to the prefix "${intended.prefix}"` : " by tags or size"} and misses logs under ${list(want.logPrefixes)}`,
    );
  const where = `over ${list(want.logPrefixes)}`;
  if (!rules) problems.push(`${bucket} has no lifecycle configuration`);
  if (want.expirationDays !== undefined && !covering.some((r) => r.expirationDays !== undefined || r.expirationDate))
    problems.push(
      `no enabled rule of ${bucket} expires current objects ${where}; intended after ${want.expirationDays} days`,
    );
  if (!covering.some((r) => r.noncurrentDays !== undefined))
    problems.push(
      `no enabled rule of ${bucket} expires noncurrent versions ${where}; intended after ${want.noncurrentDays} days`,
    );
  if (!covering.some((r) => r.abortDays !== undefined))
    problems.push(
      `no enabled rule of ${bucket} aborts incomplete multipart uploads ${where}; intended after ${want.abortIncompleteDays} days`,
    );
  return problems;
}
