/** Where `validate-logs` reads from: a local copy, or the archive bucket as the log auditor role. */
import { CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import { S3Client } from "@aws-sdk/client-s3";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import type { AuditManifest } from "../baseline";
import { ClientFactory } from "./aws/clients";
import { AuditCredentials } from "./aws/credentials";
import { parseDigest } from "./integrity/format";
import type { PublicKeyEntry } from "./integrity/keys";
import { LocalSource } from "./integrity/local-source";
import { S3Source } from "./integrity/s3-source";
import type { IntegritySource } from "./integrity/source";
import { DEFAULTS } from "./options";
import { UsageError, type Io, type Opts } from "./validate-logs-options";

/** The bucket a copy came from: --bucket, the manifest's, or the digestS3Bucket of its first digest (said on stderr). */
export function localSource(o: Opts, m: AuditManifest | undefined, keys: PublicKeyEntry[], io: Io): LocalSource {
  const dir = o.local!;
  let bucket = o.bucket ?? m?.archive.bucketName;
  if (!bucket) {
    const first = readdirSync(dir, { recursive: true, encoding: "utf8" }).find(
      (f) => f.includes("CloudTrail-Digest") && f.endsWith(".json.gz"),
    );
    bucket = first ? (parseDigest(gunzipOrEmpty(readFileSync(join(dir, first))))?.digestS3Bucket ?? "") : "";
    io.err(
      `validate-logs: no --bucket or --manifest; taking the bucket name "${bucket}" from ${first ?? "no digest"}\n`,
    );
  }
  return new LocalSource(dir, bucket, keys);
}

function gunzipOrEmpty(body: Buffer): string {
  try {
    return gunzipSync(body).toString("utf8");
  } catch (err) {
    if (String((err as NodeJS.ErrnoException).code).startsWith("Z_")) return "";
    throw err;
  }
}

export async function s3Source(
  o: Opts,
  m: AuditManifest,
  io: Io,
): Promise<{ source: IntegritySource; close: () => void }> {
  const settings = {
    endpointUrl: o.endpointUrl,
    maxAttempts: DEFAULTS.maxAttempts,
    requestTimeoutMs: DEFAULTS.requestTimeoutMs,
    connectionTimeoutMs: DEFAULTS.connectionTimeoutMs,
  };
  const creds = new AuditCredentials(
    { profile: o.profile, readRoleName: m.audit.readRoleName, stsRegion: m.regions.home },
    settings,
  );
  const clients = new ClientFactory(settings, creds);
  const close = () => (clients.destroy(), creds.destroy());
  const arn = m.audit.logAuditorRoleArn;
  let as = "starting";
  let credentials: Parameters<ClientFactory["getAs"]>[3] = creds.providerFor("-");
  if (arn) {
    const r = await creds.assumeRoleArn(arn, "orgwarden-validate-logs");
    if (!r.ok) {
      close();
      throw new UsageError(
        `--manifest: the log auditor role ${arn} (audit.logAuditorRoleArn) could not be assumed: ${r.error.name}: ${r.error.message}`,
      );
    }
    [as, credentials] = [arn, r.value];
  } else {
    io.err(
      "validate-logs: the manifest names no log auditor role (audit.logAuditorRoleArn): reading as the starting credentials\n",
    );
  }
  const s3 = clients.getAs(S3Client, as, m.regions.home, credentials);
  return {
    source: new S3Source(
      s3,
      (region) => clients.getAs(CloudTrailClient, as, region, credentials),
      m.archive.bucketName,
    ),
    close,
  };
}
