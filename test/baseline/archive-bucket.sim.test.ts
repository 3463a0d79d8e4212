/**
 * The CloudTrail archive bucket policy (log-archive account), proven by IAM simulation.
 * CloudTrail is modelled as the service principal it writes with (no SCP binds it); IAM callers
 * carry their identity policies and, being in member accounts, the logging SCP.
 */
import { describe, expect, it } from "vitest";
import { allowAll, ORG, roleCaller, serviceCaller, simulate, type Caller } from "../helpers/iam-sim";
import { ARCHIVE_BUCKET, AUDITOR, docs, KEY_ARN, TRAIL_ARN } from "./fixtures";

const bucket = `arn:aws:s3:::${ARCHIVE_BUCKET}`;
const day = "us-east-1/2026/11/22";
const logKey = (acct: string) =>
  `${bucket}/AWSLogs/${ORG.orgId}/${acct}/CloudTrail/${day}/${acct}_CloudTrail_us-east-1_20261122T1005Z_a1B2c3D4e5F6g7H8.json.gz`;
const mgmtLogKey = `${bucket}/AWSLogs/${ORG.management}/CloudTrail/${day}/${ORG.management}_CloudTrail_us-east-1_20261122T1005Z_a1B2c3D4e5F6g7H8.json.gz`;
const digestKey = `${bucket}/AWSLogs/${ORG.orgId}/${ORG.member}/CloudTrail-Digest/${day}/${ORG.member}_CloudTrail-Digest_us-east-1_${ORG.trailName}_us-east-1_20261122T100000Z.json.gz`;

const cloudTrail = serviceCaller({
  service: "cloudtrail.amazonaws.com",
  sourceArn: TRAIL_ARN,
  sourceAccount: ORG.management,
});
const foreignTrailArn = `arn:aws:cloudtrail:${ORG.region}:${ORG.outsider}:trail/exfil`;
const foreignCloudTrail = serviceCaller({
  service: "cloudtrail.amazonaws.com",
  sourceArn: foreignTrailArn,
  sourceAccount: ORG.outsider,
});

/** Headers CloudTrail sends with a log file: SSE-KMS with the trail's key. */
const logFileHeaders = {
  "s3:x-amz-acl": "bucket-owner-full-control",
  "s3:x-amz-server-side-encryption": "aws:kms",
  "s3:x-amz-server-side-encryption-aws-kms-key-id": KEY_ARN,
};
/**
 * Headers CloudTrail sends with a digest file. AWS CloudTrail User Guide, "Encrypting CloudTrail log
 * files with AWS KMS keys (SSE-KMS)": "Enabling server-side encryption encrypts the log files but not
 * the digest files with SSE-KMS. Digest files are encrypted with Amazon S3-managed encryption keys
 * (SSE-S3)." (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/encrypting-cloudtrail-log-files-with-aws-kms.html)
 * Any statement demanding aws:kms on PutObject would deny these.
 */
const digestHeaders = { "s3:x-amz-acl": "bucket-owner-full-control", "s3:x-amz-server-side-encryption": "AES256" };

const onArchive = (caller: Caller, action: string, resource: string, context?: Record<string, string | null>) =>
  simulate({
    caller,
    action,
    resource,
    resourceAccount: ORG.logArchive,
    resourcePolicy: docs.archive,
    scps: [docs.scp],
    context,
  });

const logArchiveAdmin = roleCaller({
  accountId: ORG.logArchive,
  roleName: "Admin",
  identityPolicies: [allowAll("s3:*")],
});
const auditor = roleCaller({
  accountId: ORG.security,
  roleName: AUDITOR,
  identityPolicies: [allowAll(["s3:GetObject", "s3:GetObjectVersion", "s3:ListBucket", "kms:Decrypt"])],
});

