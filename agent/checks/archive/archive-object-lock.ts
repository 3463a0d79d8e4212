import type { AuditManifest } from "../../../baseline";
import type { CheckMetadata, Finding } from "../../finding";
import type { ObservedState } from "../../model";
import { ABSENT, factOf, gapOf, known, s3ObjectLock } from "../../../baseline/controls";
import { effectiveRetentionDays } from "../../../baseline/rules/object-lock";
import { archiveScope } from "../archive-scope";
import { blocked, verdict, type CheckContext } from "../common";

export const metadata: CheckMetadata = {
  id: "archive-object-lock",
  title: "The archive bucket has Object Lock on, in the intended mode, with at least the intended default retention",
  area: "archive",
  severity: "HIGH",
  risk: "Without COMPLIANCE-mode default retention, anyone with delete rights in the log-archive account — or the root user — can erase log files before an investigation reads them.",
  remediation: {
    console:
      "S3 console (log-archive account) → the archive bucket → Properties → Object Lock → Edit: default retention mode <mode>, retention period <days> days.",
    cli: 'aws s3api put-object-lock-configuration --bucket <archive-bucket> --object-lock-configuration \'{"ObjectLockEnabled":"Enabled","Rule":{"DefaultRetention":{"Mode":"<mode>","Days":<days>}}}\'',
    pulumi:
      "The baseline's aws.s3.BucketObjectLockConfiguration sets rule.defaultRetention { mode, days }; run `pulumi up` on the orgwarden stack.",
  },
  controls: ["s3-object-lock"],
  references: [
    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html",
    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-configure.html",
  ],
};

export function evaluate(observed: ObservedState, intended: AuditManifest, _ctx: CheckContext): Finding[] {
  const scope = archiveScope(intended);
  const want = { enabled: true, mode: intended.archive.objectLock.mode, minimumDays: intended.archive.objectLock.days };
  const stop = blocked(metadata, observed, scope, want, observed.archive.objectLock);
  if (stop) return [stop];
  const lock = observed.archive.objectLock.ok ? observed.archive.objectLock.value : { enabled: false };
  const days = effectiveRetentionDays(lock);
  const have = {
    enabled: lock.enabled,
    mode: lock.mode ?? null,
    days: days ?? null,
    ...(lock.years !== undefined ? { years: lock.years } : {}),
  };
  // S3 reports a lock configuration without a rule as no mode, days or years: the retention is then absent.
  const rule =
    lock.mode === undefined && lock.days === undefined && lock.years === undefined
      ? ABSENT
      : known({ mode: factOf(lock.mode), days: factOf(lock.days), years: factOf(lock.years) });
  const v = s3ObjectLock.judge(
    { enabled: known(lock.enabled), defaultRetention: rule },
    { allowedModes: [want.mode], minRetentionDays: want.minimumDays },
  );
  const problems: string[] = [];
  // A bucket without Object Lock needs it switched on first; its retention is advice in the same sentence.
  if (gapOf(v, "enabled")) {
    problems.push(
      `Object Lock is not enabled on ${intended.archive.bucketName}; it can only be enabled on a versioned bucket and then set to ${want.mode} with ${want.minimumDays} days`,
    );
  } else {
    const noRule = gapOf(v, "defaultRetention");
    const period = gapOf(v, "retentionDays");
    if (noRule || gapOf(v, "mode"))
      problems.push(`default retention mode is ${lock.mode ?? "not set"}, intended ${want.mode}`);
    if (noRule || period?.found.kind === "absent")
      problems.push(`no default retention period is set; intended at least ${want.minimumDays} days`);
    else if (period) {
      const shown = lock.years !== undefined ? `${lock.years} years (${days} days)` : `${days} days`;
      problems.push(
        `default retention is ${shown}, below the intended ${want.minimumDays} days; raise it to at least ${want.minimumDays} days`,
      );
    }
  }
  return [
    verdict(
      metadata,
      scope,
      want,
      have,
      problems,
      `Object Lock is on in ${lock.mode} mode with ${days} days of default retention (intended at least ${want.minimumDays}).`,
    ),
  ];
}
