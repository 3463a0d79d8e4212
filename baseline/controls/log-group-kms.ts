import type { LogGroupFacts } from "./facts";
import { defineControl, mustBeSet } from "./types";

export const logGroupKms = defineControl<Pick<LogGroupFacts, "kmsKeyId">, void, "kmsKeyId">(
  {
    id: "log-group-kms",
    title: "CloudWatch Logs groups are encrypted with a customer managed KMS key",
    severity: "low",
    risk: "Without a customer key, who may read the trail's events is decided by IAM alone, not by a key policy the baseline controls.",
    cis: [],
    fsbp: [],
    references: ["https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html"],
  },
  (f) => mustBeSet("kmsKeyId", f.kmsKeyId, "a customer managed KMS key"),
);
