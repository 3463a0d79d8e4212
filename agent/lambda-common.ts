/**
 * What the scheduled handler and the three Step Functions steps share: the function's own clients
 * (its role, its account and region: where the manifest parameter and the report bucket live), the
 * manifest read from SSM, and the end of a run (waivers, Security Hub, the diff against latest/,
 * the reports written dated copy first, then latest/).
 */
import { readFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { GetParametersCommand, SSMClient } from "@aws-sdk/client-ssm";
import { GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { decodeManifestParameters, manifestParameterNames, type AuditManifest } from "../baseline";
import { clientConfig } from "./aws/clients";
import { startingCredentials, startingCredentialsError } from "./aws/credentials";
import type { AuditResult, ExitCode, FindingStatus } from "./finding";
import { diffRuns } from "./report/diff";
import { parseJsonReport } from "./report/json";
import {
  AuditConfigError,
  DEFAULT_REPORT_FORMATS,
  DEFAULTS,
  lambdaSettings,
  type LambdaEnv,
  type LambdaSettings,
} from "./options";
import { REPORT_FORMAT_TABLE } from "./report/formats";
import { writeReports } from "./report";
import { securityHubStep } from "./export/security-hub";
import { applyWaivers, manifestWaivers } from "./waivers";
import { finishRun } from "./notify-run";
import type { NotifyOutcome } from "./notify";

export interface LambdaResult {
  stack: string;
  exitCode: ExitCode;
  counts: Record<FindingStatus, number>;
  /** s3://bucket/key of each report written (the dated copy, then latest/), empty when no bucket is configured. */
  reports: string[];
  /** The SNS message and the EventBridge event after the reports (agent/notify.ts); a failure shows here, it does not throw. */
  notifications: NotifyOutcome;
}

/** The default chain inside Lambda is the environment the runtime fills with the function's role session. */
export const LAMBDA_ROLE =
  "the Lambda function's execution role (AWS_ACCESS_KEY_ID/AWS_SESSION_TOKEN set by the Lambda runtime)";

const CONTENT_TYPES: Record<string, string> = Object.fromEntries(
  REPORT_FORMAT_TABLE.map((f) => [f.file, f.contentType]),
);

export interface FunctionContext {
  s: LambdaSettings;
  clientSettings: {
    endpointUrl?: string;
    maxAttempts: number;
    requestTimeoutMs: number;
    connectionTimeoutMs: number;
    retryDelayScale?: number;
  };
  ssm: SSMClient;
  s3: S3Client;
  close(): void;
}

/** The validated environment and the function's own clients; `close` destroys them. */
export function functionContext(env: LambdaEnv): FunctionContext {
  const s = lambdaSettings(env);
  const clientSettings = {
    endpointUrl: s.endpointUrl,
    maxAttempts: DEFAULTS.maxAttempts,
    requestTimeoutMs: DEFAULTS.requestTimeoutMs,
    connectionTimeoutMs: DEFAULTS.connectionTimeoutMs,
    retryDelayScale: s.retryDelayScale,
  };
  const base = clientConfig(clientSettings, s.region, startingCredentials({}));
  const ssm = new SSMClient(base);
  const s3 = new S3Client(base);
  return {
    s,
    clientSettings,
    ssm,
    s3,
    close: () => {
      ssm.destroy();
      s3.destroy();
    },
  };
}

/**
 * The manifest from its parameters (baseline/manifest-codec.ts): the head and every part in one
 * GetParameters call (at most 10 names), so the set is read at one moment; a missing part, or a
 * part of another write, fails the run naming that parameter.
 */
export async function loadManifest(ssm: SSMClient, name: string): Promise<unknown> {
  const names = manifestParameterNames(name);
  let found: Map<string, string | undefined>;
  try {
    const r = await ssm.send(new GetParametersCommand({ Names: names, WithDecryption: true }));
    found = new Map((r.Parameters ?? []).map((p) => [p.Name ?? "", p.Value]));
  } catch (err) {
    // The parameters are the function's first call: missing or refused role credentials fail here, before runAudit checks them.
    throw startingCredentialsError(LAMBDA_ROLE, err as Error, "SSM GetParameters") ?? err;
  }
  try {
    return decodeManifestParameters(names.map((n) => ({ name: n, value: found.get(n) })));
  } catch (err) {
    throw new AuditConfigError(`SSM parameter ${name}: ${(err as Error).message}`);
  }
}

/** Waivers, Security Hub, counts, the diff against latest/ and the reports: the end of every run of the function. */
export async function publishResult(
  ctx: FunctionContext,
  manifest: AuditManifest,
  audited: AuditResult,
): Promise<LambdaResult> {
  const { s, s3 } = ctx;
  let result = audited;
  // The repository's waivers come with the manifest (baseline/manifest.ts `waivers`); none when infra published none.
  const waiverSource = `SSM parameter ${s.parameter} waivers`;
  const waivers = manifestWaivers(manifest.waivers, waiverSource);
  if (waivers.length > 0) result = applyWaivers(result, waivers, waiverSource);
  // The function runs in the security account: its own role imports (and may call securityhub:BatchImportFindings, GetFindings).
  if (s.securityHub) result = (await securityHubStep(result, ctx.clientSettings, startingCredentials({}))).result;
  const counts: Record<FindingStatus, number> = { PASS: 0, FAIL: 0, ERROR: 0, NOT_APPLICABLE: 0 };
  for (const f of result.findings) counts[f.status] += 1;
  let reports: string[] = [];
  let compared: AuditResult = result;
  if (s.bucket) {
    const stackPrefix = `${s.prefix}/${result.stack}`;
    const previous = await readPrevious(s3, s.bucket, `${stackPrefix}/latest/report.json`);
    compared = { ...result, changes: diffRuns(previous, result) };
    // The dated copy first, then latest/ (report.json last): latest/report.json never names a run whose copy is missing.
    reports = await uploadReports(
      s3,
      s.bucket,
      [datedPrefix(stackPrefix, compared), `${stackPrefix}/latest`],
      compared,
    );
  }
  // After the reports: a notification that fails is reported, never a failed invocation (agent/notify-run.ts).
  const notifications = await finishRun(compared, reports, {
    notify: { topicArn: s.alertTopicArn, busArn: s.eventBusArn, when: s.notifyWhen, region: s.region },
    clientSettings: ctx.clientSettings,
    credentials: startingCredentials({}),
  });
  return { stack: result.stack, exitCode: result.exitCode, counts, reports, notifications };
}

/** `<prefix>/<stack>/<YYYY>/<MM>/<DD>/<runId>` by the run's clock (UTC); the run id keeps two runs of one day apart. */
function datedPrefix(stackPrefix: string, r: AuditResult): string {
  const [yyyy, mm, dd] = r.now.slice(0, 10).split("-");
  return `${stackPrefix}/${yyyy}/${mm}/${dd}/${r.runId}`;
}

/** The previous run's report.json; NoSuchKey is a first run. Anything else fails the invocation rather than dropping the diff. */
async function readPrevious(s3: S3Client, bucket: string, key: string): Promise<AuditResult | undefined> {
  let text: string;
  try {
    const r = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    text = (await r.Body?.transformToString("utf8")) ?? "";
  } catch (err) {
    if ((err as Error).name === "NoSuchKey") return undefined;
    throw err;
  }
  try {
    return parseJsonReport(text);
  } catch (err) {
    throw new AuditConfigError(`s3://${bucket}/${key} (the previous run's report): ${(err as Error).message}`);
  }
}

async function uploadReports(s3: S3Client, bucket: string, prefixes: string[], result: AuditResult): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), "orgwarden-"));
  try {
    // A directory inside the temporary one: writeReports stages beside its outDir, so that stays inside too.
    const outDir = join(dir, "reports");
    const paths = await writeReports(result, { formats: [...DEFAULT_REPORT_FORMATS], outDir });
    const uris: string[] = [];
    // Keys relative to the report directory: the reports, and intended/<finding id>.json that their remediation commands read.
    const files = [
      ...paths.map((p) => ({ path: p, name: basename(p) })),
      ...Object.keys(result.intendedDocuments ?? {}).map((name) => ({ path: join(outDir, name), name })),
    ];
    // report.json last under each prefix: it is what the next run reads.
    const ordered = [
      ...files.filter((f) => f.name !== "report.json"),
      ...files.filter((f) => f.name === "report.json"),
    ];
    for (const prefix of prefixes)
      for (const f of ordered) {
        const Key = `${prefix}/${f.name}`;
        await s3.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key,
            Body: await readFile(f.path),
            ContentType: CONTENT_TYPES[f.name] ?? "application/json",
          }),
        );
        uris.push(`s3://${bucket}/${Key}`);
      }
    return uris;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
