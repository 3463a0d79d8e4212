import type { TrailFacts } from "./facts";
import { customerKeyGaps, type KeyReason } from "./key-ref";
import { defineControl } from "./types";

export const cloudtrailKmsEncryption = defineControl<
  Pick<TrailFacts, "kmsKeyId" | "intendedKey">,
  void,
  "kmsKeyId",
  KeyReason
>(
  {
    id: "cloudtrail-kms-encryption",
    title: "The trail encrypts log files with SSE-KMS under a customer managed key (the intended one, where known)",
    severity: "high",
    risk: "Without a customer key the log files fall back to SSE-S3, readable by anyone the bucket policy lets through; another key moves the logs out of the baseline's key policy.",
    cis: [{ version: "3.0.0", id: "3.5" }],
    fsbp: ["CloudTrail.2"],
    references: [
      "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/encrypting-cloudtrail-log-files-with-aws-kms.html",
      "https://docs.aws.amazon.com/securityhub/latest/userguide/cloudtrail-controls.html",
    ],
  },
  (f) => customerKeyGaps("kmsKeyId", f.kmsKeyId, f.intendedKey),
);
