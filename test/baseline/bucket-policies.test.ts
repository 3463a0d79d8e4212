import { describe, expect, it } from "vitest";
import { accessLogBucketPolicy, archiveBucketPolicy, denyInsecureTransport } from "../../baseline";
import { accessLogInput, archiveInput } from "./fixtures";

const B = "arn:aws:s3:::orgwarden-prod-cloudtrail-222222222222";
const L = "arn:aws:s3:::orgwarden-prod-access-logs-222222222222";
const TRAIL = "arn:aws:cloudtrail:us-east-1:111111111111:trail/orgwarden-org-trail";
const AUDITOR = "arn:aws:iam::333333333333:role/orgwarden-auditor";

describe("archiveBucketPolicy", () => {
  it("builds the exact document for the fixed organization", () => {
    expect(archiveBucketPolicy(archiveInput)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "DenyInsecureTransport",
          Effect: "Deny",
          Principal: "*",
          Action: "s3:*",
          Resource: [B, `${B}/*`],
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
        {
          Sid: "AWSCloudTrailAclCheck",
          Effect: "Allow",
          Principal: { Service: "cloudtrail.amazonaws.com" },
          Action: "s3:GetBucketAcl",
          Resource: B,
          Condition: { StringEquals: { "aws:SourceArn": TRAIL } },
        },
        {
          Sid: "AWSCloudTrailWrite",
          Effect: "Allow",
          Principal: { Service: "cloudtrail.amazonaws.com" },
          Action: "s3:PutObject",
          Resource: [`${B}/AWSLogs/o-a1b2c3d4e5/*`, `${B}/AWSLogs/111111111111/*`],
          Condition: { StringEquals: { "aws:SourceArn": TRAIL, "s3:x-amz-acl": "bucket-owner-full-control" } },
        },
        {
          Sid: "AuditorRead",
          Effect: "Allow",
          Principal: { AWS: "arn:aws:iam::333333333333:root" },
          Action: ["s3:GetObject", "s3:GetObjectVersion", "s3:ListBucket", "s3:GetBucketLocation"],
          Resource: [B, `${B}/*`],
          Condition: { ArnLike: { "aws:PrincipalArn": [AUDITOR] } },
        },
        {
          Sid: "DenyReadExceptAuditors",
          Effect: "Deny",
          Principal: "*",
          Action: ["s3:GetObject", "s3:GetObjectVersion"],
          Resource: `${B}/*`,
          Condition: { ArnNotLike: { "aws:PrincipalArn": [AUDITOR] } },
        },
        {
          Sid: "DenyObjectWritesExceptCloudTrail",
          Effect: "Deny",
          Principal: "*",
          Action: [
            "s3:PutObject",
            "s3:PutObjectAcl",
            "s3:PutObjectRetention",
            "s3:PutObjectLegalHold",
            "s3:BypassGovernanceRetention",
            "s3:DeleteObject",
            "s3:DeleteObjectVersion",
          ],
          Resource: `${B}/*`,
          Condition: { StringNotEquals: { "aws:PrincipalServiceName": "cloudtrail.amazonaws.com" } },
        },
        {
          Sid: "DenyCloudTrailOtherTrails",
          Effect: "Deny",
          Principal: { Service: "cloudtrail.amazonaws.com" },
          Action: "s3:PutObject",
          Resource: `${B}/*`,
          Condition: { StringNotEquals: { "aws:SourceArn": TRAIL } },
        },
        {
          Sid: "DenyOutsideOrganization",
          Effect: "Deny",
          Principal: "*",
          Action: "s3:*",
          Resource: [B, `${B}/*`],
          Condition: {
            StringNotEqualsIfExists: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" },
            BoolIfExists: { "aws:PrincipalIsAWSService": "false" },
          },
        },
      ],
    });
  });

  it("names every auditor role, in order, in both the read grant and the read deny", () => {
    const doc = archiveBucketPolicy({ ...archiveInput, auditorRoleNames: ["a", "b"] });
    const arns = ["arn:aws:iam::333333333333:role/a", "arn:aws:iam::333333333333:role/b"];
    expect(doc.Statement.find((s) => s.Sid === "AuditorRead")!.Condition).toEqual({
      ArnLike: { "aws:PrincipalArn": arns },
    });
    expect(doc.Statement.find((s) => s.Sid === "DenyReadExceptAuditors")!.Condition).toEqual({
      ArnNotLike: { "aws:PrincipalArn": arns },
    });
  });

  it("has no statement conditioned on the PutObject encryption header (digest files are SSE-S3)", () => {
    const text = JSON.stringify(archiveBucketPolicy(archiveInput));
    expect(text.includes("x-amz-server-side-encryption")).toBe(false);
  });

  it("refuses an empty auditor list", () => {
    expect(() => archiveBucketPolicy({ ...archiveInput, auditorRoleNames: [] })).toThrow(
      "archiveBucketPolicy: auditorRoleNames must name at least one role",
    );
  });
});

