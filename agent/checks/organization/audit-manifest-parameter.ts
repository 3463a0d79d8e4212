import {
  MANIFEST_DIGEST_TAG,
  manifestDigest,
  manifestParameterName,
  manifestParameterNames,
  ssmParameterArn,
  type AuditManifest,
} from "../../../baseline";
import type { CheckMetadata, Finding } from "../../finding";
import type { ObservedParameterMetadata, ObservedState } from "../../model";
import { blocked, errorFinding, finding, verdict, type CheckContext } from "../common";

export const metadata: CheckMetadata = {
  id: "audit-manifest-parameter",
  title: "The audit manifest this run judges with is the one infra wrote to its SSM parameters",
  area: "organization",
  severity: "CRITICAL",
  // No shared control: the pack sees the parameter infra is about to write, never a later rewrite of it.
  controls: [],
  risk: "The manifest is what the audit calls intended: whoever rewrites the parameter decides what every other check accepts (an extra SCP exemption, a wider bucket policy, a shorter retention), and the nightly audit then reports PASS on a weakened baseline. A changed manifest blinds the audit.",
  remediation: {
    console:
      "Systems Manager console (security account, home region) → Parameter Store → /orgwarden/<stack>/audit-manifest and each of its parts /orgwarden/<stack>/audit-manifest/part-2 … → History: find the version and the principal (Last modified user) that changed it; CloudTrail → Event history → PutParameter / DeleteParameter / AddTagsToResource on those parameters. Then restore them with `pulumi up`.",
    cli: "aws ssm describe-parameters --parameter-filters Key=Path,Values=/orgwarden/<stack>/audit-manifest --region <home-region> (the parts); aws ssm get-parameter-history --name <head or part> --region <home-region>; aws ssm list-tags-for-resource --resource-type Parameter --resource-id <head or part> --region <home-region>",
    pulumi:
      "infra/audit-manifest.ts writes the head, its parts and their orgwarden:manifest-sha256 tags from the stack; run `pulumi up` on the orgwarden stack to write them again, and find out who changed them (the SCP denies ssm:PutParameter, DeleteParameter and tag changes on them to every principal but the exempt ones).",
  },
  references: [
    "https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_PutParameter.html",
    "https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_DescribeParameters.html",
    "https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_AddTagsToResource.html",
    "https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-history.html",
  ],
};

/**
 * One finding for the manifest's parameters in the security account: the head
 * /orgwarden/<stack>/audit-manifest and its parts <head>/part-2 … (baseline/manifest-codec.ts). The
 * anchor is each parameter's orgwarden:manifest-sha256 tag, which infra sets and PutParameter cannot
 * change: the manifest judged with must hash to the head's, and every part must carry the same (a
 * part deleted, re-tagged, or left from another write is named). Values are not read (the read role
 * is denied ssm:GetParameter*), so against a manifest from a file the PASS says only that the file is
 * the manifest infra last wrote; the nightly run, which judges with the parameters' values and
 * refuses a set whose parts do not join to the head's digest, proves the values themselves.
 */
