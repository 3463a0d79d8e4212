import type { AuditManifest } from "../../../baseline";
import { ABSENT, factOf, gapOf, s3PublicAccessBlock } from "../../../baseline/controls";
import type { CheckMetadata, Finding } from "../../finding";
import type { ObservedState } from "../../model";
import { verdict, type CheckContext } from "../common";
import { judgeLogBuckets } from "../log-bucket-scope";

/** The archive's and the flow-log bucket's public access blocks are judged by archive-public-access and flow-log-bucket-encryption. */
export const ROLES = ["access-log", "config", "dns-query-log", "athena-results", "report"] as const;

const FLAGS = ["blockPublicAcls", "ignorePublicAcls", "blockPublicPolicy", "restrictPublicBuckets"] as const;

export const metadata: CheckMetadata = {
  id: "log-bucket-public-access",
  title: "The access-log, Config, DNS query-log, Athena query-results and report buckets block all public access",
  area: "log-buckets",
  severity: "HIGH",
  risk: "Without the four public access block settings one policy or ACL edit can publish who read the archive (access logs), every resource's configuration history (Config), every DNS query of the organization's VPCs (DNS query logs), what responders read out of the logs (Athena query results) or the organization's audit findings (reports).",
  remediation: {
    console: "S3 console (the bucket's account) → the bucket → Permissions → Block public access → Edit: all four on.",
    cli: "aws s3api put-public-access-block --bucket <log-bucket> --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true",
    pulumi:
      "Run `pulumi up` on the orgwarden stack: infra/bucket-parts.ts (hardenedBucket) turns the four settings on for every log bucket.",
  },
  controls: ["s3-public-access-block"],
  references: [
    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html",
    "https://docs.aws.amazon.com/securityhub/latest/userguide/s3-controls.html",
  ],
};

const WANT = Object.fromEntries(FLAGS.map((f) => [f, true]));

export function evaluate(observed: ObservedState, intended: AuditManifest, _ctx: CheckContext): Finding[] {
  return judgeLogBuckets(
    metadata,
    observed,
    intended,
    ROLES,
    (b) => b.publicAccessBlock,
    () => WANT,
    (s) => {
      const pab = s.observed.publicAccessBlock.ok ? s.observed.publicAccessBlock.value : undefined;
      const v = s3PublicAccessBlock.judge({
        blockPublicAcls: pab ? factOf(pab.blockPublicAcls) : ABSENT,
        ignorePublicAcls: pab ? factOf(pab.ignorePublicAcls) : ABSENT,
        blockPublicPolicy: pab ? factOf(pab.blockPublicPolicy) : ABSENT,
        restrictPublicBuckets: pab ? factOf(pab.restrictPublicBuckets) : ABSENT,
      });
      const off = FLAGS.filter((f) => gapOf(v, f));
      const problems = !pab
        ? [`${s.label} has no public access block; turn all four settings on`]
        : off.length
          ? [
              `the public access block of ${s.label} has ${off.join(", ")} off; turn ${off.length === 1 ? "it" : "them"} on`,
            ]
          : [];
      return verdict(
        metadata,
        s.scope,
        WANT,
        pab ?? null,
        problems,
        `All four public access block settings of ${s.label} are on.`,
      );
    },
  );
}
