/**
 * The security-baseline SCPs (fixture inputs), proven by IAM simulation; test/infra/scp.sim.test.ts
 * proves the documents the example stacks really generate. SCPs bind IAM principals of member
 * accounts only, so every caller here is a role session in a member account of the organization
 * with an AdministratorAccess-like identity policy: whatever is denied, the SCP denies.
 */
import { describe, expect, it } from "vitest";
import { allowAll, ORG, roleCaller, simulate } from "../helpers/iam-sim";
import { BREAK_GLASS, DEPLOY_ROLE, docs, KEY_ARN, TRAIL_ARN } from "./fixtures";

const memberAdmin = roleCaller({ accountId: ORG.member, roleName: "Admin", identityPolicies: [allowAll()] });
const breakGlass = roleCaller({ accountId: ORG.member, roleName: BREAK_GLASS, identityPolicies: [allowAll()] });
const memberTrail = `arn:aws:cloudtrail:${ORG.region}:${ORG.member}:trail/team-trail`;

describe("SCP: member-account admin against the organization trail (fact 1)", () => {
  it.each([
    "cloudtrail:StopLogging",
    "cloudtrail:DeleteTrail",
    "cloudtrail:UpdateTrail",
    "cloudtrail:PutEventSelectors",
  ])("%s on the org trail is explicitly denied by DenyLoggingTampering", async (action) => {
    const o = await simulate({
      caller: memberAdmin,
      action,
      resource: TRAIL_ARN,
      resourceAccount: ORG.management,
      scps: docs.scps,
    });
    expect(o.scpApplied).toBe(true);
    expect(o.scpResult).toBe("ExplicitlyDenied");
    expect(o.result).toBe("ExplicitlyDenied");
    expect(o.explicitDenials).toEqual(["scp:DenyLoggingTampering"]);
  });

  it.each([
    ["log-archive", ORG.logArchive],
    ["security (a possible CloudTrail delegated administrator)", ORG.security],
  ])("an admin of the %s account is explicitly denied StopLogging on the org trail", async (_label, accountId) => {
    const admin = roleCaller({ accountId, roleName: "Admin", identityPolicies: [allowAll()] });
    const o = await simulate({
      caller: admin,
      action: "cloudtrail:StopLogging",
      resource: TRAIL_ARN,
      resourceAccount: ORG.management,
      scps: docs.scps,
    });
    expect(o.explicitDenials).toEqual(["scp:DenyLoggingTampering"]);
  });

  it("StopLogging on a trail in the admin's own account is blocked only by the SCP", async () => {
    const o = await simulate({
      caller: memberAdmin,
      action: "cloudtrail:StopLogging",
      resource: memberTrail,
      resourceAccount: ORG.member,
      scps: docs.scps,
    });
    expect(o.result).toBe("ExplicitlyDenied");
    expect(o.analysis?.blockedBy).toEqual(["scp"]);
  });
});

