import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { expiringLifecycle, minify, type LifecycleIntent, type PolicyDocument } from "../../baseline";
import { configBucketPolicy, configKeyPolicy } from "../../baseline/detection";
import { hardenedBucket, kmsEncryptionAndExpiry } from "../bucket-parts";
import { customerKey } from "../customer-key";
import { requireProvider } from "../providers";

export interface ConfigBucketArgs {
  bucketName: string;
  orgId: pulumi.Input<string>;
  /** The log-archive account, which owns the bucket and its key. */
  accountId: pulumi.Input<string>;
  /** Alias of the bucket's key (alias/<name>). */
  keyAliasName: string;
  /** Days Config history and snapshots are kept. */
  expirationDays: number;
  /**
   * S3 server access logging into the foundation's access-log bucket, as the archive has: who read
   * or deleted which Config object. `policy` is the access-log bucket's policy, which must admit this
   * bucket as a source first.
   */
  accessLog?: { bucketName: pulumi.Input<string>; prefix: string; policy?: pulumi.Resource };
}

/**
 * AWS Config's delivery bucket in the log-archive account. Separate from the CloudTrail archive:
 * Config cannot deliver to a bucket with Object Lock default retention. Versioned, SSE-KMS with its
 * own customer key, public access blocked, and only config.amazonaws.com of the organization
 * writes, each account under its own AWSLogs/<account>/Config/ prefix.
 */
export class ConfigBucket extends pulumi.ComponentResource {
  public readonly bucketName: pulumi.Output<string>;
  public readonly policy: aws.s3.BucketPolicy;
  public readonly key: aws.kms.Key;
  public readonly keyArn: pulumi.Output<string>;
  public readonly policyDocument: pulumi.Output<PolicyDocument>;
  /** The lifecycle it lays, as the audit manifest publishes it. */
  public readonly lifecycleIntent: LifecycleIntent;
  /** Where its server access logs go, when they are on. */
  public readonly accessLog?: { bucketName: pulumi.Input<string>; prefix: string };

  constructor(name: string, args: ConfigBucketArgs, opts?: pulumi.ComponentResourceOptions) {
    requireProvider("orgwarden:detection:ConfigBucket", name, opts);
    if (!args.keyAliasName.startsWith("alias/") || args.keyAliasName.startsWith("alias/aws/")) {
      throw new Error(
        `ConfigBucket "${name}": keyAliasName must start with "alias/" and not "alias/aws/", got "${args.keyAliasName}"`,
      );
    }
    super("orgwarden:detection:ConfigBucket", name, {}, opts);
    // Deleting or disabling the key makes every Config snapshot and history file unreadable, and stops delivery.
    this.key = customerKey(this, {
      names: { key: `${name}-key`, alias: `${name}-key-alias` },
      description: "orgwarden: encrypts AWS Config deliveries in the Config bucket",
      policy: pulumi
        .output(args.accountId)
        .apply((accountId) => minify(configKeyPolicy({ accountId, configBucketName: args.bucketName }))),
      aliasName: args.keyAliasName,
      symmetricAndTagged: true,
    }).key;
    const fam = hardenedBucket(name, args.bucketName, this);
    // AWS Config delivers under AWSLogs/<account>/Config/.
    this.lifecycleIntent = expiringLifecycle("expire-config-history", args.expirationDays, ["AWSLogs/"]);
    kmsEncryptionAndExpiry(this, name, fam, this.key.arn, this.lifecycleIntent);
    if (args.accessLog) {
      this.accessLog = { bucketName: args.accessLog.bucketName, prefix: args.accessLog.prefix };
      new aws.s3.BucketLogging(
        `${name}-logging`,
        { bucket: fam.bucket.id, targetBucket: args.accessLog.bucketName, targetPrefix: args.accessLog.prefix },
        { parent: this, dependsOn: args.accessLog.policy ? [args.accessLog.policy] : [] },
      );
    }
    this.policyDocument = pulumi
      .output(args.orgId)
      .apply((orgId) => configBucketPolicy({ bucketName: args.bucketName, orgId }));
    this.policy = new aws.s3.BucketPolicy(
      `${name}-policy`,
      {
        bucket: fam.bucket.id,
        policy: this.policyDocument.apply(minify),
      },
      { parent: this, dependsOn: [fam.publicAccessBlock] },
    );
    this.bucketName = fam.bucket.bucket;
    this.keyArn = this.key.arn;
    this.registerOutputs({ bucketName: this.bucketName, keyArn: this.keyArn });
  }
}
