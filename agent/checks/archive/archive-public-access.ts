import type { AuditManifest } from "../../../baseline";
import type { CheckMetadata, Finding } from "../../finding";
import type { ObservedState } from "../../model";
import { ABSENT, factOf, gapOf, s3PublicAccessBlock } from "../../../baseline/controls";
import { archiveScope } from "../archive-scope";
import { blocked, verdict, type CheckContext } from "../common";

export const metadata: CheckMetadata = {
  id: "archive-public-access",
  title: "The archive bucket blocks all public access and enforces bucket-owner ownership",
  area: "archive",
  severity: "HIGH",
  risk: "Without the four public-access-block flags, one policy or ACL edit can publish the organization's logs; without BucketOwnerEnforced, ACLs still decide who can read objects.",
  remediation: {
    console:
      "S3 console (log-archive account) → the archive bucket → Permissions → Block public access: all four on; Object Ownership → Edit → ACLs disabled (Bucket owner enforced).",
    cli: "aws s3api put-public-access-block --bucket <archive-bucket> --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true; aws s3api put-bucket-ownership-controls --bucket <archive-bucket> --ownership-controls 'Rules=[{ObjectOwnership=BucketOwnerEnforced}]'",
    pulumi:
      'The baseline\'s aws.s3.BucketPublicAccessBlock sets all four flags and aws.s3.BucketOwnershipControls sets objectOwnership "BucketOwnerEnforced"; run `pulumi up` on the orgwarden stack.',
  },
  controls: ["s3-public-access-block"],
  references: [
    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html",
    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html",
  ],
};

const FLAGS = ["blockPublicAcls", "ignorePublicAcls", "blockPublicPolicy", "restrictPublicBuckets"] as const;

// Two findings for one bucket: the key keeps their ids apart whatever order they are emitted in.
function publicAccessFinding(observed: ObservedState, intended: AuditManifest): Finding {
  const scope = { ...archiveScope(intended), key: "public-access-block" };
  const want = Object.fromEntries(FLAGS.map((f) => [f, true]));
  const stop = blocked(metadata, observed, scope, want, observed.archive.publicAccessBlock);
  if (stop) return stop;
  const pab = observed.archive.publicAccessBlock.ok ? observed.archive.publicAccessBlock.value : undefined;
  const v = s3PublicAccessBlock.judge({
    blockPublicAcls: pab ? factOf(pab.blockPublicAcls) : ABSENT,
    ignorePublicAcls: pab ? factOf(pab.ignorePublicAcls) : ABSENT,
    blockPublicPolicy: pab ? factOf(pab.blockPublicPolicy) : ABSENT,
    restrictPublicBuckets: pab ? factOf(pab.restrictPublicBuckets) : ABSENT,
  });
  if (!pab)
    return verdict(
      metadata,
      scope,
      want,
      null,
      v.passed ? [] : [`${intended.archive.bucketName} has no public access block; turn all four settings on`],
      "",
    );
  const off = FLAGS.filter((f) => gapOf(v, f));
  const problems =
    off.length === 0
      ? []
      : [
          `public access block of ${intended.archive.bucketName} has ${off.join(", ")} off; turn ${off.length === 1 ? "it" : "them"} on`,
        ];
  return verdict(
    metadata,
    scope,
    want,
    pab,
    problems,
    `All four public access block settings of ${intended.archive.bucketName} are on.`,
  );
}

function ownershipFinding(observed: ObservedState, intended: AuditManifest): Finding {
  const scope = { ...archiveScope(intended), key: "ownership" };
  const stop = blocked(metadata, observed, scope, "BucketOwnerEnforced", observed.archive.ownership);
  if (stop) return stop;
  const have = observed.archive.ownership.ok ? observed.archive.ownership.value : undefined;
  const problems =
    have === "BucketOwnerEnforced"
      ? []
      : [
          `object ownership of ${intended.archive.bucketName} is ${have ?? "not set"}, so ACLs still apply; set BucketOwnerEnforced`,
        ];
  return verdict(
    metadata,
    scope,
    "BucketOwnerEnforced",
    have ?? null,
    problems,
    `Object ownership of ${intended.archive.bucketName} is BucketOwnerEnforced (ACLs disabled).`,
  );
}

export function evaluate(observed: ObservedState, intended: AuditManifest, _ctx: CheckContext): Finding[] {
  return [publicAccessFinding(observed, intended), ownershipFinding(observed, intended)];
}
