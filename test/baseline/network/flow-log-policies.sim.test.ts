/**
 * The flow-log bucket's policy and its key's policy, proven with the IAM simulator on the request
 * context AWS documents for VPC Flow Logs to S3: delivery.logs.amazonaws.com carries
 * aws:SourceAccount and aws:SourceArn = arn:aws:logs:<region>:<account>:*
 * (https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-permissions.html), plus
 * aws:SourceOrgID for an account of an organization; S3 calls KMS with the object ARN as encryption
 * context. Every IAM role holds s3:* / kms:* in its identity policy, so a denial comes from the
 * resource policy.
 */
import { describe, expect, it } from "vitest";
import { flowLogBucketPolicy, flowLogKeyPolicy } from "../../../baseline/network";
import { allowAll, ORG, roleCaller, serviceCaller, simulate, type Caller } from "../../helpers/iam-sim";

const BUCKET = "orgwarden-prod-flow-logs-111111111111";
const READER = "orgwarden-log-auditor";
const bucketDoc = flowLogBucketPolicy({
  bucketName: BUCKET,
  orgId: ORG.orgId,
  securityAccountId: ORG.security,
  readerRoleNames: [READER],
});
const keyDoc = flowLogKeyPolicy({
  accountId: ORG.logArchive,
  bucketName: BUCKET,
  region: ORG.region,
  securityAccountId: ORG.security,
  readerRoleNames: [READER],
});
const KEY_ARN = `arn:aws:kms:${ORG.region}:${ORG.logArchive}:key/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d`;
const OTHER_ORG = "o-zzzzzzzzzz";

const objectKey = (account: string) =>
  `AWSLogs/${account}/vpcflowlogs/${ORG.region}/2026/12/01/11/${account}_vpcflowlogs_${ORG.region}_fl-0a1b2c3d_20261201T1100Z_hash.log.parquet`;
const objectArn = (account: string, bucket = BUCKET) => `arn:aws:s3:::${bucket}/${objectKey(account)}`;

/** The log delivery service writing for `account`, with the keys AWS documents. */
const delivery = (account: string) =>
  serviceCaller({
    service: "delivery.logs.amazonaws.com",
    sourceAccount: account,
    sourceArn: `arn:aws:logs:${ORG.region}:${account}:*`,
  });
const role = (accountId: string, roleName: string, orgId?: string | null) =>
  roleCaller({ accountId, roleName, identityPolicies: [allowAll("s3:*")], orgId });

interface OnBucket {
  caller: Caller;
  action: string;
  resource?: string;
  context?: Record<string, string | null>;
}
const onBucket = ({ caller, action, resource, context }: OnBucket) =>
  simulate({
    caller,
    action,
    resource: resource ?? objectArn(ORG.member),
    resourceAccount: ORG.logArchive,
    resourcePolicy: bucketDoc,
    context,
  });
const put = (
  caller: Caller,
  resource: string,
  orgId: string | null,
  acl: string | null = "bucket-owner-full-control",
) => onBucket({ caller, action: "s3:PutObject", resource, context: { "aws:SourceOrgID": orgId, "s3:x-amz-acl": acl } });

describe("flow-log bucket: a member account's flow-log delivery", () => {
  it("may write under its own AWSLogs/<account>/ prefix, with bucket-owner-full-control", async () => {
    const o = await put(delivery(ORG.member), objectArn(ORG.member), ORG.orgId);
    expect(o.result).toBe("Allowed");
    expect(o.grants).toEqual(["resource:AWSLogDeliveryWrite"]);
  });

  it("may run the ACL check and the ListBucket AWS documents, on the bucket", async () => {
    for (const action of ["s3:GetBucketAcl", "s3:ListBucket"]) {
      const o = await onBucket({
        caller: delivery(ORG.member),
        action,
        resource: `arn:aws:s3:::${BUCKET}`,
        context: { "aws:SourceOrgID": ORG.orgId },
      });
      expect(o.result, action).toBe("Allowed");
    }
  });

  it("the management account's delivery (plain stacks) may write under its own prefix too", async () => {
    expect((await put(delivery(ORG.management), objectArn(ORG.management), ORG.orgId)).result).toBe("Allowed");
  });

  it("may not write under another account's prefix", async () => {
    expect((await put(delivery(ORG.member), objectArn(ORG.security), ORG.orgId)).result).toBe("ImplicitlyDenied");
  });

  it("may not write when its aws:SourceArn is in another account than aws:SourceAccount", async () => {
    const mixed = serviceCaller({
      service: "delivery.logs.amazonaws.com",
      sourceAccount: ORG.member,
      sourceArn: `arn:aws:logs:${ORG.region}:${ORG.security}:*`,
    });
    expect((await put(mixed, objectArn(ORG.member), ORG.orgId)).result).toBe("ImplicitlyDenied");
  });

  it("may not write outside AWSLogs/", async () => {
    const o = await put(delivery(ORG.member), `arn:aws:s3:::${BUCKET}/elsewhere/${ORG.member}/x.parquet`, ORG.orgId);
    expect(o.result).toBe("ImplicitlyDenied");
  });

  it("may not write without bucket-owner-full-control", async () => {
    expect((await put(delivery(ORG.member), objectArn(ORG.member), ORG.orgId, null)).result).toBe("ImplicitlyDenied");
  });

  it("may not write over plain HTTP", async () => {
    const o = await onBucket({
      caller: delivery(ORG.member),
      action: "s3:PutObject",
      context: {
        "aws:SourceOrgID": ORG.orgId,
        "s3:x-amz-acl": "bucket-owner-full-control",
        "aws:SecureTransport": "false",
      },
    });
    expect(o.result).toBe("ExplicitlyDenied");
    expect(o.explicitDenials).toEqual(["resource:DenyInsecureTransport"]);
  });
});

