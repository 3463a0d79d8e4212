/** The Lambda steps' environment over moto: the default chain's credentials as the runtime sets them, the manifest parameter, the report bucket. */
import { afterEach, beforeEach } from "vitest";
import { PutParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { CreateBucketCommand, GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { encodeManifestParameter } from "../../../baseline";
import type { AuditResult } from "../../../agent/finding";
import { FAST_RETRIES_ENV } from "../../helpers/moto";

const CREDS = { AWS_ACCESS_KEY_ID: "testing", AWS_SECRET_ACCESS_KEY: "testing", AWS_SESSION_TOKEN: undefined };

/** Sets the credential variables for each test and restores them after. */
export function useLambdaCredentials(): void {
  const saved: Record<string, string | undefined> = {};
  beforeEach(() => {
    for (const [k, v] of Object.entries(CREDS)) {
      saved[k] = process.env[k];
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });
  afterEach(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });
}

export const BUCKET = "audit-reports";
export const PARAMETER = "/orgwarden/audit-manifest";

export function motoS3(endpoint: string): S3Client {
  return new S3Client({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
    forcePathStyle: true,
  });
}

/** Writes the manifest parameter as infra does and creates the report bucket; returns the steps' environment. */
export async function lambdaStage(
  endpoint: string,
  manifest: Parameters<typeof encodeManifestParameter>[0],
): Promise<Record<string, string>> {
  const cfg = { endpoint, region: "us-east-1", credentials: { accessKeyId: "testing", secretAccessKey: "testing" } };
  await new SSMClient(cfg).send(
    new PutParameterCommand({
      Name: PARAMETER,
      Type: "String",
      Tier: "Advanced",
      Value: encodeManifestParameter(manifest),
    }),
  );
  await motoS3(endpoint).send(new CreateBucketCommand({ Bucket: BUCKET }));
  return {
    ORGWARDEN_MANIFEST_PARAMETER: PARAMETER,
    ORGWARDEN_REPORT_BUCKET: BUCKET,
    ORGWARDEN_ENDPOINT_URL: endpoint,
    AWS_REGION: "us-east-1",
    ...FAST_RETRIES_ENV,
  };
}

export async function readJson<T>(endpoint: string, key: string): Promise<T> {
  const r = await motoS3(endpoint).send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return JSON.parse(await r.Body!.transformToString()) as T;
}

/** The report.json an evaluate (or handler) run wrote, from the s3:// URIs it returned. */
export async function reportOf(endpoint: string, reports: string[]): Promise<AuditResult> {
  const uri = reports.find((u) => u.endsWith("/report.json"));
  if (!uri) throw new Error(`no report.json among ${reports.join(", ")}`);
  return readJson<AuditResult>(endpoint, uri.slice(`s3://${BUCKET}/`.length));
}
