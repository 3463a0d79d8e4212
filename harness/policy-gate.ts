/** One call for the offline gate: run a program under mocks, then the policy pack over it. */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Mocks } from "@pulumi/pulumi/runtime";
import { ProgramRun, runProgram } from "./run-program";
import { loadPolicyPack, LoadedPolicyPack } from "./policy-pack";
import { readPolicyConfigFile, resolvePolicyConfig } from "./policy-config";
import { PolicyResult, runPolicies, RunPoliciesOptions } from "./policy-runner";

export const DEFAULT_POLICY_PACK = resolve(__dirname, "../policypacks/guardrails");

/** Where a pack keeps a stack's policy config: <pack>/config/<stack>.json. */
export function policyConfigPath(packDir: string, stack: string): string {
  return join(resolve(packDir), "config", `${stack}.json`);
}

/** The config file used when none is named: <pack>/config/<stack>.json, if it exists. */
export function defaultPolicyConfigFile(packDir: string, stack: string): string | undefined {
  const f = policyConfigPath(packDir, stack);
  return existsSync(f) ? f : undefined;
}

export interface GuardrailsOptions extends RunPoliciesOptions {
  packDir?: string;
  /** A policy-pack-config file; `null` to use none even if the pack has one for the stack. */
  policyConfigFile?: string | null;
  /** Inline config, applied instead of a file (tests). */
  policyConfig?: Record<string, unknown>;
}

export interface GuardrailsResult {
  pack: LoadedPolicyPack;
  result: PolicyResult;
  policyConfigFile?: string;
}

export async function evaluateGuardrails(run: ProgramRun, o: GuardrailsOptions = {}): Promise<GuardrailsResult> {
  const pack = loadPolicyPack(o.packDir ?? DEFAULT_POLICY_PACK);
  const file =
    o.policyConfigFile === null ? undefined : (o.policyConfigFile ?? defaultPolicyConfigFile(pack.dir, run.stack));
  const raw = o.policyConfig ?? (file ? readPolicyConfigFile(file) : {});
  const config = resolvePolicyConfig(pack, raw, o.policyConfig ? "policy config" : (file ?? "policy config"));
  return { pack, result: await runPolicies(pack, run, config, o), policyConfigFile: o.policyConfig ? undefined : file };
}

/**
 * Which policy config a gate ran with, said out loud: a stack without a config file silently gets
 * each policy's defaults (the strictest levels), which is the likeliest surprise of a new stack.
 */
export function policyConfigNote(g: GuardrailsResult, stack: string): string {
  if (g.policyConfigFile) return `policy config: ${g.policyConfigFile}`;
  return `note: no policy config file for stack ${stack} (looked for ${policyConfigPath(g.pack.dir, stack)}): each policy's defaults`;
}

export interface ProgramGuardrailsOptions extends GuardrailsOptions {
  program: string;
  stack: string;
  config: Record<string, string>;
  secretKeys?: string[];
  mocks?: "aws" | "echo" | Mocks;
}

export async function runProgramWithGuardrails(
  o: ProgramGuardrailsOptions,
): Promise<GuardrailsResult & { run: ProgramRun }> {
  const run = await runProgram({
    program: o.program,
    stack: o.stack,
    config: o.config,
    secretKeys: o.secretKeys,
    mocks: o.mocks,
  });
  return { run, ...(await evaluateGuardrails(run, o)) };
}
