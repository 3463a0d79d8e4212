/**
 * Route 53 Resolver query logging, centralized: one query logging configuration per governed
 * region, owned by the log-archive account, delivering to a dedicated S3 bucket there, and shared
 * to the organization through AWS RAM so that every member account can associate its VPCs with it
 * ("You can optionally use AWS RAM to share a query logging configuration with other AWS accounts.
 * The other accounts can then associate VPCs with the configuration",
 * https://docs.aws.amazon.com/Route53/latest/APIReference/API_route53resolver_CreateResolverQueryLogConfig.html;
 * a configuration logs only VPCs of its own Region).
 *
 * Why a dedicated bucket, not a prefix of the flow-log bucket: Resolver query logs reach S3 as vended
 * logs through delivery.logs.amazonaws.com acting for the account that owns the configuration
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-S3.html: the
 * bucket policy names aws:SourceAccount and aws:SourceArn arn:aws:logs:<region>:<account>:*). Every
 * query log of the organization is therefore delivered as the log-archive account, whatever account
 * owns the VPC. The flow-log bucket admits every account of the organization, each only under its own
 * AWSLogs/<account>/ prefix; sharing it would mean either refusing the DNS logs of member VPCs (if
 * they are keyed by the VPC owner) or letting the log-archive account's delivery write under every
 * account's prefix, flow logs included. A bucket of its own admits exactly one delivery source (the
 * log-archive account, in the governed regions) and keeps its own retention.
 */
import { ACCOUNT_ID, ORG_ID, roleArn } from "../arns";
import type { PolicyDocument } from "../policy-types";
import { vendedLogBucketPolicy, vendedLogKeyPolicy } from "./flow-log-policies";

/** The RAM resource type of a query logging configuration (RAM GetResourceShares / ListResources resourceType). */
export const DNS_QUERY_LOG_RAM_RESOURCE_TYPE = "route53resolver:ResolverQueryLogConfig";

/** Where the delivery writes: AWSLogs/<account>/vpcdnsquerylogs/<vpc-id>/YYYY/MM/DD/… (the vended-log layout). */
export const DNS_QUERY_LOG_PREFIX = "AWSLogs/";

/** The source ARN AWS documents for a vended-log delivery of `account` in `region`. */
export function logDeliverySourceArn(region: string, account: string): string {
  return `arn:aws:logs:${region}:${account}:*`;
}

export interface DnsQueryLogBucketPolicyInput {
  bucketName: string;
  orgId: string;
  /** The log-archive account: owns the bucket and the query logging configurations, so it is the one delivery source. */
  logArchiveAccountId: string;
  /** The regions with a configuration (governedRegions): the deliveries' aws:SourceArn regions. */
  regions: string[];
  securityAccountId: string;
  /** Roles in the security account that read the query logs. */
  readerRoleNames: string[];
}

function checkInput(
  fn: string,
  i: { logArchiveAccountId: string; securityAccountId: string; readerRoleNames: string[] },
) {
  for (const [k, v] of [
    ["logArchiveAccountId", i.logArchiveAccountId],
    ["securityAccountId", i.securityAccountId],
  ] as const)
    if (!ACCOUNT_ID.test(v)) throw new Error(`${fn}: ${k} must be a 12-digit account id, got "${v}"`);
  if (i.readerRoleNames.length === 0) throw new Error(`${fn}: readerRoleNames must name at least one role`);
}

/**
 * Policy of the DNS query-log bucket (log-archive account). The two delivery statements are AWS's
 * vended-log statements (AWSLogDeliveryWrite with s3:x-amz-acl = bucket-owner-full-control, and
 * AWSLogDeliveryAclCheck with s3:GetBucketAcl and s3:ListBucket), keyed on aws:SourceAccount = the
 * log-archive account and aws:SourceArn in that account and a governed region: no other account's
 * delivery, and no delivery in a region without a baseline configuration, lands here. Only AWSLogs/ is
 * writable; the account segment below it is the service's, not the policy's, to choose.
 */
export function dnsQueryLogBucketPolicy(i: DnsQueryLogBucketPolicyInput): PolicyDocument {
  checkInput("dnsQueryLogBucketPolicy", i);
  if (!ORG_ID.test(i.orgId)) throw new Error(`dnsQueryLogBucketPolicy: orgId must be o-…, got "${i.orgId}"`);
  if (i.regions.length === 0) throw new Error("dnsQueryLogBucketPolicy: regions must name at least one region");
  const readers = i.readerRoleNames.map((n) => roleArn(i.securityAccountId, n));
  const fromLogArchive = {
    StringEquals: { "aws:SourceAccount": i.logArchiveAccountId },
    ArnLike: { "aws:SourceArn": i.regions.map((r) => logDeliverySourceArn(r, i.logArchiveAccountId)) },
  };
  return vendedLogBucketPolicy({
    bucketName: i.bucketName,
    writePrefix: DNS_QUERY_LOG_PREFIX,
    source: fromLogArchive,
    readersSid: "DnsQueryLogReaders",
    readerArns: readers,
    securityAccountId: i.securityAccountId,
    orgId: i.orgId,
  });
}

export interface DnsQueryLogKeyPolicyInput {
  /** The log-archive account: owns the key and the bucket. */
  logArchiveAccountId: string;
  bucketName: string;
  /** The bucket's region (home region): readers decrypt through S3 there. */
  region: string;
  securityAccountId: string;
  readerRoleNames: string[];
}

/**
 * Key policy of the DNS query-log bucket's own key (log-archive account, home region), for the
 * reason the flow-log key gives (baseline/network/flow-log-policies.ts): the vended-log delivery
 * needs kms:GenerateDataKey* ("Amazon S3 bucket server-side encryption",
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-S3.html) and
 * kms:Decrypt for multipart uploads, scoped by S3's encryption context to this bucket's AWSLogs/;
 * readers decrypt only through S3; administration carries no cryptographic action.
 */
export function dnsQueryLogKeyPolicy(i: DnsQueryLogKeyPolicyInput): PolicyDocument {
  checkInput("dnsQueryLogKeyPolicy", i);
  return vendedLogKeyPolicy({
    adminAccountId: i.logArchiveAccountId,
    bucketName: i.bucketName,
    prefix: DNS_QUERY_LOG_PREFIX,
    readersSid: "DnsQueryLogReadersDecrypt",
    securityAccountId: i.securityAccountId,
    readerRoleNames: i.readerRoleNames,
    region: i.region,
    id: "orgwarden-dns-query-log-key",
  });
}
