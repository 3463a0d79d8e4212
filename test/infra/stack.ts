/** Runs the real infra program under the mock runtime with an example stack's config, and finds resources in the result. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parse, stringify } from "yaml";
import { expect } from "vitest";
import { CapturedResource, ProgramRun, runProgram } from "../../harness/run-program";
import { loadStackConfig } from "../../harness/stack-config";
import { runProcess } from "../helpers/run";

export const ROOT = resolve(__dirname, "../..");
export const STACKS = ["dev", "prod"] as const;
export type StackName = (typeof STACKS)[number];

/** The stack file's config merged over Pulumi.yaml defaults, with bare-key overrides applied. */
export function stackConfig(stack: string, overrides: Record<string, string | undefined> = {}): Record<string, string> {
  const { config } = loadStackConfig(ROOT, stack);
  for (const [k, v] of Object.entries(overrides)) {
    if (v === undefined) delete config[`orgwarden:${k}`];
    else config[`orgwarden:${k}`] = v;
  }
  return config;
}

export async function runStack(stack: string, overrides: Record<string, string | undefined> = {}): Promise<ProgramRun> {
  return runProgram({ program: ROOT, stack, config: stackConfig(stack, overrides) });
}

/** URN of the explicit aws provider with that name (the account's provider). */
export function providerUrn(run: ProgramRun, name: string): string {
  return one(run, "pulumi:providers:aws", name).urn;
}

/** The one resource of that type and name; fails the test if there is none or several. */
export function one(run: ProgramRun, type: string, name: string): CapturedResource {
  const found = run.resources.filter((r) => r.type === type && r.name === name);
  expect(
    found.map((r) => r.urn),
    `${type} ${name}`,
  ).toHaveLength(1);
  return found[0];
}

export function ofType(run: ProgramRun, type: string): CapturedResource[] {
  return run.resources.filter((r) => r.type === type);
}

export function urnOf(run: ProgramRun, type: string, name: string): string {
  return one(run, type, name).urn;
}

/** Policy documents travel as JSON strings; compare them as objects. */
export function doc(v: unknown): unknown {
  expect(typeof v).toBe("string");
  return JSON.parse(v as string);
}

/**
 * Runs the offline preview CLI in its own process on the dev stack file with some keys replaced.
 * For programs that fail: their rejection is process-wide, and vitest would count it against the test file.
 */
/** Bare keys are orgwarden's; a key with a namespace (`aws:region`) is written as given. */
export async function previewFailing(
  stackName: string,
  overrides: Record<string, unknown>,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const dir = mkdtempSync(join(tmpdir(), "orgwarden-stack-"));
  const file = join(dir, `Pulumi.${stackName}.yaml`);
  const docu = parse(readFileSync(join(ROOT, "Pulumi.dev.yaml"), "utf8")) as { config: Record<string, unknown> };
  for (const [k, v] of Object.entries(overrides)) docu.config[k.includes(":") ? k : `orgwarden:${k}`] = v;
  writeFileSync(file, stringify(docu));
  const r = await runProcess(
    join(ROOT, "node_modules/.bin/tsx"),
    ["scripts/preview-offline.ts", "--program", ROOT, "--stack-config", file],
    { cwd: ROOT },
  );
  rmSync(dir, { recursive: true, force: true });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
