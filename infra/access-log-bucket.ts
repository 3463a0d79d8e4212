import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { accessLogBucketPolicy, expiringLifecycle, minify, PolicyDocument, type LifecycleIntent } from "../baseline";
import { hardenedBucket, logBucketLifecycle } from "./bucket-parts";
import { requireProvider } from "./providers";

export interface AccessLogBucketArgs {
  /** Bucket name (deterministic from config). */
  bucketName: string;
  /** The bucket whose server access logs land here (the archive). */
  sourceBucketName: string;
  /** Account that owns the source bucket: the log-archive account. */
  sourceAccountId: pulumi.Input<string>;
  organizationId: pulumi.Input<string>;
  /** Key prefix the access logs are written under. */
  prefix: string;
  /** Days the access logs are kept. */
  retentionDays: number;
  /** Days noncurrent versions are kept. Default 30. */
  noncurrentDays?: number;
  /** More buckets of the source account that log here (the Config bucket), each under its own prefix. */
  additionalSources?: { bucketName: string; prefix: string }[];
}

/**
 * Receives the archive's and the Config bucket's S3 server access logs (log-archive account). SSE-S3, because server
 * access logging cannot deliver to an SSE-KMS default; no Object Lock, because it cannot deliver
 * to a bucket with default retention either.
 */
export class AccessLogBucket extends pulumi.ComponentResource {
  public readonly bucket: aws.s3.Bucket;
  public readonly bucketName: pulumi.Output<string>;
  public readonly policy: aws.s3.BucketPolicy;
  public readonly policyDocument: pulumi.Output<PolicyDocument>;
  /** The lifecycle it lays, as the audit manifest publishes it. */
  public readonly lifecycleIntent: LifecycleIntent;

  constructor(name: string, args: AccessLogBucketArgs, opts?: pulumi.ComponentResourceOptions) {
    requireProvider("orgwarden:s3:AccessLogBucket", name, opts);
    super("orgwarden:s3:AccessLogBucket", name, {}, opts);
    const fam = hardenedBucket(name, args.bucketName, this);
    this.bucket = fam.bucket;
    new aws.s3.BucketServerSideEncryptionConfiguration(
      `${name}-encryption`,
      {
        bucket: this.bucket.id,
        rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, bucketKeyEnabled: false }],
      },
      { parent: this },
    );
    // Each source bucket logs under its own prefix.
    this.lifecycleIntent = expiringLifecycle(
      "expire-access-logs",
      args.retentionDays,
      [args.prefix, ...(args.additionalSources ?? []).map((a) => a.prefix)],
      args.noncurrentDays,
    );
    logBucketLifecycle(this, name, fam, this.lifecycleIntent);
    this.policyDocument = pulumi.all([args.sourceAccountId, args.organizationId]).apply(([sourceAccountId, orgId]) =>
      accessLogBucketPolicy({
        bucketName: args.bucketName,
        sourceBucketName: args.sourceBucketName,
        sourceAccountId,
        orgId,
        prefix: args.prefix,
        additionalSources: args.additionalSources,
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
