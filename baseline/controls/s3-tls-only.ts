import type { TlsOnlyFacts } from "./facts";
import { defineControl, mustBeTrue } from "./types";

/**
 * The bucket policy denies every principal every S3 action when aws:SecureTransport is false. No
 * such statement (or no policy at all) is a gap: S3 accepts plain HTTP unless a policy refuses it.
 */
export const s3TlsOnly = defineControl<TlsOnlyFacts, void, "deniesInsecureTransport">(
  {
    id: "s3-tls-only",
    title: "Log buckets refuse every request that does not use TLS (bucket policy deny on aws:SecureTransport false)",
    severity: "high",
    risk: "A request over plain HTTP exposes log objects and credentials-bearing headers in transit, and a delivery or read can be tampered with on the way.",
    cis: [{ version: "3.0.0", id: "2.1.1" }],
    fsbp: ["S3.5"],
    references: [
      "https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html",
      "https://docs.aws.amazon.com/securityhub/latest/userguide/s3-controls.html",
    ],
  },
  (f) => mustBeTrue("deniesInsecureTransport", f.deniesInsecureTransport, false),
);
