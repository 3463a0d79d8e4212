import { LOG_GROUP_TYPE, logGroupKms } from "../../../../baseline/rules";
import { resourcePolicy } from "../../lib/define";

export const cloudwatchLogGroupKms = resourcePolicy(
  {
    name: "cloudwatch-log-group-kms",
    description: "Checks that log groups are encrypted with a customer managed KMS key.",
    severity: "low",
    remediationSteps:
      "Set kmsKeyId on the aws.cloudwatch.LogGroup to a key whose policy admits logs.<region>.amazonaws.com with a kms:EncryptionContext:aws:logs:arn condition.",
    controls: ["log-group-kms"],
    enforcementLevel: "advisory",
  },
  [LOG_GROUP_TYPE],
  (r) => logGroupKms(r.props),
);
