/**
 * Drifts of the log buckets (the log-bucket-* checks): one setting of one bucket changed in the
 * live (moto) state, found by its role in the sandbox manifest's logBuckets.
 */
import {
  PutBucketEncryptionCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketLoggingCommand,
  PutBucketOwnershipControlsCommand,
  PutBucketVersioningCommand,
  PutPublicAccessBlockCommand,
  S3Client,
  type LifecycleRule,
} from "@aws-sdk/client-s3";
import { lifecycleRule, type LogBucketRole } from "../../baseline";
import type { Sandbox } from "./seed";

export const LOG_BUCKET_CHANGES = [
  "versioning-suspended",
  "lifecycle-expires-early",
  "access-logging-off",
  "ownership-object-writer",
  "public-access-off",
  "encryption-sse-s3",
] as const;
export type LogBucketChange = (typeof LOG_BUCKET_CHANGES)[number];

export async function driftLogBucket(sb: Sandbox, role: LogBucketRole, change: LogBucketChange): Promise<void> {
  const b = sb.manifest.logBuckets?.find((x) => x.role === role);
  if (!b) throw new Error(`driftLogBucket: the sandbox manifest describes no ${role} bucket`);
  const s3 = await sb.session.client(S3Client, b.accountId, b.region);
  const Bucket = b.bucketName;
  switch (change) {
    case "versioning-suspended":
      return void (await s3.send(
        new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: "Suspended" } }),
      ));
    case "lifecycle-expires-early": {
      // The intended rule, its expiry cut to one day: every log object goes after a day.
      const rule = { ...(lifecycleRule(b.lifecycle) as LifecycleRule), Expiration: { Days: 1 } };
      return void (await s3.send(
        new PutBucketLifecycleConfigurationCommand({ Bucket, LifecycleConfiguration: { Rules: [rule] } }),
      ));
    }
    case "access-logging-off":
      // An empty status is how S3 turns server access logging off.
      return void (await s3.send(new PutBucketLoggingCommand({ Bucket, BucketLoggingStatus: {} })));
    case "ownership-object-writer":
      return void (await s3.send(
        new PutBucketOwnershipControlsCommand({
          Bucket,
          OwnershipControls: { Rules: [{ ObjectOwnership: "ObjectWriter" }] },
        }),
      ));
    case "public-access-off":
      return void (await s3.send(
        new PutPublicAccessBlockCommand({
          Bucket,
          PublicAccessBlockConfiguration: {
            BlockPublicAcls: true,
            IgnorePublicAcls: true,
            BlockPublicPolicy: false,
            RestrictPublicBuckets: false,
          },
        }),
      ));
    case "encryption-sse-s3":
      return void (await s3.send(
        new PutBucketEncryptionCommand({
          Bucket,
          ServerSideEncryptionConfiguration: {
            Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } }],
          },
        }),
      ));
    default: {
      const never: never = change;
      throw new Error(`driftLogBucket: unknown change ${String(never)}; allowed: ${LOG_BUCKET_CHANGES.join(", ")}`);
    }
  }
}