export function evaluate(observed: ObservedState, intended: AuditManifest, _ctx: CheckContext): Finding[] {
  const account = intended.organization.securityAccountId;
  const region = intended.regions.home;
  const name = manifestParameterName(intended.stack);
  const scope = { account, region, resourceArn: ssmParameterArn(region, account, name) };
  const digest = manifestDigest(intended);
  const names = manifestParameterNames(name);
  const want = { names, type: "String", tags: { [MANIFEST_DIGEST_TAG]: digest } };
  const p = observed.manifestParameter;
  if (!p)
    return [
      errorFinding(
        metadata,
        scope,
        { name: "NotCollected", operation: "DescribeParameters", message: "the manifest parameter was not collected" },
        want,
      ),
    ];
  const stop = blocked(
    metadata,
    observed,
    scope,
    want,
    p.metadata,
    p.tags,
    ...p.parts.flatMap((x) => [x.metadata, x.tags]),
  );
  if (stop || !p.metadata.ok || !p.tags.ok) return [stop!];
  const md = p.metadata.value;
  if (!md)
    return [
      finding(metadata, scope, {
        status: "FAIL",
        intended: want,
        observed: { exists: false },
        message: `The audit manifest parameter ${name} does not exist in the security account ${account} (${region}): the nightly audit has no manifest to read, and nothing pins the one this audit judges with; run \`pulumi up\`.`,
      }),
    ];
  const tag = p.tags.value[MANIFEST_DIGEST_TAG];
  const parts = p.parts.map((x) => ({
    ...x,
    md: x.metadata.ok ? x.metadata.value : undefined,
    tags: x.tags.ok ? x.tags.value : {},
  }));
  const seen = {
    name,
    type: md.type,
    version: md.version,
    lastModifiedDate: md.lastModifiedDate,
    lastModifiedUser: md.lastModifiedUser,
    tags: { [MANIFEST_DIGEST_TAG]: tag ?? null },
    judgedWithSha256: digest,
    parts: parts.map((x) =>
      x.md
        ? {
            name: x.name,
            type: x.md.type,
            version: x.md.version,
            lastModifiedDate: x.md.lastModifiedDate,
            lastModifiedUser: x.md.lastModifiedUser,
            tags: { [MANIFEST_DIGEST_TAG]: x.tags[MANIFEST_DIGEST_TAG] ?? null },
          }
        : { name: x.name, exists: false },
    ),
  };
  const written = writtenBy(md);
  const problems: string[] = [];
  if (tag === undefined)
    problems.push(
      `the parameter ${name} carries no ${MANIFEST_DIGEST_TAG} tag (${written}): whether its content is the manifest infra wrote cannot be told; the tag was removed, or the parameter was not written by infra`,
    );
  else if (tag !== digest)
    problems.push(
      `the manifest this audit judges with (SHA-256 ${digest}) is not the one infra pinned on ${name} (${MANIFEST_DIGEST_TAG} = ${tag}; ${written}): the parameter was rewritten since the last \`pulumi up\`, or this run's manifest is not the stack's. Every other finding of this run was judged against it`,
    );
  if (md.type !== "String") problems.push(`the parameter ${name} is of type ${md.type ?? "unknown"}, not String`);
  // Each part is held to the head's tag (to the manifest judged with only when the head has none): a rewrite of
  // the whole set is the head's problem above, a part of another write or re-tagged is that part's.
  const anchor =
    tag === undefined
      ? { sha256: digest, what: "the SHA-256 of the manifest judged with" }
      : { sha256: tag, what: "the head's" };
  for (const x of parts) problems.push(...partProblems(x, names.length, anchor));
  return [
    verdict(
      metadata,
      scope,
      want,
      seen,
      problems,
      `The manifest this audit judges with is the one infra wrote: its SHA-256 equals the ${MANIFEST_DIGEST_TAG} tag of ${name} (${written}) and of each of its ${parts.length} parts (${parts.map((x) => x.name).join(", ")}), which PutParameter cannot change. The parameters' values are not read here (the read role is denied ssm:GetParameter*): the nightly run, which judges with those values and refuses parts that do not join to the head's digest, is the one that proves them unchanged.`,
    ),
  ];
}

function writtenBy(md: NonNullable<ObservedParameterMetadata>): string {
  return `version ${md.version ?? "?"}, last written by ${md.lastModifiedUser ?? "an unknown principal"} at ${md.lastModifiedDate ?? "an unknown time"}`;
}

function partProblems(
  x: { name: string; index: number; md: ObservedParameterMetadata; tags: Record<string, string> },
  count: number,
  anchor: { sha256: string; what: string },
): string[] {
  const what = `part ${x.index} of ${count}, ${x.name},`;
  if (!x.md)
    return [
      `${what} does not exist: the nightly run refuses the partial set and audits nothing; it was deleted, or never written (run \`pulumi up\`)`,
    ];
  const written = writtenBy(x.md);
  const tag = x.tags[MANIFEST_DIGEST_TAG];
  const out: string[] = [];
  if (tag === undefined)
    out.push(
      `${what} carries no ${MANIFEST_DIGEST_TAG} tag (${written}): the tag was removed, or the part was not written by infra`,
    );
  else if (tag !== anchor.sha256)
    out.push(
      `${what} is pinned to another manifest (${MANIFEST_DIGEST_TAG} = ${tag}, not ${anchor.what} ${anchor.sha256}; ${written}): it was left from another write or re-tagged, and the nightly run refuses a set it does not belong to`,
    );
  if (x.md.type !== "String") out.push(`${what} is of type ${x.md.type ?? "unknown"}, not String`);
  return out;
}
