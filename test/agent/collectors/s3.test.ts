import { afterEach, describe, expect, it } from "vitest";
import {
  CreateBucketCommand,
  HeadObjectCommand,
  PutBucketEncryptionCommand,
  PutBucketOwnershipControlsCommand,
  PutBucketPolicyCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  PutObjectLockConfigurationCommand,
  PutPublicAccessBlockCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { collectArchiveBucket, datePartitions, type ArchiveTarget } from "../../../agent/collectors/s3";
import { useMoto } from "../../helpers/moto";
import { agentClients, MOTO_DEFAULT_ACCOUNT, REGION } from "./_clients";

const moto = useMoto();
let env: ReturnType<typeof agentClients>;
afterEach(() => env?.destroy());

const ORG = "o-a1b2c3d4e5";
const BUCKET = "archive-bucket";
const KEY_ARN = "arn:aws:kms:us-east-1:333333333333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const POLICY = {
  Version: "2012-10-17",
  Statement: [
    {
      Sid: "DenyInsecureTransport",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: [`arn:aws:s3:::${BUCKET}`, `arn:aws:s3:::${BUCKET}/*`],
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    },
  ],
};

function target(now: Date, accounts: string[], regions = [REGION]): ArchiveTarget {
  return { bucketName: BUCKET, organizationId: ORG, accounts, regions, now, maxAgeMinutes: 60 };
}

describe("datePartitions", () => {
  it.each([
    ["2026-03-01T00:30:00Z", 60, ["2026/03/01", "2026/02/28"]],
    ["2026-12-31T23:59:00Z", 1440, ["2026/12/31", "2026/12/30"]],
    ["2026-03-01T12:00:00Z", 1441, ["2026/03/01", "2026/02/28", "2026/02/27"]],
  ])("now %s, threshold %i min → %j", (now, minutes, expected) => {
    expect(datePartitions(new Date(now), minutes)).toEqual(expected);
  });
});

