import type { PublicAccessFacts } from "./facts";
import { defineControl, mustBeTrue } from "./types";

export const PUBLIC_ACCESS_FLAGS = [
  "blockPublicAcls",
  "ignorePublicAcls",
  "blockPublicPolicy",
  "restrictPublicBuckets",
] as const;
export type PublicAccessFlag = (typeof PUBLIC_ACCESS_FLAGS)[number];

/** All four flags true; a flag not set is off (S3's default), so a bucket with no block fails on all four. */
export const s3PublicAccessBlock = defineControl<PublicAccessFacts, void, PublicAccessFlag>(
  {
    id: "s3-public-access-block",
    title: "Log buckets block all public access (all four public access block settings on)",
    severity: "critical",
    risk: "Without the four settings one bucket policy or ACL edit can publish the organization's logs.",
    cis: [{ version: "3.0.0", id: "2.1.4" }],
    fsbp: ["S3.8"],
    references: [
      "https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html",
      "https://docs.aws.amazon.com/securityhub/latest/userguide/s3-controls.html",
    ],
  },
  (f) => PUBLIC_ACCESS_FLAGS.flatMap((k) => mustBeTrue(k, f[k], false)),
);
