import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

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
