import { ACCOUNT_ID, accountRoot, bucketArn, ORG_ID, roleArn } from "../arns";
import { denyInsecureTransport, denyObjectDeletion } from "../bucket-policies";
import { S3_CONTEXT_KEY } from "../detection/config-key-policy";
import { KEY_ADMIN_ACTIONS } from "../key-policy";
import { policy, type ConditionBlock, type PolicyDocument } from "../policy-types";

/** The service principal that writes VPC Flow Logs (and other vended logs) to S3. */
export const LOG_DELIVERY_SERVICE = "delivery.logs.amazonaws.com";

/**
 * Where a flow log of account A writes, with the default (non-Hive) prefixes:
 * AWSLogs/<A>/vpcflowlogs/<region>/YYYY/MM/DD/HH/ (https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-path.html).
 * The policy variable makes "its own prefix" a rule: a delivery acting for A lands only under AWSLogs/A/.
 */
export const OWN_ACCOUNT_PREFIX = "AWSLogs/${aws:SourceAccount}/";

/** The ARN of the log delivery resource a flow log writes through; AWS documents aws:SourceArn as arn:aws:logs:<region>:<account>:*. */
export const OWN_ACCOUNT_SOURCE_ARN = "arn:aws:logs:*:${aws:SourceAccount}:*";

export const FLOW_LOG_READ_ACTIONS = ["s3:GetObject", "s3:GetObjectVersion"];

export interface FlowLogBucketPolicyInput {
  bucketName: string;
  orgId: string;
  securityAccountId: string;
  /** Roles in the security account that read the flow logs (Athena queries run as them). */
  readerRoleNames: string[];
}

function checkInput(fn: string, i: { orgId?: string; securityAccountId: string; readerRoleNames: string[] }): void {
  if (i.orgId !== undefined && !ORG_ID.test(i.orgId)) throw new Error(`${fn}: orgId must be o-…, got "${i.orgId}"`);
  if (!ACCOUNT_ID.test(i.securityAccountId))
    throw new Error(`${fn}: securityAccountId must be a 12-digit account id, got "${i.securityAccountId}"`);
  if (i.readerRoleNames.length === 0) throw new Error(`${fn}: readerRoleNames must name at least one role`);
}

/**
 * Policy of the flow-log bucket (log-archive account).
 *
 * The two delivery statements are AWS's own ("Amazon S3 bucket permissions for flow logs",
 * https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-permissions.html): AWSLogDeliveryWrite
 * (s3:PutObject with s3:x-amz-acl = bucket-owner-full-control) and AWSLogDeliveryAclCheck
 * (s3:GetBucketAcl and s3:ListBucket; CloudWatch Logs' "Logs sent to Amazon S3" page asks for
 * ListBucket too). AWS keys both on aws:SourceAccount and aws:SourceArn (arn:aws:logs:<region>:<account>:*).
 * Every account of the organization delivers here, accounts created later included, so the
 * account list would be stale the day an account joins: the account is bound with policy variables
 * instead (the object under AWSLogs/${aws:SourceAccount}/, the source ARN in that same account), and
 * the organization with aws:SourceOrgID, the global key AWS defines for a service acting for an
 * account of an organization, as the Config bucket policy already does. If delivery.logs did not
 * send aws:SourceOrgID, flow-log creation would fail loudly (CreateFlowLogs checks the bucket
 * policy) and the audit's flow-log check would report it; it could not silently admit another org.
 */
export function flowLogBucketPolicy(i: FlowLogBucketPolicyInput): PolicyDocument {
  checkInput("flowLogBucketPolicy", i);
  const readers = i.readerRoleNames.map((n) => roleArn(i.securityAccountId, n));
  // StringLike, not AWS's ArnLike: the value holds a policy variable, which both operators expand in IAM,
  // but the simulator the tests prove this with expands it only in string operators. aws:SourceArn is set
  // by AWS, never by the caller, so the two match the same requests.
  const fromOwnAccountInOrg = {
    StringEquals: { "aws:SourceOrgID": i.orgId },
    StringLike: { "aws:SourceArn": OWN_ACCOUNT_SOURCE_ARN },
  };
  return vendedLogBucketPolicy({
    bucketName: i.bucketName,
    writePrefix: OWN_ACCOUNT_PREFIX,
    source: fromOwnAccountInOrg,
    readersSid: "FlowLogReaders",
    readerArns: readers,
    securityAccountId: i.securityAccountId,
    orgId: i.orgId,
  });
}

