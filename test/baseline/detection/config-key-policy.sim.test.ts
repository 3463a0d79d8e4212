/**
 * The Config bucket key's policy (log-archive account), proven by IAM simulation. With the
 * service-linked role, AWS Config delivers as its service principal, and S3 calls KMS for it with
 * the object ARN as encryption context aws:s3:arn (S3 Bucket Keys off). aws:SourceOrgID is the
 * organization of the account Config delivers for. Every IAM role here holds kms:* in its identity
 * policy, so a denial comes from the key policy.
 */
import { describe, expect, it } from "vitest";
import { configKeyPolicy } from "../../../baseline/detection";
import { allowAll, ORG, roleCaller, serviceCaller, simulate, type Caller } from "../../helpers/iam-sim";

const BUCKET = "orgwarden-prod-config-111111111111";
const KEY_ARN = `arn:aws:kms:${ORG.region}:${ORG.logArchive}:key/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d`;
const doc = configKeyPolicy({ accountId: ORG.logArchive, orgId: ORG.orgId, configBucketName: BUCKET });
const objectContext = (account: string, bucket = BUCKET) => ({
  "kms:EncryptionContext:aws:s3:arn": `arn:aws:s3:::${bucket}/AWSLogs/${account}/Config/${ORG.region}/2026/11/22/ConfigSnapshot/x.json.gz`,
});

const onKey = (caller: Caller, action: string, context?: Record<string, string>) =>
  simulate({ caller, action, resource: KEY_ARN, resourceAccount: ORG.logArchive, resourcePolicy: doc, context });
const config = (account: string) => serviceCaller({ service: "config.amazonaws.com", sourceAccount: account });
const admin = (roleName: string) => roleCaller({ accountId: ORG.logArchive, roleName, identityPolicies: [allowAll("kms:*")] });

describe("Config bucket key: AWS Config of organization accounts delivers with it", () => {
  it.each(["kms:GenerateDataKey", "kms:Decrypt"])("Config delivering for a member account can %s", async (action) => {
    const o = await onKey(config(ORG.member), action, { "aws:SourceOrgID": ORG.orgId, ...objectContext(ORG.member) });
    expect(o.result).toBe("Allowed");
  });

  it("Config delivering for the management account (plain stacks) can GenerateDataKey too", async () => {
    const o = await onKey(config(ORG.management), "kms:GenerateDataKey", { "aws:SourceOrgID": ORG.orgId, ...objectContext(ORG.management) });
    expect(o.result).toBe("Allowed");
  });

  it("Config delivering for an account outside the organization cannot", async () => {
    expect((await onKey(config(ORG.outsider), "kms:GenerateDataKey", objectContext(ORG.outsider))).result).toBe("ImplicitlyDenied");
    expect((await onKey(config(ORG.outsider), "kms:GenerateDataKey", { "aws:SourceOrgID": "o-zzzzzzzzzz", ...objectContext(ORG.outsider) })).result).toBe("ImplicitlyDenied");
  });

  it("Config cannot use it for another bucket, or outside the Config prefix", async () => {
    const org = { "aws:SourceOrgID": ORG.orgId };
    expect((await onKey(config(ORG.member), "kms:GenerateDataKey", { ...org, ...objectContext(ORG.member, "someone-elses-bucket") })).result).toBe("ImplicitlyDenied");
    const cloudTrailPrefix = { "kms:EncryptionContext:aws:s3:arn": `arn:aws:s3:::${BUCKET}/AWSLogs/${ORG.member}/CloudTrail/x.json.gz` };
    expect((await onKey(config(ORG.member), "kms:GenerateDataKey", { ...org, ...cloudTrailPrefix })).result).toBe("ImplicitlyDenied");
    expect((await onKey(config(ORG.member), "kms:GenerateDataKey", org)).result).toBe("ImplicitlyDenied");
  });

  it("Config cannot CreateGrant, Encrypt directly or change the key", async () => {
    for (const action of ["kms:CreateGrant", "kms:PutKeyPolicy", "kms:ScheduleKeyDeletion"]) {
      expect((await onKey(config(ORG.member), action, { "aws:SourceOrgID": ORG.orgId })).result, action).toBe("ImplicitlyDenied");
    }
    expect((await onKey(config(ORG.member), "kms:Encrypt", { "aws:SourceOrgID": ORG.orgId, ...objectContext(ORG.member) })).result).toBe("ImplicitlyDenied");
  });

  it("another service of an organization account cannot use it", async () => {
    const trail = serviceCaller({ service: "cloudtrail.amazonaws.com", sourceAccount: ORG.member });
    expect((await onKey(trail, "kms:GenerateDataKey", { "aws:SourceOrgID": ORG.orgId, ...objectContext(ORG.member) })).result).toBe("ImplicitlyDenied");
  });
});

describe("Config bucket key: administrators cannot use it", () => {
  it.each(["kms:Decrypt", "kms:GenerateDataKey", "kms:CreateGrant", "kms:ReEncryptFrom"])("a log-archive admin with kms:* cannot %s", async (action) => {
    const o = await onKey(admin("OrganizationAccountAccessRole"), action, action === "kms:CreateGrant" ? undefined : objectContext(ORG.member));
    expect(o.result).toBe("ImplicitlyDenied");
  });

  it("a log-archive admin with kms:* administers it (PutKeyPolicy), through the root statement", async () => {
    const o = await onKey(admin("OrganizationAccountAccessRole"), "kms:PutKeyPolicy");
    expect(o.result).toBe("Allowed");
    expect(o.grants).toEqual(["identity:1", "resource:KeyAdministration"]);
  });

  it("a role of an organization account with kms:* (the audit agent's, say) can neither decrypt nor administer it", async () => {
    const other = roleCaller({ accountId: ORG.security, roleName: "orgwarden-audit-agent", identityPolicies: [allowAll()] });
    expect((await onKey(other, "kms:Decrypt", objectContext(ORG.member))).result).toBe("ImplicitlyDenied");
    expect((await onKey(other, "kms:PutKeyPolicy")).result).toBe("ImplicitlyDenied");
  });
});

describe("coupling with S3 Bucket Keys (off on the Config bucket)", () => {
  it("with Bucket Keys on, S3 would send the bucket ARN as context and this policy would refuse Config", async () => {
    const bucketContext = { "kms:EncryptionContext:aws:s3:arn": `arn:aws:s3:::${BUCKET}` };
    expect((await onKey(config(ORG.member), "kms:GenerateDataKey", { "aws:SourceOrgID": ORG.orgId, ...bucketContext })).result).toBe("ImplicitlyDenied");
  });
});

describe("controls: the simulation tells a loose key policy from this one", () => {
  it("without the organization condition, Config acting for an outside account could encrypt with it", async () => {
    const loose = { ...doc, Statement: doc.Statement.map((st) => (st.Sid === "AWSConfigDelivery" ? { ...st, Condition: { StringLike: st.Condition!.StringLike } } : st)) };
    const r = await simulate({
      caller: config(ORG.outsider),
      action: "kms:GenerateDataKey",
      resource: KEY_ARN,
      resourceAccount: ORG.logArchive,
      resourcePolicy: loose,
      context: objectContext(ORG.outsider),
    });
    expect(r.result).toBe("Allowed");
  });
});
