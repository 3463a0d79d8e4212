import type { AuditManifest } from "../../../baseline";
import type { CheckMetadata, Finding } from "../../finding";
import type { ObservedState } from "../../model";
import type { CheckContext } from "../common";
import { evaluateDelivery } from "../delivery";

export const metadata: CheckMetadata = {
  id: "trail-s3-delivery",
  title: "The organization trail delivered log files to S3 recently and without error",
  area: "trail",
  severity: "HIGH",
  risk: "A trail can be logging while nothing reaches the archive (a bucket policy or key policy change blocks delivery): the organization then has no record, and nothing else reports it.",
  remediation: {
    console:
      'CloudTrail console (management account, home region) → Trails → the trail: read "Last log file delivered" and the delivery error; fix the archive bucket policy or the key policy it names.',
    cli: "aws cloudtrail get-trail-status --name <trail-arn> --query '{t:LatestDeliveryTime,e:LatestDeliveryError}'",
    pulumi:
      "Run `pulumi up` on the orgwarden stack: it restores the archive aws.s3.BucketPolicy and the aws.kms.Key policy that CloudTrail needs to deliver.",
  },
  controls: [],
  references: [
    "https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_GetTrailStatus.html",
    "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html",
  ],
};

export function evaluate(observed: ObservedState, intended: AuditManifest, ctx: CheckContext): Finding[] {
  return evaluateDelivery(metadata, observed, intended, ctx, "S3", (s) => ({
    time: s.latestDeliveryTime,
    error: s.latestDeliveryError,
  }));
}
