import type { AuditManifest } from "../../../baseline";
import { ABSENT, factOf, gapOf, known, s3DefaultEncryption } from "../../../baseline/controls";
import type { CheckMetadata, Finding } from "../../finding";
import type { ObservedEncryption, ObservedState } from "../../model";
import { blocked, verdict, type CheckContext } from "../common";
import { sameKmsKey } from "../kms-key-ref";
import {
  capitalised,
  logBucketSubjects,
  manifestLacks,
  orNotApplicable,
  type LogBucketSubject,
} from "../log-bucket-scope";

/** The archive's and the flow-log bucket's default encryption are judged by archive-encryption and flow-log-bucket-encryption. */
export const ROLES = ["access-log", "config", "dns-query-log", "athena-results", "report"] as const;

export const metadata: CheckMetadata = {
  id: "log-bucket-encryption",
  title:
    "The access-log, Config, DNS query-log, Athena query-results and report buckets encrypt by default as the baseline intends",
  area: "log-buckets",
  severity: "HIGH",
  risk: "The Config bucket holds every resource's configuration history, the DNS query-log bucket every DNS query of the organization's VPCs, the Athena query-results bucket what responders' queries read out of the logs, each under its own customer key; under SSE-S3 or another key anyone the bucket policy lets through reads it. The access-log and report buckets are SSE-S3 on purpose: S3 server access logging cannot deliver to an SSE-KMS default, and the agent writes reports without a KMS permission, so a KMS default there silently stops the access logs or the reports.",
  remediation: {
    console:
      "S3 console (the bucket's account) → the bucket → Properties → Default encryption → Edit: the intended setting (SSE-KMS with the bucket's own key by ARN for the Config, DNS query-log and Athena query-results buckets, SSE-S3 for the access-log and report buckets), Bucket Key disabled.",
    cli: "aws s3api put-bucket-encryption --bucket <log-bucket> --server-side-encryption-configuration file://<intended-file>",
    pulumi:
      "Run `pulumi up` on the orgwarden stack: infra/bucket-parts.ts (kmsEncryptionAndExpiry) lays the Config, DNS query-log and Athena query-results buckets' SSE-KMS, infra/access-log-bucket.ts and infra/audit-agent.ts the SSE-S3 defaults.",
    document: "log-bucket-encryption",
  },
  controls: ["s3-default-encryption"],
  references: [
    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/default-bucket-encryption.html",
    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html",
  ],
};

export function evaluate(observed: ObservedState, intended: AuditManifest, _ctx: CheckContext): Finding[] {
  const { subjects, findings } = logBucketSubjects(metadata, observed, intended, ROLES);
  for (const s of subjects) {
    if (!s.intent.encryption) {
      findings.push(manifestLacks(metadata, s, "encryption"));
      continue;
    }
    const target = s.intent.encryption;
    findings.push(blocked(metadata, observed, s.scope, target, s.observed.encryption) ?? judge(s, target));
  }
  return orNotApplicable(metadata, intended, findings);
}

function judge(s: LogBucketSubject, target: NonNullable<LogBucketSubject["intent"]["encryption"]>): Finding {
  const enc: ObservedEncryption | undefined = s.observed.encryption.ok ? s.observed.encryption.value : undefined;
  const algorithm = factOf(enc?.algorithm || undefined);
  const problems: string[] = [];
  if (target.algorithm === "aws:kms") {
    const key = sameKmsKey(enc?.kmsKeyId, target.keyArn, { account: s.scope.account, region: s.scope.region });
    const v = s3DefaultEncryption.judge(
      { algorithm, kmsKeyId: factOf(enc?.kmsKeyId), intendedKey: known(key) },
      { allowSseS3: false },
    );
    if (gapOf(v, "algorithm"))
      problems.push(
        `default encryption of ${s.label} is ${enc?.algorithm || "not configured"}, intended aws:kms with ${target.keyArn}`,
      );
    else if (gapOf(v, "kmsKeyId"))
      problems.push(
        `default encryption of ${s.label} is ${enc?.algorithm} but ${key.same ? "the key is an AWS managed key" : key.reason}`,
      );
  } else {
    // The control accepts SSE-S3 here; the baseline wants exactly SSE-S3, since a KMS default stops what writes to the bucket.
    const v = s3DefaultEncryption.judge(
      { algorithm, kmsKeyId: factOf(enc?.kmsKeyId), intendedKey: ABSENT },
      { allowSseS3: true },
    );
    if (gapOf(v, "algorithm") && !enc?.algorithm)
      problems.push(`${s.label} has no default encryption; set SSE-S3 (AES256)`);
    else if (enc?.algorithm !== "AES256")
      problems.push(
        `default encryption of ${s.label} is ${enc?.algorithm}, intended SSE-S3 (AES256): ${
          s.intent.role === "access-log"
            ? "S3 server access logging cannot deliver to a bucket whose default is SSE-KMS"
            : "the agent role has no KMS permission to write reports under a KMS default"
        }`,
      );
  }
  const pass =
    target.algorithm === "aws:kms"
      ? `${capitalised(s.label)} encrypts by default with aws:kms under its intended key.`
      : `${capitalised(s.label)} encrypts by default with SSE-S3 (AES256), as intended.`;
  return verdict(
    metadata,
    s.scope,
    target,
    { algorithm: enc?.algorithm ?? null, kmsKeyId: enc?.kmsKeyId ?? null },
    problems,
    pass,
  );
}
