import type { AuditManifest } from "../../../baseline";
import type { CheckMetadata, Finding } from "../../finding";
import type { ObservedState } from "../../model";
import { blocked, verdict, type CheckContext } from "../common";
import { logBucketSubjects, manifestLacks, orNotApplicable } from "../log-bucket-scope";

/**
 * The buckets infra access-logs into the access-log bucket. Not the access-log bucket itself (it
 * would log its own log deliveries) nor the report and Athena query-results buckets, which infra does
 * not access-log: they are in the security account, and S3 delivers server access logs only to a
 * bucket of the source bucket's own account.
 */
export const ROLES = ["archive", "config", "flow-log", "dns-query-log"] as const;

export const metadata: CheckMetadata = {
  id: "log-bucket-access-logging",
  title:
    "The archive, Config, flow-log and DNS query-log buckets deliver server access logs to the intended bucket and prefix",
  area: "log-buckets",
  severity: "MEDIUM",
  risk: "Server access logs are the record of who read, listed or tried to delete log objects, including requests CloudTrail data events do not cover. With logging off, or delivered to another bucket or prefix, that record is missing or sits where the baseline's policy, lifecycle and SCP do not protect it.",
  remediation: {
    console:
      "S3 console (log-archive account) → the bucket → Properties → Server access logging → Edit: Enable, destination the access-log bucket and the intended prefix (the finding shows both).",
    cli: "aws s3api put-bucket-logging --bucket <log-bucket> --bucket-logging-status file://<intended-file>",
    pulumi:
      "Run `pulumi up` on the orgwarden stack: infra/archive-bucket.ts, infra/detection/config-bucket.ts, infra/network/flow-log-bucket.ts and infra/network/dns-query-logs.ts lay each bucket's aws.s3.BucketLogging into the access-log bucket.",
    document: "log-bucket-logging",
  },
  controls: [],
  references: [
    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/ServerLogs.html",
    "https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketLogging.html",
  ],
};

export function evaluate(observed: ObservedState, intended: AuditManifest, _ctx: CheckContext): Finding[] {
  const { subjects, findings } = logBucketSubjects(metadata, observed, intended, ROLES);
  for (const s of subjects) {
    const want = s.intent.accessLogging;
    if (!want) {
      findings.push(manifestLacks(metadata, s, "accessLogging"));
      continue;
    }
    const stop = blocked(metadata, observed, s.scope, want, s.observed.accessLogging);
    if (stop) {
      findings.push(stop);
      continue;
    }
    const have = s.observed.accessLogging.ok ? s.observed.accessLogging.value : undefined;
    const problems = !have
      ? [`server access logging of ${s.label} is off; deliver it to ${want.targetBucket} under "${want.targetPrefix}"`]
      : have.targetBucket !== want.targetBucket || have.targetPrefix !== want.targetPrefix
        ? [
            `server access logs of ${s.label} go to ${have.targetBucket} under "${have.targetPrefix}", intended ${want.targetBucket} under "${want.targetPrefix}"`,
          ]
        : [];
    findings.push(
      verdict(
        metadata,
        s.scope,
        want,
        have ?? null,
        problems,
        `Server access logs of ${s.label} go to ${want.targetBucket} under "${want.targetPrefix}".`,
      ),
    );
  }
  return orNotApplicable(metadata, intended, findings);
}
