import type { AuditManifest } from "../../../baseline";
import type { CheckMetadata, Finding } from "../../finding";
import type { ObservedState, ObservedTrail } from "../../model";
import { blocked, finding, type CheckContext, type Scope } from "../common";
import {
  cloudtrailGlobalServiceEvents,
  cloudtrailKmsEncryption,
  cloudtrailLogFileValidation,
  cloudtrailMultiRegion,
  factOf,
  known,
  type Verdict,
} from "../../../baseline/controls";
import { sameKmsKey } from "../kms-key-ref";
import { findIntendedTrail, missingTrailMessage, trailScope } from "../trail-lookup";

export const metadata: CheckMetadata = {
  id: "trail-configuration",
  title:
    "The organization trail is multi-region, records global events, validates log files, and uses the intended key and bucket",
  area: "trail",
  severity: "HIGH",
  risk: "A single-region trail misses activity elsewhere; without global service events IAM and STS changes go unrecorded; without validation a tampered log file cannot be detected; another key or bucket sends the organization's logs where the baseline cannot protect them.",
  remediation: {
    console:
      "CloudTrail console (management account, home region) → Trails → the trail → Edit: apply to all regions, log file validation on, SSE-KMS with the intended key, storage location the archive bucket.",
    cli: "aws cloudtrail update-trail --name <trail> --is-multi-region-trail --include-global-service-events --enable-log-file-validation --kms-key-id <key-arn> --s3-bucket-name <archive-bucket>",
    pulumi:
      "The baseline's aws.cloudtrail.Trail sets isMultiRegionTrail, includeGlobalServiceEvents, enableLogFileValidation, kmsKeyId and s3BucketName; run `pulumi up` on the orgwarden stack to restore them.",
  },
  controls: [
    "cloudtrail-multi-region",
    "cloudtrail-global-service-events",
    "cloudtrail-log-file-validation",
    "cloudtrail-kms-encryption",
  ],
  references: [
    "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-concepts.html",
    "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-intro.html",
    "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/encrypting-cloudtrail-log-files-with-aws-kms.html",
    "https://docs.aws.amazon.com/securityhub/latest/userguide/cloudtrail-controls.html",
    "https://www.cisecurity.org/benchmark/amazon_web_services",
  ],
};

interface Setting {
  name: string;
  intended: unknown;
  observed: unknown;
  problem?: string;
}

function settings(t: ObservedTrail, m: AuditManifest): Setting[] {
  const flag = (name: string, value: boolean, v: Verdict, off: string): Setting => ({
    name,
    intended: true,
    observed: value,
    problem: v.passed ? undefined : off,
  });
  const key = sameKmsKey(t.kmsKeyId, m.key.arn, {
    account: m.organization.managementAccountId,
    region: m.trail.homeRegion,
  });
  const kms = cloudtrailKmsEncryption.judge({ kmsKeyId: factOf(t.kmsKeyId), intendedKey: known(key) });
  return [
    flag(
      "IsMultiRegionTrail",
      t.isMultiRegionTrail,
      cloudtrailMultiRegion.judge({ isMultiRegionTrail: known(t.isMultiRegionTrail) }),
      "it records its home region only; set IsMultiRegionTrail to true",
    ),
    flag(
      "IncludeGlobalServiceEvents",
      t.includeGlobalServiceEvents,
      cloudtrailGlobalServiceEvents.judge({ includeGlobalServiceEvents: known(t.includeGlobalServiceEvents) }),
      "IAM, STS and other global events are not recorded; set IncludeGlobalServiceEvents to true",
    ),
    flag(
      "LogFileValidationEnabled",
      t.logFileValidationEnabled,
      cloudtrailLogFileValidation.judge({ logFileValidation: known(t.logFileValidationEnabled) }),
      "tampering with log files cannot be detected; enable log file validation",
    ),
    {
      name: "KmsKeyId",
      intended: m.key.arn,
      observed: t.kmsKeyId ?? null,
      problem: kms.passed
        ? undefined
        : `log files are not encrypted with the intended key: ${key.same ? "it is an AWS managed key" : key.reason}`,
    },
    {
      name: "S3BucketName",
      intended: m.archive.bucketName,
      observed: t.s3BucketName ?? null,
      problem:
        t.s3BucketName === m.archive.bucketName
          ? undefined
          : `it delivers to ${t.s3BucketName ?? "no bucket"}, not the archive bucket ${m.archive.bucketName}`,
    },
  ];
}

export function evaluate(observed: ObservedState, intended: AuditManifest, _ctx: CheckContext): Finding[] {
  const scope: Scope = trailScope(intended);
  const stop = blocked(metadata, observed, scope, { trailArn: intended.trail.arn }, observed.cloudTrail.trails);
  if (stop) return [stop];
  const trail = findIntendedTrail(observed.cloudTrail.trails.ok ? observed.cloudTrail.trails.value : [], intended);
  if (!trail)
    return [
      finding(metadata, scope, {
        status: "FAIL",
        intended: { trailArn: intended.trail.arn },
        observed: null,
        message: missingTrailMessage(intended),
      }),
    ];
  // One finding per setting of one trail: the setting's name keeps their ids apart.
  return settings(trail, intended).map((s) =>
    finding(
      metadata,
      { ...scope, key: s.name },
      {
        status: s.problem ? "FAIL" : "PASS",
        intended: { [s.name]: s.intended },
        observed: { [s.name]: s.observed },
        message: s.problem
          ? `Trail ${trail.name} ${s.name}: ${s.problem}.`
          : `Trail ${trail.name} ${s.name} is as intended.`,
      },
    ),
  );
}
