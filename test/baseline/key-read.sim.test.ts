/**
 * The KMS checks read every baseline key as the audit read role (kms:DescribeKey, GetKeyPolicy,
 * GetKeyRotationStatus, ListGrants): each key policy must let it, or the audit is ERROR on that key.
 * Keys whose administration statement trusts the account root unconditioned leave it to IAM (the
 * read role's SecurityAudit); a log group key with named administrators needs AuditAgentRead.
 */
import { describe, expect, it } from "vitest";
import { logGroupKeyPolicy, roleArn } from "../../baseline";
import { resultsKeyPolicy } from "../../baseline/athena";
import { allowAll, roleCaller, simulate } from "../helpers/iam-sim";

const ACCOUNT = "333333333333";
const READ_ROLE = "orgwarden-audit-read";
const KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0`;
const READS = ["kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListGrants"];
// The reads SecurityAudit grants the read role (kms:Describe*/Get*/List*), as its identity policy.
const reader = roleCaller({
  accountId: ACCOUNT,
  roleName: READ_ROLE,
  identityPolicies: [allowAll(["kms:Describe*", "kms:Get*", "kms:List*"])],
});
const agentLogsKey = (withRead: boolean) =>
  logGroupKeyPolicy({
    accountId: ACCOUNT,
    region: "us-east-1",
    logGroupName: ["/aws/lambda/orgwarden-prod-audit-agent", "/aws/vendedlogs/states/orgwarden-prod-audit-agent"],
    adminPrincipalArns: [roleArn(ACCOUNT, "OrganizationAccountAccessRole")],
    ...(withRead ? { auditReadRoleArns: [roleArn(ACCOUNT, READ_ROLE)] } : {}),
  });

describe("the audit read role can read a log group key with named administrators", () => {
  it.each(READS)("%s: allowed with AuditAgentRead, denied without it", async (action) => {
    const req = { caller: reader, action, resource: KEY, resourceAccount: ACCOUNT };
    expect((await simulate({ ...req, resourcePolicy: agentLogsKey(true) })).result).toBe("Allowed");
    expect((await simulate({ ...req, resourcePolicy: agentLogsKey(false) })).result).not.toBe("Allowed");
  });
  it("AuditAgentRead gives no cryptographic use and nothing to another role", async () => {
    const req = { caller: reader, resource: KEY, resourceAccount: ACCOUNT, resourcePolicy: agentLogsKey(true) };
    const decrypt = await simulate({
      ...req,
      caller: roleCaller({ accountId: ACCOUNT, roleName: READ_ROLE, identityPolicies: [allowAll("kms:*")] }),
      action: "kms:Decrypt",
    });
    expect(decrypt.result).not.toBe("Allowed");
    const other = roleCaller({ accountId: ACCOUNT, roleName: "someone-else", identityPolicies: [allowAll("kms:*")] });
    expect((await simulate({ ...req, caller: other, action: "kms:GetKeyPolicy" })).result).not.toBe("Allowed");
  });
  it("no named administrators: no AuditAgentRead statement (the account's IAM policies already decide)", () => {
    const doc = logGroupKeyPolicy({
      accountId: ACCOUNT,
      region: "us-east-1",
      logGroupName: "/orgwarden/cloudtrail",
      adminPrincipalArns: [],
      auditReadRoleArns: [roleArn(ACCOUNT, READ_ROLE)],
    });
    expect(doc.Statement.map((s) => s.Sid)).toEqual(["KeyAdministration", "CloudWatchLogsUseForTheTrailLogGroup"]);
  });
});

describe("the audit read role can read the Athena results key (named administrators)", () => {
  const resultsKey = (withRead: boolean) =>
    resultsKeyPolicy({
      bucketName: "orgwarden-prod-athena-results",
      securityAccountId: ACCOUNT,
      region: "us-east-1",
      analystRoleName: "orgwarden-log-analyst",
      adminRoleNames: ["OrganizationAccountAccessRole"],
      ...(withRead ? { auditReadRoleNames: [READ_ROLE] } : {}),
    });
  it.each(READS)("%s: allowed with AuditAgentRead, denied without it", async (action) => {
    const req = { caller: reader, action, resource: KEY, resourceAccount: ACCOUNT };
    expect((await simulate({ ...req, resourcePolicy: resultsKey(true) })).result).toBe("Allowed");
    expect((await simulate({ ...req, resourcePolicy: resultsKey(false) })).result).not.toBe("Allowed");
  });
  it("AuditAgentRead gives the read role no cryptographic use of the results", async () => {
    const caller = roleCaller({ accountId: ACCOUNT, roleName: READ_ROLE, identityPolicies: [allowAll("kms:*")] });
    for (const action of ["kms:Decrypt", "kms:GenerateDataKey"])
      expect(
        (await simulate({ caller, action, resource: KEY, resourceAccount: ACCOUNT, resourcePolicy: resultsKey(true) }))
          .result,
        action,
      ).not.toBe("Allowed");
  });
});
