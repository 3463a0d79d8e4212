import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { LifecycleIntent } from "../baseline";

/**
 * The settings both log buckets share. In @pulumi/aws v7 each is its own resource (the inline
 * bucket arguments are deprecated), so a bucket is a family of resources named `${name}-<suffix>`.
 */
export interface BucketFamily {
  bucket: aws.s3.Bucket;
  versioning: aws.s3.BucketVersioning;
  publicAccessBlock: aws.s3.BucketPublicAccessBlock;
  ownership: aws.s3.BucketOwnershipControls;
}

export function hardenedBucket(
  name: string,
  bucketName: string,
  parent: pulumi.Resource,
  extra: { objectLockEnabled?: boolean } = {},
): BucketFamily {
  const bucket = new aws.s3.Bucket(
    `${name}-bucket`,
    // Object Lock can only be switched on when the bucket is created; never forceDestroy a log bucket.
    { bucket: bucketName, forceDestroy: false, ...(extra.objectLockEnabled ? { objectLockEnabled: true } : {}) },
    { parent, protect: true },
  );
  const versioning = new aws.s3.BucketVersioning(
    `${name}-versioning`,
    { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } },
    { parent },
  );
  const publicAccessBlock = new aws.s3.BucketPublicAccessBlock(
    `${name}-public-access-block`,
    {
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    },
    { parent },
  );
  const ownership = new aws.s3.BucketOwnershipControls(
    `${name}-ownership`,
    { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } },
    { parent },
  );
  return { bucket, versioning, publicAccessBlock, ownership };
}

/**
 * The bucket's one lifecycle rule over the whole bucket, from the baseline's intent
 * (baseline/log-buckets.ts): the same intent the audit manifest publishes, so what the audit holds
 * the bucket to is what was laid.
 */
export function logBucketLifecycle(
  parent: pulumi.Resource,
  name: string,
  fam: BucketFamily,
  intent: LifecycleIntent,
): aws.s3.BucketLifecycleConfiguration {
  return new aws.s3.BucketLifecycleConfiguration(
    `${name}-lifecycle`,
    {
      bucket: fam.bucket.id,
      rules: [
        {
          id: intent.ruleId,
          status: "Enabled",
          filter: {},
          ...(intent.transition
            ? { transitions: [{ days: intent.transition.days, storageClass: intent.transition.storageClass }] }
            : {}),
          ...(intent.expirationDays !== undefined ? { expiration: { days: intent.expirationDays } } : {}),
          noncurrentVersionExpiration: { noncurrentDays: intent.noncurrentDays },
          abortIncompleteMultipartUpload: { daysAfterInitiation: intent.abortIncompleteDays },
        },
      ],
    },
    { parent, dependsOn: [fam.versioning] },
  );
}

/**
 * SSE-KMS with a customer key and Bucket Keys off (the encryption context stays the object ARN,
 * which the key policies pin to the prefix their service writes), and the lifecycle `intent`
 * (current objects expire, noncurrent versions after 30 days, abandoned uploads after 7): the
 * Config and flow-log buckets (unlocked, so lifecycle expiry is what bounds them).
 */
export function kmsEncryptionAndExpiry(
  parent: pulumi.Resource,
  name: string,
  fam: BucketFamily,
  keyArn: pulumi.Input<string>,
  intent: LifecycleIntent,
): void {
  new aws.s3.BucketServerSideEncryptionConfiguration(
    `${name}-encryption`,
    {
      bucket: fam.bucket.id,
      rules: [
        {
          applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: keyArn },
          bucketKeyEnabled: false,
        },
      ],
    },
    { parent },
  );
  logBucketLifecycle(parent, name, fam, intent);
}
