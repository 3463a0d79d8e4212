import { accountRoot, bucketArn, roleArn } from "./arns";
import { policy, PolicyDocument, Statement } from "./policy-types";

export const CLOUDTRAIL_SERVICE = "cloudtrail.amazonaws.com";
export const S3_LOGGING_SERVICE = "logging.s3.amazonaws.com";

export interface ArchiveBucketPolicyInput {
  bucketName: string;
  orgId: string;
  managementAccountId: string;
  /** ARN of the organization trail; the only trail allowed to write. */
  trailArn: string;
  securityAccountId: string;
  /** Role names in the security account allowed to read the archive. */
  auditorRoleNames: string[];
  /** The Athena log analyst role(s) (baseline/athena/policies.ts): read the trail's objects and list, nothing else. */
  analystRoleNames?: string[];
}

/** Object-level actions nobody but CloudTrail's PutObject may perform: writes, overwrites, deletes, retention edits. */
export const ARCHIVE_OBJECT_WRITE_ACTIONS = [
  "s3:PutObject",
  "s3:PutObjectAcl",
  "s3:PutObjectRetention",
  "s3:PutObjectLegalHold",
  "s3:BypassGovernanceRetention",
  "s3:DeleteObject",
  "s3:DeleteObjectVersion",
];

export const ARCHIVE_READ_ACTIONS = ["s3:GetObject", "s3:GetObjectVersion"];

/** What an Athena query reads in a log bucket: current objects only (no versions), plus the listing of the prefix. */
export const ANALYST_LOG_READ_ACTIONS = ["s3:GetObject"];
export const ANALYST_LIST_ACTIONS = ["s3:ListBucket", "s3:GetBucketLocation"];

/** The archive statements of the Athena log analyst: read the organization trail's objects, list the bucket. */
function analystArchiveStatements(
  bucket: string,
  orgId: string,
  securityAccountId: string,
  names: string[],
): Statement[] {
  const principal = { AWS: accountRoot(securityAccountId) };
  const who = { ArnLike: { "aws:PrincipalArn": names.map((n) => roleArn(securityAccountId, n)) } };
  return [
    {
      Sid: "LogAnalystRead",
      Effect: "Allow",
      Principal: principal,
      Action: ANALYST_LOG_READ_ACTIONS,
      Resource: `${bucket}/AWSLogs/${orgId}/*`,
      Condition: who,
    },
    {
      Sid: "LogAnalystList",
      Effect: "Allow",
      Principal: principal,
      Action: ANALYST_LIST_ACTIONS,
      Resource: bucket,
      Condition: who,
    },
  ];
}

export function denyInsecureTransport(bucket: string): Statement {
  return {
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: "s3:*",
    Resource: [bucketArn(bucket), `${bucketArn(bucket)}/*`],
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  };
}

/**
 * Policy of the CloudTrail archive bucket (log-archive account).
 *
 * Deliberately no statement on `s3:x-amz-server-side-encryption`: AWS documents digest files as
 * SSE-S3 ("Digest files are encrypted with Amazon S3-managed encryption keys",
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/encrypting-cloudtrail-log-files-with-aws-kms.html)
 * and, on its key-policy page, as encrypted with the trail's key ("encrypt your log files, digest
 * files", https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html).
 * Demanding either header would stop one of the two (and, with validation on, trail creation);
 * test/baseline/digest-delivery.sim.test.ts proves both pass. The bucket's default encryption and
 * the trail's KmsKeyId are what make log files SSE-KMS.
 */
