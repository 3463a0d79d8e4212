import type { VersioningFacts } from "./facts";
import { defineControl } from "./types";

export const s3Versioning = defineControl<VersioningFacts, void, "status">(
  {
    id: "s3-versioning",
    title: "Log buckets have versioning enabled",
    severity: "high",
    risk: "Object Lock needs versioning; with versioning suspended an overwritten or deleted log file leaves no prior version to recover.",
    cis: [],
    fsbp: ["S3.14"],
    references: [
      "https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html",
      "https://docs.aws.amazon.com/securityhub/latest/userguide/s3-controls.html",
    ],
  },
  (f) =>
    f.status.kind === "known" && f.status.value === "Enabled"
      ? []
      : [{ field: "status", expected: "Enabled", found: f.status }],
);
