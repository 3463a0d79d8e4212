import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { archiveBucketPolicy, archiveLifecycle, minify, PolicyDocument, type LifecycleIntent } from "../baseline";
import type { LockMode } from "./config";
import { hardenedBucket, logBucketLifecycle } from "./bucket-parts";
import { requireProvider } from "./providers";

export interface ArchiveBucketArgs {
  /** Bucket name (deterministic from config, so the SCP can name it at preview). */
  bucketName: string;
  /** ARN of the log key (security account); a cross-account key must be named by ARN. */
  keyArn: pulumi.Input<string>;
  organizationId: pulumi.Input<string>;
  managementAccountId: string;
  /** The only trail allowed to write. */
  trailArn: string;
  securityAccountId: pulumi.Input<string>;
  /** Roles in the security account allowed to read. */
  auditorRoleNames: string[];
  /** The Athena log analyst role(s) (athena.enabled): read the trail's objects, list; nothing else. */
  analystRoleNames?: string[];
  /** Object Lock default retention. */
  lockMode: LockMode;
  retentionDays: number;
  /** Days until log objects move to GLACIER_IR. */
  transitionDays: number;
  /** Days until noncurrent versions expire; must not be shorter than retentionDays. */
  noncurrentExpirationDays: number;
  /** Where the archive's server access logs go. */
  accessLogBucketName: pulumi.Input<string>;
  accessLogPrefix: string;
  /** The access-log bucket's policy; logging is switched on only once S3's log delivery is admitted there. */
  accessLogPolicy?: pulumi.Resource;
}

/** The CloudTrail archive (log-archive account): Object Lock, SSE-KMS with the log key, private, CloudTrail-only writes. */
export class ArchiveBucket extends pulumi.ComponentResource {
  public readonly bucket: aws.s3.Bucket;
  public readonly bucketName: pulumi.Output<string>;
  public readonly policy: aws.s3.BucketPolicy;
  public readonly objectLock: aws.s3.BucketObjectLockConfiguration;
  public readonly policyDocument: pulumi.Output<PolicyDocument>;
  /** The lifecycle it lays, as the audit manifest publishes it. */
  public readonly lifecycleIntent: LifecycleIntent;
  /** Where its server access logs go. */
  public readonly accessLog: { bucketName: pulumi.Input<string>; prefix: string };

  constructor(name: string, args: ArchiveBucketArgs, opts?: pulumi.ComponentResourceOptions) {
    requireProvider("orgwarden:s3:ArchiveBucket", name, opts);
    super("orgwarden:s3:ArchiveBucket", name, {}, opts);
    if (args.noncurrentExpirationDays < args.retentionDays) {
      throw new Error(
        `ArchiveBucket "${name}": noncurrentExpirationDays (${args.noncurrentExpirationDays}) must not be shorter than retentionDays (${args.retentionDays})`,
      );
    }
    const fam = hardenedBucket(name, args.bucketName, this, { objectLockEnabled: true });
    this.bucket = fam.bucket;
    new aws.s3.BucketServerSideEncryptionConfiguration(
      `${name}-encryption`,
      {
        bucket: this.bucket.id,
        // No S3 Bucket Key: it would replace CloudTrail's encryption context with the bucket ARN, which the key policy does not admit.
        rules: [
          {
            applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: args.keyArn },
            bucketKeyEnabled: false,
          },
        ],
      },
      { parent: this },
    );
    this.objectLock = new aws.s3.BucketObjectLockConfiguration(
      `${name}-object-lock`,
      {
        bucket: this.bucket.id,
        objectLockEnabled: "Enabled",
        rule: { defaultRetention: { mode: args.lockMode, days: args.retentionDays } },
      },
      { parent: this, dependsOn: [fam.versioning] },
    );
    // CloudTrail delivers log files and digests under AWSLogs/<org>/<account>/.
    this.lifecycleIntent = archiveLifecycle({
      lockDays: args.retentionDays,
      noncurrentDays: args.noncurrentExpirationDays,
      transitionDays: args.transitionDays,
      logPrefixes: ["AWSLogs/"],
    });
    logBucketLifecycle(this, name, fam, this.lifecycleIntent);
    this.accessLog = { bucketName: args.accessLogBucketName, prefix: args.accessLogPrefix };
    new aws.s3.BucketLogging(
      `${name}-logging`,
      { bucket: this.bucket.id, targetBucket: args.accessLogBucketName, targetPrefix: args.accessLogPrefix },
      { parent: this, dependsOn: args.accessLogPolicy ? [args.accessLogPolicy] : [] },
    );
    this.policyDocument = pulumi
      .all([args.organizationId, args.securityAccountId])
      .apply(([orgId, securityAccountId]) =>
        archiveBucketPolicy({
          bucketName: args.bucketName,
          orgId,
          managementAccountId: args.managementAccountId,
          trailArn: args.trailArn,
          securityAccountId,
          auditorRoleNames: args.auditorRoleNames,
          ...(args.analystRoleNames ? { analystRoleNames: args.analystRoleNames } : {}),
        }),
      );
    this.policy = new aws.s3.BucketPolicy(
      `${name}-policy`,
      { bucket: this.bucket.id, policy: this.policyDocument.apply(minify) },
      { parent: this, dependsOn: [fam.publicAccessBlock, fam.ownership] },
    );
    this.bucketName = this.bucket.bucket;
    this.registerOutputs({ bucketName: this.bucketName });
  }
}
