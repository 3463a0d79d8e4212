import { describe, expect, it } from "vitest";
import { KEY_ADMIN_ACTIONS, logKeyPolicy } from "../../baseline";
import { EXPECTED_KEY_ADMIN_ACTIONS, keyInput } from "./fixtures";

const ROOT = "arn:aws:iam::333333333333:root";
const TRAIL = "arn:aws:cloudtrail:us-east-1:111111111111:trail/orgwarden-org-trail";

describe("logKeyPolicy", () => {
  it("builds the exact document for the fixed organization", () => {
    expect(logKeyPolicy(keyInput)).toEqual({
      Version: "2012-10-17",
      Id: "orgwarden-log-key",
      Statement: [
        {
          Sid: "KeyAdministration",
          Effect: "Allow",
          Principal: { AWS: ROOT },
          Action: EXPECTED_KEY_ADMIN_ACTIONS,
          Resource: "*",
          Condition: { ArnLike: { "aws:PrincipalArn": ["arn:aws:iam::333333333333:role/orgwarden-key-admin"] } },
        },
        {
          Sid: "CloudTrailEncrypt",
          Effect: "Allow",
          Principal: { Service: "cloudtrail.amazonaws.com" },
          Action: "kms:GenerateDataKey*",
          Resource: "*",
          Condition: {
            StringEquals: { "aws:SourceArn": TRAIL },
            StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": "arn:aws:cloudtrail:*:111111111111:trail/*" },
          },
        },
        {
          Sid: "CloudTrailDescribeKey",
          Effect: "Allow",
          Principal: { Service: "cloudtrail.amazonaws.com" },
          Action: "kms:DescribeKey",
          Resource: "*",
          Condition: { StringEquals: { "aws:SourceArn": TRAIL } },
        },
        {
          Sid: "AuditorDecrypt",
          Effect: "Allow",
          Principal: { AWS: ROOT },
          Action: "kms:Decrypt",
          Resource: "*",
          Condition: {
            ArnLike: { "aws:PrincipalArn": ["arn:aws:iam::333333333333:role/orgwarden-auditor"] },
            Null: { "kms:EncryptionContext:aws:cloudtrail:arn": "false" },
          },
        },
        {
          Sid: "AuditAgentRead",
          Effect: "Allow",
          Principal: { AWS: ROOT },
          Action: [
            "kms:DescribeKey",
            "kms:GetKeyPolicy",
            "kms:GetKeyRotationStatus",
            "kms:ListGrants",
            "kms:ListResourceTags",
          ],
          Resource: "*",
          Condition: { ArnLike: { "aws:PrincipalArn": ["arn:aws:iam::333333333333:role/orgwarden-audit-read"] } },
        },
      ],
    });
  });

  it("grants administrators no cryptographic or grant-creating action", () => {
    const crypto = KEY_ADMIN_ACTIONS.filter((a) =>
      /Decrypt|Encrypt|GenerateDataKey|CreateGrant|ReEncrypt|Sign|Verify|DeriveSharedSecret|GenerateMac/.test(a),
    );
    expect(crypto).toEqual([]);
  });

  it("has no statement that enables IAM policies for the whole account", () => {
    const unconditionedRoot = logKeyPolicy(keyInput).Statement.filter(
      (s) => JSON.stringify(s.Principal).includes(":root") && !s.Condition,
    );
    expect(unconditionedRoot).toEqual([]);
  });

  it("omits the audit-agent statement when no read role is named", () => {
    const doc = logKeyPolicy({ ...keyInput, auditReadRoleNames: [] });
    expect(doc.Statement.map((s) => s.Sid)).toEqual([
      "KeyAdministration",
      "CloudTrailEncrypt",
      "CloudTrailDescribeKey",
      "AuditorDecrypt",
    ]);
  });

  it.each([
    [
      "adminRoleNames",
      { adminRoleNames: [] },
      "logKeyPolicy: adminRoleNames must name at least one role, or the key is unmanageable",
    ],
    ["auditorRoleNames", { auditorRoleNames: [] }, "logKeyPolicy: auditorRoleNames must name at least one role"],
  ])("refuses an empty %s", (_key, patch, message) => {
    expect(() => logKeyPolicy({ ...keyInput, ...patch })).toThrow(message);
  });
});
