import type { AuditManifest } from "../../../baseline";
import {
  comparePolicies,
  describeDrift,
  type NormalizedStatement,
  type StatementDrift,
} from "../../../baseline/policy-compare";
import type { CheckMetadata, Finding } from "../../finding";
import type { ObservedState } from "../../model";
import { blocked, finding, sentence, type CheckContext } from "../common";
import { baselineRoles, memberRoleSubjects, noRolesListed, roleLabel, type JudgedRole } from "../iam-roles-of";
import { trustedPrincipals } from "../policy-drift";
import { foreignPrincipalsOfStatement } from "../../../baseline/policy-compare";

export const metadata: CheckMetadata = {
  id: "iam-role-trust",
  title: "Every role the baseline depends on trusts exactly the intended principals",
  area: "iam-roles",
  severity: "HIGH",
  risk: "A trust policy decides who can become the role: a trust widened to another principal, a dropped aws:PrincipalOrgID, aws:SourceArn, aws:SourceAccount or sts:ExternalId condition, or a wildcard lets someone else act as the log auditor (who may decrypt every log file), the agent, the trail's delivery role, the audit read role of an account (which reads its whole security configuration) or its event forwarder (which puts events on the central bus as that account). A narrower trust breaks the audit or delivery instead; a longer read-role session outlives the audit run it was made for.",
  remediation: {
    console:
      "IAM console (the role's account) → Roles → the role → Trust relationships → Edit trust policy: restore the intended document.",
    cli: "aws iam update-assume-role-policy --role-name <role-name> --policy-document file://<intended-file>; for the audit read role also aws iam update-role --role-name <read-role-name> --max-session-duration 3600",
    pulumi:
      "Run `pulumi up` on the orgwarden stack: every role's assumeRolePolicy is built from baseline/ (cloudTrailLogsTrustPolicy, logAuditorTrustPolicy, auditAgentTrustPolicy, auditStateMachineTrustPolicy, auditScheduleTrustPolicy; the read role's auditRoleTrustPolicy and the event forwarder's eventForwarderTrustPolicy in the member baseline's stacks, which a stack instance update re-applies).",
    document: "role-trust",
  },
  controls: [],
  references: [
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_update-role-trust-policy.html",
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html",
  ],
};

const sameValues = (a: string[] | undefined, b: string[] | undefined) =>
  JSON.stringify([...(a ?? [])].sort()) === JSON.stringify([...(b ?? [])].sort());

/** Every intended condition is still there with the same values (more conditions only narrow an Allow). */
function conditionsKept(i: NormalizedStatement, o: NormalizedStatement): boolean {
  for (const [op, keys] of Object.entries(i.condition ?? {}))
    for (const [key, values] of Object.entries(keys)) if (!sameValues(o.condition?.[op]?.[key], values)) return false;
  return true;
}

function subset(o: string[] | undefined, i: string[] | undefined): boolean {
  return (o ?? []).every((x) => (i ?? []).includes(x));
}

/**
 * A changed Allow is provably narrower only when it admits no principal, action or condition-free
 * case the intended one did not: fewer principals, fewer actions, every intended condition kept.
 * Anything else (NotPrincipal, a new principal, a dropped or changed condition) may widen: CRITICAL.
 */
function narrower(d: StatementDrift): boolean {
  const i = d.intended;
  const o = d.observed;
  if (!i || !o || i.effect !== "Allow" || o.effect !== "Allow") return false;
  if (o.notPrincipal || o.notAction || i.notPrincipal || i.notAction) return false;
  if ((d.principalsAdded ?? []).length > 0) return false;
  for (const [type, values] of Object.entries(o.principal ?? {}))
    if (!subset(values, i.principal?.[type])) return false;
  return subset(o.action, i.action) && conditionsKept(i, o);
}

function widening(kind: "added" | "removed" | "changed", d: StatementDrift): boolean {
  const effect = (d.observed ?? d.intended)?.effect;
  if (kind === "added") return effect === "Allow";
  if (kind === "removed") return effect === "Deny";
  return !narrower(d);
}

