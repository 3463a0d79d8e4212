import { describe, expect, it } from "vitest";
import {
  assertScpSize,
  detectionProtectionScp,
  identityProtectionScp,
  loggingProtectionScp,
  minify,
  pathLookalikePatterns,
  SCP_EXEMPTION_BUDGET,
  SCP_MAX_CHARS,
  SCP_MAX_PER_TARGET,
  ScpTooLargeError,
  securityBaselineScps,
} from "../../baseline";
import { scpInput } from "./fixtures";

const base = { ...scpInput, exemptPrincipalArns: ["arn:aws:iam::*:role/orgwarden-break-glass"] };
const cond = {
  ArnNotLike: {
    "aws:PrincipalArn": [
      "arn:aws:iam::*:role/orgwarden-break-glass",
      "arn:aws:iam::111111111111:role/orgwarden-deploy",
    ],
  },
};
const bucket = (b: string) => `arn:aws:s3:::orgwarden-prod-${b}-222222222222`;

describe("loggingProtectionScp (SCP 1)", () => {
  it("builds the exact document for the fixed organization", () => {
    expect(loggingProtectionScp(scpInput)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "DenyLoggingTampering",
          Effect: "Deny",
          Action: [
            "cloudtrail:StopLogging",
            "cloudtrail:DeleteTrail",
            "cloudtrail:UpdateTrail",
            "cloudtrail:PutEventSelectors",
            "cloudtrail:PutInsightSelectors",
            "config:StopConfigurationRecorder",
            "config:DeleteConfigurationRecorder",
            "config:PutConfigurationRecorder",
            "config:DeleteDeliveryChannel",
            "config:PutDeliveryChannel",
            "config:PutRetentionConfiguration",
            "config:DeleteRetentionConfiguration",
            "organizations:LeaveOrganization",
          ],
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
            "s3:DeleteObject",
            "s3:DeleteObjectVersion",
          ],
          Resource: [
            bucket("cloudtrail"),
            bucket("access-logs"),
            bucket("config"),
            `${bucket("access-logs")}/*`,
            `${bucket("config")}/*`,
          ],
          Condition: cond,
        },
        {
          Sid: "DenyTaggedResourceTampering",
          Effect: "Deny",
          Action: [
            "kms:DisableKey",
            "kms:ScheduleKeyDeletion",
            "kms:PutKeyPolicy",
            "kms:DisableKeyRotation",
            "kms:DeleteAlias",
            "kms:UpdateAlias",
            "kms:UntagResource",
            "kms:TagResource",
            "ssm:DeleteAssociation",
            "ssm:UpdateAssociation",
            "ssm:AddTagsToResource",
            "ssm:RemoveTagsFromResource",
            "route53resolver:DisassociateResolverQueryLogConfig",
            "route53resolver:DeleteResolverQueryLogConfig",
            "route53resolver:TagResource",
            "route53resolver:UntagResource",
            "ram:DisassociateResourceShare",
            "ram:DeleteResourceShare",
            "ram:UpdateResourceShare",
            "ram:TagResource",
            "ram:UntagResource",
          ],
          Resource: "*",
          Condition: { ...cond, StringEquals: { "aws:ResourceTag/orgwarden:protected": "true" } },
        },
      ],
    });
  });

  it("leaves object deletion out of the bucket statement when no bucket is object-protected", () => {
    const s = loggingProtectionScp({ ...base, objectProtectedBucketNames: [] }).Statement[1];
    expect(s.Action).not.toContain("s3:DeleteObject");
    expect(s.Resource).toEqual([bucket("cloudtrail"), bucket("access-logs"), bucket("config")]);
  });

  it("refuses an empty exemption list", () => {
    expect(() => loggingProtectionScp({ ...base, exemptPrincipalArns: [] })).toThrow(
      "loggingProtectionScp: exemptPrincipalArns must name at least one break-glass or deployment principal",
    );
  });

  it("refuses an empty protected-bucket list", () => {
    expect(() => loggingProtectionScp({ ...base, protectedBucketNames: [], objectProtectedBucketNames: [] })).toThrow(
      "loggingProtectionScp: protectedBucketNames must name at least the archive bucket",
    );
  });

  it("refuses an object-protected bucket that is not a protected bucket", () => {
    expect(() => loggingProtectionScp({ ...base, objectProtectedBucketNames: ["other"] })).toThrow(
      "loggingProtectionScp: objectProtectedBucketNames other must also be in protectedBucketNames",
    );
  });
});

