/**
 * The trail log group's key policy (management account), proven by IAM simulation. CloudWatch Logs
 * calls KMS as the regional service principal logs.<region>.amazonaws.com, with the log group's ARN
 * as the encryption context aws:logs:arn (AWS CloudWatch Logs User Guide, "Encrypt log data in
 * CloudWatch Logs using AWS KMS"). Every IAM role here holds kms:* in its identity policy, so a
 * denial comes from the key policy. SCPs never bind the management account.
 */
import { describe, expect, it } from "vitest";
import { logGroupKeyPolicy } from "../../baseline/log-group-key-policy";
import { allowAll, ORG, roleCaller, serviceCaller, simulate, type Caller } from "../helpers/iam-sim";

const LOG_GROUP = "/orgwarden/cloudtrail";
const KEY_ARN = `arn:aws:kms:${ORG.region}:${ORG.management}:key/0d7b5c1e-1111-4222-8333-444455556666`;
const groupArn = (name: string) => `arn:aws:logs:${ORG.region}:${ORG.management}:log-group:${name}`;
const ourContext = { "kms:EncryptionContext:aws:logs:arn": groupArn(LOG_GROUP) };
const otherContext = { "kms:EncryptionContext:aws:logs:arn": groupArn("/attacker/exfil") };

const open = logGroupKeyPolicy({
  accountId: ORG.management,
  region: ORG.region,
  logGroupName: LOG_GROUP,
  adminPrincipalArns: [],
});
const narrowed = logGroupKeyPolicy({
  accountId: ORG.management,
  region: ORG.region,
  logGroupName: LOG_GROUP,
  adminPrincipalArns: [`arn:aws:iam::${ORG.management}:role/pulumi-deploy`],
});

const onKey = (caller: Caller, action: string, context?: Record<string, string>, policy = open) =>
  simulate({ caller, action, resource: KEY_ARN, resourceAccount: ORG.management, resourcePolicy: policy, context });

const logs = serviceCaller({ service: `logs.${ORG.region}.amazonaws.com` });
const admin = (roleName: string) =>
  roleCaller({ accountId: ORG.management, roleName, identityPolicies: [allowAll("kms:*")] });

describe("log group key: CloudWatch Logs uses it for the trail's log group only", () => {
  it.each(["kms:GenerateDataKey", "kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom"])(
    "CloudWatch Logs can %s with the log group's context",
    async (action) => {
      const o = await onKey(logs, action, ourContext);
      expect(o.result).toBe("Allowed");
    },
  );

  it.each(["kms:GenerateDataKey", "kms:Decrypt"])("CloudWatch Logs cannot %s for another log group", async (action) => {
    const o = await onKey(logs, action, otherContext);
    expect(o.result).toBe("ImplicitlyDenied");
  });

  it("CloudWatch Logs cannot Decrypt without an encryption context", async () => {
    const o = await onKey(logs, "kms:Decrypt");
    expect(o.result).toBe("ImplicitlyDenied");
  });

  // DescribeKey carries no encryption context, so under AWS's documented condition it is not granted;
  // the statement keeps Describe* exactly as AWS documents it (AWS presents that policy as sufficient for AssociateKmsKey).
  it("CloudWatch Logs cannot DescribeKey (no encryption context on that call), as with AWS's documented policy", async () => {
    const o = await onKey(logs, "kms:DescribeKey");
    expect(o.result).toBe("ImplicitlyDenied");
  });

  it("CloudWatch Logs of another region cannot use it, even with the right context", async () => {
    const o = await onKey(
      serviceCaller({ service: "logs.eu-west-1.amazonaws.com" }),
      "kms:GenerateDataKey",
      ourContext,
    );
    expect(o.result).toBe("ImplicitlyDenied");
  });

  it("CloudWatch Logs cannot CreateGrant or change the key", async () => {
    for (const action of ["kms:CreateGrant", "kms:PutKeyPolicy", "kms:ScheduleKeyDeletion"]) {
      expect((await onKey(logs, action)).result, action).toBe("ImplicitlyDenied");
    }
  });
});

