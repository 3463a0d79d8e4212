/** S3 (log-archive account, home region): the VPC Flow Logs bucket's policy, default encryption and public access block. */
import { type S3Client } from "@aws-sdk/client-s3";
import { failed, type CollectError, type ObservedFlowLogBucket } from "../model";
import type { CallScope } from "./common";
import { readBucketPolicy, readEncryption, readPublicAccessBlock } from "./bucket-reads";

export async function collectFlowLogBucket(
  s3: S3Client,
  account: string,
  region: string,
  bucketName: string,
): Promise<ObservedFlowLogBucket> {
  const scope = (operation: string): CallScope => ({ service: "s3", operation, account, region });
  const Bucket = bucketName;
  const [policy, encryption, publicAccessBlock] = await Promise.all([
    readBucketPolicy(s3, Bucket, scope),
    readEncryption(s3, Bucket, scope),
    readPublicAccessBlock(s3, Bucket, scope),
  ]);
  return { bucketName, policy, encryption, publicAccessBlock };
}

/** Every piece failed with the same error (account not entered, task timed out). */
export function unreadableFlowLogBucket(bucketName: string, e: CollectError): ObservedFlowLogBucket {
  return { bucketName, policy: failed(e), encryption: failed(e), publicAccessBlock: failed(e) };
}
