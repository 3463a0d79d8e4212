/**
 * The Config bucket key's policy (log-archive account), proven by IAM simulation with the request
 * context AWS documents for this call path: with the service-linked role, AWS Config delivers as its
 * service principal config.amazonaws.com, whose requests carry aws:SourceAccount (the account Config
 * delivers for, https://docs.aws.amazon.com/config/latest/developerguide/s3-kms-key-policy.html), and
 * S3 calls KMS for it with the object ARN as encryption context aws:s3:arn (S3 Bucket Keys off,
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#encryption-context).
 * No aws:SourceOrgID: no AWS page says it reaches KMS on this path, and the policy must not need it.
 * Every IAM role here holds kms:* in its identity policy, so a denial comes from the key policy.
 */
import { describe, expect, it } from "vitest";
import { configBucketPolicy, configKeyPolicy } from "../../../baseline/detection";
import { allowAll, ORG, roleCaller, serviceCaller, simulate, type Caller } from "../../helpers/iam-sim";

const BUCKET = "orgwarden-prod-config-111111111111";
const KEY_ARN = `arn:aws:kms:${ORG.region}:${ORG.logArchive}:key/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d`;
const doc = configKeyPolicy({ accountId: ORG.logArchive, configBucketName: BUCKET });
const objectKey = (account: string) => `AWSLogs/${account}/Config/${ORG.region}/2026/11/22/ConfigSnapshot/x.json.gz`;
const objectContext = (account: string, bucket = BUCKET) => ({
  "kms:EncryptionContext:aws:s3:arn": `arn:aws:s3:::${bucket}/${objectKey(account)}`,
});

const onKey = (caller: Caller, action: string, context?: Record<string, string>) =>
  simulate({ caller, action, resource: KEY_ARN, resourceAccount: ORG.logArchive, resourcePolicy: doc, context });
/** Config acting for an account: aws:SourceAccount only, as the Config guide documents. */
const config = (account: string) => serviceCaller({ service: "config.amazonaws.com", sourceAccount: account });
const admin = (roleName: string) =>
  roleCaller({ accountId: ORG.logArchive, roleName, identityPolicies: [allowAll("kms:*")] });

describe("Config bucket key: AWS Config delivers with it, on the documented request context", () => {
  it.each(["kms:GenerateDataKey", "kms:Decrypt"])(
    "Config delivering for a member account can %s with aws:SourceAccount and the object ARN, and no aws:SourceOrgID",
    async (action) => {
      const o = await onKey(config(ORG.member), action, objectContext(ORG.member));
      expect(o.result).toBe("Allowed");
    },
  );

  it("Config delivering for the management account (plain stacks) can GenerateDataKey too", async () => {
    expect((await onKey(config(ORG.management), "kms:GenerateDataKey", objectContext(ORG.management))).result).toBe(
      "Allowed",
    );
  });

  it("Config cannot use it for another bucket", async () => {
    expect(
      (await onKey(config(ORG.member), "kms:GenerateDataKey", objectContext(ORG.member, "someone-elses-bucket")))
        .result,
    ).toBe("ImplicitlyDenied");
  });

  it("Config cannot use it outside the Config prefix of the bucket", async () => {
    const cloudTrailPrefix = {
      "kms:EncryptionContext:aws:s3:arn": `arn:aws:s3:::${BUCKET}/AWSLogs/${ORG.member}/CloudTrail/x.json.gz`,
    };
    expect((await onKey(config(ORG.member), "kms:GenerateDataKey", cloudTrailPrefix)).result).toBe("ImplicitlyDenied");
  });

  it("Config cannot use it without S3's encryption context (a direct call)", async () => {
    expect((await onKey(config(ORG.member), "kms:GenerateDataKey")).result).toBe("ImplicitlyDenied");
  });

  it("Config cannot CreateGrant, Encrypt directly or change the key", async () => {
    for (const action of ["kms:CreateGrant", "kms:PutKeyPolicy", "kms:ScheduleKeyDeletion"]) {
      expect((await onKey(config(ORG.member), action)).result, action).toBe("ImplicitlyDenied");
    }
    expect((await onKey(config(ORG.member), "kms:Encrypt", objectContext(ORG.member))).result).toBe("ImplicitlyDenied");
  });

  it("another service of an organization account cannot use it", async () => {
    const trail = serviceCaller({ service: "cloudtrail.amazonaws.com", sourceAccount: ORG.member });
    expect((await onKey(trail, "kms:GenerateDataKey", objectContext(ORG.member))).result).toBe("ImplicitlyDenied");
  });
});