describe("SCP: exempt principals (fact 2)", () => {
  it("the break-glass role is not denied StopLogging by the SCP and, in its own account, is allowed", async () => {
    const o = await simulate({
      caller: breakGlass,
      action: "cloudtrail:StopLogging",
      resource: memberTrail,
      resourceAccount: ORG.member,
      scps: docs.scps,
    });
    expect(o.scpApplied).toBe(true);
    expect(o.scpResult).toBe("Allowed");
    expect(o.explicitDenials).toEqual([]);
    expect(o.result).toBe("Allowed");
  });

  it.each([
    "cloudtrail:StopLogging",
    "cloudtrail:DeleteTrail",
    "cloudtrail:UpdateTrail",
    "cloudtrail:PutEventSelectors",
  ])("the break-glass role passes the SCP for %s on the org trail", async (action) => {
    const o = await simulate({
      caller: breakGlass,
      action,
      resource: TRAIL_ARN,
      resourceAccount: ORG.management,
      scps: docs.scps,
    });
    expect(o.scpResult).toBe("Allowed");
    expect(o.explicitDenials).toEqual([]);
  });

  it("a role whose name only starts like the break-glass role is not exempt", async () => {
    const lookalike = roleCaller({
      accountId: ORG.member,
      roleName: `${BREAK_GLASS}-copy`,
      identityPolicies: [allowAll()],
    });
    const o = await simulate({
      caller: lookalike,
      action: "cloudtrail:StopLogging",
      resource: memberTrail,
      resourceAccount: ORG.member,
      scps: docs.scps,
    });
    expect(o.result).toBe("ExplicitlyDenied");
    expect(o.explicitDenials).toEqual(["scp:DenyLoggingTampering"]);
  });

  it("the deployment role is exempt only in the management account, where no SCP binds anyway", async () => {
    const deployInMember = roleCaller({ accountId: ORG.member, roleName: DEPLOY_ROLE, identityPolicies: [allowAll()] });
    const o = await simulate({
      caller: deployInMember,
      action: "cloudtrail:StopLogging",
      resource: memberTrail,
      resourceAccount: ORG.member,
      scps: docs.scps,
    });
    expect(o.result).toBe("ExplicitlyDenied");
    const deployInMgmt = roleCaller({
      accountId: ORG.management,
      roleName: DEPLOY_ROLE,
      identityPolicies: [allowAll()],
    });
    const m = await simulate({
      caller: deployInMgmt,
      action: "cloudtrail:StopLogging",
      resource: TRAIL_ARN,
      resourceAccount: ORG.management,
      scps: docs.scps,
    });
    expect(m.scpApplied).toBe(false);
    expect(m.result).toBe("Allowed");
  });
});

describe("SCP: the management account is not bound", () => {
  it("an admin of the management account can delete the trail's log group there (documented limitation; no SCP statement names it any more)", async () => {
    const mgmtAdmin = roleCaller({ accountId: ORG.management, roleName: "Admin", identityPolicies: [allowAll()] });
    const group = `arn:aws:logs:${ORG.region}:${ORG.management}:log-group:/orgwarden/cloudtrail`;
    const o = await simulate({
      caller: mgmtAdmin,
      action: "logs:DeleteLogGroup",
      resource: group,
      resourceAccount: ORG.management,
      scps: docs.scps,
    });
    expect(o.scpApplied).toBe(false);
    expect(o.result).toBe("Allowed");
  });

  it("an admin of the management account can StopLogging on the org trail (SCPs never apply there)", async () => {
    const mgmtAdmin = roleCaller({ accountId: ORG.management, roleName: "Admin", identityPolicies: [allowAll()] });
    const o = await simulate({
      caller: mgmtAdmin,
      action: "cloudtrail:StopLogging",
      resource: TRAIL_ARN,
      resourceAccount: ORG.management,
      scps: docs.scps,
    });
    expect(o.scpApplied).toBe(false);
    expect(o.result).toBe("Allowed");
  });
});

describe("SCP: leaving the organization (fact 12)", () => {
  it("a member-account admin is explicitly denied organizations:LeaveOrganization", async () => {
    const o = await simulate({
      caller: memberAdmin,
      action: "organizations:LeaveOrganization",
      resource: "*",
      resourceAccount: ORG.member,
      scps: docs.scps,
    });
    expect(o.result).toBe("ExplicitlyDenied");
    expect(o.explicitDenials).toEqual(["scp:DenyLoggingTampering"]);
  });
});

