/** Turns a semantic policy diff into findings: one FAIL per drifted statement, CRITICAL when it lets in a foreign principal. */
import type { AuditManifest, PolicyDocument } from "../../baseline";
import {
  comparePolicies,
  describeDrift,
  foreignPrincipalsOfStatement,
  type ForeignPrincipal,
  type StatementDrift,
  type TrustedPrincipals,
} from "../../baseline/policy-compare";
import type { CheckMetadata, Finding } from "../finding";
import type { ObservedState } from "../model";
import { finding, type Scope } from "./common";

const ADVICE = {
  added: "remove it, or add it to the baseline and deploy",
  removed: "put it back (pulumi up restores the intended policy)",
  changed: "restore the intended statement (pulumi up restores the intended policy)",
} as const;

function newlyForeign(kind: keyof typeof ADVICE, d: StatementDrift, t: TrustedPrincipals): ForeignPrincipal[] {
  if (kind === "removed" || !d.observed) return [];
  const before = d.intended ? foreignPrincipalsOfStatement(d.intended, t).map((f) => f.principal) : [];
  return foreignPrincipalsOfStatement(d.observed, t).filter((f) => !before.includes(f.principal));
}

/** `what` names the policy for people, e.g. "The bucket policy of orgwarden-archive". */
export function policyDriftFindings(
  meta: CheckMetadata,
  scope: Scope,
  what: string,
  intended: PolicyDocument,
  observed: PolicyDocument,
  trusted: TrustedPrincipals,
): Finding[] {
  const diff = comparePolicies(intended, observed);
  if (diff.equal) {
    return [
      finding(meta, scope, {
        status: "PASS",
        intended: `${intended.Statement.length} statements as in the manifest`,
        observed: `${observed.Statement.length} statements, same meaning`,
        message: `${what} means the same as the intended policy.`,
      }),
    ];
  }
  const out: Finding[] = [];
  for (const kind of ["added", "removed", "changed"] as const) {
    for (const d of diff[kind]) {
      const foreign = newlyForeign(kind, d, trusted);
      const foreignText =
        foreign.length > 0
          ? ` It grants to a principal outside the organization: ${foreign.map((f) => `${f.principal} (${f.reason})`).join("; ")}.`
          : "";
      out.push(
        finding(meta, scope, {
          status: "FAIL",
          severity: foreign.length > 0 ? "CRITICAL" : undefined,
          intended: d.intendedStatement ?? null,
          observed: d.observedStatement ?? null,
          message: `${what}: ${describeDrift(kind, d)}.${foreignText} To fix: ${ADVICE[kind]}.`,
        }),
      );
    }
  }
  return out;
}

/** The manifest's accounts, plus every account the organization lists when that list could be read. */
export function trustedPrincipals(o: ObservedState, m: AuditManifest): TrustedPrincipals {
  const org = m.organization;
  const members = o.organization.accounts.ok ? o.organization.accounts.value.map((a) => a.id) : [];
  return {
    orgId: org.id,
    accountIds: [...new Set([org.managementAccountId, org.logArchiveAccountId, org.securityAccountId, ...members])],
  };
}
