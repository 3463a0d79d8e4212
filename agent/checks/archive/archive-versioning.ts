import type { AuditManifest } from "../../../baseline";
import type { CheckMetadata, Finding } from "../../finding";
import type { ObservedState } from "../../model";
import { factOf, s3Versioning } from "../../../baseline/controls";
import { archiveScope } from "../archive-scope";
import { blocked, verdict, type CheckContext } from "../common";

export const metadata: CheckMetadata = {
  id: "archive-versioning",
  title: "The archive bucket has versioning enabled",
  area: "archive",
  severity: "HIGH",
  risk: "Object Lock needs versioning; with versioning suspended an overwritten or deleted log file leaves no prior version to recover.",
  remediation: {
    console: "S3 console (log-archive account) → the archive bucket → Properties → Bucket Versioning → Edit → Enable.",
    cli: "aws s3api put-bucket-versioning --bucket <archive-bucket> --versioning-configuration Status=Enabled",
    pulumi:
      'The baseline\'s aws.s3.BucketVersioning sets versioningConfiguration.status "Enabled"; run `pulumi up` on the orgwarden stack.',
  },
  controls: ["s3-versioning"],
  references: [
    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html",
    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html",
  ],
};

export function evaluate(observed: ObservedState, intended: AuditManifest, _ctx: CheckContext): Finding[] {
  const scope = archiveScope(intended);
  const stop = blocked(metadata, observed, scope, "Enabled", observed.archive.versioning);
  if (stop) return [stop];
  const status = observed.archive.versioning.ok ? observed.archive.versioning.value : undefined;
  const problems = s3Versioning.judge({ status: factOf(status) }).passed
    ? []
    : [`versioning of ${intended.archive.bucketName} is ${status ?? "never enabled"}; enable it`];
  return [
    verdict(
      metadata,
      scope,
      "Enabled",
      status ?? null,
      problems,
      `Versioning of ${intended.archive.bucketName} is Enabled.`,
    ),
  ];
}
