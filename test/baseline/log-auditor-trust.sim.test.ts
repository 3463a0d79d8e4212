/**
 * Who may enter the log auditor role: its trust (logAuditorTrustPolicy) and the agent role's
 * AssumeTheLogAuditorRole statement (auditAgentPolicy), exact content and argument errors, and
 * their meaning under IAM simulation: the agent role assumes it; no other role of the security
 * account, no agent role of another account and no principal outside the organization does.
 */
import { describe, expect, it } from "vitest";
import { auditAgentPolicy, logAuditorTrustPolicy, type LogAuditorTrustInput } from "../../baseline";
import { allowAll, ORG, roleCaller, simulate, type IamCaller } from "../helpers/iam-sim";

const AGENT_ROLE = "orgwarden-audit-agent";
const AUDITOR_ROLE = "orgwarden-log-auditor";
const AUDITOR_ARN = `arn:aws:iam::${ORG.security}:role/${AUDITOR_ROLE}`;
const INPUT: LogAuditorTrustInput = { securityAccountId: ORG.security, agentRoleName: AGENT_ROLE, orgId: ORG.orgId };
const trust = logAuditorTrustPolicy(INPUT);
const agentPolicy = auditAgentPolicy({
  securityAccountId: ORG.security,
  orgId: ORG.orgId,
  region: ORG.region,
  readRoleName: "orgwarden-audit-read",
  logAuditorRoleName: AUDITOR_ROLE,
  manifestParameterName: "/orgwarden/prod/audit-manifest",
  reportBucketName: "orgwarden-prod-audit-reports-111111111111",
  reportPrefix: "orgwarden-audit",
  logGroupName: "/aws/lambda/orgwarden-prod-audit-agent",
});

const assume = (caller: IamCaller, resource = AUDITOR_ARN) =>
  simulate({ caller, action: "sts:AssumeRole", resource, resourceAccount: ORG.security, resourcePolicy: trust });

describe("logAuditorTrustPolicy: the document", () => {
  it("admits exactly the agent role of the security account, from inside the organization", () => {
    expect(trust).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "AuditAgentOnly",
          Effect: "Allow",
          Principal: { AWS: `arn:aws:iam::${ORG.security}:root` },
          Action: "sts:AssumeRole",
          Condition: {
            ArnEquals: { "aws:PrincipalArn": `arn:aws:iam::${ORG.security}:role/${AGENT_ROLE}` },
            StringEquals: { "aws:PrincipalOrgID": ORG.orgId },
          },
        },
      ],
    });
  });

  it.each<[string, Partial<LogAuditorTrustInput>, string]>([
    [
      "a security account id that is not 12 digits",
      { securityAccountId: "33" },
      'logAuditorTrustPolicy: securityAccountId must be a 12-digit account id, got "33"',
    ],
    [
      "an organization id that is not o-…",
      { orgId: "org" },
      'logAuditorTrustPolicy: orgId must be an organization id such as o-a1b2c3d4e5, got "org"',
    ],
    [
      "a wildcard agent role",
      { agentRoleName: "orgwarden-*" },
      'logAuditorTrustPolicy: agentRoleName must be a role name without wildcards, got "orgwarden-*"',
    ],
  ])("refuses %s, naming the argument", (_t, change, message) => {
    expect(() => logAuditorTrustPolicy({ ...INPUT, ...change })).toThrow(message);
  });
});

describe("auditAgentPolicy: the log auditor statement", () => {
  it("grants sts:AssumeRole on exactly the log auditor role's ARN", () => {
    expect(agentPolicy.Statement.filter((s) => s.Sid === "AssumeTheLogAuditorRole")).toEqual([
      { Sid: "AssumeTheLogAuditorRole", Effect: "Allow", Action: "sts:AssumeRole", Resource: AUDITOR_ARN },
    ]);
  });

  it("refuses a wildcard log auditor role name", () => {
    expect(() =>
      auditAgentPolicy({
        securityAccountId: ORG.security,
        orgId: ORG.orgId,
        region: ORG.region,
        readRoleName: "orgwarden-audit-read",
        logAuditorRoleName: "*",
        manifestParameterName: "/p",
        reportBucketName: "b",
        reportPrefix: "r",
        logGroupName: "/aws/lambda/f",
      }),
    ).toThrow('auditAgentPolicy: logAuditorRoleName must be a role name without wildcards, got "*"');
  });
});

describe("entering the log auditor role, under IAM simulation", () => {
  const agent = roleCaller({ accountId: ORG.security, roleName: AGENT_ROLE, identityPolicies: [agentPolicy] });

  it("the agent role, with its own policy, may assume it", async () => {
    const o = await assume(agent);
    expect(o.result).toBe("Allowed");
    expect(o.grants).toEqual(expect.arrayContaining(["identity:AssumeTheLogAuditorRole", "resource:AuditAgentOnly"]));
  });

  it("the agent role may not assume another role of the security account through that statement", async () => {
    const other = `arn:aws:iam::${ORG.security}:role/Admin`;
    const o = await simulate({
      caller: agent,
      action: "sts:AssumeRole",
      resource: other,
      resourceAccount: ORG.security,
      // The other role trusting the whole account: only the agent's own policy can stop it.
      resourcePolicy: {
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { AWS: `arn:aws:iam::${ORG.security}:root` },
            Action: "sts:AssumeRole",
          },
        ],
      },
    });
    expect(o.result).toBe("ImplicitlyDenied");
  });

  it.each<[string, IamCaller]>([
    [
      "another role of the security account, holding sts:* of its own",
      roleCaller({ accountId: ORG.security, roleName: "Admin", identityPolicies: [allowAll("sts:*")] }),
    ],
    [
      "the agent role's name in another member account",
      roleCaller({ accountId: ORG.member, roleName: AGENT_ROLE, identityPolicies: [allowAll("sts:*")] }),
    ],
    [
      "the agent role's name in an account outside the organization",
      roleCaller({ accountId: ORG.outsider, roleName: AGENT_ROLE, identityPolicies: [allowAll("sts:*")], orgId: null }),
    ],
  ])("%s may not assume it", async (_t, caller) => {
    expect((await assume(caller)).result).toBe("ImplicitlyDenied");
  });
});