describe("flow-log bucket: another organization's delivery is refused", () => {
  it("an account of another organization cannot write, even under its own prefix", async () => {
    expect((await put(delivery(ORG.outsider), objectArn(ORG.outsider), OTHER_ORG)).result).toBe("ImplicitlyDenied");
  });

  it("an account in no organization (no aws:SourceOrgID) cannot write", async () => {
    expect((await put(delivery(ORG.outsider), objectArn(ORG.outsider), null)).result).toBe("ImplicitlyDenied");
  });

  it("another organization's delivery cannot run the ACL check", async () => {
    const o = await onBucket({
      caller: delivery(ORG.outsider),
      action: "s3:GetBucketAcl",
      resource: `arn:aws:s3:::${BUCKET}`,
      context: { "aws:SourceOrgID": OTHER_ORG },
    });
    expect(o.result).toBe("ImplicitlyDenied");
  });

  it("another service of an organization account cannot write", async () => {
    const trail = serviceCaller({ service: "cloudtrail.amazonaws.com", sourceAccount: ORG.member });
    const o = await put(trail, objectArn(ORG.member), ORG.orgId);
    expect(o.result).toBe("ExplicitlyDenied");
    expect(o.explicitDenials).toEqual(["resource:DenyObjectWritesExceptLogDelivery"]);
  });
});

describe("flow-log bucket: nobody deletes or overwrites a flow log", () => {
  it.each([
    ["a member account's admin", ORG.member],
    ["the log-archive account's own admin", ORG.logArchive],
    ["the security account's admin", ORG.security],
  ])("%s with s3:* cannot DeleteObject, DeleteObjectVersion or PutObject", async (_label, account) => {
    for (const action of ["s3:DeleteObject", "s3:DeleteObjectVersion", "s3:PutObject"]) {
      const o = await onBucket({ caller: role(account, "OrganizationAccountAccessRole"), action });
      expect(o.result, action).toBe("ExplicitlyDenied");
    }
  });

  it("a role outside the organization is refused everything", async () => {
    const o = await onBucket({
      caller: role(ORG.outsider, "Admin", null),
      action: "s3:ListBucket",
      resource: `arn:aws:s3:::${BUCKET}`,
    });
    expect(o.result).toBe("ExplicitlyDenied");
    expect(o.explicitDenials).toEqual(["resource:DenyOutsideOrganization"]);
  });
});

describe("flow-log bucket: only the reader roles of the security account read", () => {
  it("the reader role reads an object and lists the bucket", async () => {
    expect((await onBucket({ caller: role(ORG.security, READER), action: "s3:GetObject" })).result).toBe("Allowed");
    expect(
      (
        await onBucket({
          caller: role(ORG.security, READER),
          action: "s3:ListBucket",
          resource: `arn:aws:s3:::${BUCKET}`,
        })
      ).result,
    ).toBe("Allowed");
  });

  it.each([
    ["another role of the security account", ORG.security, "Admin"],
    ["a role of that name in a member account", ORG.member, READER],
    ["the log-archive account's admin (same account as the bucket)", ORG.logArchive, "OrganizationAccountAccessRole"],
  ])("%s cannot read a flow log", async (_label, account, name) => {
    const o = await onBucket({ caller: role(account, name), action: "s3:GetObject" });
    expect(o.result).toBe("ExplicitlyDenied");
    expect(o.explicitDenials).toEqual(["resource:DenyReadExceptReaders"]);
  });
});

