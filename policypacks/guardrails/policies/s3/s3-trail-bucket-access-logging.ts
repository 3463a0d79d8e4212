import { trailBucketAccessLogging } from "../../../../baseline/rules";
import { cis, stackPolicy } from "../../lib/define";

export const s3TrailBucketAccessLogging = stackPolicy(
  {
    name: "s3-trail-bucket-access-logging",
    description: "Checks that the bucket a trail delivers to has server access logging to a separate bucket.",
    severity: "medium",
    framework: cis("3.0.0", "3.4", "Ensure S3 bucket access logging is enabled on the CloudTrail S3 bucket"),
    remediationSteps:
      "Add an aws.s3.BucketLogging for the trail bucket whose targetBucket is a separate access-log bucket (unlocked: S3 cannot deliver access logs to a bucket with Object Lock default retention).",
    controls: [],
    enforcementLevel: "mandatory",
  },
  (resources) => trailBucketAccessLogging(resources),
);
