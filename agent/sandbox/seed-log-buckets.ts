/**
 * What the log-bucket checks read beyond the buckets seed-logging.ts lays: the audit report bucket
 * (security account) and every log bucket's lifecycle rule, from the same intents the sandbox
 * manifest publishes (layout.ts sandboxLogBuckets), so a clean sandbox is PASS on them.
 */
import {
  CreateBucketCommand,
  type LifecycleRule,
  PutBucketLifecycleConfigurationCommand,
  PutBucketPolicyCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { lifecycleRule, type AuditManifest } from "../../baseline";
import { hardenBucket } from "./seed-logging";
import type { SandboxSession } from "./session";
import { HARDENED, layBucket } from "./inventory";

export async function seedLogBucketSettings(
  session: SandboxSession,
  intents: NonNullable<AuditManifest["logBuckets"]>,
): Promise<void> {
  for (const b of intents) {
    const s3 = await session.client(S3Client, b.accountId, b.region);
    if (b.role === "report") {
      // infra/audit-agent.ts: SSE-S3, hardened like every log bucket, TLS-only policy.
      await s3.send(new CreateBucketCommand({ Bucket: b.bucketName }));
      await hardenBucket(s3, b.bucketName, { algorithm: "AES256" });
      await s3.send(
        new PutBucketPolicyCommand({ Bucket: b.bucketName, Policy: JSON.stringify(b.expectedBucketPolicy) }),
      );
      layBucket(session.inventory, "report", ...HARDENED, "policy");
    }
    await s3.send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket: b.bucketName,
        // The baseline names the storage class as a string; the SDK's enum holds the same value (GLACIER_IR).
        LifecycleConfiguration: { Rules: [lifecycleRule(b.lifecycle) as LifecycleRule] },
      }),
    );
    layBucket(session.inventory, b.role, "lifecycle");
  }
}