describe("flow-log key", () => {
  const onKey = (caller: Caller, action: string, context?: Record<string, string>) =>
    simulate({ caller, action, resource: KEY_ARN, resourceAccount: ORG.logArchive, resourcePolicy: keyDoc, context });
  const ctx = (resource: string) => ({ "kms:EncryptionContext:aws:s3:arn": resource });
  const kmsRole = (accountId: string, roleName: string) =>
    roleCaller({ accountId, roleName, identityPolicies: [allowAll("kms:*")] });

  it.each(["kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:Decrypt"])(
    "the log delivery service can %s for an object of the bucket's AWSLogs/ prefix",
    async (action) => {
      expect((await onKey(delivery(ORG.member), action, ctx(objectArn(ORG.member)))).result).toBe("Allowed");
    },
  );

  it("the log delivery service cannot use it for another bucket, outside AWSLogs/, or without S3's context", async () => {
    expect(
      (await onKey(delivery(ORG.member), "kms:GenerateDataKey", ctx(objectArn(ORG.member, "other-bucket")))).result,
    ).toBe("ImplicitlyDenied");
    expect(
      (await onKey(delivery(ORG.member), "kms:GenerateDataKey", ctx(`arn:aws:s3:::${BUCKET}/elsewhere/x`))).result,
    ).toBe("ImplicitlyDenied");
    expect((await onKey(delivery(ORG.member), "kms:GenerateDataKey")).result).toBe("ImplicitlyDenied");
  });

  it("the log delivery service cannot Encrypt directly, CreateGrant or change the key", async () => {
    expect((await onKey(delivery(ORG.member), "kms:Encrypt", ctx(objectArn(ORG.member)))).result).toBe(
      "ImplicitlyDenied",
    );
    for (const action of ["kms:CreateGrant", "kms:PutKeyPolicy"]) {
      expect((await onKey(delivery(ORG.member), action)).result, action).toBe("ImplicitlyDenied");
    }
  });

  it("the reader role decrypts a flow log through S3, and not directly", async () => {
    const via = { ...ctx(objectArn(ORG.member)), "kms:ViaService": `s3.${ORG.region}.amazonaws.com` };
    expect((await onKey(kmsRole(ORG.security, READER), "kms:Decrypt", via)).result).toBe("Allowed");
    expect((await onKey(kmsRole(ORG.security, READER), "kms:Decrypt", ctx(objectArn(ORG.member)))).result).toBe(
      "ImplicitlyDenied",
    );
  });

  it("a log-archive admin with kms:* administers the key but cannot decrypt or encrypt with it", async () => {
    const admin = kmsRole(ORG.logArchive, "OrganizationAccountAccessRole");
    expect((await onKey(admin, "kms:PutKeyPolicy")).result).toBe("Allowed");
    for (const action of ["kms:Decrypt", "kms:GenerateDataKey"]) {
      expect((await onKey(admin, action, ctx(objectArn(ORG.member)))).result, action).toBe("ImplicitlyDenied");
    }
  });
});

describe("controls: the simulation tells a loose document from these", () => {
  it("with a bare AWSLogs/* resource, an account's delivery could write under another account's prefix", async () => {
    const loose = {
      ...bucketDoc,
      Statement: bucketDoc.Statement.map((st) =>
        st.Sid === "AWSLogDeliveryWrite" ? { ...st, Resource: `arn:aws:s3:::${BUCKET}/AWSLogs/*` } : st,
      ),
    };
    const o = await simulate({
      caller: delivery(ORG.member),
      action: "s3:PutObject",
      resource: objectArn(ORG.security),
      resourceAccount: ORG.logArchive,
      resourcePolicy: loose,
      context: { "aws:SourceOrgID": ORG.orgId, "s3:x-amz-acl": "bucket-owner-full-control" },
    });
    expect(o.result).toBe("Allowed");
  });

  it("without the aws:SourceOrgID condition, another organization's delivery would land", async () => {
    const loose = {
      ...bucketDoc,
      Statement: bucketDoc.Statement.map((st) =>
        st.Sid === "AWSLogDeliveryWrite"
          ? { ...st, Condition: { StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control" } } }
          : st,
      ),
    };
    const o = await simulate({
      caller: delivery(ORG.outsider),
      action: "s3:PutObject",
      resource: objectArn(ORG.outsider),
      resourceAccount: ORG.logArchive,
      resourcePolicy: loose,
      context: { "aws:SourceOrgID": OTHER_ORG, "s3:x-amz-acl": "bucket-owner-full-control" },
    });
    expect(o.result).toBe("Allowed");
  });
});
