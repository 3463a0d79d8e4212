import type { AuditManifest } from "../../../baseline";
import type { CheckMetadata, Finding } from "../../finding";
import type { ObservedState } from "../../model";
import { verdict, type CheckContext } from "../common";
import { judgeLogBuckets } from "../log-bucket-scope";

/** The archive's ownership controls are judged by archive-public-access. */
export const ROLES = ["access-log", "config", "flow-log", "dns-query-log", "athena-results", "report"] as const;

export const metadata: CheckMetadata = {
  id: "log-bucket-ownership",
  title:
    "The access-log, Config, flow-log, DNS query-log, Athena query-results and report buckets enforce bucket-owner ownership (ACLs disabled)",
  area: "log-buckets",
  severity: "MEDIUM",
  risk: "Without BucketOwnerEnforced, ACLs decide again who can read an object, and an object a delivering service writes may stay owned by that writer: the bucket policy is no longer the one place access is decided.",
  remediation: {
    console:
      "S3 console (the bucket's account) → the bucket → Permissions → Object Ownership → Edit → ACLs disabled (Bucket owner enforced).",
    cli: "aws s3api put-bucket-ownership-controls --bucket <log-bucket> --ownership-controls 'Rules=[{ObjectOwnership=BucketOwnerEnforced}]'",
    pulumi:
      'Run `pulumi up` on the orgwarden stack: infra/bucket-parts.ts (hardenedBucket) sets objectOwnership "BucketOwnerEnforced" on every log bucket.',
  },
  controls: [],
  references: [
    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html",
    "https://docs.aws.amazon.com/securityhub/latest/userguide/s3-controls.html",
  ],
};

export function evaluate(observed: ObservedState, intended: AuditManifest, _ctx: CheckContext): Finding[] {
  return judgeLogBuckets(
    metadata,
    observed,
    intended,
    ROLES,
    (b) => b.ownership,
    () => "BucketOwnerEnforced",
    (s) => {
      const have = s.observed.ownership.ok ? s.observed.ownership.value : undefined;
      const problems =
        have === "BucketOwnerEnforced"
          ? []
          : [`object ownership of ${s.label} is ${have ?? "not set"}, so ACLs still apply; set BucketOwnerEnforced`];
      return verdict(
        metadata,
        s.scope,
        "BucketOwnerEnforced",
        have ?? null,
        problems,
        `Object ownership of ${s.label} is BucketOwnerEnforced (ACLs disabled).`,
      );
    },
  );
}
