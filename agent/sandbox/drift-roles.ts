/**
 * Drifts of the member baseline's roles in one account (baseline/detection/member-roles.ts): the
 * audit read role ("audit-read-role") or the event forwarder role ("event-forwarder-role"), each a
 * change iam-role-trust or iam-role-permissions must report on that role in that account alone.
 * And drifts of a role the manifest lists in `roles.shared` (driftSharedRole), from its entry.
 */
import {
  AttachRolePolicyCommand,
  CreatePolicyCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  IAMClient,
  ListRolePoliciesCommand,
  PutRolePolicyCommand,
  UpdateAssumeRolePolicyCommand,
  UpdateRoleCommand,
} from "@aws-sdk/client-iam";
import { accountRoot, type PolicyDocument } from "../../baseline";
import { memberRoles, type MemberRoleName } from "../../baseline/detection";
import { SANDBOX } from "./layout";
import { sandboxMemberRolesInput } from "./seed-org";
import type { Sandbox } from "./seed";

export type MemberRoleDriftChange =
  /** A statement trusting the outsider account's root appended to the trust policy. */
  | "trust-outsider"
  /** A customer managed policy (Allow * on *) attached; returns its ARN. */
  | "extra-managed-policy"
  /** MaxSessionDuration raised to 12 hours. */
  | "long-sessions"
  /** The role deleted (its inline policies first). */
  | "deleted";

export const MEMBER_ROLE_DRIFT_CHANGES: MemberRoleDriftChange[] = [
  "trust-outsider",
  "extra-managed-policy",
  "long-sessions",
  "deleted",
];

/** Appends a statement trusting the outsider account's root to the role's trust policy `trust` (as laid). */
async function trustOutsider(iam: IAMClient, RoleName: string, trust: PolicyDocument): Promise<void> {
  const widened = structuredClone(trust);
  widened.Statement.push({
    Sid: "Outsider",
    Effect: "Allow",
    Principal: { AWS: accountRoot(SANDBOX.outsiderAccount) },
    Action: "sts:AssumeRole",
  });
  await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName, PolicyDocument: JSON.stringify(widened) }));
}

/** Applies one drift to one member role of `account`; returns the attached policy's ARN for extra-managed-policy. */
export async function driftMemberRole(
  sb: Sandbox,
  account: string,
  role: MemberRoleName,
  change: MemberRoleDriftChange,
): Promise<string | undefined> {
  const intent = memberRoles(sandboxMemberRolesInput(sb.region, sb.orgId, sb.accounts), account).find(
    (r) => r.name === role,
  )!;
  const RoleName = intent.roleName;
  const iam = await sb.session.client(IAMClient, account, sb.region);
  switch (change) {
    case "trust-outsider": {
      await trustOutsider(iam, RoleName, intent.trustPolicy);
      return undefined;
    }
    case "extra-managed-policy": {
      const created = await iam.send(
        new CreatePolicyCommand({
          PolicyName: `${RoleName}-drift-admin`,
          PolicyDocument: JSON.stringify({
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
          }),
        }),
      );
      const PolicyArn = created.Policy!.Arn!;
      await iam.send(new AttachRolePolicyCommand({ RoleName, PolicyArn }));
      return PolicyArn;
    }
    case "long-sessions":
      await iam.send(new UpdateRoleCommand({ RoleName, MaxSessionDuration: 43_200 }));
      return undefined;
    case "deleted": {
      const names = (await iam.send(new ListRolePoliciesCommand({ RoleName }))).PolicyNames ?? [];
      for (const PolicyName of names) await iam.send(new DeleteRolePolicyCommand({ RoleName, PolicyName }));
      await iam.send(new DeleteRoleCommand({ RoleName }));
      return undefined;
    }
  }
}

export type SharedRoleDriftChange =
  /** A statement trusting the outsider account's root appended to the trust policy. */
  | { kind: "trust-outsider" }
  /** `action` added to the first statement of the role's one inline policy (rewritten under the same name). */
  | { kind: "extra-action"; action: string };

/**
 * Applies one drift to the role of the manifest's `roles.shared` entry `entry`, in its account,
 * from the documents the manifest says were laid.
 */
export async function driftSharedRole(sb: Sandbox, entry: string, change: SharedRoleDriftChange): Promise<void> {
  const intent = sb.manifest.roles?.shared.find((r) => r.name === entry);
  if (!intent) throw new Error(`driftSharedRole: the sandbox's manifest lists no roles.shared entry ${entry}`);
  const RoleName = intent.roleName;
  const iam = await sb.session.client(IAMClient, intent.account, sb.region);
  if (change.kind === "trust-outsider") {
    await trustOutsider(iam, RoleName, intent.trustPolicy);
    return;
  }
  const names = Object.keys(intent.inlinePolicies);
  if (names.length !== 1)
    throw new Error(`driftSharedRole: ${entry} has ${names.length} inline policies; extra-action needs exactly one`);
  const doc: PolicyDocument = structuredClone(intent.inlinePolicies[names[0]]);
  const first = doc.Statement[0];
  if (first.Action === undefined) throw new Error(`driftSharedRole: ${entry}'s first statement has no Action`);
  first.Action = [...(Array.isArray(first.Action) ? first.Action : [first.Action]), change.action];
  await iam.send(new PutRolePolicyCommand({ RoleName, PolicyName: names[0], PolicyDocument: JSON.stringify(doc) }));
}
