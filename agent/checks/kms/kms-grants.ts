import type { AuditManifest } from "../../../baseline";
import { wildcardMatches } from "../../../baseline/wildcard";
import type { CheckMetadata, Finding } from "../../finding";
import type { ObservedGrant, ObservedState } from "../../model";
import { blocked, finding, sentence, type CheckContext } from "../common";
import { keyScope } from "../kms-scope";

export const metadata: CheckMetadata = {
  id: "kms-grants",
  title: "Every grant on the log key is to an allowed grantee, for allowed operations",
  area: "kms",
  severity: "HIGH",
  risk: "A grant gives cryptographic use of the key outside the key policy: one grant of Decrypt to an unexpected principal lets it read every log file, and grants do not show in the key policy.",
  remediation: {
    console:
      "The KMS console does not list grants; use the CLI (list-grants, then revoke-grant) from the security account.",
    cli: "aws kms list-grants --key-id <key-arn>; aws kms revoke-grant --key-id <key-arn> --grant-id <grant-id>",
    pulumi:
      "Grants the baseline intends are aws.kms.Grant resources of the orgwarden stack, listed in the manifest's allowedGrantees. Pulumi does not track a grant it did not create: revoke it with the CLI, or add it to the stack and the allow-list and run `pulumi up`.",
  },
  controls: [],
  references: [
    "https://docs.aws.amazon.com/kms/latest/developerguide/grants.html",
    "https://docs.aws.amazon.com/kms/latest/APIReference/API_RevokeGrant.html",
  ],
};

type Allowed = AuditManifest["key"]["allowedGrantees"][number];

/** Allow-list entries may use "*" wildcards; everything else (`?` too) matches literally and case-sensitively, as ARNs do. */
export function matchesPattern(value: string, pattern: string): boolean {
  return wildcardMatches(pattern, value, { questionMark: "literal" });
}

/** Why the grant is not allowed, judged against every allow-list entry for its grantee; undefined when one entry allows it. */
function whyNotAllowed(g: ObservedGrant, allowed: Allowed[]): string | undefined {
  const forGrantee = allowed.filter((a) => matchesPattern(g.granteePrincipal, a.granteePrincipal));
  if (forGrantee.length === 0) return `grantee ${g.granteePrincipal} is not in the allow-list`;
  const reasons: string[] = [];
  for (const a of forGrantee) {
    const extra = g.operations.filter((op) => !a.operations.includes(op));
    const retiring =
      g.retiringPrincipal === undefined
        ? undefined
        : a.retiringPrincipal === undefined
          ? `retiring principal ${g.retiringPrincipal} is set, none is allowed`
          : matchesPattern(g.retiringPrincipal, a.retiringPrincipal)
            ? undefined
            : `retiring principal ${g.retiringPrincipal} is not the allowed ${a.retiringPrincipal}`;
    if (extra.length === 0 && !retiring) return undefined;
    reasons.push(
      [
        extra.length > 0
          ? `operations ${extra.join(", ")} are not allowed (allowed: ${a.operations.join(", ")})`
          : undefined,
        retiring,
      ]
        .filter(Boolean)
        .join(" and "),
    );
  }
  return reasons.join("; or ");
}

function grantName(g: ObservedGrant): string {
  return g.name ? `grant ${g.grantId} (${g.name})` : `grant ${g.grantId}`;
}

export function evaluate(observed: ObservedState, intended: AuditManifest, _ctx: CheckContext): Finding[] {
  const scope = keyScope(intended);
  const allowed = intended.key.allowedGrantees;
  const stop = blocked(metadata, observed, scope, allowed, observed.key.grants);
  if (stop) return [stop];
  const grants = observed.key.grants.ok ? observed.key.grants.value : [];
  if (grants.length === 0)
    return [
      finding(metadata, scope, {
        status: "PASS",
        intended: allowed,
        observed: [],
        message: `The log key has no grants.`,
      }),
    ];
  return grants.map((g) => {
    const why = whyNotAllowed(g, allowed);
    const have = {
      grantId: g.grantId,
      name: g.name ?? null,
      granteePrincipal: g.granteePrincipal,
      operations: g.operations,
      retiringPrincipal: g.retiringPrincipal ?? null,
    };
    // One finding per grant, each its own id (the grant id is the key): a new grant is a new finding.
    return finding(
      metadata,
      { ...scope, key: g.grantId },
      {
        status: why ? "FAIL" : "PASS",
        intended: allowed,
        observed: have,
        message: why
          ? `The log key has ${grantName(g)} to ${g.granteePrincipal} that is not allowed: ${why}. Revoke it (aws kms revoke-grant --key-id ${intended.key.arn} --grant-id ${g.grantId}) or add it to the allow-list.`
          : sentence(`${grantName(g)} to ${g.granteePrincipal} for ${g.operations.join(", ")} is allowed.`),
      },
    );
  });
}
