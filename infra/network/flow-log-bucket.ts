import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { bucketArn, expiringLifecycle, minify, type LifecycleIntent, type PolicyDocument } from "../../baseline";
import { flowLogBucketPolicy, flowLogKeyPolicy } from "../../baseline/network";
import { hardenedBucket, kmsEncryptionAndExpiry } from "../bucket-parts";
import { customerKey } from "../customer-key";
import { requireProvider } from "../providers";

export interface FlowLogBucketArgs {
  /** Bucket name (deterministic from config, so the member template can name it at preview). */
  bucketName: string;
  /** The log-archive account, which owns the bucket and its key. */
  accountId: pulumi.Input<string>;
  orgId: pulumi.Input<string>;
  /** The bucket's region (the home region): the key is in it, and readers decrypt through S3 there. */
  region: string;
  securityAccountId: pulumi.Input<string>;
  /** Roles in the security account that read the flow logs. */
  readerRoleNames: string[];
  /** Alias of the bucket's key (alias/<name>). */
  keyAliasName: string;
  /** Days flow-log objects are kept. */
  retentionDays: number;
  /** S3 server access logging into the foundation's access-log bucket; `policy` must admit this bucket first. */
  accessLog: { bucketName: pulumi.Input<string>; prefix: string; policy?: pulumi.Resource };
}

/**
 * The VPC Flow Logs bucket in the log-archive account. Not Object-Locked: it holds network
 * telemetry, not the audit trail, and lifecycle expiry must be able to remove it at the configured
 * retention. Versioned, SSE-KMS with its own customer key (baseline/network/flow-log-policies.ts
 * says why not the log key), public access blocked, ownership enforced, TLS-only, access-logged,
 * and only delivery.logs.amazonaws.com acting for an account of the organization writes, each
 * account under its own AWSLogs/<account>/ prefix.
 */
export class FlowLogBucket extends pulumi.ComponentResource {
  public readonly bucketName: pulumi.Output<string>;
  public readonly bucketArn: string;
  public readonly policy: aws.s3.BucketPolicy;
  public readonly policyDocument: pulumi.Output<PolicyDocument>;
  public readonly key: aws.kms.Key;
  public readonly keyArn: pulumi.Output<string>;
  public readonly keyPolicyDocument: pulumi.Output<PolicyDocument>;
  /** The lifecycle it lays, as the audit manifest publishes it. */
  public readonly lifecycleIntent: LifecycleIntent;
  /** Where its server access logs go. */
  public readonly accessLog: { bucketName: pulumi.Input<string>; prefix: string };

  constructor(name: string, args: FlowLogBucketArgs, opts?: pulumi.ComponentResourceOptions) {
    requireProvider("orgwarden:network:FlowLogBucket", name, opts);
    if (!args.keyAliasName.startsWith("alias/") || args.keyAliasName.startsWith("alias/aws/")) {
      throw new Error(
        `FlowLogBucket "${name}": keyAliasName must start with "alias/" and not "alias/aws/", got "${args.keyAliasName}"`,
      );
    }
    if (!Number.isInteger(args.retentionDays) || args.retentionDays < 1)
      throw new Error(`FlowLogBucket "${name}": retentionDays must be an integer ≥ 1, got ${args.retentionDays}`);
    super("orgwarden:network:FlowLogBucket", name, {}, opts);
    this.keyPolicyDocument = pulumi
      .all([args.accountId, args.securityAccountId])
      .apply(([accountId, securityAccountId]) =>
        flowLogKeyPolicy({
          accountId,
          bucketName: args.bucketName,
          region: args.region,
          securityAccountId,
          readerRoleNames: args.readerRoleNames,
        }),
      );
    // Deleting or disabling the key makes every flow log unreadable and stops delivery.
    this.key = customerKey(this, {
      names: { key: `${name}-key`, alias: `${name}-key-alias` },
      description: "orgwarden: encrypts VPC Flow Logs in the flow-log bucket",
      policy: this.keyPolicyDocument.apply(minify),
      aliasName: args.keyAliasName,
      symmetricAndTagged: true,
    }).key;
    const fam = hardenedBucket(name, args.bucketName, this);
    // VPC Flow Logs deliver under AWSLogs/<account>/vpcflowlogs/.
    this.lifecycleIntent = expiringLifecycle("expire-flow-logs", args.retentionDays, ["AWSLogs/"]);
    kmsEncryptionAndExpiry(this, name, fam, this.key.arn, this.lifecycleIntent);
    this.accessLog = { bucketName: args.accessLog.bucketName, prefix: args.accessLog.prefix };
    new aws.s3.BucketLogging(
      `${name}-logging`,
      { bucket: fam.bucket.id, targetBucket: args.accessLog.bucketName, targetPrefix: args.accessLog.prefix },
      { parent: this, dependsOn: args.accessLog.policy ? [args.accessLog.policy] : [] },
    );
    this.policyDocument = pulumi.all([args.orgId, args.securityAccountId]).apply(([orgId, securityAccountId]) =>
      flowLogBucketPolicy({
        bucketName: args.bucketName,
        orgId,
        securityAccountId,
        readerRoleNames: args.readerRoleNames,
      }),
    );
    this.policy = new aws.s3.BucketPolicy(
      `${name}-policy`,
      { bucket: fam.bucket.id, policy: this.policyDocument.apply(minify) },
      { parent: this, dependsOn: [fam.publicAccessBlock, fam.ownership] },
    );
    this.bucketName = fam.bucket.bucket;
    this.bucketArn = bucketArn(args.bucketName);
    this.keyArn = this.key.arn;
    this.registerOutputs({ bucketName: this.bucketName, keyArn: this.keyArn });
  }
}