describe("accessLogBucketPolicy", () => {
  it("builds the exact document for the fixed organization", () => {
    expect(accessLogBucketPolicy({ ...accessLogInput, additionalSources: [] })).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "DenyInsecureTransport",
          Effect: "Deny",
          Principal: "*",
          Action: "s3:*",
          Resource: [L, `${L}/*`],
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
        {
          Sid: "S3ServerAccessLogsPolicy",
          Effect: "Allow",
          Principal: { Service: "logging.s3.amazonaws.com" },
          Action: "s3:PutObject",
          Resource: `${L}/s3-access/*`,
          Condition: {
            ArnLike: { "aws:SourceArn": B },
            StringEquals: { "aws:SourceAccount": "222222222222" },
          },
        },
        {
          Sid: "DenyObjectWritesExceptS3Logging",
          Effect: "Deny",
          Principal: "*",
          Action: ["s3:PutObject", "s3:PutObjectAcl"],
          Resource: `${L}/*`,
          Condition: { StringNotEquals: { "aws:PrincipalServiceName": "logging.s3.amazonaws.com" } },
        },
        {
          Sid: "DenyObjectDeletion",
          Effect: "Deny",
          Principal: "*",
          Action: ["s3:DeleteObject", "s3:DeleteObjectVersion"],
          Resource: `${L}/*`,
        },
        {
          Sid: "DenyOutsideOrganization",
          Effect: "Deny",
          Principal: "*",
          Action: "s3:*",
          Resource: [L, `${L}/*`],
          Condition: {
            StringNotEqualsIfExists: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" },
            BoolIfExists: { "aws:PrincipalIsAWSService": "false" },
          },
        },
      ],
    });
  });

  it.each([
    ["an empty prefix admits the whole bucket", "", `${L}/*`],
    ["a nested prefix", "logs/archive/", `${L}/logs/archive/*`],
  ])("%s", (_label, prefix, resource) => {
    const doc = accessLogBucketPolicy({ ...accessLogInput, additionalSources: [], prefix });
    expect(doc.Statement.find((s) => s.Sid === "S3ServerAccessLogsPolicy")!.Resource).toBe(resource);
  });

  it("gives an additional source bucket its own statement, for its own prefix only", () => {
    const doc = accessLogBucketPolicy({
      ...accessLogInput,
      additionalSources: [
        { bucketName: "orgwarden-prod-config-222222222222", prefix: "orgwarden-prod-config-222222222222/" },
      ],
    });
    expect(doc.Statement.find((s) => s.Sid === "S3ServerAccessLogsPolicy2")).toEqual({
      Sid: "S3ServerAccessLogsPolicy2",
      Effect: "Allow",
      Principal: { Service: "logging.s3.amazonaws.com" },
      Action: "s3:PutObject",
      Resource: `${L}/orgwarden-prod-config-222222222222/*`,
      Condition: {
        ArnLike: { "aws:SourceArn": "arn:aws:s3:::orgwarden-prod-config-222222222222" },
        StringEquals: { "aws:SourceAccount": "222222222222" },
      },
    });
  });

  it("refuses sources whose prefixes overlap, naming the prefix", () => {
    expect(() =>
      accessLogBucketPolicy({
        ...accessLogInput,
        additionalSources: [{ bucketName: "other", prefix: "s3-access/other/" }],
      }),
    ).toThrow(
      'accessLogBucketPolicy: prefix "s3-access/" overlaps another source\'s prefix; give every source bucket its own prefix',
    );
  });
});

describe("denyInsecureTransport", () => {
  it("covers the bucket and every object in it", () => {
    expect(denyInsecureTransport("b")).toEqual({
      Sid: "DenyInsecureTransport",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: ["arn:aws:s3:::b", "arn:aws:s3:::b/*"],
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    });
  });
});
