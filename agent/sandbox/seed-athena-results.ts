/**
 * The Athena query-results bucket with its own key as infra/athena/log-analytics.ts lays them
 * (security account, home region): the key with its policy, rotation and alias; the bucket hardened,
 * SSE-KMS with that key (no Bucket Key), the analyst-only TLS-only policy, its lifecycle from the
 * manifest's logBuckets entry (seed-log-buckets.ts) and no server access logging, as infra lays it.
 * The workgroup that writes into it and the analyst role are not laid here.
 */
import { CreateKeyCommand, KMSClient } from "@aws-sdk/client-kms";
import { CreateBucketCommand, PutBucketPolicyCommand, S3Client } from "@aws-sdk/client-s3";
import { HARDENED, layBucket } from "./inventory";
import {
  athenaResultsKeyPolicyDocument,
  athenaResultsPolicyDocument,
  bucketNames,
  SANDBOX,
  type SandboxAccounts,
} from "./layout";
import { finishKey } from "./seed-keys";
import { hardenBucket } from "./seed-logging";
import type { SandboxSession } from "./session";

/** The query-results bucket and its key in the security account, as infra lays them; returns the key's ARN. */
export async function seedAthenaResults(c: {
  session: SandboxSession;
  stack: string;
  home: string;
  orgId: string;
  accounts: SandboxAccounts;
}): Promise<{ athenaResultsKeyArn: string }> {
  const sec = c.accounts.security;
  const ids = { stack: c.stack, homeRegion: c.home, orgId: c.orgId, accounts: c.accounts };
  const kms = await c.session.client(KMSClient, sec, c.home);
  const key = await kms.send(
    new CreateKeyCommand({
      Description: "orgwarden: encrypts Athena query results over the logs",
      Policy: JSON.stringify(athenaResultsKeyPolicyDocument(ids)),
    }),
  );
  const athenaResultsKeyArn = key.KeyMetadata?.Arn;
  const keyId = key.KeyMetadata?.KeyId;
  if (!athenaResultsKeyArn || !keyId) throw new Error("seedAthenaResults: CreateKey returned no key ARN");
  c.session.inventory.lay("aws:kms/key:Key", "athena-results-key");
  await finishKey(kms, keyId, SANDBOX.athenaResultsKeyAlias(c.stack));
  c.session.inventory.lay("aws:kms/alias:Alias", "athena-results-key-alias");
  const s3 = await c.session.client(S3Client, sec, c.home);
  const Bucket = bucketNames(c.stack, c.accounts.management).athenaResults;
  await s3.send(new CreateBucketCommand({ Bucket }));
  await hardenBucket(s3, Bucket, { algorithm: "aws:kms", keyArn: athenaResultsKeyArn });
  await s3.send(new PutBucketPolicyCommand({ Bucket, Policy: JSON.stringify(athenaResultsPolicyDocument(ids)) }));
  layBucket(c.session.inventory, "athena-results", ...HARDENED, "policy");
  return { athenaResultsKeyArn };
}
