/** S3 (log-archive account, home region): the VPC Flow Logs bucket's policy, default encryption and public access block. */
import {
  GetBucketEncryptionCommand,
  GetBucketPolicyCommand,
  GetPublicAccessBlockCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { failed, type CollectError, type ObservedFlowLogBucket } from "../model";
import { attemptOrAbsent, type CallScope } from "./common";
import { parsePolicy } from "./organizations";

export async function collectFlowLogBucket(
  s3: S3Client,
  account: string,
  region: string,
  bucketName: string,
): Promise<ObservedFlowLogBucket> {
  const scope = (operation: string): CallScope => ({ service: "s3", operation, account, region });
  const Bucket = bucketName;
  const [policy, encryption, publicAccessBlock] = await Promise.all([
    attemptOrAbsent(scope("GetBucketPolicy"), ["NoSuchBucketPolicy"], async () =>
      parsePolicy((await s3.send(new GetBucketPolicyCommand({ Bucket }))).Policy, `bucket policy of ${Bucket}`),
    ),
    attemptOrAbsent(scope("GetBucketEncryption"), ["ServerSideEncryptionConfigurationNotFoundError"], async () => {
      const rule = (await s3.send(new GetBucketEncryptionCommand({ Bucket }))).ServerSideEncryptionConfiguration
        ?.Rules?.[0];
      const d = rule?.ApplyServerSideEncryptionByDefault;
      return d ? { algorithm: d.SSEAlgorithm, kmsKeyId: d.KMSMasterKeyID } : undefined;
    }),
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
    }),
  ]);
  return { bucketName, policy, encryption, publicAccessBlock };
}

/** Every piece failed with the same error (account not entered, task timed out). */
export function unreadableFlowLogBucket(bucketName: string, e: CollectError): ObservedFlowLogBucket {
  return { bucketName, policy: failed(e), encryption: failed(e), publicAccessBlock: failed(e) };
}
