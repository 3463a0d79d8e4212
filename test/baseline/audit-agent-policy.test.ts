/** The scheduled agent's documents: exact content, argument errors, and what they mean under IAM simulation (@cloud-copilot/iam-simulate). */
import { describe, expect, it } from "vitest";
import {
  auditAgentPolicy,
  auditAgentTrustPolicy,
  auditReportBucketPolicy,
  type AuditAgentPolicyInput,
} from "../../baseline";
import { auditRoleTrustPolicy } from "../../baseline/detection";
import { ORG, roleCaller, serviceCaller, simulate } from "../helpers/iam-sim";

const AGENT_ROLE = "orgwarden-audit-agent";
const READ_ROLE = "orgwarden-audit-read";
const BUCKET = "orgwarden-prod-audit-reports-111111111111";
const PARAMETER = "/orgwarden/prod/audit-manifest";
const LOG_GROUP = "/aws/lambda/orgwarden-prod-audit-agent";
const INPUT: AuditAgentPolicyInput = {
  securityAccountId: ORG.security,
  orgId: ORG.orgId,
  region: ORG.region,
  readRoleName: READ_ROLE,
  manifestParameterName: PARAMETER,
  reportBucketName: BUCKET,
  reportPrefix: "orgwarden-audit",
  logGroupName: LOG_GROUP,
};
const permissions = auditAgentPolicy(INPUT);

describe("auditAgentPolicy / auditAgentTrustPolicy / auditReportBucketPolicy: the documents", () => {
  it("grants exactly: the read role inside the organization, the manifest parameter, the report prefix, its own log streams", () => {
    expect(permissions).toEqual({
      Version: "2012-10-17",
      Id: "orgwarden-audit-agent",
      Statement: [
        {
          Sid: "AssumeTheReadRoleInsideTheOrganization",
          Effect: "Allow",
          Action: "sts:AssumeRole",
          Resource: "arn:aws:iam::*:role/orgwarden-audit-read",
          Condition: { StringEquals: { "aws:ResourceOrgID": ORG.orgId } },
        },
        {
          Sid: "ReadTheAuditManifest",
          Effect: "Allow",
          Action: "ssm:GetParameters",
          Resource: [
            `arn:aws:ssm:us-east-1:${ORG.security}:parameter/orgwarden/prod/audit-manifest`,
            ...[2, 3, 4, 5, 6].map(
              (i) => `arn:aws:ssm:us-east-1:${ORG.security}:parameter/orgwarden/prod/audit-manifest/part-${i}`,
            ),
          ],
        },
        {
          Sid: "WriteReports",
          Effect: "Allow",
          Action: "s3:PutObject",
          Resource: `arn:aws:s3:::${BUCKET}/orgwarden-audit/*`,
        },
        {
          Sid: "ReadThePreviousReport",
          Effect: "Allow",
          Action: "s3:GetObject",
          Resource: `arn:aws:s3:::${BUCKET}/orgwarden-audit/*/latest/report.json`,
        },
        {
          Sid: "TellAFirstRunFromARefusal",
          Effect: "Allow",
          Action: "s3:ListBucket",
          Resource: `arn:aws:s3:::${BUCKET}`,
          Condition: { StringLike: { "s3:prefix": "orgwarden-audit/*" } },
        },
        {
          Sid: "WriteOwnLogs",
          Effect: "Allow",
          Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
          Resource: `arn:aws:logs:us-east-1:${ORG.security}:log-group:/aws/lambda/orgwarden-prod-audit-agent:*`,
        },
      ],
    });
  });

  it("trusts Lambda of the security account only", () => {
    expect(auditAgentTrustPolicy({ securityAccountId: ORG.security })).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "LambdaOfTheSecurityAccount",
          Effect: "Allow",
          Principal: { Service: "lambda.amazonaws.com" },
          Action: "sts:AssumeRole",
          Condition: { StringEquals: { "aws:SourceAccount": ORG.security } },
        },
      ],
    });
  });

  it("the report bucket policy denies every request without TLS", () => {
    expect(auditReportBucketPolicy(BUCKET)).toEqual({
      Version: "2012-10-17",
      Id: "orgwarden-audit-reports",
      Statement: [
        {
          Sid: "DenyInsecureTransport",
          Effect: "Deny",
          Principal: "*",
          Action: "s3:*",
          Resource: [`arn:aws:s3:::${BUCKET}`, `arn:aws:s3:::${BUCKET}/*`],
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
      ],
    });
  });

  it.each<[string, Partial<AuditAgentPolicyInput>, string]>([
    [
      "a security account id that is not 12 digits",
      { securityAccountId: "1234" },
      'auditAgentPolicy: securityAccountId must be a 12-digit account id, got "1234"',
    ],
    [
      "an organization id that is not o-…",
      { orgId: "org-1" },
      'auditAgentPolicy: orgId must be an organization id such as o-a1b2c3d4e5, got "org-1"',
    ],
    [
      "a parameter name without its leading slash",
      { manifestParameterName: "orgwarden/prod" },
      'auditAgentPolicy: manifestParameterName must be a path starting with "/", got "orgwarden/prod"',
    ],
    [
      "a wildcard report prefix",
      { reportPrefix: "*" },
      'auditAgentPolicy: reportPrefix must be a non-empty key prefix without leading or trailing "/" or "*", got "*"',
    ],
    [
      "an empty report prefix",
      { reportPrefix: "" },
      'auditAgentPolicy: reportPrefix must be a non-empty key prefix without leading or trailing "/" or "*", got ""',
    ],
    [
      "a wildcard read role",
      { readRoleName: "*" },
      'auditAgentPolicy: readRoleName must be a role name without wildcards, got "*"',
    ],
  ])("refuses %s, naming the argument", (_t, change, message) => {
    expect(() => auditAgentPolicy({ ...INPUT, ...change })).toThrow(new Error(message));
  });

  it("refuses a trust for an account id that is not 12 digits", () => {
    expect(() => auditAgentTrustPolicy({ securityAccountId: "x" })).toThrow(
      new Error('auditAgentTrustPolicy: securityAccountId must be a 12-digit account id, got "x"'),
    );
  });
});

