/** The VPC association roles, proven with the IAM simulator: associate a VPC with the shared configuration, start that document, nothing else. */
import { describe, expect, it } from "vitest";
import { dnsAssociationEventPolicy, dnsAssociationPolicy, dnsAssociationTrustPolicy } from "../../../baseline/network";
import type { PolicyDocument } from "../../../baseline";
import { allowAll, ORG, roleCaller, serviceCaller, simulate } from "../../helpers/iam-sim";

const DOC = "orgwarden-AssociateVpcsDnsQueryLogs";
const ROLE = "orgwarden-dns-query-log-association";
const cfg = (account: string, id = "rqlc-0a1b2c3d4e5f6a7b") =>
  `arn:aws:route53resolver:${ORG.region}:${account}:resolver-query-log-config/${id}`;

const automation = roleCaller({
  accountId: ORG.member,
  roleName: ROLE,
  identityPolicies: [dnsAssociationPolicy(ORG.logArchive)],
});
/**
 * Cross-account, the request also needs the resource's own policy: RAM gives a shared configuration
 * one, from its managed permission (AWSRAMDefaultPermissionResolverQueryLogConfig grants the
 * accounts of the share association, disassociation and listing); modelled here for the organization.
 */
const ramShare = (resource: string): PolicyDocument => ({
  Version: "2012-10-17",
  Statement: [
    {
      Effect: "Allow",
      Principal: { AWS: "*" },
      Action: [
        "route53resolver:AssociateResolverQueryLogConfig",
        "route53resolver:DisassociateResolverQueryLogConfig",
        "route53resolver:ListResolverQueryLogConfigAssociations",
        "route53resolver:ListResolverQueryLogConfigs",
      ],
      Resource: resource,
      Condition: { StringEquals: { "aws:PrincipalOrgID": ORG.orgId } },
    },
  ],
});
const asAutomation = (action: string, resource: string, resourceAccount: string = ORG.logArchive) =>
  simulate({
    caller: automation,
    action,
    resource,
    resourceAccount,
    ...(resourceAccount === ORG.member || resource === "*" ? {} : { resourcePolicy: ramShare(resource) }),
  });

const events = roleCaller({
  accountId: ORG.member,
  roleName: `${ROLE}-events`,
  identityPolicies: [dnsAssociationEventPolicy(ORG.member, DOC, ROLE)],
});
const asEvents = (action: string, resource: string, context?: Record<string, string>) =>
  simulate({ caller: events, action, resource, resourceAccount: ORG.member, context });

describe("the automation role", () => {
  it("may associate a VPC with a configuration of the log-archive account, in any governed region", async () => {
    expect((await asAutomation("route53resolver:AssociateResolverQueryLogConfig", cfg(ORG.logArchive))).result).toBe(
      "Allowed",
    );
    const eu = cfg(ORG.logArchive).replace(ORG.region, "eu-west-1");
    expect((await asAutomation("route53resolver:AssociateResolverQueryLogConfig", eu)).result).toBe("Allowed");
  });

  it("may read the VPCs, configurations and associations it sweeps", async () => {
    for (const action of [
      "ec2:DescribeVpcs",
      "route53resolver:ListResolverQueryLogConfigs",
      "route53resolver:ListResolverQueryLogConfigAssociations",
    ])
      expect((await asAutomation(action, "*", ORG.member)).result, action).toBe("Allowed");
  });

  it.each([
    ["another account's configuration", "route53resolver:AssociateResolverQueryLogConfig", cfg(ORG.member), ORG.member],
    ["an outsider's configuration", "route53resolver:AssociateResolverQueryLogConfig", cfg(ORG.outsider), ORG.outsider],
    ["disassociate", "route53resolver:DisassociateResolverQueryLogConfig", cfg(ORG.logArchive), ORG.logArchive],
    ["delete the configuration", "route53resolver:DeleteResolverQueryLogConfig", cfg(ORG.logArchive), ORG.logArchive],
    ["create a configuration", "route53resolver:CreateResolverQueryLogConfig", "*", ORG.member],
    ["untag the configuration", "route53resolver:UntagResource", cfg(ORG.logArchive), ORG.logArchive],
    [
      "associate a resolver rule",
      "route53resolver:AssociateResolverRule",
      `arn:aws:route53resolver:${ORG.region}:${ORG.member}:resolver-rule/rslvr-rr-0a1b2c3d`,
      ORG.member,
    ],
    ["delete a VPC", "ec2:DeleteVpc", `arn:aws:ec2:${ORG.region}:${ORG.member}:vpc/vpc-0a1b2c3d`, ORG.member],
    ["pass a role", "iam:PassRole", `arn:aws:iam::${ORG.member}:role/${ROLE}`, ORG.member],
  ])("may not %s", async (_what, action, resource, account) => {
    expect((await asAutomation(action, resource, account)).result).toBe("ImplicitlyDenied");
  });
});

