import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { minify } from "../../baseline";
import { configBucketPolicy } from "../../baseline/detection";
import { hardenedBucket } from "../bucket-parts";
import { requireProvider } from "../providers";

export interface ConfigBucketArgs {
  bucketName: string;
  orgId: pulumi.Input<string>;
  /** Days Config history and snapshots are kept. */
  expirationDays: number;
}

/**
 * AWS Config's delivery bucket in the log-archive account. Separate from the CloudTrail archive:
 * Config cannot deliver to a bucket with Object Lock default retention. Versioned, SSE-S3, public
 * access blocked, and only config.amazonaws.com of the organization writes, each account under its
 * own AWSLogs/<account>/Config/ prefix.
 */
export class ConfigBucket extends pulumi.ComponentResource {
  public readonly bucketName: pulumi.Output<string>;
  public readonly policy: aws.s3.BucketPolicy;

  constructor(name: string, args: ConfigBucketArgs, opts?: pulumi.ComponentResourceOptions) {
    requireProvider("orgwarden:detection:ConfigBucket", name, opts);
    super("orgwarden:detection:ConfigBucket", name, {}, opts);
    const fam = hardenedBucket(name, args.bucketName, this);
    new aws.s3.BucketServerSideEncryptionConfiguration(
      `${name}-encryption`,
      { bucket: fam.bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, bucketKeyEnabled: false }] },
      { parent: this },
    );
    new aws.s3.BucketLifecycleConfiguration(
      `${name}-lifecycle`,
      {
        bucket: fam.bucket.id,
        rules: [
          {
            id: "expire-config-history",
            status: "Enabled",
            filter: {},
            expiration: { days: args.expirationDays },
            noncurrentVersionExpiration: { noncurrentDays: 30 },
            abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
          },
        ],
      },
      { parent: this, dependsOn: [fam.versioning] },
    );
    this.policy = new aws.s3.BucketPolicy(
      `${name}-policy`,
      { bucket: fam.bucket.id, policy: pulumi.output(args.orgId).apply((orgId) => minify(configBucketPolicy({ bucketName: args.bucketName, orgId }))) },
      { parent: this, dependsOn: [fam.publicAccessBlock] },
    );
    this.bucketName = fam.bucket.bucket;
    this.registerOutputs({ bucketName: this.bucketName });
  }
}
