/**
 * The logging core: the KMS key (security account), the archive, access-log and Config buckets
 * (log-archive account), CloudTrail objects for every account, the trail's log group and the
 * organization trail (management account).
 *
 * Moto behaviour this order depends on (moto 5.2.5, probed):
 * - Moto enforces Deny statements of a bucket policy whose Principal is "*" on object GET/PUT/DELETE
 *   and ignores their conditions (only StringEquals is evaluated). The archive policy denies object
 *   writes to all but CloudTrail, so log objects are written BEFORE the policy is put.
 * - Moto refuses PutObjectLockConfiguration once a bucket holds any object ("Bucket needs to be
 *   empty"; real S3 accepts it), so the retention — including a deliberately lowered one — is set
 *   before the first log object, and every log object is locked by the default retention.
 * - Moto sets LastModified to its own clock; freshness is tested through the agent's `now`.
 * - CreateTrail accepts a bucket owned by another account (bucket names are global in moto) and
 *   does not check that the KMS key, log group or role exist.
 */
import { gzipSync } from "node:zlib";
import {
  CreateAliasCommand,
  CreateGrantCommand,
  CreateKeyCommand,
  EnableKeyRotationCommand,
  KMSClient,
} from "@aws-sdk/client-kms";
import {
  CreateBucketCommand,
  PutBucketEncryptionCommand,
  PutBucketLoggingCommand,
  PutBucketOwnershipControlsCommand,
  PutBucketPolicyCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  PutObjectLockConfigurationCommand,
  PutPublicAccessBlockCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import {
  CloudTrailClient,
  CreateTrailCommand,
  PutEventSelectorsCommand,
  StartLoggingCommand,
} from "@aws-sdk/client-cloudtrail";
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  PutLogEventsCommand,
  PutRetentionPolicyCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import {
  cloudTrailPrefix,
  intendedTrailSelectors,
  logGroupKeyPolicy,
  logGroupArn,
  PROTECT_TAG_KEY,
  PROTECT_TAG_VALUE,
  roleArn,
  toApiSelectors,
} from "../../baseline";
import {
  accessLogPolicyDocument,
  allowedGrant,
  archivePolicyDocument,
  flowLogKeyPolicyDocument,
  flowLogPolicyDocument,
  configKeyPolicyDocument,
  configPolicyDocument,
  keyPolicyDocument,
  loggingNames,
  sourcePrefix,
  SANDBOX,
  type SandboxAccounts,
} from "./layout";
import { CONFIG_KEY_ALIAS, finishKey } from "./seed-keys";
import type { SandboxSession } from "./session";
import { HARDENED, layBucket } from "./inventory";

interface Ctx {
  session: SandboxSession;
  stack: string;
  home: string;
  governed: string[];
  orgId: string;
  accounts: SandboxAccounts;
  /** A Control Tower landing zone's trail, log group and buckets (layout.ts loggingNames). */
  controlTower?: boolean;
}

function names(c: Ctx) {
  return loggingNames({ stack: c.stack, homeRegion: c.home, accounts: c.accounts, controlTower: c.controlTower });
}

function docIdsOf(c: Ctx) {
  return { stack: c.stack, homeRegion: c.home, orgId: c.orgId, accounts: c.accounts, controlTower: c.controlTower };
}

export async function seedKey(c: Ctx): Promise<{ keyArn: string; keyId: string; grantId: string }> {
  const kms = await c.session.client(KMSClient, c.accounts.security, c.home);
  const key = await kms.send(
    new CreateKeyCommand({
      Description: "orgwarden CloudTrail log key",
      Policy: JSON.stringify(keyPolicyDocument(docIdsOf(c))),
      Tags: [{ TagKey: PROTECT_TAG_KEY, TagValue: PROTECT_TAG_VALUE }],
    }),
  );
  const keyArn = key.KeyMetadata?.Arn;
  const keyId = key.KeyMetadata?.KeyId;
  if (!keyArn || !keyId) throw new Error("CreateKey returned no key ARN");
  c.session.inventory.lay("aws:kms/key:Key", "log-key-key");
  await kms.send(new CreateAliasCommand({ AliasName: SANDBOX.keyAlias, TargetKeyId: keyId }));
  c.session.inventory.lay("aws:kms/alias:Alias", "log-key-alias");
  await kms.send(new EnableKeyRotationCommand({ KeyId: keyId }));
  // The landing zone's key carries no grant: infra allows none under controlTower.
  if (c.controlTower) return { keyArn, keyId, grantId: "" };
  const g = allowedGrant(c.accounts.security);
  const grant = await kms.send(
    new CreateGrantCommand({
      KeyId: keyId,
      GranteePrincipal: g.granteePrincipal,
      Operations: ["Decrypt"],
      Name: g.name,
    }),
  );
  if (!grant.GrantId) throw new Error("CreateGrant returned no grant id");
  return { keyArn, keyId, grantId: grant.GrantId };
}

const FULL_PUBLIC_ACCESS_BLOCK = {
  BlockPublicAcls: true,
  IgnorePublicAcls: true,
  BlockPublicPolicy: true,
  RestrictPublicBuckets: true,
};

export async function hardenBucket(
  s3: S3Client,
  Bucket: string,
  encryption: { algorithm: "AES256" } | { algorithm: "aws:kms"; keyArn: string },
): Promise<void> {
  await s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: "Enabled" } }));
  const rule =
    encryption.algorithm === "aws:kms"
      ? {
          ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "aws:kms" as const, KMSMasterKeyID: encryption.keyArn },
          // As infra lays it: no Bucket Key, so the encryption context stays the object ARN the key policies pin.
          BucketKeyEnabled: false,
        }
      : { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" as const } };
  await s3.send(new PutBucketEncryptionCommand({ Bucket, ServerSideEncryptionConfiguration: { Rules: [rule] } }));
  await s3.send(new PutPublicAccessBlockCommand({ Bucket, PublicAccessBlockConfiguration: FULL_PUBLIC_ACCESS_BLOCK }));
  await s3.send(
    new PutBucketOwnershipControlsCommand({
      Bucket,
      OwnershipControls: { Rules: [{ ObjectOwnership: "BucketOwnerEnforced" }] },
    }),
  );
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

/** CloudTrail's object key for one delivery: AWSLogs/<org>/<acct>/CloudTrail/<region>/YYYY/MM/DD/<acct>_CloudTrail_<region>_<stamp>_<id>.json.gz */
export function cloudTrailObjectKey(orgId: string, account: string, region: string, at: Date, id: string): string {
  const [y, m, d] = [at.getUTCFullYear(), pad(at.getUTCMonth() + 1), pad(at.getUTCDate())];
  const stamp = `${y}${m}${d}T${pad(at.getUTCHours())}${pad(at.getUTCMinutes())}Z`;
  return `${cloudTrailPrefix(orgId, account, region)}${y}/${m}/${d}/${account}_CloudTrail_${region}_${stamp}_${id}.json.gz`;
}

function cloudTrailRecord(account: string, region: string, at: Date): Buffer {
  const record = {
    eventVersion: "1.10",
    userIdentity: { type: "AssumedRole", accountId: account },
    eventTime: at.toISOString().replace(/\.\d{3}Z$/, "Z"),
    eventSource: "sts.amazonaws.com",
    eventName: "GetCallerIdentity",
    awsRegion: region,
    recipientAccountId: account,
    eventType: "AwsApiCall",
    managementEvent: true,
    eventCategory: "Management",
  };
  return gzipSync(JSON.stringify({ Records: [record] }));
}

/** One log object per account × governed region, as the organization trail would deliver them now. */
async function writeLogObjects(c: Ctx, s3: S3Client, Bucket: string, accounts: string[]): Promise<void> {
  const at = new Date();
  for (const account of accounts) {
    for (const region of c.governed) {
      const Key = cloudTrailObjectKey(c.orgId, account, region, at, "seed0001");
      await s3.send(
        new PutObjectCommand({
          Bucket,
          Key,
          Body: cloudTrailRecord(account, region, at),
          ContentType: "application/json",
          ContentEncoding: "gzip",
          ChecksumAlgorithm: "SHA256",
        }),
      );
    }
  }
}

/**
 * `lockDays` differs from SANDBOX.lockDays only for the lowered-retention drift. The DNS query-log
 * bucket (seed-dns.ts) must exist already: it is access-logged here with the other sources, while
 * the access-log bucket still holds only the S3-logging grant.
 */
export async function seedBuckets(
  c: Ctx,
  keyArn: string,
  allAccounts: string[],
  lockDays: number = SANDBOX.lockDays,
): Promise<{ flowLogKeyArn: string; configKeyArn: string }> {
  const s3 = await c.session.client(S3Client, c.accounts.logArchive, c.home);
  const n = names(c);
  const docIds = docIdsOf(c);

  // Server access logs only support SSE-S3 targets, and a locked bucket cannot be a target (DESIGN.md).
  await s3.send(new CreateBucketCommand({ Bucket: n.accessLogs }));
  await hardenBucket(s3, n.accessLogs, { algorithm: "AES256" });
  layBucket(c.session.inventory, "access-log", ...HARDENED);
  const accessLogPolicy = accessLogPolicyDocument(docIds);
  // Moto's PutBucketLogging crashes (500, AttributeError) on a target policy with a `Principal: "*"`
  // statement, so the target first gets only the S3-logging grant, and its full policy afterwards.
  const loggingGrant = {
    ...accessLogPolicy,
    Statement: accessLogPolicy.Statement.filter((st) => st.Sid?.startsWith("S3ServerAccessLogsPolicy")),
  };
  await s3.send(new PutBucketPolicyCommand({ Bucket: n.accessLogs, Policy: JSON.stringify(loggingGrant) }));

  const configKeyArn = await seedConfigKey(c, docIds);
  await s3.send(new CreateBucketCommand({ Bucket: n.config }));
  await hardenBucket(s3, n.config, { algorithm: "aws:kms", keyArn: configKeyArn });
  layBucket(c.session.inventory, "config", ...HARDENED);

  // Control Tower's log-archive bucket has no Object Lock.
  await s3.send(
    new CreateBucketCommand({ Bucket: n.archive, ...(n.objectLock ? { ObjectLockEnabledForBucket: true } : {}) }),
  );
  await hardenBucket(s3, n.archive, { algorithm: "aws:kms", keyArn });
  layBucket(c.session.inventory, "archive", ...HARDENED);
  if (n.objectLock)
    await s3.send(
      new PutObjectLockConfigurationCommand({
        Bucket: n.archive,
        ObjectLockConfiguration: {
          ObjectLockEnabled: "Enabled",
          Rule: { DefaultRetention: { Mode: SANDBOX.lockMode, Days: lockDays } },
        },
      }),
    );
  if (n.objectLock) layBucket(c.session.inventory, "archive", "objectLock");
  await writeLogObjects(c, s3, n.archive, allAccounts);
  const { flowLogKeyArn } = await seedFlowLogBucket(c, s3, n.flowLogs, docIds);
  // Every source logs into the access-log bucket under its own prefix, as infra lays it.
  for (const [Bucket, TargetPrefix] of [
    [n.archive, SANDBOX.accessLogPrefix],
    [n.config, sourcePrefix(n.config)],
    [n.flowLogs, sourcePrefix(n.flowLogs)],
    [n.dnsQueryLogs, sourcePrefix(n.dnsQueryLogs)],
  ])
    await s3.send(
      new PutBucketLoggingCommand({
        Bucket,
        BucketLoggingStatus: { LoggingEnabled: { TargetBucket: n.accessLogs, TargetPrefix } },
      }),
    );
  layBucket(c.session.inventory, "archive", "logging");
  layBucket(c.session.inventory, "config", "logging");
  layBucket(c.session.inventory, "flow-log", "logging");
  layBucket(c.session.inventory, "dns-query-log", "logging");
  await s3.send(new PutBucketPolicyCommand({ Bucket: n.accessLogs, Policy: JSON.stringify(accessLogPolicy) }));
  await s3.send(
    new PutBucketPolicyCommand({ Bucket: n.archive, Policy: JSON.stringify(archivePolicyDocument(docIds)) }),
  );
  await s3.send(new PutBucketPolicyCommand({ Bucket: n.config, Policy: JSON.stringify(configPolicyDocument(docIds)) }));
  layBucket(c.session.inventory, "access-log", "policy");
  layBucket(c.session.inventory, "archive", "policy");
  layBucket(c.session.inventory, "config", "policy");
  return { flowLogKeyArn, configKeyArn };
}

/** The Config bucket's own key (log-archive account), as infra/detection/config-bucket.ts lays it. */
async function seedConfigKey(c: Ctx, docIds: Parameters<typeof configKeyPolicyDocument>[0]): Promise<string> {
  const kms = await c.session.client(KMSClient, c.accounts.logArchive, c.home);
  const key = await kms.send(
    new CreateKeyCommand({
      Description: "orgwarden: encrypts AWS Config deliveries in the Config bucket",
      Policy: JSON.stringify(configKeyPolicyDocument(docIds)),
    }),
  );
  c.session.inventory.lay("aws:kms/key:Key", "detection-config-bucket-key");
  await finishKey(kms, key.KeyMetadata!.KeyId!, CONFIG_KEY_ALIAS);
  c.session.inventory.lay("aws:kms/alias:Alias", "detection-config-bucket-key-alias");
  return key.KeyMetadata!.Arn!;
}

/** The VPC Flow Logs bucket with its own key, as infra/network/flow-log-bucket.ts lays it. */
async function seedFlowLogBucket(
  c: Ctx,
  s3: S3Client,
  Bucket: string,
  docIds: Parameters<typeof flowLogPolicyDocument>[0],
): Promise<{ flowLogKeyArn: string }> {
  const kms = await c.session.client(KMSClient, c.accounts.logArchive, c.home);
  const key = await kms.send(
    new CreateKeyCommand({
      Description: "orgwarden: encrypts VPC Flow Logs in the flow-log bucket",
      Policy: JSON.stringify(flowLogKeyPolicyDocument(docIds)),
    }),
  );
  c.session.inventory.lay("aws:kms/key:Key", "flow-logs-key");
  const flowLogKeyArn = key.KeyMetadata!.Arn!;
  await finishKey(kms, key.KeyMetadata!.KeyId!, SANDBOX.flowLogKeyAlias(c.stack));
  c.session.inventory.lay("aws:kms/alias:Alias", "flow-logs-key-alias");
  await s3.send(new CreateBucketCommand({ Bucket }));
  await hardenBucket(s3, Bucket, { algorithm: "aws:kms", keyArn: flowLogKeyArn });
  await s3.send(new PutBucketPolicyCommand({ Bucket, Policy: JSON.stringify(flowLogPolicyDocument(docIds)) }));
  layBucket(c.session.inventory, "flow-log", ...HARDENED, "policy");
  return { flowLogKeyArn };
}

/** The trail's log group, encrypted with its own key (management account), as infra/log-group-key.ts and org-trail.ts lay them. */
export async function seedLogGroup(c: Ctx): Promise<{ logGroupKeyArn: string }> {
  const logs = await c.session.client(CloudWatchLogsClient, c.accounts.management, c.home);
  const logGroupName = names(c).logGroupName;
  const kms = await c.session.client(KMSClient, c.accounts.management, c.home);
  const key = await kms.send(
    new CreateKeyCommand({
      Description: "orgwarden: encrypts the organization trail's CloudWatch Logs group",
      Policy: JSON.stringify(
        logGroupKeyPolicy({ accountId: c.accounts.management, region: c.home, logGroupName, adminPrincipalArns: [] }),
      ),
    }),
  );
  const logGroupKeyArn = key.KeyMetadata!.Arn!;
  await kms.send(new EnableKeyRotationCommand({ KeyId: logGroupKeyArn }));
  c.session.inventory.lay("aws:kms/key:Key", "log-group-key-key");
  // moto keeps kmsKeyId as given and returns it from DescribeLogGroups.
  await logs.send(new CreateLogGroupCommand({ logGroupName, kmsKeyId: logGroupKeyArn }));
  c.session.inventory.lay("aws:cloudwatch/logGroup:LogGroup", "org-trail-log-group");
  await logs.send(new PutRetentionPolicyCommand({ logGroupName, retentionInDays: SANDBOX.logGroupRetentionDays }));
  const logStreamName = `${c.accounts.management}_CloudTrail_${c.home}`;
  await logs.send(new CreateLogStreamCommand({ logGroupName, logStreamName }));
  await logs.send(
    new PutLogEventsCommand({
      logGroupName,
      logStreamName,
      logEvents: [{ timestamp: Date.now(), message: '{"eventName":"GetCallerIdentity"}' }],
    }),
  );
  return { logGroupKeyArn };
}

export async function seedTrail(c: Ctx, keyArn: string): Promise<void> {
  const ct = await c.session.client(CloudTrailClient, c.accounts.management, c.home);
  const m = c.accounts.management;
  const n = names(c);
  await ct.send(
    new CreateTrailCommand({
      Name: n.trailName,
      S3BucketName: n.archive,
      IsOrganizationTrail: true,
      IsMultiRegionTrail: true,
      IncludeGlobalServiceEvents: true,
      EnableLogFileValidation: true,
      KmsKeyId: keyArn,
      CloudWatchLogsLogGroupArn: `${logGroupArn(c.home, m, n.logGroupName)}:*`,
      CloudWatchLogsRoleArn: roleArn(m, SANDBOX.trailLogsRoleName),
    }),
  );
  // What infra lays (advanced selectors); the sandbox manifest asks for no data events.
  await ct.send(
    new PutEventSelectorsCommand({
      TrailName: n.trailName,
      AdvancedEventSelectors: toApiSelectors(intendedTrailSelectors({ logBucketNames: [n.archive, n.accessLogs] })),
    }),
  );
  await ct.send(new StartLoggingCommand({ Name: n.trailName }));
  c.session.inventory.lay("aws:cloudtrail/trail:Trail", "org-trail-trail");
}