export function archiveBucketPolicy(i: ArchiveBucketPolicyInput): PolicyDocument {
  if (i.auditorRoleNames.length === 0)
    throw new Error("archiveBucketPolicy: auditorRoleNames must name at least one role");
  const bucket = bucketArn(i.bucketName);
  const auditors = i.auditorRoleNames.map((n) => roleArn(i.securityAccountId, n));
  const analysts = i.analystRoleNames ?? [];
  const readers = [...auditors, ...analysts.map((n) => roleArn(i.securityAccountId, n))];
  const sourceArn = { "aws:SourceArn": i.trailArn };
  return policy([
    denyInsecureTransport(i.bucketName),
    {
      Sid: "AWSCloudTrailAclCheck",
      Effect: "Allow",
      Principal: { Service: CLOUDTRAIL_SERVICE },
      Action: "s3:GetBucketAcl",
      Resource: bucket,
      Condition: { StringEquals: sourceArn },
    },
    {
      Sid: "AWSCloudTrailWrite",
      Effect: "Allow",
      Principal: { Service: CLOUDTRAIL_SERVICE },
      Action: "s3:PutObject",
      Resource: [`${bucket}/AWSLogs/${i.orgId}/*`, `${bucket}/AWSLogs/${i.managementAccountId}/*`],
      Condition: { StringEquals: { ...sourceArn, "s3:x-amz-acl": "bucket-owner-full-control" } },
    },
    {
      Sid: "AuditorRead",
      Effect: "Allow",
      // The account root plus a PrincipalArn condition: S3 rejects a policy naming a role that does not exist yet.
      Principal: { AWS: accountRoot(i.securityAccountId) },
      Action: [...ARCHIVE_READ_ACTIONS, "s3:ListBucket", "s3:GetBucketLocation"],
      Resource: [bucket, `${bucket}/*`],
      Condition: { ArnLike: { "aws:PrincipalArn": auditors } },
    },
    ...(analysts.length > 0 ? analystArchiveStatements(bucket, i.orgId, i.securityAccountId, analysts) : []),
    {
      Sid: "DenyReadExceptAuditors",
      Effect: "Deny",
      Principal: "*",
      Action: ARCHIVE_READ_ACTIONS,
      Resource: `${bucket}/*`,
      Condition: { ArnNotLike: { "aws:PrincipalArn": readers } },
    },
    {
      Sid: "DenyObjectWritesExceptCloudTrail",
      Effect: "Deny",
      Principal: "*",
      Action: ARCHIVE_OBJECT_WRITE_ACTIONS,
      Resource: `${bucket}/*`,
      // A negated operator matches when the key is absent, so every IAM principal is caught; only CloudTrail's own calls carry this service name.
      Condition: { StringNotEquals: { "aws:PrincipalServiceName": CLOUDTRAIL_SERVICE } },
    },
    {
      Sid: "DenyCloudTrailOtherTrails",
      Effect: "Deny",
      Principal: { Service: CLOUDTRAIL_SERVICE },
      Action: "s3:PutObject",
      Resource: `${bucket}/*`,
      Condition: { StringNotEquals: sourceArn },
    },
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

export interface AccessLogBucketPolicyInput {
  bucketName: string;
  /** The bucket whose server access logs land here. */
  sourceBucketName: string;
  /** Account that owns the source bucket (the log-archive account). */
  sourceAccountId: string;
  orgId: string;
  /** Key prefix the access logs are written under. */
  prefix: string;
  /** More buckets of the same account logging here (the Config bucket), each under its own prefix. */
  additionalSources?: { bucketName: string; prefix: string }[];
}

/**
 * Nobody deletes a log object, the root user and exempt roles included, without first changing the
 * bucket policy (which the SCP reserves to exempt principals). S3 Lifecycle expiry is unaffected:
 * it runs on S3's internal endpoints, not as a principal's request
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-and-other-bucket-config.html);
 * S3 server access logging and Config delivery only ever PutObject.
 */
export function denyObjectDeletion(bucketName: string): Statement {
  return {
    Sid: "DenyObjectDeletion",
    Effect: "Deny",
    Principal: "*",
    Action: ["s3:DeleteObject", "s3:DeleteObjectVersion"],
    Resource: `${bucketArn(bucketName)}/*`,
  };
}

/** Policy of the server-access-log bucket: only S3's logging service, for the archive bucket (and the additional sources), may write. */
export function accessLogBucketPolicy(i: AccessLogBucketPolicyInput): PolicyDocument {
  const bucket = bucketArn(i.bucketName);
  // One statement per source, so a source's logs can land only under its own prefix.
  const sources = [{ bucketName: i.sourceBucketName, prefix: i.prefix }, ...(i.additionalSources ?? [])];
  const prefixes = sources.map((s) => s.prefix);
  const clash = prefixes.find((p, n) => prefixes.some((q, m) => m !== n && (p.startsWith(q) || q.startsWith(p))));
  if (clash !== undefined)
    throw new Error(
      `accessLogBucketPolicy: prefix "${clash}" overlaps another source's prefix; give every source bucket its own prefix`,
    );
  return policy([
    denyInsecureTransport(i.bucketName),
    ...sources.map((src, n): Statement => ({
      Sid: n === 0 ? "S3ServerAccessLogsPolicy" : `S3ServerAccessLogsPolicy${n + 1}`,
      Effect: "Allow",
      Principal: { Service: S3_LOGGING_SERVICE },
      Action: "s3:PutObject",
      Resource: `${bucket}/${src.prefix}*`,
      Condition: {
        ArnLike: { "aws:SourceArn": bucketArn(src.bucketName) },
        StringEquals: { "aws:SourceAccount": i.sourceAccountId },
      },
    })),
    {
      Sid: "DenyObjectWritesExceptS3Logging",
      Effect: "Deny",
      Principal: "*",
      Action: ["s3:PutObject", "s3:PutObjectAcl"],
      Resource: `${bucket}/*`,
      Condition: { StringNotEquals: { "aws:PrincipalServiceName": S3_LOGGING_SERVICE } },
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
