/**
 * Drifts of the member baseline's roles in one account (baseline/detection/member-roles.ts): the
 * audit read role ("audit-read-role") or the event forwarder role ("event-forwarder-role"), each a
 * change iam-role-trust or iam-role-permissions must report on that role in that account alone.
 */
import {
  AttachRolePolicyCommand,
  CreatePolicyCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  IAMClient,
  ListRolePoliciesCommand,
  UpdateAssumeRolePolicyCommand,
  UpdateRoleCommand,
} from "@aws-sdk/client-iam";
import { accountRoot } from "../../baseline";
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
      const widened = structuredClone(intent.trustPolicy);
      widened.Statement.push({
        Sid: "Outsider",
        Effect: "Allow",
        Principal: { AWS: accountRoot(SANDBOX.outsiderAccount) },
        Action: "sts:AssumeRole",
      });
      await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName, PolicyDocument: JSON.stringify(widened) }));
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
