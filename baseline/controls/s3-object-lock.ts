import { effectiveRetentionDays } from "../rules/object-lock";
import type { ObjectLockFacts } from "./facts";
import { ABSENT, defineControl, type Gap, known } from "./types";

export interface ObjectLockParams {
  allowedModes: string[];
  minRetentionDays: number;
}

export type ObjectLockField = "enabled" | "defaultRetention" | "mode" | "retentionDays";

/** Object Lock on, a default retention in an allowed mode, at least the minimum days (years count as 365 days each). */
export const s3ObjectLock = defineControl<ObjectLockFacts, ObjectLockParams, ObjectLockField, "below-minimum">(
  {
    id: "s3-object-lock",
    title: "The trail archive has Object Lock with a default retention in an allowed mode, at least the minimum days",
    severity: "critical",
    risk: "Without COMPLIANCE-mode default retention, anyone with delete rights in the log-archive account — or its root user — can erase log files before an investigation reads them.",
    cis: [],
    fsbp: ["S3.15"],
    references: [
      "https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html",
      "https://docs.aws.amazon.com/securityhub/latest/userguide/s3-controls.html",
    ],
  },
  (f, p) => {
    const gaps: Gap<ObjectLockField, "below-minimum">[] = [];
    if (!(f.enabled.kind === "known" && f.enabled.value === true))
      gaps.push({ field: "enabled", expected: "true", found: f.enabled });
    const r = f.defaultRetention;
    if (r.kind !== "known")
      return [
        ...gaps,
        {
          field: "defaultRetention",
          expected: `mode ${p.allowedModes.join(" or ")}, at least ${p.minRetentionDays} days`,
          found: r,
        },
      ];
    const { mode, days, years } = r.value;
    if (!(mode.kind === "known" && p.allowedModes.includes(mode.value)))
      gaps.push({ field: "mode", expected: p.allowedModes.join(" or "), found: mode });
    const expected = `≥ ${p.minRetentionDays} days`;
    if (days.kind === "unknown" || years.kind === "unknown")
      return [...gaps, { field: "retentionDays", expected, found: days.kind === "unknown" ? days : years }];
    const effective = effectiveRetentionDays({
      days: days.kind === "known" ? days.value : undefined,
      years: years.kind === "known" ? years.value : undefined,
    });
    if (effective === undefined) gaps.push({ field: "retentionDays", expected, found: ABSENT });
    else if (effective < p.minRetentionDays)
      gaps.push({ field: "retentionDays", expected, found: known(effective), reason: "below-minimum" });
    return gaps;
  },
);
