/** Turns a semantic policy diff into findings: one FAIL per drifted statement, CRITICAL when it lets in a foreign principal. */
import { createHash } from "node:crypto";
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
        finding(
          meta,
          { ...scope, key: driftKey(kind, d) },
          {
            status: "FAIL",
            severity: foreign.length > 0 ? "CRITICAL" : undefined,
            intended: d.intendedStatement ?? null,
            observed: d.observedStatement ?? null,
            message: `${what}: ${describeDrift(kind, d)}.${foreignText} To fix: ${ADVICE[kind]}.`,
          },
        ),
      );
    }
  }
  return out;
}

/**
 * Each drift of one policy is its own finding, so each needs its own id (the finding's key): the
 * kind and the statement's Sid, or for a Sid-less statement a digest of its normalized form (the
 * observed one when added, else the intended one), so the same drift keeps its id from run to run.
 */
function driftKey(kind: "added" | "removed" | "changed", d: StatementDrift): string {
  if (d.sid !== undefined) return `${kind}:${d.sid}`;
  const stmt = kind === "added" ? d.observed : (d.intended ?? d.observed);
  const digest = createHash("sha256")
    .update(canonicalJson(stmt ?? null))
    .digest("hex")
    .slice(0, 16);
  return `${kind}:${digest}`;
}

/** JSON with object keys sorted at every level: the same statement gives the same text. */
function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(",")}]`;
  if (v && typeof v === "object")
    return `{${Object.keys(v as Record<string, unknown>)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  return JSON.stringify(v) ?? "null";
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
