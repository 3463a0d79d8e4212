/**
 * The request model behind every simulation test. If these fail, the simulation tests prove
 * nothing, whatever they print.
 */
import { describe, expect, it } from "vitest";
import { allowAll, ORG, roleCaller, scpBinds, serviceCaller, simulate } from "../helpers/iam-sim";
import { docs, KEY_ARN, TRAIL_ARN } from "./fixtures";

describe("iam-sim request model", () => {
  it("a role session carries the principal keys AWS adds to a signed request, with the org id", () => {
    const c = roleCaller({ accountId: ORG.security, roleName: "orgwarden-auditor", identityPolicies: [] });
    expect(c.principal).toBe("arn:aws:sts::333333333333:assumed-role/orgwarden-auditor/session");
    expect(c.context).toEqual({
      "aws:PrincipalArn": "arn:aws:iam::333333333333:role/orgwarden-auditor",
      "aws:PrincipalAccount": "333333333333",
      "aws:PrincipalType": "AssumedRole",
      "aws:PrincipalIsAWSService": "false",
      "aws:SecureTransport": "true",
      "aws:PrincipalOrgID": "o-a1b2c3d4e5",
    });
  });

  it("a role of an account in no organization carries no aws:PrincipalOrgID", () => {
    const c = roleCaller({ accountId: ORG.outsider, roleName: "Admin", orgId: null, identityPolicies: [] });
    expect(Object.keys(c.context)).not.toContain("aws:PrincipalOrgID");
  });

  it("a service principal carries service keys and no IAM principal keys", () => {
    const c = serviceCaller({
      service: "cloudtrail.amazonaws.com",
      sourceArn: TRAIL_ARN,
      sourceAccount: ORG.management,
    });
    expect(c.context).toEqual({
      "aws:PrincipalServiceName": "cloudtrail.amazonaws.com",
      "aws:PrincipalIsAWSService": "true",
      "aws:SecureTransport": "true",
      "aws:SourceArn": TRAIL_ARN,
      "aws:SourceAccount": "111111111111",
    });
  });

  it.each([
    ["a member-account role", roleCaller({ accountId: ORG.member, roleName: "Admin", identityPolicies: [] }), true],
    ["a log-archive role", roleCaller({ accountId: ORG.logArchive, roleName: "Admin", identityPolicies: [] }), true],
    [
      "a management-account role",
      roleCaller({ accountId: ORG.management, roleName: "Admin", identityPolicies: [] }),
      false,
    ],
    [
      "a role in another organization",
      roleCaller({ accountId: ORG.outsider, roleName: "Admin", orgId: "o-zzzzzzzzzz", identityPolicies: [] }),
      false,
    ],
    ["a service principal", serviceCaller({ service: "cloudtrail.amazonaws.com" }), false],
  ])("the SCP binds %s: %s", (_label, caller, binds) => {
    expect(scpBinds(caller)).toBe(binds);
  });

  it("refuses a request whose context key does not apply to the action, instead of silently dropping it", async () => {
    const admin = roleCaller({ accountId: ORG.member, roleName: "Admin", identityPolicies: [allowAll()] });
    await expect(
      simulate({
        caller: admin,
        action: "cloudtrail:StopLogging",
        resource: TRAIL_ARN,
        resourceAccount: ORG.management,
        context: { "s3:x-amz-acl": "private" },
      }),
    ).rejects.toThrow(
      "simulation of cloudtrail:StopLogging ignored context keys s3:x-amz-acl: they do not apply to this action",
    );
  });

  it("refuses an action the simulator does not know", async () => {
    const admin = roleCaller({ accountId: ORG.member, roleName: "Admin", identityPolicies: [allowAll()] });
    await expect(
      simulate({
        caller: admin,
        action: "cloudtrail:StopLoging",
        resource: TRAIL_ARN,
        resourceAccount: ORG.management,
      }),
    ).rejects.toThrow(
      'simulation of cloudtrail:StopLoging on arn:aws:cloudtrail:us-east-1:111111111111:trail/orgwarden-org-trail failed: {"message":"invalid.action"}',
    );
  });

  it("evaluates kms:EncryptionContext:* keys (the validated engine alone would drop them)", async () => {
    const ct = serviceCaller({
      service: "cloudtrail.amazonaws.com",
      sourceArn: TRAIL_ARN,
      sourceAccount: ORG.management,
    });
    const base = {
      caller: ct,
      action: "kms:GenerateDataKey",
      resource: KEY_ARN,
      resourceAccount: ORG.security,
      resourcePolicy: docs.key,
    };
    const withContext = await simulate({ ...base, context: { "kms:EncryptionContext:aws:cloudtrail:arn": TRAIL_ARN } });
    const without = await simulate(base);
    expect([withContext.result, without.result]).toEqual(["Allowed", "ImplicitlyDenied"]);
    expect(withContext.analysis).toBeUndefined();
    expect(without.analysis?.resourceAnalysis?.result).toBe("ImplicitlyDenied");
  });

  it("refuses a kms:EncryptionContext key on an action that has none", async () => {
    const admin = roleCaller({ accountId: ORG.member, roleName: "Admin", identityPolicies: [allowAll()] });
    await expect(
      simulate({
        caller: admin,
        action: "cloudtrail:StopLogging",
        resource: TRAIL_ARN,
        resourceAccount: ORG.management,
        context: { "kms:EncryptionContext:aws:cloudtrail:arn": TRAIL_ARN },
      }),
    ).rejects.toThrow(
      "simulation of cloudtrail:StopLogging: context keys kms:EncryptionContext:aws:cloudtrail:arn do not apply to this action",
    );
  });
});
