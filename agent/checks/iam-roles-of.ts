/**
 * The roles the role checks judge, each with where it lives and what was read of it: the manifest's
 * `roles.shared` (read once by the plan) and, per account of the batch, the read role and the
 * forwarder role the member baseline lays everywhere (`roles.perAccount`, rebuilt from baseline/).
 */
import { organizationArn, roleArn, type AuditManifest } from "../../baseline";
import { memberRoles, memberRolesDigest, memberRolesInputOf } from "../../baseline/detection";
import { failed, type CollectError, type ObservedRole, type ObservedState } from "../model";
import { errorFinding, finding, type Scope } from "./common";
import { auditedAccounts, excludedAccountFinding } from "./scope";
import type { CheckMetadata, Finding } from "../finding";

/** A shared role's manifest entry, or a member role as rebuilt (which may carry the read role's MaxSessionDuration). */
export type RoleIntent = NonNullable<AuditManifest["roles"]>["shared"][number] & { maxSessionDuration?: number };

export interface JudgedRole {
  intent: RoleIntent;
  scope: Scope;
  observed: ObservedRole;
}

function notCollected(r: RoleIntent): CollectError {
  return {
    name: "NotCollected",
    message: `the observed state carries no reading of ${r.roleName} in account ${r.account} (it was collected without it)`,
    kind: "other",
    operation: "collect baseline roles",
    service: "iam",
    account: r.account,
    region: "global",
  };
}

function judged(intent: RoleIntent, seen: ObservedRole | undefined): JudgedRole {
  const e = notCollected(intent);
  return {
    intent,
    scope: { account: intent.account, region: "global", resourceArn: roleArn(intent.account, intent.roleName) },
    observed:
      seen && seen.name === intent.name && seen.roleName === intent.roleName && seen.account === intent.account
        ? seen
        : {
            name: intent.name,
            account: intent.account,
            roleName: intent.roleName,
            trust: failed(e),
            inlinePolicies: failed(e),
            managedPolicyArns: failed(e),
          },
  };
}

export function baselineRoles(o: ObservedState, m: AuditManifest): JudgedRole[] {
  return (m.roles?.shared ?? []).map((intent, n) => judged(intent, o.roles?.[n]));
}

/**
 * The member roles of the batch's accounts to judge, and the findings that stand for what cannot be
 * judged: NOT_APPLICABLE for a manifest without `roles.perAccount` and per role of an account
 * stackSet.excludeAccounts excludes; ERROR when this agent rebuilds other documents than infra laid
 * (the digest differs) and when the account list is unreadable (the accounts read are still judged).
 */
export function memberRoleSubjects(
  meta: CheckMetadata,
  o: ObservedState,
  m: AuditManifest,
): { roles: JudgedRole[]; findings: Finding[] } {
  const org = { account: "-", region: "global", resourceArn: organizationArn(m.organization) };
  const input = m.roles?.perAccount && memberRolesInputOf(m);
  if (!input)
    return {
      roles: [],
      findings: [
        finding(meta, org, {
          status: "NOT_APPLICABLE",
          intended: "roles.perAccount in the audit manifest",
          observed: null,
          message: `The audit read role (${m.audit.readRoleName}) and the event forwarder role in every account: not judged, because the audit manifest has no roles.perAccount (it was published by an orgwarden release that did not audit them). Run \`pulumi up\` on stack ${m.stack} to publish the current manifest; until then neither role is audited in any account.`,
        }),
      ],
    };
  const digest = memberRolesDigest(input);
  if (digest !== m.roles!.perAccount!.digest)
    return {
      roles: [],
      findings: [
        errorFinding(
          meta,
          org,
          {
            name: "IntentDigestMismatch",
            operation: "rebuild roles.perAccount",
            message: `this agent's baseline rebuilds the read role's and the forwarder role's documents with digest ${digest}, but stack ${m.stack} published ${m.roles!.perAccount!.digest}: the agent and the deployed stack are of different orgwarden releases, so the agent cannot know the intended trust and permissions of either role. Run the agent of the release the stack was deployed with, or run \`pulumi up\``,
          },
          "the documents of the manifest's roles.perAccount digest",
        ),
      ],
    };
  const findings: Finding[] = [];
  const accounts = auditedAccounts(o);
  let wanted: string[];
  if (accounts.ok) wanted = accounts.value;
  else {
    findings.push(errorFinding(meta, org, accounts.error, "the read role and the forwarder role in every account"));
    wanted = [...new Set((o.memberRoles ?? []).map((r) => r.account))].filter(
      (a) => !o.scope?.accounts || o.scope.accounts.includes(a),
    );
  }
  const excluded = m.stackSet?.excludeAccounts ?? [];
  const roles: JudgedRole[] = [];
  for (const account of wanted)
    for (const intent of memberRoles(input, account)) {
      if (!excluded.includes(account)) {
        roles.push(
          judged(
            intent,
            o.memberRoles?.find((r) => r.account === account && r.name === intent.name),
          ),
        );
        continue;
      }
      findings.push(
        excludedAccountFinding(
          meta,
          { account, region: "global", resourceArn: roleArn(account, intent.roleName) },
          `${intent.purpose} ${intent.roleName}`,
        ),
      );
    }
  return { roles, findings };
}

/**
 * One NOT_APPLICABLE when the manifest lists no shared role: written before `roles`, or (under
 * controlTower, in a manifest without the agent's role) none at all. The scope says so rather than shrinking silently.
 */
export function noRolesListed(meta: CheckMetadata, m: AuditManifest): Finding {
  return finding(
    meta,
    { account: m.organization.securityAccountId, region: "global", resourceArn: "-" },
    {
      status: "NOT_APPLICABLE",
      intended: null,
      observed: null,
      message: m.roles
        ? "The audit manifest's `roles.shared` lists none of the baseline's roles, so none was judged (under controlTower the trail's Logs role and the log auditor are not orgwarden's); deploy the stack again if it should list them."
        : "The audit manifest lists none of the baseline's roles (it has no `roles` section: it was written before they were listed); deploy the stack again to publish them.",
    },
  );
}

export const roleLabel = (r: RoleIntent) => `${r.purpose} ${r.roleName} (account ${r.account})`;
