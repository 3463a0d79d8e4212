import type { KeyMatch, LogGroupFacts } from "./facts";
import { customerKeyGaps, type KeyReason } from "./key-ref";
import { ABSENT, defineControl, type Fact } from "./types";

export const logGroupKms = defineControl<
  Pick<LogGroupFacts, "kmsKeyId"> & { intendedKey?: Fact<KeyMatch> },
  void,
  "kmsKeyId",
  KeyReason
>(
  {
    id: "log-group-kms",
    title: "CloudWatch Logs groups are encrypted with a customer managed KMS key (the intended one, where known)",
    severity: "low",
    risk: "Without a customer key, who may read the trail's events is decided by IAM alone, not by a key policy the baseline controls; another key moves them out of the baseline's key policy.",
    cis: [],
    fsbp: [],
    references: ["https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html"],
  },
  (f) => customerKeyGaps("kmsKeyId", f.kmsKeyId, f.intendedKey ?? ABSENT),
);
