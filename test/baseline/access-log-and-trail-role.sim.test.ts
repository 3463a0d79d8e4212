/**
 * The server-access-log bucket policy and the CloudTrail → CloudWatch Logs role, proven by IAM simulation.
 */
import { describe, expect, it } from "vitest";
import { allowAll, ORG, roleCaller, serviceCaller, simulate, type Caller } from "../helpers/iam-sim";
import { ACCESS_LOG_BUCKET, ARCHIVE_BUCKET, BREAK_GLASS, CONFIG_BUCKET, docs, LOG_GROUP, TRAIL_ARN } from "./fixtures";

const logBucket = `arn:aws:s3:::${ACCESS_LOG_BUCKET}`;
const accessLogKey = `${logBucket}/s3-access/2026-11-22-10-05-12-A1B2C3D4E5F6A7B8`;

const onAccessLogs = (caller: Caller, action: string, resource: string, context?: Record<string, string>) =>
  simulate({
    caller,
    action,
    resource,
    resourceAccount: ORG.logArchive,
    resourcePolicy: docs.accessLog,
    scps: [docs.scp],
    context,
  });

const s3Logging = (sourceBucket: string, sourceAccount: string) =>
  serviceCaller({ service: "logging.s3.amazonaws.com", sourceArn: `arn:aws:s3:::${sourceBucket}`, sourceAccount });

describe("access-log bucket: only S3 server access logging, only for the archive", () => {
  it("logging.s3.amazonaws.com may write for the archive bucket from the log-archive account", async () => {
    const o = await onAccessLogs(s3Logging(ARCHIVE_BUCKET, ORG.logArchive), "s3:PutObject", accessLogKey);
    expect(o.result).toBe("Allowed");
    expect(o.grants).toEqual(["resource:S3ServerAccessLogsPolicy"]);
  });

  it("logging.s3.amazonaws.com may write for the Config bucket under the Config bucket's prefix", async () => {
    const o = await onAccessLogs(
      s3Logging(CONFIG_BUCKET, ORG.logArchive),
      "s3:PutObject",
      `${logBucket}/${CONFIG_BUCKET}/2026-11-22-10-05-12-A1B2C3D4E5F6A7B8`,
    );
    expect(o.result).toBe("Allowed");
    expect(o.grants).toEqual(["resource:S3ServerAccessLogsPolicy2"]);
  });

  it("logging for the Config bucket may not write under the archive's prefix", async () => {
    const o = await onAccessLogs(s3Logging(CONFIG_BUCKET, ORG.logArchive), "s3:PutObject", accessLogKey);
    expect(o.result).toBe("ImplicitlyDenied");
  });

  it("logging for the archive may not write under the Config bucket's prefix", async () => {
    const o = await onAccessLogs(
      s3Logging(ARCHIVE_BUCKET, ORG.logArchive),
      "s3:PutObject",
      `${logBucket}/${CONFIG_BUCKET}/2026-11-22-10-05-12-A1B2C3D4E5F6A7B8`,
    );
    expect(o.result).toBe("ImplicitlyDenied");
  });

  it.each(["s3:DeleteObject", "s3:DeleteObjectVersion"])(
    "a log-archive admin is explicitly denied %s on an access log by the bucket policy and the SCP",
    async (action) => {
      const admin = roleCaller({ accountId: ORG.logArchive, roleName: "Admin", identityPolicies: [allowAll("s3:*")] });
      const o = await onAccessLogs(admin, action, accessLogKey);
      expect(o.result).toBe("ExplicitlyDenied");
      expect(o.explicitDenials).toEqual(["resource:DenyObjectDeletion", "scp:DenyLogBucketTampering"]);
    },
  );

  it("the exempt break-glass role passes the SCP but is still denied deleting an access log by the bucket policy", async () => {
    const bg = roleCaller({ accountId: ORG.logArchive, roleName: BREAK_GLASS, identityPolicies: [allowAll("s3:*")] });
    const o = await onAccessLogs(bg, "s3:DeleteObjectVersion", accessLogKey);
    expect(o.scpResult).toBe("Allowed");
    expect(o.explicitDenials).toEqual(["resource:DenyObjectDeletion"]);
  });

  it("logging for another bucket is not allowed", async () => {
    const o = await onAccessLogs(s3Logging("someone-elses-bucket", ORG.logArchive), "s3:PutObject", accessLogKey);
    expect(o.result).toBe("ImplicitlyDenied");
  });

  it("logging claiming the archive bucket from another account is not allowed", async () => {
    const o = await onAccessLogs(s3Logging(ARCHIVE_BUCKET, ORG.outsider), "s3:PutObject", accessLogKey);
    expect(o.result).toBe("ImplicitlyDenied");
  });

  it("logging outside the configured prefix is not allowed", async () => {
    const o = await onAccessLogs(s3Logging(ARCHIVE_BUCKET, ORG.logArchive), "s3:PutObject", `${logBucket}/elsewhere/x`);
    expect(o.result).toBe("ImplicitlyDenied");
  });

  it("another service principal is explicitly denied PutObject", async () => {
    const ct = serviceCaller({
      service: "cloudtrail.amazonaws.com",
      sourceArn: TRAIL_ARN,
      sourceAccount: ORG.management,
    });
    const o = await onAccessLogs(ct, "s3:PutObject", accessLogKey, { "s3:x-amz-acl": "bucket-owner-full-control" });
    expect(o.result).toBe("ExplicitlyDenied");
    expect(o.explicitDenials).toEqual(["resource:DenyObjectWritesExceptS3Logging"]);
  });

  it("a log-archive admin with s3:* is explicitly denied PutObject", async () => {
    const admin = roleCaller({ accountId: ORG.logArchive, roleName: "Admin", identityPolicies: [allowAll("s3:*")] });
    const o = await onAccessLogs(admin, "s3:PutObject", accessLogKey);
    expect(o.result).toBe("ExplicitlyDenied");
    expect(o.explicitDenials).toEqual(["resource:DenyObjectWritesExceptS3Logging"]);
  });

  it("plain-HTTP access by a log-archive reader is explicitly denied", async () => {
    const reader = roleCaller({
      accountId: ORG.logArchive,
      roleName: "Reader",
      identityPolicies: [allowAll("s3:GetObject")],
      secureTransport: false,
    });
    const o = await onAccessLogs(reader, "s3:GetObject", accessLogKey);
    expect(o.result).toBe("ExplicitlyDenied");
    expect(o.explicitDenials).toEqual(["resource:DenyInsecureTransport"]);
  });

  it("a principal outside the organization is explicitly denied reads, writes and listing (fact 10)", async () => {
    const outsider = roleCaller({
      accountId: ORG.outsider,
      roleName: "Admin",
      orgId: null,
      identityPolicies: [allowAll()],
    });
    const results = await Promise.all([
      onAccessLogs(outsider, "s3:GetObject", accessLogKey),
      onAccessLogs(outsider, "s3:PutObject", accessLogKey),
      onAccessLogs(outsider, "s3:ListBucket", logBucket),
      onAccessLogs(outsider, "s3:DeleteObject", accessLogKey),
    ]);
    expect(results.map((r) => r.result)).toEqual([
      "ExplicitlyDenied",
      "ExplicitlyDenied",
      "ExplicitlyDenied",
      "ExplicitlyDenied",
    ]);
    for (const r of results) expect(r.explicitDenials).toContain("resource:DenyOutsideOrganization");
  });
});

