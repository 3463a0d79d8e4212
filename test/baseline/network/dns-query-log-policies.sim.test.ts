/**
 * The DNS query-log bucket's policy and its key's policy, proven with the IAM simulator on the
 * request context AWS documents for vended logs to S3: delivery.logs.amazonaws.com carries
 * aws:SourceAccount and aws:SourceArn = arn:aws:logs:<region>:<account>:*
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-S3.html), the
 * account being the owner of the query logging configuration (the log-archive account, for VPCs of
 * every account that associate with the shared configuration). Every IAM role holds s3:* / kms:*
 * in its identity policy, so a denial comes from the resource policy.
 */
import { describe, expect, it } from "vitest";
import { dnsQueryLogBucketPolicy, dnsQueryLogKeyPolicy } from "../../../baseline/network";
import { allowAll, ORG, roleCaller, serviceCaller, simulate, type Caller } from "../../helpers/iam-sim";

const BUCKET = "orgwarden-prod-dns-logs-111111111111";
const READER = "orgwarden-log-auditor";
const REGIONS = [ORG.region, "eu-west-1"];
const bucketDoc = dnsQueryLogBucketPolicy({
  bucketName: BUCKET,
  orgId: ORG.orgId,
  logArchiveAccountId: ORG.logArchive,
  regions: REGIONS,
  securityAccountId: ORG.security,
  readerRoleNames: [READER],
});
const keyDoc = dnsQueryLogKeyPolicy({
  logArchiveAccountId: ORG.logArchive,
  bucketName: BUCKET,
  region: ORG.region,
  securityAccountId: ORG.security,
  readerRoleNames: [READER],
});
const KEY_ARN = `arn:aws:kms:${ORG.region}:${ORG.logArchive}:key/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d`;

const objectArn = (account: string, bucket = BUCKET) =>
  `arn:aws:s3:::${bucket}/AWSLogs/${account}/vpcdnsquerylogs/vpc-0a1b2c3d4e5f60718/2026/12/01/vpc-0a1b2c3d4e5f60718_vpcdnsquerylogs_${account}_20261201T1105Z_ab12.log.gz`;

/** The log delivery service writing for `account` in `region`, with the keys AWS documents. */
const delivery = (account: string, region: string = ORG.region) =>
  serviceCaller({
    service: "delivery.logs.amazonaws.com",
    sourceAccount: account,
    sourceArn: `arn:aws:logs:${region}:${account}:*`,
  });
const role = (accountId: string, roleName: string, orgId?: string | null) =>
  roleCaller({ accountId, roleName, identityPolicies: [allowAll("s3:*")], orgId });

const onBucket = (caller: Caller, action: string, resource = objectArn(ORG.member), context?: Record<string, string>) =>
  simulate({ caller, action, resource, resourceAccount: ORG.logArchive, resourcePolicy: bucketDoc, context });
const put = (caller: Caller, resource = objectArn(ORG.member), acl = "bucket-owner-full-control") =>
  onBucket(caller, "s3:PutObject", resource, { "s3:x-amz-acl": acl });

describe("DNS query-log bucket: the log-archive account's delivery (owner of the shared configurations)", () => {
  it.each(REGIONS)("writes the query logs of any account's VPC from governed region %s", async (region) => {
    for (const vpcOwner of [ORG.member, ORG.logArchive]) {
      const o = await put(delivery(ORG.logArchive, region), objectArn(vpcOwner));
      expect(o.result, vpcOwner).toBe("Allowed");
      expect(o.grants).toEqual(["resource:AWSLogDeliveryWrite"]);
    }
  });

  it("runs the ACL check and ListBucket on the bucket", async () => {
    for (const action of ["s3:GetBucketAcl", "s3:ListBucket"])
      expect((await onBucket(delivery(ORG.logArchive), action, `arn:aws:s3:::${BUCKET}`)).result, action).toBe(
        "Allowed",
      );
  });

  it("may not write from a region without a baseline configuration", async () => {
    expect((await put(delivery(ORG.logArchive, "ap-south-1"))).result).toBe("ImplicitlyDenied");
  });

  it("may not write outside AWSLogs/, or without bucket-owner-full-control", async () => {
    expect((await put(delivery(ORG.logArchive), `arn:aws:s3:::${BUCKET}/elsewhere/x.log.gz`)).result).toBe(
      "ImplicitlyDenied",
    );
    expect((await put(delivery(ORG.logArchive), objectArn(ORG.member), "private")).result).toBe("ImplicitlyDenied");
  });

  it("may not write over plain HTTP", async () => {
    const o = await onBucket(delivery(ORG.logArchive), "s3:PutObject", objectArn(ORG.member), {
      "s3:x-amz-acl": "bucket-owner-full-control",
      "aws:SecureTransport": "false",
    });
    expect(o.result).toBe("ExplicitlyDenied");
    expect(o.explicitDenials).toEqual(["resource:DenyInsecureTransport"]);
  });
});