describe("detectionProtectionScp (SCP 2)", () => {
  it("builds the exact document for the fixed organization", () => {
    expect(detectionProtectionScp(scpInput)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "DenyDetectionTampering",
          Effect: "Deny",
          Action: [
            "guardduty:DeleteDetector",
            "guardduty:UpdateDetector",
            "guardduty:DisassociateFromAdministratorAccount",
            "guardduty:DisassociateFromMasterAccount",
            "guardduty:StopMonitoringMembers",
            "guardduty:DeleteMembers",
            "guardduty:DisassociateMembers",
            "guardduty:UpdateMemberDetectors",
            "guardduty:UpdateOrganizationConfiguration",
            "securityhub:DisableSecurityHub",
            "securityhub:DisassociateFromAdministratorAccount",
            "securityhub:DisassociateFromMasterAccount",
            "securityhub:DeleteMembers",
            "securityhub:DisassociateMembers",
            "securityhub:BatchDisableStandards",
            "securityhub:UpdateOrganizationConfiguration",
            "inspector2:Disable",
            "inspector2:DisassociateMember",
            "inspector2:UpdateOrganizationConfiguration",
            "guardduty:CreateFilter",
            "guardduty:UpdateFilter",
            "guardduty:CreateIPSet",
            "guardduty:UpdateIPSet",
            "guardduty:UpdateThreatIntelSet",
            "guardduty:DeleteThreatIntelSet",
            "securityhub:UpdateStandardsControl",
            "securityhub:BatchUpdateStandardsControlAssociations",
            "securityhub:DisableImportFindingsForProduct",
          ],
          Resource: "*",
          Condition: cond,
        },
        {
          Sid: "DenyBaselineRuleAndDocumentTampering",
          Effect: "Deny",
          Action: [
            "events:DisableRule",
            "events:DeleteRule",
            "events:PutRule",
            "events:RemoveTargets",
            "events:PutTargets",
          ],
          Resource: "arn:aws:events:*:*:rule/orgwarden-forward-*",
          Condition: cond,
        },
        {
          Sid: "DenyManifestTampering",
          Effect: "Deny",
          Action: [
            "ssm:PutParameter",
            "ssm:DeleteParameter",
            "ssm:DeleteParameters",
            "ssm:AddTagsToResource",
            "ssm:RemoveTagsFromResource",
          ],
          Resource: [
            "arn:aws:ssm:*:*:parameter/orgwarden/prod/audit-manifest",
            "arn:aws:ssm:*:*:parameter/orgwarden/prod/audit-manifest/part-*",
          ],
          Condition: cond,
        },
      ],
    });
  });
});

describe("identityProtectionScp (SCP 3)", () => {
  it("builds the exact document for the fixed organization (no wildcard exemption, so no look-alike statement)", () => {
    expect(identityProtectionScp(scpInput)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "DenyProtectedRoleTampering",
          Effect: "Deny",
          Action: [
            "iam:UpdateAssumeRolePolicy",
            "iam:AttachRolePolicy",
            "iam:DetachRolePolicy",
            "iam:PutRolePolicy",
            "iam:DeleteRolePolicy",
            "iam:DeleteRole",
            "iam:UpdateRole",
            "iam:PutRolePermissionsBoundary",
            "iam:DeleteRolePermissionsBoundary",
            "iam:CreateRole",
          ],
          Resource: [
            "arn:aws:iam::*:role/orgwarden-break-glass",
            "arn:aws:iam::111111111111:role/orgwarden-deploy",
            "arn:aws:iam::*:role/orgwarden-audit-read",
            "arn:aws:iam::*:role/orgwarden-event-forwarder",
          ],
          Condition: cond,
        },
        {
          Sid: "DenyBaselineStackTampering",
          Effect: "Deny",
          Action: [
            "cloudformation:DeleteStack",
            "cloudformation:UpdateStack",
            "cloudformation:CreateChangeSet",
            "cloudformation:ExecuteChangeSet",
            "cloudformation:DeleteStackInstances",
            "cloudformation:UpdateStackInstances",
            "cloudformation:UpdateStackSet",
            "cloudformation:DeleteStackSet",
          ],
          Resource: [
            "arn:aws:cloudformation:*:*:stack/StackSet-orgwarden-member-baseline-*",
            "arn:aws:cloudformation:*:*:stack/orgwarden-member-baseline/*",
            "arn:aws:cloudformation:*:*:stackset/orgwarden-member-baseline:*",
          ],
          Condition: cond,
        },
      ],
    });
  });

  it("denies every action, without exemption, to a role whose ARN only matches a wildcard exemption through a path", () => {
    const doc = identityProtectionScp({ ...scpInput, exemptPrincipalArns: ["arn:aws:iam::*:role/stacksets-exec-*"] });
    expect(doc.Statement.find((s) => s.Sid === "DenyPathLookalikeRoles")).toEqual({
      Sid: "DenyPathLookalikeRoles",
      Effect: "Deny",
      Action: "*",
      Resource: "*",
      Condition: { ArnLike: { "aws:PrincipalArn": ["arn:aws:iam::*:role/stacksets-exec-*/*"] } },
    });
  });
});