const trailRoleArn = `arn:aws:iam::${ORG.management}:role/orgwarden-cloudtrail-logs`;
const assume = (caller: Caller) =>
  simulate({
    caller,
    action: "sts:AssumeRole",
    resource: trailRoleArn,
    resourceAccount: ORG.management,
    resourcePolicy: docs.trailTrust,
  });

describe("CloudTrail → CloudWatch Logs role: trust policy", () => {
  it("CloudTrail may assume it for the org trail from the management account", async () => {
    const o = await assume(
      serviceCaller({ service: "cloudtrail.amazonaws.com", sourceArn: TRAIL_ARN, sourceAccount: ORG.management }),
    );
    expect(o.result).toBe("Allowed");
    expect(o.grants).toEqual(["resource:CloudTrailAssume"]);
  });

  it.each([
    [
      "another trail as aws:SourceArn",
      {
        service: "cloudtrail.amazonaws.com",
        sourceArn: `arn:aws:cloudtrail:${ORG.region}:${ORG.management}:trail/shadow`,
        sourceAccount: ORG.management,
      },
    ],
    [
      "another aws:SourceAccount",
      { service: "cloudtrail.amazonaws.com", sourceArn: TRAIL_ARN, sourceAccount: ORG.outsider },
    ],
    ["no source keys", { service: "cloudtrail.amazonaws.com" }],
    [
      "another service principal",
      { service: "ec2.amazonaws.com", sourceArn: TRAIL_ARN, sourceAccount: ORG.management },
    ],
  ])("assumption with %s is not allowed", async (_label, input) => {
    const o = await assume(serviceCaller(input));
    expect(o.result).toBe("ImplicitlyDenied");
  });

  it("an admin of the management account with sts:* cannot assume it", async () => {
    const admin = roleCaller({ accountId: ORG.management, roleName: "Admin", identityPolicies: [allowAll()] });
    const o = await assume(admin);
    expect(o.result).toBe("ImplicitlyDenied");
  });
});

describe("CloudTrail → CloudWatch Logs role: permissions", () => {
  const session = roleCaller({
    accountId: ORG.management,
    roleName: "orgwarden-cloudtrail-logs",
    identityPolicies: [docs.trailRole],
  });
  const group = `arn:aws:logs:${ORG.region}:${ORG.management}:log-group:${LOG_GROUP}`;
  const stream = `${group}:log-stream:${ORG.orgId}_CloudTrail_us-east-1`;
  const asRole = (action: string, resource: string) =>
    simulate({ caller: session, action, resource, resourceAccount: ORG.management });

  it.each(["logs:CreateLogStream", "logs:PutLogEvents"])(
    "%s on a stream of the trail's log group is allowed",
    async (action) => {
      const o = await asRole(action, stream);
      expect(o.result).toBe("Allowed");
      expect(o.grants).toEqual(["identity:CloudTrailWriteLogStreams"]);
    },
  );

  it.each([
    ["logs:PutLogEvents", `arn:aws:logs:${ORG.region}:${ORG.management}:log-group:/other/group:log-stream:x`],
    ["logs:PutLogEvents", `arn:aws:logs:${ORG.region}:${ORG.outsider}:log-group:${LOG_GROUP}:log-stream:x`],
    ["logs:DeleteLogGroup", group],
    ["logs:PutRetentionPolicy", group],
    ["logs:DeleteLogStream", stream],
  ])("%s on %s is not allowed", async (action, resource) => {
    const o = await asRole(action, resource);
    expect(o.result).toBe("ImplicitlyDenied");
  });
});