describe("the CreateVpc rule's role", () => {
  const def = (account: string, name: string, version = "$DEFAULT") =>
    `arn:aws:ssm:${ORG.region}:${account}:automation-definition/${name}:${version}`;

  it("may start the association document, whatever version the target resolves to", async () => {
    expect((await asEvents("ssm:StartAutomationExecution", def(ORG.member, DOC))).result).toBe("Allowed");
    expect((await asEvents("ssm:StartAutomationExecution", def(ORG.member, DOC, "3"))).result).toBe("Allowed");
  });

  it.each([
    ["another document", def(ORG.member, "AWS-DeleteVpc")],
    ["a document whose name starts the same", def(ORG.member, `${DOC}Extra`)],
    ["the document of another account", def(ORG.outsider, DOC)],
  ])("may not start %s", async (_what, resource) => {
    expect((await asEvents("ssm:StartAutomationExecution", resource)).result).toBe("ImplicitlyDenied");
  });

  it("may pass the automation role to SSM only, and no other role", async () => {
    const role = `arn:aws:iam::${ORG.member}:role/${ROLE}`;
    expect((await asEvents("iam:PassRole", role, { "iam:PassedToService": "ssm.amazonaws.com" })).result).toBe(
      "Allowed",
    );
    expect((await asEvents("iam:PassRole", role, { "iam:PassedToService": "lambda.amazonaws.com" })).result).toBe(
      "ImplicitlyDenied",
    );
    expect(
      (
        await asEvents("iam:PassRole", `arn:aws:iam::${ORG.member}:role/Admin`, {
          "iam:PassedToService": "ssm.amazonaws.com",
        })
      ).result,
    ).toBe("ImplicitlyDenied");
  });
});

describe("trust of both roles", () => {
  const roleArn = `arn:aws:iam::${ORG.member}:role/${ROLE}`;
  const assume = (service: string, sourceAccount: string | undefined, trust: unknown) =>
    simulate({
      caller: serviceCaller({ service, sourceAccount }),
      action: "sts:AssumeRole",
      resource: roleArn,
      resourceAccount: ORG.member,
      resourcePolicy: trust as PolicyDocument,
    });

  it.each(["ssm.amazonaws.com", "events.amazonaws.com"] as const)(
    "%s acting for this account may assume",
    async (s) => {
      expect((await assume(s, ORG.member, dnsAssociationTrustPolicy(s, ORG.member))).result).toBe("Allowed");
    },
  );

  it.each(["ssm.amazonaws.com", "events.amazonaws.com"] as const)(
    "%s acting for another account, or with no source account, may not",
    async (s) => {
      expect((await assume(s, ORG.outsider, dnsAssociationTrustPolicy(s, ORG.member))).result).not.toBe("Allowed");
      expect((await assume(s, undefined, dnsAssociationTrustPolicy(s, ORG.member))).result).not.toBe("Allowed");
    },
  );

  it("another service, or an IAM role of the account, may not", async () => {
    const trust = dnsAssociationTrustPolicy("ssm.amazonaws.com", ORG.member);
    expect((await assume("lambda.amazonaws.com", ORG.member, trust)).result).not.toBe("Allowed");
    const admin = roleCaller({
      accountId: ORG.member,
      roleName: "Admin",
      identityPolicies: [allowAll("sts:AssumeRole")],
    });
    const r = await simulate({
      caller: admin,
      action: "sts:AssumeRole",
      resource: roleArn,
      resourceAccount: ORG.member,
      resourcePolicy: trust as PolicyDocument,
    });
    expect(r.result).not.toBe("Allowed");
  });
});
