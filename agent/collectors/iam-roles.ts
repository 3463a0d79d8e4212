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
import type { ClientFactory } from "../aws/clients";
import { collected, failed, type Collected, type CollectError, type ObservedRole } from "../model";
import { attempt, attemptOrAbsent, drain, type CallScope } from "./common";
import { parsePolicy } from "./organizations";

export type RoleIntent = NonNullable<AuditManifest["roles"]>["shared"][number];

const decoded = (text: string | undefined, what: string) =>
  parsePolicy(text === undefined ? undefined : decodeURIComponent(text), what);

export async function collectRole(iam: IAMClient, r: RoleIntent): Promise<ObservedRole> {
  const scope = (operation: string): CallScope => ({ service: "iam", operation, account: r.account, region: "global" });
  const RoleName = r.roleName;
  const trust = await attemptOrAbsent(scope("GetRole"), ["NoSuchEntityException", "NoSuchEntity"], async () => {
    const role = (await iam.send(new GetRoleCommand({ RoleName }))).Role;
    return decoded(role?.AssumeRolePolicyDocument, `trust policy of role ${RoleName}`);
  });
  const base = { name: r.name, account: r.account, roleName: RoleName, trust };
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

export function unreadableRole(r: RoleIntent, e: CollectError): ObservedRole {
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