const agent = roleCaller({ accountId: ORG.security, roleName: AGENT_ROLE, identityPolicies: [permissions] });
const readRoleTrust = auditRoleTrustPolicy({
  securityAccountId: ORG.security,
  agentRoleName: AGENT_ROLE,
  orgId: ORG.orgId,
});

function agentDoes(
  action: string,
  resource: string,
  resourceAccount: string,
  extra: { context?: Record<string, string | null>; resourcePolicy?: typeof permissions } = {},
) {
  return simulate({ caller: agent, action, resource, resourceAccount, ...extra });
}

describe("the agent role under IAM simulation", () => {
  it.each([
    ["a member account", ORG.member],
    ["its own (security) account", ORG.security],
    ["the management account", ORG.management],
  ])("can assume the read role in %s (its permissions and the read role's trust together)", async (_t, account) => {
    const r = await agentDoes("sts:AssumeRole", `arn:aws:iam::${account}:role/${READ_ROLE}`, account, {
      context: { "aws:ResourceOrgID": ORG.orgId },
      resourcePolicy: readRoleTrust,
    });
    expect(r.result).toBe("Allowed");
  });

  it("cannot assume a role of the same name in an account outside the organization, even one whose trust admits it", async () => {
    const openTrust = {
      Version: "2012-10-17" as const,
      Statement: [
        { Effect: "Allow" as const, Principal: { AWS: `arn:aws:iam::${ORG.security}:root` }, Action: "sts:AssumeRole" },
      ],
    };
    const r = await agentDoes("sts:AssumeRole", `arn:aws:iam::${ORG.outsider}:role/${READ_ROLE}`, ORG.outsider, {
      context: { "aws:ResourceOrgID": "o-zzzzzzzzzz" },
      resourcePolicy: openTrust,
    });
    expect(r.result).toBe("ImplicitlyDenied");
  });

  it("cannot assume any other role of the organization", async () => {
    const r = await agentDoes(
      "sts:AssumeRole",
      `arn:aws:iam::${ORG.member}:role/OrganizationAccountAccessRole`,
      ORG.member,
      { context: { "aws:ResourceOrgID": ORG.orgId } },
    );
    expect(r.result).toBe("ImplicitlyDenied");
  });

  it("reads the manifest's head and each of its parts with GetParameters, and no other parameter", async () => {
    const arn = (name: string) => `arn:aws:ssm:us-east-1:${ORG.security}:parameter${name}`;
    for (const name of [PARAMETER, ...[2, 3, 4, 5, 6].map((i) => `${PARAMETER}/part-${i}`)])
      expect((await agentDoes("ssm:GetParameters", arn(name), ORG.security)).result, name).toBe("Allowed");
    for (const name of [
      "/orgwarden/prod/other",
      "/orgwarden/dev/audit-manifest",
      "/orgwarden/dev/audit-manifest/part-2",
      `${PARAMETER}/part-7`,
      `${PARAMETER}-part-2`,
    ])
      expect((await agentDoes("ssm:GetParameters", arn(name), ORG.security)).result, name).toBe("ImplicitlyDenied");
    // GetParameter (one name) is not needed any more: the Lambda reads the set in one call.
    expect((await agentDoes("ssm:GetParameter", arn(PARAMETER), ORG.security)).result).toBe("ImplicitlyDenied");
  });

  it("writes reports under its prefix, nowhere else in the bucket and into no other bucket", async () => {
    const s3 = (key: string, bucket = BUCKET) =>
      agentDoes("s3:PutObject", `arn:aws:s3:::${bucket}/${key}`, ORG.security, {
        resourcePolicy: auditReportBucketPolicy(bucket),
      });
    expect((await s3("orgwarden-audit/prod/2026-01-01T05-00-00-000Z/report.json")).result).toBe("Allowed");
    expect((await s3("elsewhere/report.json")).result).toBe("ImplicitlyDenied");
    expect((await s3("orgwarden-audit/x", "orgwarden-prod-cloudtrail-111111111111")).result).toBe("ImplicitlyDenied");
  });

  it("even under its prefix, a report without TLS is denied by the bucket policy", async () => {
    const r = await agentDoes("s3:PutObject", `arn:aws:s3:::${BUCKET}/orgwarden-audit/x`, ORG.security, {
      resourcePolicy: auditReportBucketPolicy(BUCKET),
      context: { "aws:SecureTransport": "false" },
    });
    expect(r.result).toBe("ExplicitlyDenied");
    expect(r.explicitDenials).toEqual(["resource:DenyInsecureTransport"]);
  });

  it("writes log events to its own log group only", async () => {
    const stream = (group: string) =>
      `arn:aws:logs:us-east-1:${ORG.security}:log-group:${group}:log-stream:2026/01/01/[$LATEST]abc`;
    expect((await agentDoes("logs:PutLogEvents", stream(LOG_GROUP), ORG.security)).result).toBe("Allowed");
    expect((await agentDoes("logs:PutLogEvents", stream("/orgwarden/cloudtrail"), ORG.security)).result).toBe(
      "ImplicitlyDenied",
    );
  });

  it.each<[string, string, string]>([
    ["kms:Decrypt", `arn:aws:kms:us-east-1:${ORG.security}:key/11111111-2222-3333-4444-555555555555`, ORG.security],
    [
      "cloudtrail:StopLogging",
      `arn:aws:cloudtrail:us-east-1:${ORG.management}:trail/orgwarden-organization-trail`,
      ORG.management,
    ],
    ["iam:CreateUser", `arn:aws:iam::${ORG.security}:user/mallory`, ORG.security],
    ["iam:PutRolePolicy", `arn:aws:iam::${ORG.security}:role/${AGENT_ROLE}`, ORG.security],
    ["iam:AttachRolePolicy", `arn:aws:iam::${ORG.security}:role/${AGENT_ROLE}`, ORG.security],
    ["ssm:PutParameter", `arn:aws:ssm:us-east-1:${ORG.security}:parameter${PARAMETER}`, ORG.security],
    ["ssm:PutParameter", `arn:aws:ssm:us-east-1:${ORG.security}:parameter${PARAMETER}/part-2`, ORG.security],
    ["s3:GetObject", `arn:aws:s3:::${BUCKET}/orgwarden-audit/x`, ORG.security],
    ["s3:DeleteObject", `arn:aws:s3:::${BUCKET}/orgwarden-audit/x`, ORG.security],
    // Its own permissions cannot even list the organization: every read goes through the read role.
    ["organizations:ListAccounts", "*", ORG.management],
  ])("cannot %s", async (action, resource, account) => {
    expect((await agentDoes(action, resource, account)).result).toBe("ImplicitlyDenied");
  });
});

