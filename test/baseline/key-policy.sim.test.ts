/**
 * The CloudTrail log key policy (security account), proven by IAM simulation.
 * The key policy names the account root narrowed by aws:PrincipalArn, so an IAM role needs both that
 * statement and an identity policy; every role here is given kms:* or the action it wants, so a
 * denial comes from the key policy. CloudTrail encrypts as the service principal.
 * The encryption context CloudTrail binds to a log file holds aws:cloudtrail:arn (the trail) and
 * aws:s3:arn (the object) — AWS CloudTrail User Guide, "How AWS CloudTrail uses AWS KMS".
 */
import { describe, expect, it } from "vitest";
import { allowAll, ORG, roleCaller, serviceCaller, simulate, type Caller } from "../helpers/iam-sim";
import { ARCHIVE_BUCKET, AUDIT_AGENT, AUDITOR, docs, KEY_ADMIN, KEY_ARN, TRAIL_ARN } from "./fixtures";

const objectArn = `arn:aws:s3:::${ARCHIVE_BUCKET}/AWSLogs/${ORG.orgId}/${ORG.member}/CloudTrail/us-east-1/2026/11/22/x.json.gz`;
const trailContext = {
  "kms:EncryptionContext:aws:cloudtrail:arn": TRAIL_ARN,
  "kms:EncryptionContext:aws:s3:arn": objectArn,
};
const s3OnlyContext = { "kms:EncryptionContext:aws:s3:arn": objectArn };
/** S3 decrypts on the reader's behalf, with the reader's credentials. */
const viaS3 = (account: string) => ({ "kms:ViaService": "s3.us-east-1.amazonaws.com", "kms:CallerAccount": account });

const onKey = (caller: Caller, action: string, context?: Record<string, string>) =>
  simulate({
    caller,
    action,
    resource: KEY_ARN,
    resourceAccount: ORG.security,
    resourcePolicy: docs.key,
    scps: [docs.scp],
    context,
  });

const cloudTrail = serviceCaller({
  service: "cloudtrail.amazonaws.com",
  sourceArn: TRAIL_ARN,
  sourceAccount: ORG.management,
});
const auditor = roleCaller({ accountId: ORG.security, roleName: AUDITOR, identityPolicies: [allowAll("kms:Decrypt")] });
const logArchiveAdmin = roleCaller({ accountId: ORG.logArchive, roleName: "Admin", identityPolicies: [allowAll()] });
const keyAdmin = roleCaller({ accountId: ORG.security, roleName: KEY_ADMIN, identityPolicies: [allowAll("kms:*")] });

describe("key: auditors decrypt CloudTrail logs only (fact 7, KMS side)", () => {
  it("an auditor can Decrypt ciphertext carrying the CloudTrail encryption context", async () => {
    const o = await onKey(auditor, "kms:Decrypt", { ...trailContext, ...viaS3(ORG.security) });
    expect(o.result).toBe("Allowed");
  });

  it("an auditor cannot Decrypt ciphertext without the CloudTrail encryption context", async () => {
    const o = await onKey(auditor, "kms:Decrypt", { ...s3OnlyContext, ...viaS3(ORG.security) });
    expect(o.result).toBe("ImplicitlyDenied");
  });

  it("an auditor cannot Decrypt with no encryption context at all", async () => {
    const o = await onKey(auditor, "kms:Decrypt");
    expect(o.result).toBe("ImplicitlyDenied");
    expect(o.explicitDenials).toEqual([]);
  });

  it("an auditor whose role has no kms:Decrypt identity policy cannot Decrypt (the key delegates to IAM)", async () => {
    const bare = roleCaller({ accountId: ORG.security, roleName: AUDITOR, identityPolicies: [] });
    const o = await onKey(bare, "kms:Decrypt", trailContext);
    expect(o.result).toBe("ImplicitlyDenied");
  });

  it("an auditor cannot GenerateDataKey", async () => {
    const o = await onKey(
      roleCaller({ accountId: ORG.security, roleName: AUDITOR, identityPolicies: [allowAll("kms:*")] }),
      "kms:GenerateDataKey",
      trailContext,
    );
    expect(o.result).toBe("ImplicitlyDenied");
  });
});

describe("key: log-archive admins cannot read logs (fact 8)", () => {
  it("a log-archive admin with * cannot Decrypt, even with the CloudTrail context", async () => {
    const o = await onKey(logArchiveAdmin, "kms:Decrypt", { ...trailContext, ...viaS3(ORG.logArchive) });
    expect(o.result).toBe("ImplicitlyDenied");
  });

  it("a security-account admin with kms:* who is not an auditor cannot Decrypt", async () => {
    const secAdmin = roleCaller({ accountId: ORG.security, roleName: "Admin", identityPolicies: [allowAll("kms:*")] });
    const o = await onKey(secAdmin, "kms:Decrypt", trailContext);
    expect(o.result).toBe("ImplicitlyDenied");
  });
});

