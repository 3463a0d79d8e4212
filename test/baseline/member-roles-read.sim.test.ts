/**
 * IAM simulation (@cloud-copilot/iam-simulate): the audit read role's own extra policy (not what
 * SecurityAudit holds: AWS managed, its document is not part of this repository) allows the four
 * reads iam-role-trust and iam-role-permissions make of the read role itself and of the event
 * forwarder role in any account, and no read of another role and no write to either. The roles'
 * documents are the ones the member template lays (memberRoles).
 */
import { describe, expect, it } from "vitest";
import {
  centralBusPolicy,
  MEMBER_ROLE_READ_ACTIONS,
  memberRoles,
  type MemberRolesInput,
} from "../../baseline/detection";
import { ORG, roleCaller, simulate } from "../helpers/iam-sim";

const INPUT: MemberRolesInput = {
  orgId: ORG.orgId,
  securityAccountId: ORG.security,
  auditReadRoleName: "orgwarden-audit-read",
  auditAgentRoleName: "orgwarden-audit-agent",
  namePrefix: "orgwarden",
  centralBusArn: `arn:aws:events:${ORG.region}:${ORG.security}:event-bus/orgwarden-security`,
};
const [read, forwarder] = memberRoles(INPUT, ORG.member);
const reader = roleCaller({
  accountId: ORG.member,
  roleName: read.roleName,
  identityPolicies: Object.values(read.inlinePolicies),
});
const arn = (name: string) => `arn:aws:iam::${ORG.member}:role/${name}`;

describe("the read role reads itself and the forwarder role", () => {
  it.each(MEMBER_ROLE_READ_ACTIONS.flatMap((a) => [read.roleName, forwarder.roleName].map((r) => [a, r] as const)))(
    "%s on %s is allowed by audit-extra-read (MemberRolesRead)",
    async (action, role) => {
      const r = await simulate({ caller: reader, action, resource: arn(role), resourceAccount: ORG.member });
      expect(r.result).toBe("Allowed");
      expect(r.grants).toEqual(["identity:MemberRolesRead"]);
    },
  );

  it.each([
    ["iam:GetRole", arn("someone-elses-role")],
    ["iam:GetRolePolicy", arn("orgwarden-log-auditor")],
    ["iam:UpdateAssumeRolePolicy", arn(forwarder.roleName)],
    ["iam:PutRolePolicy", arn(read.roleName)],
    ["iam:AttachRolePolicy", arn(forwarder.roleName)],
  ] as const)("%s on %s is not allowed by audit-extra-read", async (action, resource) => {
    const r = await simulate({ caller: reader, action, resource, resourceAccount: ORG.member });
    expect(r.result).not.toBe("Allowed");
  });
});

describe("the forwarder role", () => {
  const caller = roleCaller({
    accountId: ORG.member,
    roleName: forwarder.roleName,
    identityPolicies: Object.values(forwarder.inlinePolicies),
  });
  it("may put events on the central bus (under the bus policy) and on no other bus", async () => {
    const resourcePolicy = centralBusPolicy({ busArn: INPUT.centralBusArn, orgId: ORG.orgId });
    const ok = await simulate({
      caller,
      action: "events:PutEvents",
      resource: INPUT.centralBusArn,
      resourceAccount: ORG.security,
      resourcePolicy,
    });
    expect(ok.result).toBe("Allowed");
    const other = await simulate({
      caller,
      action: "events:PutEvents",
      resource: `arn:aws:events:${ORG.region}:${ORG.security}:event-bus/default`,
      resourceAccount: ORG.security,
    });
    expect(other.result).not.toBe("Allowed");
  });
});