/** Who may deliver into a vended-log bucket: an aws:SourceAccount / SourceOrgID test plus one source-ARN operator. */
export type VendedLogSource = ConditionBlock & { StringEquals: Record<string, string> };

/**
 * The one policy of the buckets CloudWatch Logs' vended-log delivery writes into (flow logs, Resolver
 * query logs): TLS only; delivery (as `source` allows) writes under `writePrefix` with the owner's
 * ACL and checks the bucket's ACL; only the reader roles read; only delivery writes objects; nobody
 * deletes; nothing from outside the organization but AWS services.
 */
export function vendedLogBucketPolicy(i: {
  bucketName: string;
  writePrefix: string;
  source: VendedLogSource;
  readersSid: string;
  readerArns: string[];
  securityAccountId: string;
  orgId: string;
}): PolicyDocument {
  const bucket = bucketArn(i.bucketName);
  const readers = i.readerArns;
  const { StringEquals, ...sourceArn } = i.source;
  return policy([
    denyInsecureTransport(i.bucketName),
    {
      Sid: "AWSLogDeliveryWrite",
      Effect: "Allow",
      Principal: { Service: LOG_DELIVERY_SERVICE },
      Action: "s3:PutObject",
      Resource: `${bucket}/${i.writePrefix}*`,
      Condition: {
        StringEquals: { ...StringEquals, "s3:x-amz-acl": "bucket-owner-full-control" },
        ...sourceArn,
      },
    },
    {
      Sid: "AWSLogDeliveryAclCheck",
      Effect: "Allow",
      Principal: { Service: LOG_DELIVERY_SERVICE },
      Action: ["s3:GetBucketAcl", "s3:ListBucket"],
      Resource: bucket,
      Condition: i.source,
    },
    {
      Sid: i.readersSid,
      Effect: "Allow",
      // The account root plus a PrincipalArn condition: S3 rejects a policy naming a role that does not exist yet.
      Principal: { AWS: accountRoot(i.securityAccountId) },
      Action: [...FLOW_LOG_READ_ACTIONS, "s3:ListBucket", "s3:GetBucketLocation"],
      Resource: [bucket, `${bucket}/*`],
      Condition: { ArnLike: { "aws:PrincipalArn": readers } },
    },
    {
      Sid: "DenyReadExceptReaders",
      Effect: "Deny",
      Principal: "*",
      Action: FLOW_LOG_READ_ACTIONS,
      Resource: `${bucket}/*`,
      Condition: { ArnNotLike: { "aws:PrincipalArn": readers } },
    },
    {
      Sid: "DenyObjectWritesExceptLogDelivery",
      Effect: "Deny",
      Principal: "*",
      Action: ["s3:PutObject", "s3:PutObjectAcl"],
      Resource: `${bucket}/*`,
      // Negated operator: matches IAM principals (key absent), so only the log delivery service's own calls pass.
      Condition: { StringNotEquals: { "aws:PrincipalServiceName": LOG_DELIVERY_SERVICE } },
    },
    denyObjectDeletion(i.bucketName),
    {
      Sid: "DenyOutsideOrganization",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: [bucket, `${bucket}/*`],
      Condition: {
        StringNotEqualsIfExists: { "aws:PrincipalOrgID": i.orgId },
        BoolIfExists: { "aws:PrincipalIsAWSService": "false" },
      },
    },
  ]);
}

/** What the log delivery service needs on the bucket's key: GenerateDataKey* to write, Decrypt for multipart uploads. */
export const LOG_DELIVERY_KEY_ACTIONS = ["kms:GenerateDataKey*", "kms:Decrypt"];

