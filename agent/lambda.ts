/**
 * The scheduled audit: the manifest comes from SSM Parameter Store (ORGWARDEN_MANIFEST_PARAMETER),
 * the audit is the same runAudit() as the CLI, and the reports go to ORGWARDEN_REPORT_BUCKET when set.
 * The handler returns counts and the exit code; it throws only for a configuration error, so a
 * misconfigured schedule shows up as a failed invocation rather than a quiet "0 findings".
 */
import { readFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { GetParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { decodeManifestParameter } from "../baseline";
import { clientConfig } from "./aws/clients";
import { startingCredentials, startingCredentialsError } from "./aws/credentials";
import type { ExitCode, FindingStatus } from "./finding";
import { AuditConfigError, DEFAULT_REPORT_FORMATS, DEFAULTS, lambdaSettings, type LambdaEnv } from "./options";
import { REPORT_FORMAT_TABLE } from "./report/formats";
import { writeReports } from "./report";
import { runAudit } from "./run-audit";
import { securityHubStep } from "./export/security-hub";

export type { LambdaEnv } from "./options";

export interface LambdaResult {
  stack: string;
  exitCode: ExitCode;
  counts: Record<FindingStatus, number>;
  /** s3://bucket/key of each report written, empty when no bucket is configured. */
  reports: string[];
}

/** The default chain inside Lambda is the environment the runtime fills with the function's role session. */
const LAMBDA_ROLE =
  "the Lambda function's execution role (AWS_ACCESS_KEY_ID/AWS_SESSION_TOKEN set by the Lambda runtime)";

const CONTENT_TYPES: Record<string, string> = Object.fromEntries(
  REPORT_FORMAT_TABLE.map((f) => [f.file, f.contentType]),
);

async function loadManifest(ssm: SSMClient, name: string): Promise<unknown> {
  let value: string | undefined;
  try {
    value = (await ssm.send(new GetParameterCommand({ Name: name, WithDecryption: true }))).Parameter?.Value;
  } catch (err) {
    // The parameter is the function's first call: missing or refused role credentials fail here, before runAudit checks them.
    throw startingCredentialsError(LAMBDA_ROLE, err as Error, "SSM GetParameter") ?? err;
  }
  if (!value) throw new AuditConfigError(`SSM parameter ${name} has no value`);
  // infra writes the zlib+base64 envelope (the manifest is larger than a parameter holds as plain JSON).
  try {
    return decodeManifestParameter(value);
  } catch (err) {
    throw new AuditConfigError(`SSM parameter ${name}: ${(err as Error).message}`);
  }
}

export async function runScheduledAudit(env: LambdaEnv = process.env as LambdaEnv, now?: Date): Promise<LambdaResult> {
  const s = lambdaSettings(env);
  const clientSettings = {
    endpointUrl: s.endpointUrl,
    maxAttempts: DEFAULTS.maxAttempts,
    requestTimeoutMs: DEFAULTS.requestTimeoutMs,
    connectionTimeoutMs: DEFAULTS.connectionTimeoutMs,
  };
  // The function's own role, in its own account and region: where the manifest parameter and the report bucket live.
  const base = clientConfig(clientSettings, s.region, startingCredentials({}));
  const ssm = new SSMClient(base);
  const s3 = new S3Client(base);
  try {
    const manifest = await loadManifest(ssm, s.parameter);
    // Its own role may only assume the read role (infra/audit-agent.ts): every account is entered through it, its own included.
    const audited = await runAudit({
      manifest,
      endpointUrl: s.endpointUrl,
      concurrency: s.concurrency,
      now,
      assumeReadRoleEverywhere: true,
      startingCredentialsName: LAMBDA_ROLE,
    });
    // The function runs in the security account: its own role imports (and may call securityhub:BatchImportFindings, GetFindings).
    const result = s.securityHub
      ? (await securityHubStep(audited, clientSettings, startingCredentials({}))).result
      : audited;
    const counts: Record<FindingStatus, number> = { PASS: 0, FAIL: 0, ERROR: 0, NOT_APPLICABLE: 0 };
    for (const f of result.findings) counts[f.status] += 1;
    // The run id keeps two runs judged against the same clock apart, and names the same run as the reports' runId.
    const reports = s.bucket
      ? await uploadReports(
          s3,
          s.bucket,
          `${s.prefix}/${result.stack}/${result.now.replace(/[:.]/g, "-")}/${result.runId}`,
          result,
        )
      : [];
    return { stack: result.stack, exitCode: result.exitCode, counts, reports };
  } finally {
    ssm.destroy();
    s3.destroy();
  }
}

async function uploadReports(
  s3: S3Client,
  bucket: string,
  prefix: string,
  result: Parameters<typeof writeReports>[0],
): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), "orgwarden-"));
  try {
    // A directory inside the temporary one: writeReports stages beside its outDir, so that stays inside too.
    const paths = await writeReports(result, { formats: [...DEFAULT_REPORT_FORMATS], outDir: join(dir, "reports") });
    const uris: string[] = [];
    for (const path of paths) {
      const Key = `${prefix}/${basename(path)}`;
      await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key,
          Body: await readFile(path),
          ContentType: CONTENT_TYPES[basename(path)],
        }),
      );
      uris.push(`s3://${bucket}/${Key}`);
    }
    return uris;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Lambda entry point (scheduled EventBridge event; the event's content is not used). */
export const handler = async (): Promise<LambdaResult> => runScheduledAudit();
