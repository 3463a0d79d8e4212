import type { AuditManifest } from "../../../baseline";
import { ABSENT, known, s3TlsOnly } from "../../../baseline/controls";
// The module itself, not the rules index: the index pulls in the SCP rules and the IAM data, which the Lambda bundle must not carry.
import { deniesInsecureTransport } from "../../../baseline/rules/s3";
import type { CheckMetadata, Finding } from "../../finding";
import type { ObservedState } from "../../model";
import { blocked, verdict, type CheckContext } from "../common";
import { flowLogSubject } from "../flow-log-scope";

export const metadata: CheckMetadata = {
  id: "flow-log-bucket-tls",
  title: "The flow-log bucket refuses every request that does not use TLS",
  area: "archive",
  severity: "HIGH",
  risk: "Without the deny on aws:SecureTransport false, S3 answers plain HTTP: flow-log objects, and the signed requests that read them, cross the network readable and alterable.",
  remediation: {
    console:
      'S3 console (log-archive account) → the flow-log bucket → Permissions → Bucket policy → Edit: restore the DenyInsecureTransport statement (Deny, Principal *, Action s3:*, bucket and bucket/*, Bool aws:SecureTransport "false").',
    cli: "aws s3api put-bucket-policy --bucket <flow-log-bucket> --policy file://intended-flow-log-bucket-policy.json",
    pulumi:
      "Run `pulumi up` on the orgwarden stack: flowLogBucketPolicy (baseline/network/flow-log-policies.ts) starts with DenyInsecureTransport.",
  },
  controls: ["s3-tls-only"],
  references: [
    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html",
    "https://docs.aws.amazon.com/securityhub/latest/userguide/s3-controls.html",
  ],
};

export function evaluate(observed: ObservedState, intended: AuditManifest, _ctx: CheckContext): Finding[] {
  const subject = flowLogSubject(metadata, observed, intended);
  if ("checkId" in subject) return [subject];
  const { scope, intended: want } = subject;
  const target = "a Deny of s3:* to every principal when aws:SecureTransport is false";
  const stop = blocked(metadata, observed, scope, target, subject.observed.policy);
  if (stop) return [stop];
  const have = subject.observed.policy.ok ? subject.observed.policy.value : undefined;
  const denies = have ? deniesInsecureTransport(have as unknown as Record<string, unknown>) : undefined;
  const v = s3TlsOnly.judge({ deniesInsecureTransport: denies === undefined ? ABSENT : known(denies) });
  const problems = v.passed
    ? []
    : [
        have
          ? `the bucket policy of ${want.bucketName} no longer denies requests that do not use TLS; restore its DenyInsecureTransport statement`
          : `${want.bucketName} has no bucket policy, so nothing refuses plain HTTP; apply the intended policy`,
      ];
  return [
    verdict(
      metadata,
      scope,
      target,
      denies === undefined ? null : denies ? "present" : "missing",
      problems,
      `The bucket policy of ${want.bucketName} denies every request that does not use TLS.`,
    ),
  ];
}
