/**
 * The S3 bucket-configuration reads every bucket collector shares (the archive, the flow-log
 * bucket, the log-bucket family): one definition of each call and of its "not configured" answer,
 * which is an observation (undefined), never a failed read.
 */
import {
  GetBucketEncryptionCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { attempt, attemptOrAbsent, type CallScope } from "./common";
import { parsePolicy } from "./organizations";

type Scope = (operation: string) => CallScope;

export const readBucketPolicy = (s3: S3Client, Bucket: string, scope: Scope) =>
  attemptOrAbsent(scope("GetBucketPolicy"), ["NoSuchBucketPolicy"], async () =>
    parsePolicy((await s3.send(new GetBucketPolicyCommand({ Bucket }))).Policy, `bucket policy of ${Bucket}`),
  );

export const readVersioning = (s3: S3Client, Bucket: string, scope: Scope) =>
  attempt(scope("GetBucketVersioning"), async () => (await s3.send(new GetBucketVersioningCommand({ Bucket }))).Status);

export const readEncryption = (s3: S3Client, Bucket: string, scope: Scope) =>
  attemptOrAbsent(scope("GetBucketEncryption"), ["ServerSideEncryptionConfigurationNotFoundError"], async () => {
    const rule = (await s3.send(new GetBucketEncryptionCommand({ Bucket }))).ServerSideEncryptionConfiguration
      ?.Rules?.[0];
    const d = rule?.ApplyServerSideEncryptionByDefault;
    return d ? { algorithm: d.SSEAlgorithm, kmsKeyId: d.KMSMasterKeyID } : undefined;
  });

export const readPublicAccessBlock = (s3: S3Client, Bucket: string, scope: Scope) =>
  attemptOrAbsent(scope("GetPublicAccessBlock"), ["NoSuchPublicAccessBlockConfiguration"], async () => {
    const c = (await s3.send(new GetPublicAccessBlockCommand({ Bucket }))).PublicAccessBlockConfiguration;
    return c
      ? {
          blockPublicAcls: c.BlockPublicAcls ?? false,
          ignorePublicAcls: c.IgnorePublicAcls ?? false,
          blockPublicPolicy: c.BlockPublicPolicy ?? false,
          restrictPublicBuckets: c.RestrictPublicBuckets ?? false,
        }
      : undefined;
  });

export const readOwnership = (s3: S3Client, Bucket: string, scope: Scope) =>
  attemptOrAbsent(scope("GetBucketOwnershipControls"), ["OwnershipControlsNotFoundError"], async () => {
    const r = await s3.send(new GetBucketOwnershipControlsCommand({ Bucket }));
    return r.OwnershipControls?.Rules?.[0]?.ObjectOwnership;
  });