describe("DNS query-log bucket: no other delivery source lands", () => {
  it.each([
    ["a member account of the organization (its own query logging configuration)", ORG.member],
    ["the management account", ORG.management],
    ["an account outside the organization", ORG.outsider],
  ])("%s: its delivery cannot write or run the ACL check", async (_label, account) => {
    expect((await put(delivery(account), objectArn(account))).result).toBe("ImplicitlyDenied");
    expect((await onBucket(delivery(account), "s3:GetBucketAcl", `arn:aws:s3:::${BUCKET}`)).result).toBe(
      "ImplicitlyDenied",
    );
  });

  it("a delivery claiming the log-archive account but with a source ARN in another account cannot write", async () => {
    const mixed = serviceCaller({
      service: "delivery.logs.amazonaws.com",
      sourceAccount: ORG.logArchive,
      sourceArn: `arn:aws:logs:${ORG.region}:${ORG.member}:*`,
    });
    expect((await put(mixed)).result).toBe("ImplicitlyDenied");
  });

  it("another service acting for the log-archive account cannot write", async () => {
    const trail = serviceCaller({ service: "cloudtrail.amazonaws.com", sourceAccount: ORG.logArchive });
    const o = await put(trail);
    expect(o.result).toBe("ExplicitlyDenied");
    expect(o.explicitDenials).toEqual(["resource:DenyObjectWritesExceptLogDelivery"]);
  });
});

describe("DNS query-log bucket: nobody deletes, overwrites or reads except the readers", () => {
  it.each([ORG.member, ORG.logArchive, ORG.security])(
    "an admin of %s with s3:* cannot DeleteObject, DeleteObjectVersion or PutObject",
    async (account) => {
      for (const action of ["s3:DeleteObject", "s3:DeleteObjectVersion", "s3:PutObject"])
        expect((await onBucket(role(account, "OrganizationAccountAccessRole"), action)).result, action).toBe(
          "ExplicitlyDenied",
        );
    },
  );

  it("the reader role reads; another role of the security account and the log-archive admin do not", async () => {
    expect((await onBucket(role(ORG.security, READER), "s3:GetObject")).result).toBe("Allowed");
    for (const caller of [role(ORG.security, "Admin"), role(ORG.logArchive, "OrganizationAccountAccessRole")]) {
      const o = await onBucket(caller, "s3:GetObject");
      expect(o.result).toBe("ExplicitlyDenied");
      expect(o.explicitDenials).toEqual(["resource:DenyReadExceptReaders"]);
    }
  });

  it("a role outside the organization is refused everything", async () => {
    const o = await onBucket(role(ORG.outsider, "Admin", null), "s3:ListBucket", `arn:aws:s3:::${BUCKET}`);
    expect(o.result).toBe("ExplicitlyDenied");
    expect(o.explicitDenials).toEqual(["resource:DenyOutsideOrganization"]);
  });
});

describe("DNS query-log key", () => {
  const onKey = (caller: Caller, action: string, context?: Record<string, string>) =>
    simulate({ caller, action, resource: KEY_ARN, resourceAccount: ORG.logArchive, resourcePolicy: keyDoc, context });
  const ctx = (resource: string) => ({ "kms:EncryptionContext:aws:s3:arn": resource });
  const kmsRole = (accountId: string, roleName: string) =>
    roleCaller({ accountId, roleName, identityPolicies: [allowAll("kms:*")] });

  it.each(["kms:GenerateDataKey", "kms:Decrypt"])(
    "the log delivery service can %s for an object under the bucket's AWSLogs/",
    async (action) => {
      expect((await onKey(delivery(ORG.logArchive), action, ctx(objectArn(ORG.member)))).result).toBe("Allowed");
    },
  );

  it("not for another bucket, outside AWSLogs/, or without S3's encryption context", async () => {
    const d = delivery(ORG.logArchive);
    expect((await onKey(d, "kms:GenerateDataKey", ctx(objectArn(ORG.member, "other-bucket")))).result).toBe(
      "ImplicitlyDenied",
    );
    expect((await onKey(d, "kms:GenerateDataKey", ctx(`arn:aws:s3:::${BUCKET}/elsewhere/x`))).result).toBe(
      "ImplicitlyDenied",
    );
    expect((await onKey(d, "kms:GenerateDataKey")).result).toBe("ImplicitlyDenied");
  });

  it("the reader decrypts through S3 only; the log-archive admin administers but cannot decrypt", async () => {
    const via = { ...ctx(objectArn(ORG.member)), "kms:ViaService": `s3.${ORG.region}.amazonaws.com` };
    expect((await onKey(kmsRole(ORG.security, READER), "kms:Decrypt", via)).result).toBe("Allowed");
    expect((await onKey(kmsRole(ORG.security, READER), "kms:Decrypt", ctx(objectArn(ORG.member)))).result).toBe(
      "ImplicitlyDenied",
    );
    const admin = kmsRole(ORG.logArchive, "OrganizationAccountAccessRole");
    expect((await onKey(admin, "kms:PutKeyPolicy")).result).toBe("Allowed");
    expect((await onKey(admin, "kms:Decrypt", via)).result).toBe("ImplicitlyDenied");
  });
});

describe("control: the simulation tells a loose document from this one", () => {
  it("without the aws:SourceAccount/SourceArn pin, a member account's delivery would land", async () => {
    const loose = {
      ...bucketDoc,
      Statement: bucketDoc.Statement.map((st) =>
        st.Sid === "AWSLogDeliveryWrite"
          ? { ...st, Condition: { StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control" } } }
          : st,
      ),
    };
    const o = await simulate({
      caller: delivery(ORG.member),
      action: "s3:PutObject",
      resource: objectArn(ORG.member),
      resourceAccount: ORG.logArchive,
      resourcePolicy: loose,
      context: { "s3:x-amz-acl": "bucket-owner-full-control" },
    });
    expect(o.result).toBe("Allowed");
  });
});