describe("collectArchiveBucket (moto)", () => {
  it("reads policy, Object Lock, versioning, SSE-KMS, public access block and ownership as configured", async () => {
    env = agentClients(moto.endpoint);
    const s3 = await env.get(S3Client, MOTO_DEFAULT_ACCOUNT);
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET, ObjectLockEnabledForBucket: true }));
    await s3.send(
      new PutObjectLockConfigurationCommand({
        Bucket: BUCKET,
        ObjectLockConfiguration: {
          ObjectLockEnabled: "Enabled",
          Rule: { DefaultRetention: { Mode: "COMPLIANCE", Days: 365 } },
        },
      }),
    );
    await s3.send(new PutBucketVersioningCommand({ Bucket: BUCKET, VersioningConfiguration: { Status: "Enabled" } }));
    await s3.send(new PutBucketPolicyCommand({ Bucket: BUCKET, Policy: JSON.stringify(POLICY) }));
    await s3.send(
      new PutBucketEncryptionCommand({
        Bucket: BUCKET,
        ServerSideEncryptionConfiguration: {
          Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "aws:kms", KMSMasterKeyID: KEY_ARN } }],
        },
      }),
    );
    await s3.send(
      new PutPublicAccessBlockCommand({
        Bucket: BUCKET,
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          IgnorePublicAcls: true,
          BlockPublicPolicy: true,
          RestrictPublicBuckets: true,
        },
      }),
    );
    await s3.send(
      new PutBucketOwnershipControlsCommand({
        Bucket: BUCKET,
        OwnershipControls: { Rules: [{ ObjectOwnership: "BucketOwnerEnforced" }] },
      }),
    );

    const o = await collectArchiveBucket(s3, MOTO_DEFAULT_ACCOUNT, REGION, target(new Date(), []));

    expect(o.policy).toEqual({ ok: true, value: POLICY });
    expect(o.objectLock).toEqual({
      ok: true,
      value: { enabled: true, mode: "COMPLIANCE", days: 365, years: undefined },
    });
    expect(o.versioning).toEqual({ ok: true, value: "Enabled" });
    expect(o.encryption).toEqual({ ok: true, value: { algorithm: "aws:kms", kmsKeyId: KEY_ARN } });
    expect(o.publicAccessBlock).toEqual({
      ok: true,
      value: { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true },
    });
    expect(o.ownership).toEqual({ ok: true, value: "BucketOwnerEnforced" });
  });

  it("a bare bucket reads as observed absences (no policy, lock disabled, never versioned), not as failures", async () => {
    env = agentClients(moto.endpoint);
    const s3 = await env.get(S3Client, MOTO_DEFAULT_ACCOUNT);
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    const o = await collectArchiveBucket(s3, MOTO_DEFAULT_ACCOUNT, REGION, target(new Date(), []));
    expect(o.policy).toEqual({ ok: true, value: undefined });
    expect(o.objectLock).toEqual({ ok: true, value: { enabled: false } });
    expect(o.versioning).toEqual({ ok: true, value: undefined });
    expect(o.publicAccessBlock).toEqual({ ok: true, value: undefined });
    expect(o.ownership.ok).toBe(true);
  });

  it("a missing bucket is a failed read naming NoSuchBucket on every piece", async () => {
    env = agentClients(moto.endpoint);
    const s3 = await env.get(S3Client, MOTO_DEFAULT_ACCOUNT);
    const o = await collectArchiveBucket(s3, MOTO_DEFAULT_ACCOUNT, REGION, target(new Date(), ["444444444444"]));
    for (const piece of [
      o.policy,
      o.objectLock,
      o.versioning,
      o.encryption,
      o.publicAccessBlock,
      o.ownership,
      o.newestDeliveryByAccount["444444444444"][REGION],
    ]) {
      expect(piece).toMatchObject({
        ok: false,
        error: { name: "NoSuchBucket", service: "s3", account: MOTO_DEFAULT_ACCOUNT, region: REGION },
      });
    }
    expect(o.policy).toMatchObject({ ok: false, error: { operation: "GetBucketPolicy" } });
    expect(o.newestDeliveryByAccount["444444444444"][REGION]).toMatchObject({
      ok: false,
      error: { operation: "ListObjectsV2" },
    });
  });

  it("freshness: newest object per account and governed region, only under that prefix for today and yesterday", async () => {
    env = agentClients(moto.endpoint);
    const s3 = await env.get(S3Client, MOTO_DEFAULT_ACCOUNT);
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    const now = new Date();
    const [today, yesterday] = datePartitions(now, 60);
    const old = datePartitions(new Date(now.getTime() - 3 * 86_400_000), 60)[0];
    const put = async (Key: string) => {
      await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body: "{}" }));
      return (await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key }))).LastModified!.toISOString();
    };
    const p = (acct: string, region: string, day: string) =>
      `AWSLogs/${ORG}/${acct}/CloudTrail/${region}/${day}/${acct}_CloudTrail_${region}_x.json.gz`;
    await put(p("111111111111", REGION, yesterday));
    const newestA = await put(p("111111111111", REGION, today).replace("_x", "_y"));
    await put(p("222222222222", REGION, old)); // outside the window: as good as missing
    const newestC = await put(p("333333333333", "eu-west-1", today)); // another region: its own delivery
    await put(p("333333333333", "ap-south-1", today)); // a region the run does not govern is not listed

    const o = await collectArchiveBucket(
      s3,
      MOTO_DEFAULT_ACCOUNT,
      REGION,
      target(now, ["111111111111", "222222222222", "333333333333"], [REGION, "eu-west-1"]),
    );

    const none = { ok: true, value: undefined };
    expect(o.newestDeliveryByAccount).toEqual({
      "111111111111": { [REGION]: { ok: true, value: newestA }, "eu-west-1": none },
      "222222222222": { [REGION]: none, "eu-west-1": none },
      "333333333333": { [REGION]: none, "eu-west-1": { ok: true, value: newestC } },
    });
  });
});