describe("Config delivery end to end: the bucket policy decides whose deliveries land, the key only which objects", () => {
  const bucketDoc = configBucketPolicy({ bucketName: BUCKET, orgId: ORG.orgId });
  const putObject = (account: string, orgId: string) =>
    simulate({
      caller: config(account),
      action: "s3:PutObject",
      resource: `arn:aws:s3:::${BUCKET}/${objectKey(account)}`,
      resourceAccount: ORG.logArchive,
      resourcePolicy: bucketDoc,
      context: { "aws:SourceOrgID": orgId, "s3:x-amz-acl": "bucket-owner-full-control" },
    });

  it("Config of a member account: the bucket admits the PutObject and the key the GenerateDataKey S3 then makes", async () => {
    expect((await putObject(ORG.member, ORG.orgId)).result).toBe("Allowed");
    expect((await onKey(config(ORG.member), "kms:GenerateDataKey", objectContext(ORG.member))).result).toBe("Allowed");
  });

  it("Config of an account of another organization: the key alone would allow it, the bucket refuses the PutObject first", async () => {
    expect((await onKey(config(ORG.outsider), "kms:GenerateDataKey", objectContext(ORG.outsider))).result).toBe(
      "Allowed",
    );
    expect((await putObject(ORG.outsider, "o-zzzzzzzzzz")).result).not.toBe("Allowed");
  });
});

describe("Config bucket key: administrators cannot use it", () => {
  it.each(["kms:Decrypt", "kms:GenerateDataKey", "kms:CreateGrant", "kms:ReEncryptFrom"])(
    "a log-archive admin with kms:* cannot %s",
    async (action) => {
      const o = await onKey(
        admin("OrganizationAccountAccessRole"),
        action,
        action === "kms:CreateGrant" ? undefined : objectContext(ORG.member),
      );
      expect(o.result).toBe("ImplicitlyDenied");
    },
  );

  it("a log-archive admin with kms:* administers it (PutKeyPolicy), through the root statement", async () => {
    const o = await onKey(admin("OrganizationAccountAccessRole"), "kms:PutKeyPolicy");
    expect(o.result).toBe("Allowed");
    expect(o.grants).toEqual(["identity:1", "resource:KeyAdministration"]);
  });

  it("a role of an organization account with kms:* (the audit agent's, say) can neither decrypt nor administer it", async () => {
    const other = roleCaller({
      accountId: ORG.security,
      roleName: "orgwarden-audit-agent",
      identityPolicies: [allowAll()],
    });
    expect((await onKey(other, "kms:Decrypt", objectContext(ORG.member))).result).toBe("ImplicitlyDenied");
    expect((await onKey(other, "kms:PutKeyPolicy")).result).toBe("ImplicitlyDenied");
  });
});

describe("coupling with S3 Bucket Keys (off on the Config bucket)", () => {
  it("with Bucket Keys on, S3 would send the bucket ARN as context and this policy would refuse Config", async () => {
    const bucketContext = { "kms:EncryptionContext:aws:s3:arn": `arn:aws:s3:::${BUCKET}` };
    expect((await onKey(config(ORG.member), "kms:GenerateDataKey", bucketContext)).result).toBe("ImplicitlyDenied");
  });
});

describe("controls: the simulation tells a loose key policy from this one", () => {
  it("without the encryption-context condition, Config could use the key for any bucket", async () => {
    const loose = {
      ...doc,
      Statement: doc.Statement.map((st) => {
        if (st.Sid !== "AWSConfigDelivery") return st;
        const { Condition: _dropped, ...rest } = st;
        return rest;
      }),
    };
    const r = await simulate({
      caller: config(ORG.member),
      action: "kms:GenerateDataKey",
      resource: KEY_ARN,
      resourceAccount: ORG.logArchive,
      resourcePolicy: loose,
      context: objectContext(ORG.member, "someone-elses-bucket"),
    });
    expect(r.result).toBe("Allowed");
  });
});
