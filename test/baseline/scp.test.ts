import { describe, expect, it } from "vitest";
import { assertScpSize, loggingProtectionScp, minify, SCP_MAX_CHARS, ScpTooLargeError } from "../../baseline";
import { scpInput } from "./fixtures";

const base = {
  exemptPrincipalArns: ["arn:aws:iam::*:role/orgwarden-break-glass"],
  protectedBucketNames: ["orgwarden-prod-cloudtrail-111111111111"],
  trailLogGroupName: "/orgwarden/cloudtrail",
};

describe("loggingProtectionScp", () => {
  it("denies the four trail-blinding actions on every trail, with the exemption", () => {
    const doc = loggingProtectionScp(base);
    const s = doc.Statement.find((x) => x.Sid === "DenyTrailTampering")!;
    expect(s).toEqual({
      Sid: "DenyTrailTampering",
      Effect: "Deny",
      Action: [
        "cloudtrail:StopLogging",
        "cloudtrail:DeleteTrail",
        "cloudtrail:UpdateTrail",
        "cloudtrail:PutEventSelectors",
        "cloudtrail:PutInsightSelectors",
      ],
      Resource: "*",
      Condition: { ArnNotLike: { "aws:PrincipalArn": ["arn:aws:iam::*:role/orgwarden-break-glass"] } },
    });
  });

  it("has only Deny statements", () => {
    expect(loggingProtectionScp(base).Statement.every((s) => s.Effect === "Deny")).toBe(true);
  });

  it("refuses an empty exemption list", () => {
    expect(() => loggingProtectionScp({ ...base, exemptPrincipalArns: [] })).toThrow(
      "loggingProtectionScp: exemptPrincipalArns must name at least one break-glass or deployment principal",
    );
  });

  it("refuses an empty protected-bucket list", () => {
    expect(() => loggingProtectionScp({ ...base, protectedBucketNames: [] })).toThrow(
      "loggingProtectionScp: protectedBucketNames must name at least the archive bucket",
    );
  });

  it("builds the exact document for the fixed organization", () => {
    const cond = { ArnNotLike: { "aws:PrincipalArn": ["arn:aws:iam::*:role/orgwarden-break-glass", "arn:aws:iam::111111111111:role/orgwarden-deploy"] } };
    const buckets = ["cloudtrail", "access-logs", "config"].map((b) => `arn:aws:s3:::orgwarden-prod-${b}-222222222222`);
    expect(loggingProtectionScp(scpInput)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "DenyTrailTampering",
          Effect: "Deny",
          Action: ["cloudtrail:StopLogging", "cloudtrail:DeleteTrail", "cloudtrail:UpdateTrail", "cloudtrail:PutEventSelectors", "cloudtrail:PutInsightSelectors"],
          Resource: "*",
          Condition: cond,
        },
        {
          Sid: "DenyConfigTampering",
          Effect: "Deny",
          Action: ["config:StopConfigurationRecorder", "config:DeleteConfigurationRecorder", "config:DeleteDeliveryChannel", "config:DeleteRetentionConfiguration"],
          Resource: "*",
          Condition: cond,
        },
        {
          Sid: "DenyLogBucketTampering",
          Effect: "Deny",
          Action: [
            "s3:PutBucketPolicy",
            "s3:DeleteBucketPolicy",
            "s3:PutLifecycleConfiguration",
            "s3:PutBucketVersioning",
            "s3:PutEncryptionConfiguration",
            "s3:PutBucketLogging",
            "s3:PutBucketObjectLockConfiguration",
            "s3:PutBucketPublicAccessBlock",
            "s3:PutBucketOwnershipControls",
            "s3:DeleteBucket",
          ],
          Resource: buckets,
          Condition: cond,
        },
        {
          Sid: "DenyLogKeyTampering",
          Effect: "Deny",
          Action: ["kms:DisableKey", "kms:ScheduleKeyDeletion", "kms:PutKeyPolicy", "kms:DisableKeyRotation", "kms:DeleteAlias", "kms:UpdateAlias"],
          Resource: "*",
          Condition: { ...cond, StringEquals: { "aws:ResourceTag/orgwarden:protected": "true" } },
        },
        {
          Sid: "DenyProtectTagRemoval",
          Effect: "Deny",
          Action: ["kms:UntagResource", "kms:TagResource"],
          Resource: "*",
          Condition: { ...cond, "ForAnyValue:StringEquals": { "aws:TagKeys": ["orgwarden:protected"] } },
        },
        {
          Sid: "DenyTrailLogGroupTampering",
          Effect: "Deny",
          Action: ["logs:DeleteLogGroup", "logs:DeleteRetentionPolicy", "logs:PutRetentionPolicy", "logs:DeleteSubscriptionFilter"],
          Resource: ["arn:aws:logs:*:*:log-group:/orgwarden/cloudtrail", "arn:aws:logs:*:*:log-group:/orgwarden/cloudtrail:*"],
          Condition: cond,
        },
        {
          Sid: "DenyDetectionDisable",
          Effect: "Deny",
          Action: [
            "guardduty:DeleteDetector",
            "guardduty:UpdateDetector",
            "guardduty:DisassociateFromAdministratorAccount",
            "guardduty:DisassociateFromMasterAccount",
            "guardduty:StopMonitoringMembers",
            "guardduty:DeleteMembers",
            "guardduty:DisassociateMembers",
            "securityhub:DisableSecurityHub",
            "securityhub:DisassociateFromAdministratorAccount",
            "securityhub:DisassociateFromMasterAccount",
            "securityhub:DeleteMembers",
            "securityhub:DisassociateMembers",
            "inspector2:Disable",
            "inspector2:DisassociateMember",
          ],
          Resource: "*",
          Condition: cond,
        },
        { Sid: "DenyLeaveOrganization", Effect: "Deny", Action: "organizations:LeaveOrganization", Resource: "*", Condition: cond },
        {
          Sid: "DenyExemptRoleTampering",
          Effect: "Deny",
          Action: [
            "iam:UpdateAssumeRolePolicy",
            "iam:AttachRolePolicy",
            "iam:DetachRolePolicy",
            "iam:PutRolePolicy",
            "iam:DeleteRolePolicy",
            "iam:DeleteRole",
            "iam:PutRolePermissionsBoundary",
            "iam:DeleteRolePermissionsBoundary",
          ],
          Resource: ["arn:aws:iam::*:role/orgwarden-break-glass", "arn:aws:iam::111111111111:role/orgwarden-deploy"],
          Condition: cond,
        },
      ],
    });
  });

  it("leaves out the exempt-role statement when no exemption is a role", () => {
    const doc = loggingProtectionScp({ ...base, exemptPrincipalArns: ["arn:aws:iam::111111111111:user/break-glass"] });
    expect(doc.Statement.map((s) => s.Sid)).not.toContain("DenyExemptRoleTampering");
    expect(doc.Statement.length).toBe(8);
  });

  it("never names a Principal (SCPs have none)", () => {
    expect(loggingProtectionScp(scpInput).Statement.filter((s) => s.Principal !== undefined || s.NotPrincipal !== undefined)).toEqual([]);
  });

  it("fits the 5,120-character limit with the defaults", () => {
    const text = assertScpSize("protect-security-logging", loggingProtectionScp(base));
    expect(text.length).toBeLessThanOrEqual(SCP_MAX_CHARS);
    expect(text).toBe(minify(loggingProtectionScp(base)));
  });

  it("throws ScpTooLargeError naming the policy and its size when it overflows", () => {
    const many = Array.from({ length: 80 }, (_, i) => `arn:aws:iam::*:role/break-glass-role-number-${i}`);
    const doc = loggingProtectionScp({ ...base, exemptPrincipalArns: many });
    const size = minify(doc).length;
    expect(size).toBeGreaterThan(SCP_MAX_CHARS);
    expect(() => assertScpSize("protect-security-logging", doc)).toThrow(ScpTooLargeError);
    expect(() => assertScpSize("protect-security-logging", doc)).toThrow(
      `SCP "protect-security-logging" is ${size} characters minified; AWS Organizations allows at most 5120.`,
    );
  });
});