describe("archive: CloudTrail delivery (fact 3)", () => {
  it("CloudTrail may GetBucketAcl for the org trail", async () => {
    const o = await onArchive(cloudTrail, "s3:GetBucketAcl", bucket);
    expect(o.result).toBe("Allowed");
    expect(o.grants).toEqual(["resource:AWSCloudTrailAclCheck"]);
  });

  it("CloudTrail may write a member account's log file under AWSLogs/<orgId>/", async () => {
    const o = await onArchive(cloudTrail, "s3:PutObject", logKey(ORG.member), logFileHeaders);
    expect(o.result).toBe("Allowed");
    expect(o.grants).toEqual(["resource:AWSCloudTrailWrite"]);
  });

  it("CloudTrail may write a log file under AWSLogs/<managementAccount>/", async () => {
    const o = await onArchive(cloudTrail, "s3:PutObject", mgmtLogKey, logFileHeaders);
    expect(o.result).toBe("Allowed");
    expect(o.grants).toEqual(["resource:AWSCloudTrailWrite"]);
  });

  it("CloudTrail may write an SSE-S3 (AES256) digest file under AWSLogs/<orgId>/<acct>/CloudTrail-Digest/", async () => {
    const o = await onArchive(cloudTrail, "s3:PutObject", digestKey, digestHeaders);
    expect(o.result).toBe("Allowed");
    expect(o.explicitDenials).toEqual([]);
  });
});

describe("archive: any other writer or place (fact 4)", () => {
  it("a write whose aws:SourceArn is another account's trail is explicitly denied", async () => {
    const o = await onArchive(foreignCloudTrail, "s3:PutObject", logKey(ORG.member), logFileHeaders);
    expect(o.result).toBe("ExplicitlyDenied");
    expect(o.explicitDenials).toEqual(["resource:DenyCloudTrailOtherTrails"]);
  });

  it("a write whose aws:SourceArn is another trail of the management account is explicitly denied", async () => {
    const other = serviceCaller({
      service: "cloudtrail.amazonaws.com",
      sourceArn: `arn:aws:cloudtrail:${ORG.region}:${ORG.management}:trail/shadow-trail`,
      sourceAccount: ORG.management,
    });
    const o = await onArchive(other, "s3:PutObject", logKey(ORG.member), logFileHeaders);
    expect(o.result).toBe("ExplicitlyDenied");
    expect(o.explicitDenials).toEqual(["resource:DenyCloudTrailOtherTrails"]);
  });

  it("a write without aws:SourceArn is explicitly denied", async () => {
    const bare = serviceCaller({ service: "cloudtrail.amazonaws.com" });
    const o = await onArchive(bare, "s3:PutObject", logKey(ORG.member), logFileHeaders);
    expect(o.result).toBe("ExplicitlyDenied");
    expect(o.explicitDenials).toEqual(["resource:DenyCloudTrailOtherTrails"]);
  });

  it.each([
    ["an outside account's prefix", `${bucket}/AWSLogs/${ORG.outsider}/CloudTrail/${day}/x.json.gz`],
    ["another organization's prefix", `${bucket}/AWSLogs/o-zzzzzzzzzz/${ORG.member}/CloudTrail/${day}/x.json.gz`],
    ["a prefix outside AWSLogs/", `${bucket}/exfil/AWSLogs/${ORG.orgId}/x.json.gz`],
  ])("the org trail writing to %s is not allowed (no statement grants it)", async (_label, key) => {
    const o = await onArchive(cloudTrail, "s3:PutObject", key, logFileHeaders);
    expect(o.result).toBe("ImplicitlyDenied");
    expect(o.grants).toEqual([]);
  });

  it("the org trail writing without bucket-owner-full-control is not allowed", async () => {
    const o = await onArchive(cloudTrail, "s3:PutObject", logKey(ORG.member), {
      ...logFileHeaders,
      "s3:x-amz-acl": "private",
    });
    expect(o.result).toBe("ImplicitlyDenied");
  });

  it("CloudTrail may not delete a delivered log file", async () => {
    const o = await onArchive(cloudTrail, "s3:DeleteObject", logKey(ORG.member));
    expect(o.result).toBe("ImplicitlyDenied");
  });
});