describe("pathLookalikePatterns", () => {
  it.each([
    [["arn:aws:iam::*:role/stacksets-exec-*"], ["arn:aws:iam::*:role/stacksets-exec-*/*"]],
    [["arn:aws:iam::*:role/orgwarden-break-glass"], []],
    [
      ["arn:aws:iam::*:role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_Admin_*"],
      ["arn:aws:iam::*:role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_Admin_*/*"],
    ],
    [["arn:aws:iam::*:role/aws-reserved/sso.amazonaws.com/*"], []],
    [["arn:aws:iam::111111111111:user/break-glass-*"], []],
  ])("%j gives %j", (exempt, want) => {
    expect(pathLookalikePatterns(exempt)).toEqual(want);
  });
});

describe("securityBaselineScps", () => {
  it("returns the three parts in attachment order", () => {
    expect(securityBaselineScps(scpInput).map((s) => s.part)).toEqual(["logging", "detection", "identity"]);
  });

  it("with the network automation: its rule and documents join the rule statement (one exemption condition), its roles the protected roles", () => {
    const withNetwork = {
      ...scpInput,
      baselineRoleNames: [...scpInput.baselineRoleNames, "orgwarden-dns-query-log-association"],
      automationRuleNames: ["orgwarden-associate-new-vpc-dns-query-logs"],
      automationDocumentNames: ["orgwarden-AssociateVpcsDnsQueryLogs", "orgwarden-EnableVpcFlowLogs"],
    };
    const detection = detectionProtectionScp(withNetwork);
    expect(detection.Statement.find((x) => x.Sid === "DenyBaselineRuleAndDocumentTampering")).toEqual({
      Sid: "DenyBaselineRuleAndDocumentTampering",
      Effect: "Deny",
      Action: [
        "events:DisableRule",
        "events:DeleteRule",
        "events:PutRule",
        "events:RemoveTargets",
        "events:PutTargets",
        "ssm:CreateDocument",
        "ssm:DeleteDocument",
        "ssm:UpdateDocument",
        "ssm:UpdateDocumentDefaultVersion",
        "ssm:UpdateDocumentMetadata",
        "ssm:ModifyDocumentPermission",
      ],
      Resource: [
        "arn:aws:events:*:*:rule/orgwarden-forward-*",
        "arn:aws:events:*:*:rule/orgwarden-associate-new-vpc-dns-query-logs",
        "arn:aws:ssm:*:*:document/orgwarden-AssociateVpcsDnsQueryLogs",
        "arn:aws:ssm:*:*:document/orgwarden-EnableVpcFlowLogs",
      ],
      Condition: cond,
    });
    expect(detection.Statement.map((x) => x.Sid)).toEqual(detectionProtectionScp(scpInput).Statement.map((x) => x.Sid));
    const identity = identityProtectionScp(withNetwork);
    expect(identity.Statement.find((x) => x.Sid === "DenyProtectedRoleTampering")?.Resource).toContain(
      "arn:aws:iam::*:role/orgwarden-dns-query-log-association",
    );
  });

  it("leaves one of the five SCP slots per target free after FullAWSAccess", () => {
    expect(SCP_MAX_PER_TARGET - 1 - securityBaselineScps(scpInput).length).toBe(1);
  });

  it("has only Deny statements, and never a Principal (SCPs have none)", () => {
    const all = securityBaselineScps(scpInput).flatMap((s) => s.document.Statement);
    expect(all.filter((s) => s.Effect !== "Deny" || s.Principal !== undefined || s.NotPrincipal !== undefined)).toEqual(
      [],
    );
  });

  it("every part fits 5,120 characters with the exemption budget (10 wildcard patterns of 80 characters), with 20-character bucket prefixes", () => {
    const exempt = Array.from(
      { length: SCP_EXEMPTION_BUDGET.patterns },
      (_, i) =>
        `arn:aws:iam::*:role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_Team${i}_*`.padEnd(
          SCP_EXEMPTION_BUDGET.chars,
          "x",
        ) + "*",
    );
    const b = (k: string) => `abcdefghij0123456789-prod-${k}-222222222222`;
    const sizes = securityBaselineScps({
      ...scpInput,
      // As the example stacks lay them: the network automation's three roles, one rule and two documents.
      baselineRoleNames: [
        ...scpInput.baselineRoleNames,
        "orgwarden-dns-query-log-association",
        "orgwarden-dns-query-log-association-events",
        "orgwarden-flow-log-remediation",
      ],
      automationRuleNames: ["orgwarden-associate-new-vpc-dns-query-logs"],
      automationDocumentNames: ["orgwarden-AssociateVpcsDnsQueryLogs", "orgwarden-EnableVpcFlowLogs"],
      exemptPrincipalArns: exempt,
      protectedBucketNames: [b("cloudtrail"), b("access-logs"), b("config")],
      objectProtectedBucketNames: [b("access-logs"), b("config")],
    }).map((s) => minify(s.document).length);
    expect(sizes.every((n) => n <= SCP_MAX_CHARS)).toBe(true);
    expect(sizes).toEqual([4594, 4660, 4767]);
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

  it("returns the minified text when the document fits", () => {
    expect(assertScpSize("p", loggingProtectionScp(base))).toBe(minify(loggingProtectionScp(base)));
  });
});
