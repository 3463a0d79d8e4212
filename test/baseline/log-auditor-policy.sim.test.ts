/**
 * Who may validate log-file integrity, proven by IAM simulation: the log auditor role (its identity
 * policy from baseline/log-auditor-policy.ts) reads digests and log files across accounts and
 * decrypts log files under the key policy with the encryption context S3 passes on (CloudTrail's
 * aws:cloudtrail:arn plus aws:s3:arn); the audit read role cannot, even holding s3:* and kms:* in
 * its own policies — the archive bucket policy and the key policy stop it.
 */
import { describe, expect, it } from "vitest";
import { logAuditorPolicy } from "../../baseline";
import { allowAll, ORG, roleCaller, simulate, type Caller } from "../helpers/iam-sim";
import { ARCHIVE_BUCKET, AUDIT_AGENT, AUDITOR, docs, KEY_ARN, TRAIL_ARN } from "./fixtures";

const base = `AWSLogs/${ORG.orgId}/${ORG.member}`;
const digestKey = `${base}/CloudTrail-Digest/us-east-1/2026/11/22/${ORG.member}_CloudTrail-Digest_us-east-1_${ORG.trailName}_us-east-1_20261122T010000Z.json.gz`;
const logKey = `${base}/CloudTrail/us-east-1/2026/11/22/${ORG.member}_CloudTrail_us-east-1_20261122T0005Z_a1B2c3D4e5F6g7H8.json.gz`;
const obj = (k: string) => `arn:aws:s3:::${ARCHIVE_BUCKET}/${k}`;
/** What S3 passes to KMS when it decrypts a CloudTrail log file for a reader. */
const decryptContext = (account: string) => ({
  "kms:EncryptionContext:aws:cloudtrail:arn": TRAIL_ARN,
  "kms:EncryptionContext:aws:s3:arn": obj(logKey),
  "kms:ViaService": "s3.us-east-1.amazonaws.com",
  "kms:CallerAccount": account,
});

const auditorPolicy = logAuditorPolicy({
  archiveBucketName: ARCHIVE_BUCKET,
  orgId: ORG.orgId,
  keyArn: KEY_ARN,
  trailArn: TRAIL_ARN,
  region: ORG.region,
});
const auditor = roleCaller({ accountId: ORG.security, roleName: AUDITOR, identityPolicies: [auditorPolicy] });
/** The read role at its widest: whatever its own policies say, the resource policies decide. */
const readRole = (account: string) =>
  roleCaller({ accountId: account, roleName: AUDIT_AGENT, identityPolicies: [allowAll(["s3:*", "kms:*"])] });

const onArchive = (caller: Caller, action: string, resource: string, context?: Record<string, string>) =>
  simulate({
    caller,
    action,
    resource,
    resourceAccount: ORG.logArchive,
    resourcePolicy: docs.archive,
    scps: [docs.scp],
    context,
  });
const onKey = (caller: Caller, context: Record<string, string>) =>
  simulate({
    caller,
    action: "kms:Decrypt",
    resource: KEY_ARN,
    resourceAccount: ORG.security,
    resourcePolicy: docs.key,
    scps: [docs.scp],
    context,
  });

describe("log-file integrity: the log auditor role reads and decrypts", () => {
  it("GetObject of a digest file (CloudTrail-Digest/, SSE-S3) is allowed", async () => {
    expect((await onArchive(auditor, "s3:GetObject", obj(digestKey))).result).toBe("Allowed");
  });

  it("GetObject of a log file (CloudTrail/, SSE-KMS) is allowed", async () => {
    expect((await onArchive(auditor, "s3:GetObject", obj(logKey))).result).toBe("Allowed");
  });

  it("ListBucket of the archive is allowed (a deleted object then reads as NoSuchKey, not AccessDenied)", async () => {
    expect(
      (
        await onArchive(auditor, "s3:ListBucket", `arn:aws:s3:::${ARCHIVE_BUCKET}`, {
          "s3:prefix": `${base}/CloudTrail-Digest/us-east-1/2026/11/22/`,
        })
      ).result,
    ).toBe("Allowed");
  });

  it("kms:Decrypt through S3 with the log file's encryption context is allowed by the key policy and its own policy", async () => {
    expect((await onKey(auditor, decryptContext(ORG.security))).result).toBe("Allowed");
  });

  it("kms:Decrypt outside S3 (no kms:ViaService) is denied: its policy allows decrypting only through S3", async () => {
    const { "kms:ViaService": _via, ...direct } = decryptContext(ORG.security);
    expect((await onKey(auditor, direct)).result).toBe("ImplicitlyDenied");
  });

  it("kms:Decrypt of ciphertext bound to another trail is denied", async () => {
    expect(
      (
        await onKey(auditor, {
          ...decryptContext(ORG.security),
          "kms:EncryptionContext:aws:cloudtrail:arn": TRAIL_ARN.replace(ORG.trailName, "other-trail"),
        })
      ).result,
    ).toBe("ImplicitlyDenied");
  });

  it("cloudtrail:ListPublicKeys is allowed by its policy", async () => {
    const o = await simulate({
      caller: auditor,
      action: "cloudtrail:ListPublicKeys",
      resource: "*",
      resourceAccount: ORG.security,
      scps: [docs.scp],
    });
    expect(o.result).toBe("Allowed");
  });
});

describe("log-file integrity: the audit read role is never widened to read logs", () => {
  it.each([ORG.security, ORG.logArchive, ORG.member])(
    "the read role of %s cannot GetObject a log file, even with s3:* of its own",
    async (account) => {
      const o = await onArchive(readRole(account), "s3:GetObject", obj(logKey));
      expect(o.result).toBe("ExplicitlyDenied");
      expect(o.explicitDenials).toContain("resource:DenyReadExceptAuditors");
    },
  );

  it.each([ORG.security, ORG.logArchive])(
    "the read role of %s cannot kms:Decrypt a log file, even with kms:* of its own",
    async (account) => {
      // The key policy names the read role only for its read actions, never kms:Decrypt, and holds no root "Enable IAM policies" statement.
      expect((await onKey(readRole(account), decryptContext(account))).result).toBe("ImplicitlyDenied");
    },
  );
});
