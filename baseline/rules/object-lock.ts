/**
 * How long an Object Lock default retention really is, judged the same way at preview (the
 * guardrails) and on the live bucket (the audit agent).
 */

/** S3 adds whole calendar years to the retention date; a year is never shorter than 365 days, so that is the floor compared. */
export const DAYS_PER_YEAR = 365;

/** Days of a default retention given in days or in years; undefined when neither is set. */
export function effectiveRetentionDays(r: { days?: number; years?: number }): number | undefined {
  if (r.days !== undefined) return r.days;
  if (r.years !== undefined) return r.years * DAYS_PER_YEAR;
  return undefined;
}
