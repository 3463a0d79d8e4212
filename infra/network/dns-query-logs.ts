import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
  bucketArn,
  expiringLifecycle,
  minify,
  PROTECT_TAG_KEY,
  PROTECT_TAG_VALUE,
  type LifecycleIntent,
  type PolicyDocument,
} from "../../baseline";
import { dnsQueryLogBucketPolicy, dnsQueryLogKeyPolicy } from "../../baseline/network";
import { hardenedBucket, kmsEncryptionAndExpiry } from "../bucket-parts";
import { customerKey } from "../customer-key";
import type { LaidKey } from "../laid-key";
import { requireProvider } from "../providers";

export interface DnsQueryLogsArgs {
  /** Bucket name (deterministic from config). */
  bucketName: string;
  /** Name of the query logging configuration and of its RAM share, the same in every region. */
  configName: string;
  /** The log-archive account: owns the bucket, its key, the configurations and their shares. */
  accountId: pulumi.Input<string>;
  orgId: pulumi.Input<string>;
  /** arn:aws:organizations::<management>:organization/<orgId>: the one principal of every share. */
  organizationArn: pulumi.Input<string>;
  /** The bucket's region (the home region). */
  region: string;
  /** Every governed region gets a configuration: Resolver logs only VPCs of the configuration's own region. */
  regions: string[];
  securityAccountId: pulumi.Input<string>;
  /** Roles in the security account that read the query logs. */
  readerRoleNames: string[];
  /** Alias of the bucket's key (alias/<name>). */
  keyAliasName: string;
  /** Days query-log objects are kept. */
  retentionDays: number;
  /** S3 server access logging into the foundation's access-log bucket; `policy` must admit this bucket first. */
  accessLog: { bucketName: pulumi.Input<string>; prefix: string; policy?: pulumi.Resource };
  /**
   * The management account's provider: RAM shares to the organization only once the management
   * account has enabled sharing with AWS Organizations (EnableSharingWithAwsOrganization).
   */
  management: aws.Provider;
}

const PROTECT_TAGS = { [PROTECT_TAG_KEY]: PROTECT_TAG_VALUE };

/**
 * Route 53 Resolver query logging for the organization, in the log-archive account: a dedicated
 * DNS query-log bucket (unlocked, versioned, SSE-KMS with its own key, private, TLS-only,
 * access-logged, expiring at the configured retention; baseline/network/dns-query-log-policies.ts
 * says why not the flow-log bucket), and in every governed region a query logging configuration
 * delivering to it, shared through RAM with the organization only (no external principals), so that
 * every member account can associate its VPCs. Configurations and shares carry the protect tag the
 * logging SCP keys off (no disassociation, deletion or unsharing by non-exempt principals).
 */
export class DnsQueryLogs extends pulumi.ComponentResource {
  public readonly bucketName: pulumi.Output<string>;
  public readonly bucketArn: string;
  public readonly policy: aws.s3.BucketPolicy;
  public readonly policyDocument: pulumi.Output<PolicyDocument>;
  public readonly keyArn: pulumi.Output<string>;
  /** Its key as the audit manifest's keys.others entry (judged by kms-* like the baseline's other keys). */
  public readonly laidKey: LaidKey;
  public readonly configName: string;
  /** The lifecycle it lays, as the audit manifest publishes it. */
  public readonly lifecycleIntent: LifecycleIntent;
  /** Where its server access logs go. */
  public readonly accessLog: { bucketName: pulumi.Input<string>; prefix: string };
  /** One configuration per governed region, keyed by region. */
  public readonly configs: Record<string, aws.route53.ResolverQueryLogConfig>;
  public readonly shares: Record<string, aws.ram.ResourceShare>;

