/**
 * IAM (global, read in the role's own account): a baseline role's trust policy, inline policies and
 * attached managed policies. IAM returns policy documents URL-encoded (RFC 3986); they are decoded
 * here, so the checks compare documents, never encodings.
 */
import {
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  paginateListAttachedRolePolicies,
  paginateListRolePolicies,
} from "@aws-sdk/client-iam";
import type { AuditManifest, PolicyDocument } from "../../baseline";
import { memberRoles, memberRolesInputOf } from "../../baseline/detection";
import type { ClientFactory } from "../aws/clients";
import { collected, failed, type Collected, type CollectError, type ObservedRole } from "../model";
import { attempt, attemptOrAbsent, drain, type CallScope } from "./common";
import { parsePolicy } from "./organizations";

export type RoleIntent = NonNullable<AuditManifest["roles"]>["shared"][number];
/** What a read needs of a role: the handle, where it lives and its name. */
export type RoleRef = Pick<RoleIntent, "name" | "account" | "roleName">;

const decoded = (text: string | undefined, what: string) =>
  parsePolicy(text === undefined ? undefined : decodeURIComponent(text), what);

export async function collectRole(iam: IAMClient, r: RoleRef): Promise<ObservedRole> {
  const scope = (operation: string): CallScope => ({ service: "iam", operation, account: r.account, region: "global" });
  const RoleName = r.roleName;
  let maxSessionDuration: number | undefined;
  const trust = await attemptOrAbsent(scope("GetRole"), ["NoSuchEntityException", "NoSuchEntity"], async () => {
    const role = (await iam.send(new GetRoleCommand({ RoleName }))).Role;
    maxSessionDuration = role?.MaxSessionDuration;
    return decoded(role?.AssumeRolePolicyDocument, `trust policy of role ${RoleName}`);
  });
  const base = {
    name: r.name,
    account: r.account,
    roleName: RoleName,
    trust,
    ...(maxSessionDuration === undefined ? {} : { maxSessionDuration }),
  };
  if (trust.ok && trust.value === undefined)
    return { ...base, inlinePolicies: collected({}), managedPolicyArns: collected([]) };
  const [inlinePolicies, managedPolicyArns] = await Promise.all([
    // Each call under its own operation, so that an ERROR names the call that failed (the list or one policy's read).
    attempt(scope("ListRolePolicies"), () =>
      drain(paginateListRolePolicies({ client: iam }, { RoleName }), (p) => p.PolicyNames),
    ).then(async (names): Promise<Collected<Record<string, PolicyDocument>>> => {
      if (!names.ok) return failed(names.error);
      const docs: Record<string, PolicyDocument> = {};
      for (const PolicyName of names.value) {
        const doc = await attempt(scope("GetRolePolicy"), async () => {
          const p = await iam.send(new GetRolePolicyCommand({ RoleName, PolicyName }));
          return decoded(p.PolicyDocument, `inline policy ${PolicyName} of role ${RoleName}`);
        });
        if (!doc.ok) return failed(doc.error);
        docs[PolicyName] = doc.value;
      }
      return collected(docs);
    }),
    attempt(scope("ListAttachedRolePolicies"), async () =>
      (await drain(paginateListAttachedRolePolicies({ client: iam }, { RoleName }), (p) => p.AttachedPolicies))
        .map((a) => a.PolicyArn ?? "")
        .sort(),
    ),
  ]);
  return { ...base, inlinePolicies, managedPolicyArns };
}

export function unreadableRole(r: RoleRef, e: CollectError): ObservedRole {
  return {
    name: r.name,
    account: r.account,
    roleName: r.roleName,
    trust: failed(e),
    inlinePolicies: failed(e),
    managedPolicyArns: failed(e),
  };
}

/** A collection task (agent/collectors/index.ts) for one of the manifest's shared roles, in its own account. */
export function roleTask(clients: ClientFactory, r: RoleIntent, home: string) {
  return {
    account: r.account,
    region: "global",
    service: "iam",
    run: () => collectRole(clients.get(IAMClient, r.account, home), r),
    unreadable: (e: CollectError) => unreadableRole(r, e),
  };
}

/**
 * The collection task for the member roles of one account (manifest `roles.perAccount`): both read
 * in the account itself, through the read role (whose own extra policy grants these reads, MemberRolesRead).
 */
export function memberRolesTask(clients: ClientFactory, account: string, roles: RoleRef[], home: string) {
  return {
    account,
    region: "global",
    service: "iam",
    run: async () => {
      const iam = clients.get(IAMClient, account, home);
      return Promise.all(roles.map((r) => collectRole(iam, r)));
    },
    unreadable: (e: CollectError) => roles.map((r) => unreadableRole(r, e)),
  };
}

/** A batch without a state: both member roles of each account failed with the batch's error (none when the manifest has no `roles.perAccount`). */
export function memberRolesFailed(
  m: AuditManifest,
  accounts: string[],
  error: (account: string) => CollectError,
): { memberRoles?: ObservedRole[] } {
  const input = m.roles?.perAccount && memberRolesInputOf(m);
  if (!input) return {};
  return { memberRoles: accounts.flatMap((a) => memberRoles(input, a).map((r) => unreadableRole(r, error(a)))) };
}
