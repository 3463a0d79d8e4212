import { TRAIL_TYPE, trailLogFileValidation } from "../../../../baseline/rules";
import { cis, resourcePolicy } from "../../lib/define";

export const cloudtrailLogFileValidation = resourcePolicy(
  {
    name: "cloudtrail-log-file-validation",
    description: "Checks that trails have log-file validation enabled.",
    severity: "high",
    framework: cis("3.0.0", "3.2", "Ensure CloudTrail log file validation is enabled"),
    remediationSteps:
      "Set enableLogFileValidation: true on the aws.cloudtrail.Trail; CloudTrail then delivers signed digest files.",
    controls: ["cloudtrail-log-file-validation"],
    enforcementLevel: "mandatory",
  },
  [TRAIL_TYPE],
  (r) => trailLogFileValidation(r.props),
);
