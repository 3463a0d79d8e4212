import { LOG_BUCKET_ROLES, lifecycleRule, type AuditManifest } from "../../../baseline";
import { lifecycleProblems } from "../../../baseline/log-bucket-lifecycle";
import type { CheckMetadata, Finding } from "../../finding";
import type { ObservedState } from "../../model";
import { verdict, type CheckContext } from "../common";
import { judgeLogBuckets } from "../log-bucket-scope";

/** Every log bucket, the archive included: no archive-* check reads a lifecycle. */
export const ROLES = LOG_BUCKET_ROLES;

export const metadata: CheckMetadata = {
  id: "log-bucket-lifecycle",
  title: "Every log bucket's lifecycle keeps the logs at least as long as intended and cleans up as intended",
  area: "log-buckets",
  severity: "HIGH",
  risk: "A lifecycle rule deletes without anyone calling DeleteObject: an expiration shorter than the retention, or a noncurrent expiry shorter than the Object Lock retention, erases logs the baseline promises to keep, and no SCP or bucket policy stops it. A disabled or narrowed rule, or a missing abort of incomplete uploads, leaves the bucket growing without bound.",
  remediation: {
    console:
      "S3 console (the bucket's account) → the bucket → Management → Lifecycle rules: restore the intended rule over the whole bucket (the finding names what drifted) and delete any other rule that expires log objects sooner.",
    cli: "aws s3api put-bucket-lifecycle-configuration --bucket <log-bucket> --lifecycle-configuration file://<intended-file>",
    pulumi:
      "Run `pulumi up` on the orgwarden stack: every log bucket's aws.s3.BucketLifecycleConfiguration is built from baseline/log-buckets.ts (lifecycleRule).",
    document: "log-bucket-lifecycle",
  },
  controls: [],
  references: [
    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lifecycle-mgmt.html",
    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-conflicts.html",
    "https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketLifecycleConfiguration.html",
  ],
};

export function evaluate(observed: ObservedState, intended: AuditManifest, _ctx: CheckContext): Finding[] {
  return judgeLogBuckets(
    metadata,
    observed,
    intended,
    ROLES,
    (b) => b.lifecycle,
    (s) => lifecycleRule(s.intent.lifecycle),
    (s) => {
      const rules = s.observed.lifecycle.ok ? s.observed.lifecycle.value : undefined;
      const want = s.intent.lifecycle;
      const keeps =
        want.expirationDays !== undefined
          ? `expires current objects after ${want.expirationDays} days`
          : `never expires current objects`;
      return verdict(
        metadata,
        s.scope,
        lifecycleRule(want),
        rules ?? null,
        lifecycleProblems(s.label, want, rules),
        `The lifecycle of ${s.label} ${keeps}, keeps noncurrent versions at least ${Math.max(want.noncurrentDays, want.lockDays ?? 0)} days and aborts incomplete uploads, over all its logs.`,
      );
    },
  );
}