describe("SCP: the rest of the logging estate", () => {
  const la = roleCaller({ accountId: ORG.logArchive, roleName: "Admin", identityPolicies: [allowAll()] });
  const sec = roleCaller({ accountId: ORG.security, roleName: "Admin", identityPolicies: [allowAll()] });
  const archive = "arn:aws:s3:::orgwarden-prod-cloudtrail-222222222222";

  it.each([
    ["s3:PutBucketPolicy", "DenyLogBucketTampering"],
    ["s3:PutLifecycleConfiguration", "DenyLogBucketTampering"],
    ["s3:PutBucketVersioning", "DenyLogBucketTampering"],
    ["s3:DeleteBucket", "DenyLogBucketTampering"],
  ])("a log-archive admin is explicitly denied %s on the archive bucket", async (action, sid) => {
    const o = await simulate({
      caller: la,
      action,
      resource: archive,
      resourceAccount: ORG.logArchive,
      scps: docs.scps,
    });
    expect(o.result).toBe("ExplicitlyDenied");
    expect(o.explicitDenials).toEqual([`scp:${sid}`]);
  });

  it.each(["kms:PutKeyPolicy", "kms:ScheduleKeyDeletion", "kms:DisableKey"])(
    "a security-account admin is explicitly denied %s on the tagged log key",
    async (action) => {
      const o = await simulate({
        caller: sec,
        action,
        resource: KEY_ARN,
        resourceAccount: ORG.security,
        scps: docs.scps,
        context: { "aws:ResourceTag/orgwarden:protected": "true" },
      });
      expect(o.result).toBe("ExplicitlyDenied");
      expect(o.explicitDenials).toEqual(["scp:DenyTaggedResourceTampering"]);
    },
  );

  it("PutInsightSelectors on the org trail is explicitly denied too", async () => {
    const o = await simulate({
      caller: memberAdmin,
      action: "cloudtrail:PutInsightSelectors",
      resource: TRAIL_ARN,
      resourceAccount: ORG.management,
      scps: docs.scps,
    });
    expect(o.explicitDenials).toEqual(["scp:DenyLoggingTampering"]);
  });

  it("a security-account admin is explicitly denied removing the protect tag from the log key", async () => {
    const o = await simulate({
      caller: sec,
      action: "kms:UntagResource",
      resource: KEY_ARN,
      resourceAccount: ORG.security,
      scps: docs.scps,
      context: { "aws:ResourceTag/orgwarden:protected": "true", "aws:TagKeys": ["orgwarden:protected"] },
    });
    expect(o.result).toBe("ExplicitlyDenied");
    expect(o.explicitDenials).toEqual(["scp:DenyTaggedResourceTampering"]);
  });

  it("a security-account admin is denied any tag change on the protected log key, an unrelated tag included", async () => {
    const o = await simulate({
      caller: sec,
      action: "kms:UntagResource",
      resource: KEY_ARN,
      resourceAccount: ORG.security,
      scps: docs.scps,
      context: { "aws:ResourceTag/orgwarden:protected": "true", "aws:TagKeys": ["cost-center"] },
    });
    expect(o.explicitDenials).toEqual(["scp:DenyTaggedResourceTampering"]);
  });

  it("a member admin may change tags on a key without the protect tag", async () => {
    const o = await simulate({
      caller: sec,
      action: "kms:UntagResource",
      resource: KEY_ARN,
      resourceAccount: ORG.security,
      scps: docs.scps,
      context: { "aws:TagKeys": ["cost-center"] },
    });
    expect(o.scpResult).toBe("Allowed");
  });

  it("a member admin is explicitly denied rewriting the break-glass role's trust policy", async () => {
    const o = await simulate({
      caller: memberAdmin,
      action: "iam:UpdateAssumeRolePolicy",
      resource: `arn:aws:iam::${ORG.member}:role/${BREAK_GLASS}`,
      resourceAccount: ORG.member,
      scps: docs.scps,
    });
    expect(o.result).toBe("ExplicitlyDenied");
    expect(o.explicitDenials).toEqual(["scp:DenyProtectedRoleTampering"]);
  });

  it.each([
    [
      "config:StopConfigurationRecorder",
      `arn:aws:config:${ORG.region}:${ORG.member}:configuration-recorder/default/abcd1234efgh5678`,
      "DenyLoggingTampering",
    ],
    [
      "guardduty:DeleteDetector",
      `arn:aws:guardduty:${ORG.region}:${ORG.member}:detector/12abc34d567e8fa901bc2d34e56789f0`,
      "DenyDetectionTampering",
    ],
  ])("a member admin is explicitly denied %s", async (action, resource, sid) => {
    const o = await simulate({ caller: memberAdmin, action, resource, resourceAccount: ORG.member, scps: docs.scps });
    expect(o.result).toBe("ExplicitlyDenied");
    expect(o.explicitDenials).toEqual([`scp:${sid}`]);
  });
});
