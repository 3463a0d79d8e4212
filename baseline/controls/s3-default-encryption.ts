import { customerKeyGaps, type KeyReason } from "./key-ref";
import type { EncryptionFacts } from "./facts";
import { defineControl } from "./types";

/** DSSE-KMS adds a second layer under the same KMS key: it meets the intent as long as the key is a customer key. */
export const KMS_ALGORITHMS = ["aws:kms", "aws:kms:dsse"];

export interface EncryptionParams {
  /** SSE-S3 (AES256) accepted: S3 server access logging cannot deliver to an SSE-KMS bucket. */
  allowSseS3: boolean;
}

export type EncryptionReason = "not-configured" | "not-kms" | KeyReason;

/** One default-encryption rule: SSE-KMS (or DSSE-KMS) with a customer managed key, the intended one where it is known. */
export const s3DefaultEncryption = defineControl<
  EncryptionFacts,
  EncryptionParams,
  "algorithm" | "kmsKeyId",
  EncryptionReason
>(
  {
    id: "s3-default-encryption",
    title: "Log buckets encrypt by default with SSE-KMS under a customer managed key",
    severity: "high",
    risk: "The log key separates who may write logs from who may read them; objects under SSE-S3 or an AWS managed key are readable by anyone the bucket policy lets through.",
    cis: [{ version: "1.4.0", id: "2.1.1" }],
    fsbp: ["S3.17"],
    references: [
      "https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html",
      "https://docs.aws.amazon.com/securityhub/latest/userguide/s3-controls.html",
    ],
  },
  (f, p) => {
    const a = f.algorithm;
    const expected = KMS_ALGORITHMS.join(" or ");
    if (a.kind === "absent") return [{ field: "algorithm", expected, found: a, reason: "not-configured" }];
    if (a.kind === "unknown") return [{ field: "algorithm", expected, found: a }];
    if (a.value === "AES256" && p.allowSseS3) return [];
    if (!KMS_ALGORITHMS.includes(a.value)) return [{ field: "algorithm", expected, found: a, reason: "not-kms" }];
    return customerKeyGaps("kmsKeyId", f.kmsKeyId, f.intendedKey);
  },
);
