import type { AuditManifest } from "../../../baseline";
import { factOf, s3Versioning } from "../../../baseline/controls";
import type { CheckMetadata, Finding } from "../../finding";
import type { ObservedState } from "../../model";
import { verdict, type CheckContext } from "../common";
import { judgeLogBuckets } from "../log-bucket-scope";

/** The archive's versioning is judged by archive-versioning. */
export const ROLES = ["access-log", "config", "flow-log", "dns-query-log", "athena-results", "report"] as const;

export const metadata: CheckMetadata = {
  id: "log-bucket-versioning",
  title:
    "The access-log, Config, flow-log, DNS query-log, Athena query-results and report buckets have versioning enabled",
  area: "log-buckets",
  severity: "HIGH",
  risk: "None of these buckets is Object-Locked: versioning is what keeps an overwritten or deleted access log, Config snapshot, flow log, DNS query log, query result or audit report recoverable for the noncurrent-version retention.",
  remediation: {
    console: "S3 console (the bucket's account) → the bucket → Properties → Bucket Versioning → Edit → Enable.",
    cli: "aws s3api put-bucket-versioning --bucket <log-bucket> --versioning-configuration Status=Enabled",
    pulumi:
      'Run `pulumi up` on the orgwarden stack: infra/bucket-parts.ts (hardenedBucket) sets versioningConfiguration.status "Enabled" on every log bucket.',
  },
  controls: ["s3-versioning"],
  references: [
    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html",
    "https://docs.aws.amazon.com/securityhub/latest/userguide/s3-controls.html",
  ],
};

export function evaluate(observed: ObservedState, intended: AuditManifest, _ctx: CheckContext): Finding[] {
  return judgeLogBuckets(
    metadata,
    observed,
    intended,
    ROLES,
    (b) => b.versioning,
    () => "Enabled",
    (s) => {
      const status = s.observed.versioning.ok ? s.observed.versioning.value : undefined;
      const problems = s3Versioning.judge({ status: factOf(status) }).passed
        ? []
        : [`versioning of ${s.label} is ${status ?? "never enabled"}; enable it`];
      return verdict(metadata, s.scope, "Enabled", status ?? null, problems, `Versioning of ${s.label} is Enabled.`);
    },
  );
}