describe("archive: TLS only (fact 5)", () => {
  const plainAuditor = roleCaller({ ...auditorInput(), secureTransport: false });

  it("an auditor's GetObject over plain HTTP is explicitly denied", async () => {
    const o = await onArchive(plainAuditor, "s3:GetObject", logKey(ORG.member));
    expect(o.result).toBe("ExplicitlyDenied");
    expect(o.explicitDenials).toEqual(["resource:DenyInsecureTransport"]);
  });

  it("an auditor's ListBucket over plain HTTP is explicitly denied", async () => {
    const o = await onArchive(plainAuditor, "s3:ListBucket", bucket);
    expect(o.result).toBe("ExplicitlyDenied");
    expect(o.explicitDenials).toEqual(["resource:DenyInsecureTransport"]);
  });

  it("CloudTrail's PutObject over plain HTTP is explicitly denied", async () => {
    const o = await onArchive(cloudTrail, "s3:PutObject", logKey(ORG.member), {
      ...logFileHeaders,
      "aws:SecureTransport": "false",
    });
    expect(o.result).toBe("ExplicitlyDenied");
    expect(o.explicitDenials).toEqual(["resource:DenyInsecureTransport"]);
  });
});

describe("archive: log-archive admins cannot write, overwrite or read (fact 6)", () => {
  it.each([
    ["s3:PutObject", ["resource:DenyObjectWritesExceptCloudTrail"]],
    ["s3:DeleteObject", ["resource:DenyObjectWritesExceptCloudTrail"]],
    ["s3:DeleteObjectVersion", ["resource:DenyObjectWritesExceptCloudTrail"]],
    ["s3:PutObjectRetention", ["resource:DenyObjectWritesExceptCloudTrail"]],
    ["s3:BypassGovernanceRetention", ["resource:DenyObjectWritesExceptCloudTrail"]],
    ["s3:GetObject", ["resource:DenyReadExceptAuditors"]],
  ])("%s by a log-archive admin with s3:* is explicitly denied", async (action, denials) => {
    const o = await onArchive(
      logArchiveAdmin,
      action,
      logKey(ORG.member),
      action === "s3:PutObject" ? logFileHeaders : undefined,
    );
    expect(o.result).toBe("ExplicitlyDenied");
    expect(o.explicitDenials).toEqual(denials);
  });
});

describe("archive: exemption from the SCP does not open the archive", () => {
  it("a break-glass role in the log-archive account is explicitly denied DeleteObjectVersion by the bucket policy", async () => {
    const breakGlass = roleCaller({
      accountId: ORG.logArchive,
      roleName: "orgwarden-break-glass",
      identityPolicies: [allowAll()],
    });
    const o = await onArchive(breakGlass, "s3:DeleteObjectVersion", logKey(ORG.member));
    expect(o.scpResult).toBe("Allowed");
    expect(o.result).toBe("ExplicitlyDenied");
    expect(o.explicitDenials).toEqual(["resource:DenyObjectWritesExceptCloudTrail"]);
  });

  it("a member-account admin is explicitly denied GetObject and cannot list the archive", async () => {
    const memberAdmin = roleCaller({ accountId: ORG.member, roleName: "Admin", identityPolicies: [allowAll()] });
    const get = await onArchive(memberAdmin, "s3:GetObject", logKey(ORG.member));
    const list = await onArchive(memberAdmin, "s3:ListBucket", bucket);
    expect(get.result).toBe("ExplicitlyDenied");
    expect(get.explicitDenials).toEqual(["resource:DenyReadExceptAuditors"]);
    expect(list.result).toBe("ImplicitlyDenied");
  });
});