export interface FlowLogKeyPolicyInput {
  /** The log-archive account: owns the key and the bucket (a bucket's default key must be in its region). */
  accountId: string;
  bucketName: string;
  region: string;
  securityAccountId: string;
  readerRoleNames: string[];
}

/**
 * Key policy of the flow-log bucket's own key (log-archive account, home region).
 *
 * Its own key, not the log key: the log key lives in the security account and its policy admits
 * CloudTrail only, pinned to CloudTrail's encryption context; admitting delivery.logs there would
 * let a second service encrypt with the key the archive's integrity story rests on, and the agent
 * compares that policy statement by statement. A key per bucket keeps each policy exact.
 *
 * AWS documents "Allow VPC Flow Logs to use the key": delivery.logs.amazonaws.com with
 * kms:GenerateDataKey* ("Required key policy for use with SSE-KMS",
 * https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-cmk-policy.html); kms:Decrypt as
 * well, which S3 needs to complete a multipart upload
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html). The statement is
 * scoped by what S3 documents it sends to KMS, the object ARN as encryption context aws:s3:arn
 * (S3 Bucket Keys off), to this bucket's AWSLogs/ prefix; the bucket policy decides whose deliveries
 * land. No aws:SourceAccount/SourceOrgID condition here, for the reason the Config key gives: no AWS
 * page says those reach KMS when S3 calls it on the delivery service's behalf.
 *
 * Readers (security account) may Decrypt only through S3 and only this bucket's objects.
 * Administration carries no cryptographic action, and there is no "enable IAM policies" statement.
 */
export function flowLogKeyPolicy(i: FlowLogKeyPolicyInput): PolicyDocument {
  if (!ACCOUNT_ID.test(i.accountId))
    throw new Error(`flowLogKeyPolicy: accountId must be a 12-digit account id, got "${i.accountId}"`);
  checkInput("flowLogKeyPolicy", i);
  return vendedLogKeyPolicy({
    adminAccountId: i.accountId,
    bucketName: i.bucketName,
    prefix: "AWSLogs/",
    readersSid: "FlowLogReadersDecrypt",
    securityAccountId: i.securityAccountId,
    readerRoleNames: i.readerRoleNames,
    region: i.region,
    id: "orgwarden-flow-log-key",
  });
}

/**
 * The one key policy of the vended-log buckets' keys (flow logs, Resolver query logs): the owner
 * account administers it without cryptographic actions; log delivery encrypts only for objects under
 * `prefix` of its bucket (S3's encryption context); the reader roles decrypt only through S3 there.
 */
export function vendedLogKeyPolicy(i: {
  adminAccountId: string;
  bucketName: string;
  prefix: string;
  readersSid: string;
  securityAccountId: string;
  readerRoleNames: string[];
  region: string;
  id: string;
}): PolicyDocument {
  const objects = `${bucketArn(i.bucketName)}/${i.prefix}*`;
  return policy(
    [
      {
        Sid: "KeyAdministration",
        Effect: "Allow",
        Principal: { AWS: accountRoot(i.adminAccountId) },
        Action: KEY_ADMIN_ACTIONS,
        Resource: "*",
      },
      {
        Sid: "AllowLogDeliveryToEncrypt",
        Effect: "Allow",
        Principal: { Service: LOG_DELIVERY_SERVICE },
        Action: LOG_DELIVERY_KEY_ACTIONS,
        Resource: "*",
        Condition: { StringLike: { [S3_CONTEXT_KEY]: objects } },
      },
      {
        Sid: i.readersSid,
        Effect: "Allow",
        Principal: { AWS: accountRoot(i.securityAccountId) },
        Action: "kms:Decrypt",
        Resource: "*",
        Condition: {
          ArnLike: { "aws:PrincipalArn": i.readerRoleNames.map((n) => roleArn(i.securityAccountId, n)) },
          StringEquals: { "kms:ViaService": `s3.${i.region}.amazonaws.com` },
          StringLike: { [S3_CONTEXT_KEY]: objects },
        },
      },
    ],
    i.id,
  );
}