describe("key: CloudTrail encrypts only for its own trail (fact 9)", () => {
  it("CloudTrail can GenerateDataKey with its encryption context and the org trail as aws:SourceArn", async () => {
    const o = await onKey(cloudTrail, "kms:GenerateDataKey", trailContext);
    expect(o.result).toBe("Allowed");
  });

  it("CloudTrail cannot GenerateDataKey without the CloudTrail encryption context", async () => {
    const o = await onKey(cloudTrail, "kms:GenerateDataKey", s3OnlyContext);
    expect(o.result).toBe("ImplicitlyDenied");
  });

  it("CloudTrail cannot GenerateDataKey for a foreign account's trail", async () => {
    const foreignTrail = `arn:aws:cloudtrail:${ORG.region}:${ORG.outsider}:trail/exfil`;
    const foreign = serviceCaller({
      service: "cloudtrail.amazonaws.com",
      sourceArn: foreignTrail,
      sourceAccount: ORG.outsider,
    });
    const o = await onKey(foreign, "kms:GenerateDataKey", { "kms:EncryptionContext:aws:cloudtrail:arn": foreignTrail });
    expect(o.result).toBe("ImplicitlyDenied");
  });

  it("CloudTrail cannot GenerateDataKey with the right context when aws:SourceArn is another trail", async () => {
    const shadow = serviceCaller({
      service: "cloudtrail.amazonaws.com",
      sourceArn: `arn:aws:cloudtrail:${ORG.region}:${ORG.management}:trail/shadow-trail`,
      sourceAccount: ORG.management,
    });
    const o = await onKey(shadow, "kms:GenerateDataKey", trailContext);
    expect(o.result).toBe("ImplicitlyDenied");
  });

  it("CloudTrail cannot GenerateDataKey with a foreign trail in the context even from the org trail", async () => {
    const o = await onKey(cloudTrail, "kms:GenerateDataKey", {
      "kms:EncryptionContext:aws:cloudtrail:arn": `arn:aws:cloudtrail:${ORG.region}:${ORG.outsider}:trail/exfil`,
    });
    expect(o.result).toBe("ImplicitlyDenied");
  });

  it("CloudTrail can DescribeKey for the org trail", async () => {
    const o = await onKey(cloudTrail, "kms:DescribeKey");
    expect(o.result).toBe("Allowed");
    expect(o.grants).toEqual(["resource:CloudTrailDescribeKey"]);
  });

  it("CloudTrail cannot Decrypt", async () => {
    const o = await onKey(cloudTrail, "kms:Decrypt", trailContext);
    expect(o.result).toBe("ImplicitlyDenied");
  });
});

describe("key: nobody outside the organization (fact 10, KMS side)", () => {
  const outsider = roleCaller({
    accountId: ORG.outsider,
    roleName: "Admin",
    orgId: null,
    identityPolicies: [allowAll()],
  });

  it.each([
    ["kms:Decrypt", trailContext],
    ["kms:Encrypt", trailContext],
    ["kms:GenerateDataKey", trailContext],
    ["kms:DescribeKey", undefined],
    ["kms:CreateGrant", undefined],
  ] as const)("an outside admin cannot %s", async (action, context) => {
    const o = await onKey(outsider, action, context);
    expect(o.result).toBe("ImplicitlyDenied");
  });
});

describe("key: administrators hold no cryptographic power (fact 11)", () => {
  it.each([
    ["kms:Decrypt", trailContext],
    ["kms:GenerateDataKey", trailContext],
    ["kms:Encrypt", trailContext],
    ["kms:ReEncryptFrom", trailContext],
    ["kms:CreateGrant", undefined],
  ] as const)("a key administrator with kms:* cannot %s", async (action, context) => {
    const o = await onKey(keyAdmin, action, context);
    expect(o.result).toBe("ImplicitlyDenied");
  });

  it.each(["kms:DescribeKey", "kms:EnableKeyRotation", "kms:GetKeyPolicy"])(
    "a key administrator can %s",
    async (action) => {
      const o = await onKey(keyAdmin, action);
      expect(o.result).toBe("Allowed");
      expect(o.grants).toContain("resource:KeyAdministration");
    },
  );

  it("a key administrator's PutKeyPolicy is allowed by the key but explicitly denied by the SCP on the tagged key", async () => {
    const o = await onKey(keyAdmin, "kms:PutKeyPolicy", { "aws:ResourceTag/orgwarden:protected": "true" });
    expect(o.result).toBe("ExplicitlyDenied");
    expect(o.explicitDenials).toEqual(["scp:DenyTaggedResourceTampering"]);
    expect(o.analysis?.blockedBy).toEqual(["scp"]);
  });
});

describe("key: the audit agent reads metadata only", () => {
  it("the audit read role can GetKeyPolicy and ListGrants", async () => {
    const agent = roleCaller({ accountId: ORG.security, roleName: AUDIT_AGENT, identityPolicies: [allowAll("kms:*")] });
    const results = await Promise.all([onKey(agent, "kms:GetKeyPolicy"), onKey(agent, "kms:ListGrants")]);
    expect(results.map((r) => r.result)).toEqual(["Allowed", "Allowed"]);
  });

  it("the audit read role cannot Decrypt", async () => {
    const agent = roleCaller({ accountId: ORG.security, roleName: AUDIT_AGENT, identityPolicies: [allowAll("kms:*")] });
    const o = await onKey(agent, "kms:Decrypt", trailContext);
    expect(o.result).toBe("ImplicitlyDenied");
  });
});