  constructor(name: string, args: DnsQueryLogsArgs, opts?: pulumi.ComponentResourceOptions) {
    requireProvider("orgwarden:network:DnsQueryLogs", name, opts);
    const fail = (m: string) => new Error(`DnsQueryLogs "${name}": ${m}`);
    if (!args.keyAliasName.startsWith("alias/") || args.keyAliasName.startsWith("alias/aws/"))
      throw fail(`keyAliasName must start with "alias/" and not "alias/aws/", got "${args.keyAliasName}"`);
    if (!Number.isInteger(args.retentionDays) || args.retentionDays < 1)
      throw fail(`retentionDays must be an integer ≥ 1, got ${args.retentionDays}`);
    if (!args.regions.includes(args.region)) throw fail(`regions must include the bucket's region ${args.region}`);
    super("orgwarden:network:DnsQueryLogs", name, {}, opts);
    const keyPolicy = pulumi.all([args.accountId, args.securityAccountId]).apply(([accountId, securityAccountId]) =>
      dnsQueryLogKeyPolicy({
        logArchiveAccountId: accountId,
        bucketName: args.bucketName,
        region: args.region,
        securityAccountId,
        readerRoleNames: args.readerRoleNames,
      }),
    );
    const key = customerKey(this, {
      names: { key: `${name}-key`, alias: `${name}-key-alias` },
      description: "orgwarden: encrypts Route 53 Resolver query logs in the DNS query-log bucket",
      policy: keyPolicy.apply(minify),
      aliasName: args.keyAliasName,
      symmetricAndTagged: true,
    }).key;
    const fam = hardenedBucket(name, args.bucketName, this);
    // Resolver delivers under AWSLogs/<owner account>/vpcdnsquerylogs/.
    this.lifecycleIntent = expiringLifecycle("expire-dns-query-logs", args.retentionDays, ["AWSLogs/"]);
    kmsEncryptionAndExpiry(this, name, fam, key.arn, this.lifecycleIntent);
    this.accessLog = { bucketName: args.accessLog.bucketName, prefix: args.accessLog.prefix };
    new aws.s3.BucketLogging(
      `${name}-logging`,
      { bucket: fam.bucket.id, targetBucket: args.accessLog.bucketName, targetPrefix: args.accessLog.prefix },
      { parent: this, dependsOn: args.accessLog.policy ? [args.accessLog.policy] : [] },
    );
    this.policyDocument = pulumi
      .all([args.orgId, args.accountId, args.securityAccountId])
      .apply(([orgId, accountId, securityAccountId]) =>
        dnsQueryLogBucketPolicy({
          bucketName: args.bucketName,
          orgId,
          logArchiveAccountId: accountId,
          regions: args.regions,
          securityAccountId,
          readerRoleNames: args.readerRoleNames,
        }),
      );
    this.policy = new aws.s3.BucketPolicy(
      `${name}-policy`,
      { bucket: fam.bucket.id, policy: this.policyDocument.apply(minify) },
      { parent: this, dependsOn: [fam.publicAccessBlock, fam.ownership] },
    );
    this.bucketArn = bucketArn(args.bucketName);
    // RAM's organization sharing is a management-account setting (it also enables RAM's trusted access).
    const orgSharing = new aws.ram.SharingWithOrganization(
      `${name}-ram-org-sharing`,
      {},
      { parent: this, provider: args.management },
    );
    this.configs = {};
    this.shares = {};
    for (const region of args.regions) {
      // Creating a configuration checks that the delivery may write: the bucket policy comes first.
      // Protected: deleting it takes every associated VPC of every account out of query logging.
      const config = new aws.route53.ResolverQueryLogConfig(
        `${name}-config-${region}`,
        { name: args.configName, destinationArn: this.bucketArn, region, tags: PROTECT_TAGS },
        { parent: this, dependsOn: [this.policy, key], protect: true },
      );
      const share = new aws.ram.ResourceShare(
        `${name}-share-${region}`,
        { name: args.configName, allowExternalPrincipals: false, region, tags: PROTECT_TAGS },
        { parent: this },
      );
      new aws.ram.ResourceAssociation(
        `${name}-share-config-${region}`,
        { resourceArn: config.arn, resourceShareArn: share.arn, region },
        { parent: this },
      );
      new aws.ram.PrincipalAssociation(
        `${name}-share-org-${region}`,
        { principal: args.organizationArn, resourceShareArn: share.arn, region },
        { parent: this, dependsOn: [orgSharing] },
      );
      this.configs[region] = config;
      this.shares[region] = share;
    }
    this.bucketName = fam.bucket.bucket;
    this.keyArn = key.arn;
    this.laidKey = {
      name: "dns-query-log-key",
      purpose: "the DNS query-log bucket's key",
      keyArn: key.arn,
      aliasName: args.keyAliasName,
      policyDocument: keyPolicy,
    };
    this.configName = args.configName;
    this.registerOutputs({ bucketName: this.bucketName, keyArn: this.keyArn });
  }
}