describe("archive: auditors read (fact 7, S3 side)", () => {
  it("an auditor role in the security account can GetObject cross-account", async () => {
    const o = await onArchive(auditor, "s3:GetObject", logKey(ORG.member));
    expect(o.result).toBe("Allowed");
    expect(o.analysis?.sameAccount).toBe(false);
    expect(o.grants).toContain("resource:AuditorRead");
    expect(o.grants).toContain("identity:1");
  });

  it("an auditor role can ListBucket", async () => {
    const o = await onArchive(auditor, "s3:ListBucket", bucket);
    expect(o.result).toBe("Allowed");
  });

  it("an auditor role without an identity policy cannot GetObject (cross-account needs both sides)", async () => {
    const bare = roleCaller({ ...auditorInput(), identityPolicies: [] });
    const o = await onArchive(bare, "s3:GetObject", logKey(ORG.member));
    expect(o.result).toBe("ImplicitlyDenied");
  });

  it("another security-account role with s3:* is explicitly denied GetObject", async () => {
    const other = roleCaller({ accountId: ORG.security, roleName: "Admin", identityPolicies: [allowAll("s3:*")] });
    const o = await onArchive(other, "s3:GetObject", logKey(ORG.member));
    expect(o.result).toBe("ExplicitlyDenied");
    expect(o.explicitDenials).toEqual(["resource:DenyReadExceptAuditors"]);
  });

  it("an auditor cannot write or delete", async () => {
    const writer = roleCaller({ ...auditorInput(), identityPolicies: [allowAll("s3:*")] });
    const put = await onArchive(writer, "s3:PutObject", logKey(ORG.member), logFileHeaders);
    const del = await onArchive(writer, "s3:DeleteObject", logKey(ORG.member));
    expect([put.result, del.result]).toEqual(["ExplicitlyDenied", "ExplicitlyDenied"]);
  });
});

describe("archive: nobody outside the organization (fact 10, S3 side)", () => {
  const outsiders = [
    [
      "in another organization",
      roleCaller({ accountId: ORG.outsider, roleName: "Admin", orgId: "o-zzzzzzzzzz", identityPolicies: [allowAll()] }),
    ],
    [
      "in no organization",
      roleCaller({ accountId: ORG.outsider, roleName: "Admin", orgId: null, identityPolicies: [allowAll()] }),
    ],
  ] as const;

  it.each(outsiders)(
    "a principal %s is explicitly denied GetObject, PutObject, DeleteObject and ListBucket",
    async (_label, caller) => {
      const results = await Promise.all([
        onArchive(caller, "s3:GetObject", logKey(ORG.member)),
        onArchive(caller, "s3:PutObject", logKey(ORG.member), logFileHeaders),
        onArchive(caller, "s3:DeleteObject", logKey(ORG.member)),
        onArchive(caller, "s3:ListBucket", bucket),
      ]);
      expect(results.map((r) => r.result)).toEqual([
        "ExplicitlyDenied",
        "ExplicitlyDenied",
        "ExplicitlyDenied",
        "ExplicitlyDenied",
      ]);
      for (const r of results) expect(r.explicitDenials).toContain("resource:DenyOutsideOrganization");
    },
  );

  it("an outside principal that copies an auditor's role name is explicitly denied GetObject", async () => {
    const impostor = roleCaller({
      accountId: ORG.outsider,
      roleName: AUDITOR,
      orgId: null,
      identityPolicies: [allowAll()],
    });
    const o = await onArchive(impostor, "s3:GetObject", logKey(ORG.member));
    expect(o.result).toBe("ExplicitlyDenied");
    expect(o.explicitDenials).toEqual(["resource:DenyReadExceptAuditors", "resource:DenyOutsideOrganization"]);
  });
});

function auditorInput() {
  return {
    accountId: ORG.security,
    roleName: AUDITOR,
    identityPolicies: [allowAll(["s3:GetObject", "s3:ListBucket"])],
  };
}
