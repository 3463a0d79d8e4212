import type { AuditManifest } from "../../../baseline";
import type { CheckMetadata, Finding } from "../../finding";
import type { ObservedState } from "../../model";
import { blocked, finding, type CheckContext } from "../common";
import { capitalised, logBucketSubjects, manifestLacks, orNotApplicable } from "../log-bucket-scope";
import { policyDriftFindings, trustedPrincipals } from "../policy-drift";

/** The archive's and the flow-log bucket's policies are judged by archive-bucket-policy and flow-log-bucket-policy. */
export const ROLES = ["access-log", "config", "dns-query-log", "athena-results", "report"] as const;

export const metadata: CheckMetadata = {
  id: "log-bucket-policy",
  title:
    "The access-log, Config, DNS query-log, Athena query-results and report bucket policies mean exactly what the baseline intends",
  area: "log-buckets",
  severity: "HIGH",
  risk: "These policies admit only S3 log delivery from the organization's own buckets (access-log bucket), only AWS Config of the organization (Config bucket), only the log-archive account's Resolver query-log delivery in the governed regions (DNS query-log bucket), only the log analyst role to read or write query results (Athena query-results bucket), and refuse plain HTTP on all five. An added statement can let another organization write, or an outsider read who touched the archive; a removed Deny lets a member erase the record.",
  remediation: {
    console:
      "S3 console (the bucket's account: log-archive, or security for the report and Athena query-results buckets) → the bucket → Permissions → Bucket policy → Edit: restore the intended document (the finding shows the statement that drifted).",
    cli: "aws s3api put-bucket-policy --bucket <log-bucket> --policy file://<intended-file>",
    pulumi:
      "Run `pulumi up` on the orgwarden stack: the bucket policies are built from baseline/bucket-policies.ts (accessLogBucketPolicy), baseline/detection/documents.ts (configBucketPolicy), baseline/network/dns-query-log-policies.ts (dnsQueryLogBucketPolicy), baseline/athena/policies.ts (resultsBucketPolicy) and baseline/audit-agent-policy.ts (auditReportBucketPolicy).",
    document: "log-bucket-policy",
  },
  controls: [],
  references: [
    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html",
    "https://docs.aws.amazon.com/config/latest/developerguide/s3-bucket-policy.html",
    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-policies.html",
  ],
};

export function evaluate(observed: ObservedState, intended: AuditManifest, _ctx: CheckContext): Finding[] {
  const trusted = trustedPrincipals(observed, intended);
  const { subjects, findings } = logBucketSubjects(metadata, observed, intended, ROLES);
  for (const s of subjects) {
    const want = s.intent.expectedBucketPolicy;
    if (!want) {
      findings.push(manifestLacks(metadata, s, "expectedBucketPolicy"));
      continue;
    }
    const stop = blocked(metadata, observed, s.scope, want, s.observed.policy);
    if (stop) {
      findings.push(stop);
      continue;
    }
    const have = s.observed.policy.ok ? s.observed.policy.value : undefined;
    if (!have) {
      findings.push(
        finding(metadata, s.scope, {
          status: "FAIL",
          intended: want,
          observed: null,
          message: `${capitalised(s.label)} has no bucket policy: nothing denies plain HTTP or writes from outside the organization. Apply the intended policy.`,
        }),
      );
      continue;
    }
    findings.push(...policyDriftFindings(metadata, s.scope, `The bucket policy of ${s.label}`, want, have, trusted));
  }
  return orNotApplicable(metadata, intended, findings);
}
