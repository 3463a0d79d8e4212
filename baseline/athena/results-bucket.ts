/**
 * The Athena query-results bucket's lifecycle (security account): infra lays its rule from this
 * intent and the audit manifest publishes the same object, so what log-bucket-lifecycle holds the
 * bucket to is what was laid. Pure.
 */
import { expiringLifecycle, type LifecycleIntent } from "../log-buckets";

export const RESULTS_LIFECYCLE_RULE_ID = "expire-query-results";

/**
 * Results expire after athena.resultRetentionDays. The workgroup writes under results/; the rule
 * covers the whole bucket, so nothing written beside them outlives the retention either.
 */
export function resultsLifecycle(retentionDays: number): LifecycleIntent {
  return expiringLifecycle(RESULTS_LIFECYCLE_RULE_ID, retentionDays, [""]);
}