describe("log group key: administrators cannot use it", () => {
  it("a management-account admin with kms:* cannot Decrypt, even with the log group's context", async () => {
    const o = await onKey(admin("Admin"), "kms:Decrypt", ourContext);
    expect(o.result).toBe("ImplicitlyDenied");
  });

  it.each(["kms:GenerateDataKey", "kms:Encrypt", "kms:CreateGrant"])(
    "a management-account admin with kms:* cannot %s",
    async (action) => {
      const o = await onKey(admin("Admin"), action, ourContext);
      expect(o.result).toBe("ImplicitlyDenied");
    },
  );

  it("a management-account admin with kms:* can administer the key (PutKeyPolicy) when no admin list narrows it", async () => {
    const o = await onKey(admin("Admin"), "kms:PutKeyPolicy");
    expect(o.result).toBe("Allowed");
    expect(o.grants).toContain("resource:KeyAdministration");
  });

  it("a role without an identity policy cannot administer it (the root statement delegates to IAM)", async () => {
    const o = await onKey(
      roleCaller({ accountId: ORG.management, roleName: "Admin", identityPolicies: [] }),
      "kms:PutKeyPolicy",
    );
    expect(o.result).toBe("ImplicitlyDenied");
  });

  it("with an admin list, the listed role administers and another admin with kms:* does not", async () => {
    expect((await onKey(admin("pulumi-deploy"), "kms:PutKeyPolicy", undefined, narrowed)).result).toBe("Allowed");
    expect((await onKey(admin("Admin"), "kms:PutKeyPolicy", undefined, narrowed)).result).toBe("ImplicitlyDenied");
    expect((await onKey(admin("pulumi-deploy"), "kms:Decrypt", ourContext, narrowed)).result).toBe("ImplicitlyDenied");
  });

  it("a principal of another account with kms:* can do nothing", async () => {
    const outsider = roleCaller({
      accountId: ORG.outsider,
      roleName: "Admin",
      orgId: null,
      identityPolicies: [allowAll()],
    });
    for (const action of ["kms:Decrypt", "kms:PutKeyPolicy", "kms:DescribeKey"]) {
      expect((await onKey(outsider, action, action === "kms:Decrypt" ? ourContext : undefined)).result, action).toBe(
        "ImplicitlyDenied",
      );
    }
  });
});

describe("log group key shared by several log groups (the audit agent's functions and state machine)", () => {
  const groups = ["/aws/lambda/orgwarden-prod-audit-agent", "/aws/lambda/orgwarden-prod-audit-agent-collect"];
  const shared = logGroupKeyPolicy({
    accountId: ORG.management,
    region: ORG.region,
    logGroupName: groups,
    adminPrincipalArns: [],
  });

  it("allows each named log group by its exact ARN, under a statement named for several", () => {
    expect(shared.Statement[1]).toEqual({
      ...open.Statement[1],
      Sid: "CloudWatchLogsUseForTheseLogGroups",
      Condition: { ArnEquals: { "kms:EncryptionContext:aws:logs:arn": groups.map(groupArn) } },
    });
  });

  it.each(groups)("CloudWatch Logs can GenerateDataKey and Decrypt for %s", async (g) => {
    for (const action of ["kms:GenerateDataKey", "kms:Decrypt"]) {
      const o = await onKey(logs, action, { "kms:EncryptionContext:aws:logs:arn": groupArn(g) }, shared);
      expect(o.result, action).toBe("Allowed");
    }
  });

  it("still not for any other log group, not even one whose name extends a listed one", async () => {
    for (const g of ["/attacker/exfil", `${groups[1]}-x`]) {
      const o = await onKey(logs, "kms:Decrypt", { "kms:EncryptionContext:aws:logs:arn": groupArn(g) }, shared);
      expect(o.result, g).toBe("ImplicitlyDenied");
    }
  });

  it("refuses an empty list or an empty name", () => {
    for (const logGroupName of [[], [""]]) {
      expect(() =>
        logGroupKeyPolicy({ accountId: ORG.management, region: ORG.region, logGroupName, adminPrincipalArns: [] }),
      ).toThrow(new Error("logGroupKeyPolicy: logGroupName must not be empty"));
    }
  });
});
