/**
 * CloudTrail digest files, in both encodings the AWS CloudTrail User Guide describes, proven on the
 * archive bucket policy and the log key policy together.
 *
 * - SSE-S3: "Enabling server-side encryption encrypts the log files but not the digest files with
 *   SSE-KMS. Digest files are encrypted with Amazon S3-managed encryption keys (SSE-S3)."
 *   (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/encrypting-cloudtrail-log-files-with-aws-kms.html)
 * - SSE-KMS with the trail's key: "The policy must allow CloudTrail to use the key to encrypt your log
 *   files, digest files, and event data stores, and allow the users you specify to read log files and
 *   digest files in unencrypted form." (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html)
 *   That page's statements (GenerateDataKey* on the aws:cloudtrail:arn context, Decrypt where that
 *   context is not null) are what it says suffices for digest files too, so a KMS-encrypted digest
 *   carries CloudTrail's encryption context like a log file (aws:cloudtrail:arn = the trail, aws:s3:arn
 *   = the object; "How AWS CloudTrail uses AWS KMS").
 *
 * The auditor's read is modelled as two requests, as AWS evaluates it: s3:GetObject on the archive,
 * then the kms:Decrypt S3 makes with the auditor's credentials (kms:ViaService s3).
 */
import { describe, expect, it } from "vitest";
import { allowAll, ORG, roleCaller, serviceCaller, simulate, type Caller } from "../helpers/iam-sim";
import { ARCHIVE_BUCKET, AUDITOR, docs, KEY_ARN, TRAIL_ARN } from "./fixtures";

const bucket = `arn:aws:s3:::${ARCHIVE_BUCKET}`;
const digestObject = `${bucket}/AWSLogs/${ORG.orgId}/${ORG.member}/CloudTrail-Digest/us-east-1/2026/11/22/${ORG.member}_CloudTrail-Digest_us-east-1_${ORG.trailName}_us-east-1_20261122T100000Z.json.gz`;
const mgmtDigestObject = `${bucket}/AWSLogs/${ORG.management}/CloudTrail-Digest/us-east-1/2026/11/22/${ORG.management}_CloudTrail-Digest_us-east-1_${ORG.trailName}_us-east-1_20261122T100000Z.json.gz`;

const cloudTrail = serviceCaller({
  service: "cloudtrail.amazonaws.com",
  sourceArn: TRAIL_ARN,
  sourceAccount: ORG.management,
});
const auditor = roleCaller({
  accountId: ORG.security,
  roleName: AUDITOR,
  identityPolicies: [allowAll(["s3:GetObject", "s3:GetObjectVersion", "s3:ListBucket", "kms:Decrypt"])],
});

const sseS3 = { "s3:x-amz-acl": "bucket-owner-full-control", "s3:x-amz-server-side-encryption": "AES256" };
const sseKms = {
  "s3:x-amz-acl": "bucket-owner-full-control",
  "s3:x-amz-server-side-encryption": "aws:kms",
  "s3:x-amz-server-side-encryption-aws-kms-key-id": KEY_ARN,
};
const digestContext = (object: string) => ({
  "kms:EncryptionContext:aws:cloudtrail:arn": TRAIL_ARN,
  "kms:EncryptionContext:aws:s3:arn": object,
});
const viaS3 = { "kms:ViaService": "s3.us-east-1.amazonaws.com", "kms:CallerAccount": ORG.security };

const onArchive = (caller: Caller, action: string, resource: string, context?: Record<string, string>) =>
  simulate({
    caller,
    action,
    resource,
    resourceAccount: ORG.logArchive,
    resourcePolicy: docs.archive,
    scps: docs.scps,
    context,
  });
const onKey = (caller: Caller, action: string, context: Record<string, string>) =>
  simulate({
    caller,
    action,
    resource: KEY_ARN,
    resourceAccount: ORG.security,
    resourcePolicy: docs.key,
    scps: docs.scps,
    context,
  });

describe("digest files encrypted with SSE-S3", () => {
  it("CloudTrail may PutObject a member account's digest with x-amz-server-side-encryption AES256", async () => {
    const o = await onArchive(cloudTrail, "s3:PutObject", digestObject, sseS3);
    expect(o.result).toBe("Allowed");
    expect(o.grants).toEqual(["resource:AWSCloudTrailWrite"]);
  });

  it("CloudTrail may PutObject the management account's digest with AES256", async () => {
    expect((await onArchive(cloudTrail, "s3:PutObject", mgmtDigestObject, sseS3)).result).toBe("Allowed");
  });

  it("an auditor may GetObject an SSE-S3 digest (no KMS call is made)", async () => {
    const o = await onArchive(auditor, "s3:GetObject", digestObject);
    expect(o.result).toBe("Allowed");
    expect(o.grants).toContain("resource:AuditorRead");
  });
});

describe("digest files encrypted with SSE-KMS under the trail's key", () => {
  it("CloudTrail may PutObject a digest with x-amz-server-side-encryption aws:kms and the log key", async () => {
    const o = await onArchive(cloudTrail, "s3:PutObject", digestObject, sseKms);
    expect(o.result).toBe("Allowed");
    expect(o.grants).toEqual(["resource:AWSCloudTrailWrite"]);
  });

  it("CloudTrail may GenerateDataKey for the digest object with its encryption context", async () => {
    const o = await onKey(cloudTrail, "kms:GenerateDataKey", digestContext(digestObject));
    expect(o.result).toBe("Allowed");
  });

  it("CloudTrail may GenerateDataKey for the management account's digest too", async () => {
    expect((await onKey(cloudTrail, "kms:GenerateDataKey", digestContext(mgmtDigestObject))).result).toBe("Allowed");
  });

  it("an auditor may GetObject a KMS-encrypted digest", async () => {
    expect((await onArchive(auditor, "s3:GetObject", digestObject)).result).toBe("Allowed");
  });

  it("an auditor may Decrypt it through S3 (the digest carries CloudTrail's encryption context)", async () => {
    const o = await onKey(auditor, "kms:Decrypt", { ...digestContext(digestObject), ...viaS3 });
    expect(o.result).toBe("Allowed");
  });

  it("a log-archive admin may neither read nor decrypt a digest", async () => {
    const admin = roleCaller({ accountId: ORG.logArchive, roleName: "Admin", identityPolicies: [allowAll()] });
    expect((await onArchive(admin, "s3:GetObject", digestObject)).explicitDenials).toEqual([
      "resource:DenyReadExceptAuditors",
    ]);
    expect(
      (
        await onKey(admin, "kms:Decrypt", {
          ...digestContext(digestObject),
          "kms:ViaService": "s3.us-east-1.amazonaws.com",
          "kms:CallerAccount": ORG.logArchive,
        })
      ).result,
    ).toBe("ImplicitlyDenied");
  });
});

describe("the limit of the documented policy (kept, and caught by the agent instead)", () => {
  it("a digest encrypted by the bucket's default SSE-KMS alone (S3 context only) would be refused by the key", async () => {
    const o = await onKey(cloudTrail, "kms:GenerateDataKey", { "kms:EncryptionContext:aws:s3:arn": digestObject });
    expect(o.result).toBe("ImplicitlyDenied");
  });
});
