import { TRAIL_TYPE, trailKmsEncryption } from "../../../../baseline/rules";
import { cis, resourcePolicy } from "../../lib/define";

export const cloudtrailKmsEncryption = resourcePolicy(
  {
    name: "cloudtrail-kms-encryption",
    description: "Checks that trails encrypt log files with a customer managed KMS key.",
    severity: "high",
    framework: cis("3.0.0", "3.5", "Ensure CloudTrail logs are encrypted at rest using KMS CMKs"),
    remediationSteps:
      "Create an aws.kms.Key whose policy lets cloudtrail.amazonaws.com encrypt for this trail, and set the trail's kmsKeyId to its ARN.",
    controls: ["cloudtrail-kms-encryption"],
    enforcementLevel: "mandatory",
  },
  [TRAIL_TYPE],
  (r) => trailKmsEncryption(r.props),
);