describe("the agent role's trust under IAM simulation", () => {
  const roleArn = `arn:aws:iam::${ORG.security}:role/${AGENT_ROLE}`;
  const lambda = (sourceAccount: string) =>
    simulate({
      caller: serviceCaller({ service: "lambda.amazonaws.com", sourceAccount }),
      action: "sts:AssumeRole",
      resource: roleArn,
      resourceAccount: ORG.security,
      resourcePolicy: auditAgentTrustPolicy({ securityAccountId: ORG.security }),
    });

  it("lets Lambda assume it for a function of the security account", async () => {
    expect((await lambda(ORG.security)).result).toBe("Allowed");
  });

  it("refuses Lambda acting for another account's function", async () => {
    expect((await lambda(ORG.member)).result).toBe("ImplicitlyDenied");
  });

  it("refuses an IAM role of the security account", async () => {
    const r = await simulate({
      caller: roleCaller({
        accountId: ORG.security,
        roleName: "Admin",
        identityPolicies: [
          { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Resource: "*" }] },
        ],
      }),
      action: "sts:AssumeRole",
      resource: roleArn,
      resourceAccount: ORG.security,
      resourcePolicy: auditAgentTrustPolicy({ securityAccountId: ORG.security }),
    });
    // The trust names no IAM principal, so not even an administrator of the account can run as the agent.
    expect(r.result).toBe("ImplicitlyDenied");
  });
});

describe("control: the simulation tells the organization condition apart", () => {
  it("without aws:ResourceOrgID the agent could assume a same-named role outside the organization", async () => {
    const loose = {
      ...permissions,
      Statement: permissions.Statement.map((s) =>
        s.Sid === "AssumeTheReadRoleInsideTheOrganization" ? { ...s, Condition: undefined } : s,
      ),
    };
    const openTrust = {
      Version: "2012-10-17" as const,
      Statement: [
        { Effect: "Allow" as const, Principal: { AWS: `arn:aws:iam::${ORG.security}:root` }, Action: "sts:AssumeRole" },
      ],
    };
    const r = await simulate({
      caller: roleCaller({
        accountId: ORG.security,
        roleName: AGENT_ROLE,
        identityPolicies: [JSON.parse(JSON.stringify(loose))],
      }),
      action: "sts:AssumeRole",
      resource: `arn:aws:iam::${ORG.outsider}:role/${READ_ROLE}`,
      resourceAccount: ORG.outsider,
      resourcePolicy: openTrust,
      context: { "aws:ResourceOrgID": "o-zzzzzzzzzz" },
    });
    expect(r.result).toBe("Allowed");
  });
});