/** The read role's MaxSessionDuration against the template's, as a problem sentence (none when it matches or none is intended). */
function sessionProblem(r: JudgedRole): string | undefined {
  const want = r.intent.maxSessionDuration;
  if (want === undefined) return undefined;
  const have = r.observed.maxSessionDuration;
  if (have === want) return undefined;
  return `Its MaxSessionDuration is ${have === undefined ? "not reported by GetRole" : `${have} s`}, intended ${want} s (an audit run's credentials live at most that long): aws iam update-role --role-name ${r.intent.roleName} --max-session-duration ${want} (run in account ${r.intent.account}), or update the member baseline's stack instance.`;
}

function judge(o: ObservedState, m: AuditManifest, r: JudgedRole): Finding[] {
  const [f] = judgeTrust(o, m, r);
  const session = f.status === "PASS" || f.status === "FAIL" ? sessionProblem(r) : undefined;
  if (!session || f.observed === null) return [f];
  return [
    {
      ...f,
      status: "FAIL",
      intended: { trustPolicy: r.intent.trustPolicy, maxSessionDuration: r.intent.maxSessionDuration },
      observed: { trustPolicy: f.observed, maxSessionDuration: r.observed.maxSessionDuration ?? null },
      message:
        f.status === "PASS"
          ? `The trust policy of ${roleLabel(r.intent)} means the same as the intended one. ${session}`
          : `${f.message} ${session}`,
    },
  ];
}

function judgeTrust(o: ObservedState, m: AuditManifest, r: JudgedRole): Finding[] {
  const want = r.intent.trustPolicy;
  const stop = blocked(metadata, o, r.scope, want, r.observed.trust);
  if (stop || !r.observed.trust.ok) return [stop!];
  const have = r.observed.trust.value;
  const who = roleLabel(r.intent);
  if (have === undefined)
    return [
      finding(metadata, r.scope, {
        status: "FAIL",
        intended: want,
        observed: null,
        message: sentence(
          `${who} does not exist; what depends on it fails. Run \`pulumi up\` on the orgwarden stack to lay it again.`,
        ),
      }),
    ];
  const diff = comparePolicies(want, have);
  if (diff.equal)
    return [
      finding(metadata, r.scope, {
        status: "PASS",
        intended: `${want.Statement.length} statements as in the manifest`,
        observed: `${have.Statement.length} statements, same meaning`,
        message: `The trust policy of ${who} means the same as the intended one.`,
      }),
    ];
  const trusted = trustedPrincipals(o, m);
  const wider: string[] = [];
  const narrowed: string[] = [];
  for (const kind of ["added", "removed", "changed"] as const)
    for (const d of diff[kind]) {
      const foreign = d.observed ? foreignPrincipalsOfStatement(d.observed, trusted) : [];
      const line = `${describeDrift(kind, d)}${foreign.length > 0 ? ` (outside the organization: ${foreign.map((f) => f.principal).join(", ")})` : ""}`;
      (widening(kind, d) ? wider : narrowed).push(line);
    }
  const fix = `Restore it: aws iam update-assume-role-policy --role-name ${r.intent.roleName} --policy-document file://<intended-file> (run in account ${r.intent.account}), or run \`pulumi up\`.`;
  return [
    finding(metadata, r.scope, {
      status: "FAIL",
      severity: wider.length > 0 ? "CRITICAL" : undefined,
      intended: want,
      observed: have,
      message:
        wider.length > 0
          ? `The trust policy of ${who} admits more than intended: ${wider.join("; ")}${narrowed.length > 0 ? `; and it lost: ${narrowed.join("; ")}` : ""}. Someone other than the intended principals may assume it. ${fix}`
          : `The trust policy of ${who} is narrower than intended (${narrowed.join("; ")}): the intended principals may no longer assume it, which breaks what depends on it. ${fix}`,
    }),
  ];
}

/** One finding per role, and per account × member role (resource = the role's ARN, region "global"). */
export function evaluate(observed: ObservedState, intended: AuditManifest, _ctx: CheckContext): Finding[] {
  const shared = intended.roles?.shared.length
    ? baselineRoles(observed, intended).flatMap((r) => judge(observed, intended, r))
    : [noRolesListed(metadata, intended)];
  const members = memberRoleSubjects(metadata, observed, intended);
  return [...shared, ...members.findings, ...members.roles.flatMap((r) => judge(observed, intended, r))];
}
