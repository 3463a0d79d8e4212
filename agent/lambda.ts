/**
 * The Lambda bundle's entry points (infra/agent-bundle.ts bundles this file to index.js):
 * - `handler`: the scheduled single-function audit, kept for small organizations: the manifest
 *   comes from SSM Parameter Store (ORGWARDEN_MANIFEST_PARAMETER), the audit is the same
 *   runAudit() as the CLI, and the reports go to ORGWARDEN_REPORT_BUCKET when set;
 * - `plan`, `collect`, `evaluate`: the three steps of the nightly Step Functions run
 *   (agent/lambda-steps.ts).
 * Each returns counts and the exit code (or its step's output) and throws only for a configuration
 * error, so a misconfigured schedule shows up as a failed invocation rather than a quiet "0 findings".
 */
import { parseAuditManifest } from "../baseline";
import { functionContext, LAMBDA_ROLE, loadManifest, publishResult, type LambdaResult } from "./lambda-common";
import type { LambdaEnv } from "./options";
import { runAudit } from "./run-audit";

export type { LambdaEnv } from "./options";
export type { LambdaResult } from "./lambda-common";
export {
  collect,
  evaluate,
  plan,
  runCollectStep,
  runEvaluateStep,
  runPlanStep,
  type CollectInput,
  type CollectOutput,
  type EvaluateInput,
  type PlanInput,
  type PlanOutput,
} from "./lambda-steps";

export async function runScheduledAudit(env: LambdaEnv = process.env as LambdaEnv, now?: Date): Promise<LambdaResult> {
  const ctx = functionContext(env);
  try {
    const manifest = await loadManifest(ctx.ssm, ctx.s.parameter);
    // Its own role may only assume the read role (infra/audit-agent.ts): every account is entered through it, its own included.
    const result = await runAudit({
      manifest,
      endpointUrl: ctx.s.endpointUrl,
      concurrency: ctx.s.concurrency,
      retryDelayScale: ctx.s.retryDelayScale,
      now,
      assumeReadRoleEverywhere: true,
      startingCredentialsName: LAMBDA_ROLE,
    });
    return await publishResult(ctx, parseAuditManifest(manifest), result);
  } finally {
    ctx.close();
  }
}

/** Lambda entry point (scheduled EventBridge event; the event's content is not used). */
export const handler = async (): Promise<LambdaResult> => runScheduledAudit();
