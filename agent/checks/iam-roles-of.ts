/** The roles the role checks judge (manifest `roles.shared`), each with where it lives and what was read of it. */
import { roleArn, type AuditManifest } from "../../baseline";
import { failed, type CollectError, type ObservedRole, type ObservedState } from "../model";
import { finding, type Scope } from "./common";
import type { CheckMetadata, Finding } from "../finding";

export type RoleIntent = NonNullable<AuditManifest["roles"]>["shared"][number];

export interface JudgedRole {
  intent: RoleIntent;
  scope: Scope;
  observed: ObservedRole;
}

function notCollected(r: RoleIntent): CollectError {
  return {
    name: "NotCollected",
    message: "the observed state carries no reading of the baseline's roles (it was collected without them)",
    kind: "other",
    operation: "collect baseline roles",
    service: "iam",
    account: r.account,
    region: "global",
  };
}

export function baselineRoles(o: ObservedState, m: AuditManifest): JudgedRole[] {
  return (m.roles?.shared ?? []).map((intent, n) => {
    const seen = o.roles?.[n];
    const e = notCollected(intent);
    return {
      intent,
      scope: { account: intent.account, region: "global", resourceArn: roleArn(intent.account, intent.roleName) },
      observed:
        seen && seen.name === intent.name && seen.roleName === intent.roleName
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
  });
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
