/**
 * Offline preview: runs a Pulumi TypeScript program under Pulumi's mock runtime with a stack's
 * config, prints the planned resources grouped by account/provider, then evaluates a policy pack
 * (default: the guardrails) over them as `pulumi preview --policy-pack` would.
 *
 *   npm run preview:offline -- --stack dev [--json]
 *   npm run preview:offline -- --program <dir> [--stack-config <Pulumi.<stack>.yaml>] [--policy-config <file>] [--json]
 *
 * --json prints { plan: [...], violations: [...], notApplicable: [...], policyPack } (violations
 * null with --no-policies); what the preview assumed (no stack file) then goes to stderr as notes.
 *
 * Exit codes: 0 planned and no mandatory violation; 3 a mandatory policy violation; 2 bad usage,
 * a Pulumi.yaml or stack file that is not valid YAML, a missing --stack-config file, invalid stack
 * or policy config (the validation list, no stack trace); 1 the program or a policy failed for
 * another reason.
 */
import { resolve, basename } from "node:path";
import { Command, CommanderError } from "commander";
import { runProgram } from "../../harness/run-program";
import { loadStackConfig } from "../../harness/stack-config";
import { planJson, planText } from "../../harness/plan";
import { DEFAULT_POLICY_PACK, evaluateGuardrails, GuardrailsResult, policyConfigNote } from "../../harness/policy-gate";
import { policyReportText } from "../../harness/policy-report";
import { hasMandatory } from "../../harness/policy-runner";
import { FirstPreviewMocks } from "../../harness/policy-mocks";

const CONFIG_ERRORS = new Set([
  "ConfigValidationError",
  "StackConfigError",
  "ScpTooLargeError",
  "ManifestTooLargeError",
  "ManifestValidationError",
  "PolicyConfigError",
  "PolicyPackLoadError",
]);
/** A mandatory policy violation; distinct from 1 (the program failed) so CI can tell them apart. */
const EXIT_POLICY_VIOLATION = 3;

interface Options {
  stack?: string;
  program: string;
  stackConfig?: string;
  json?: boolean;
  policies: boolean;
  policyPack: string;
  policyConfig?: string;
  firstPreview?: boolean;
}

/** Where the preview writes; the entry passes the process's streams, tests collect the text. */
export interface PreviewIo {
  out: (s: string) => void;
  err: (s: string) => void;
}

const PROCESS_IO: PreviewIo = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) };

/** The whole preview; returns the exit code. */
export async function previewOffline(argv: string[], io: PreviewIo = PROCESS_IO): Promise<number> {
  const cmd = new Command("preview:offline")
    .description("Run a Pulumi program under the mock runtime and print its plan")
    .option("--stack <name>", "stack name (reads Pulumi.<name>.yaml)")
    .option("--program <dir>", "Pulumi project directory", ".")
    .option("--stack-config <file>", "explicit stack config file (default: Pulumi.<stack>.yaml in the project)")
    .option("--json", "print { plan, violations, notApplicable, policyPack } as JSON")
    .option("--policy-pack <dir>", "policy pack to evaluate", DEFAULT_POLICY_PACK)
    .option("--policy-config <file>", "policy-pack-config file (default: <pack>/config/<stack>.json if present)")
    .option("--no-policies", "print the plan only; do not evaluate a policy pack")
    .option("--first-preview", "simulate the first preview of a new stack: every id and computed output unknown")
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err });
  try {
    cmd.parse(argv, { from: "user" });
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    throw e;
  }
  const o = cmd.opts<Options>();
  const stack = o.stack ?? (o.stackConfig ? basename(o.stackConfig).replace(/^Pulumi\.(.+)\.ya?ml$/, "$1") : undefined);
  if (!stack) {
    io.err("error: --stack <name> is required (or --stack-config <Pulumi.<stack>.yaml>)\n");
    return 2;
  }
  const programDir = resolve(o.program);
  try {
    const loaded = loadStackConfig(programDir, stack, o.stackConfig && resolve(o.stackConfig));
    const run = await runProgram({
      program: programDir,
      stack,
      config: loaded.config,
      secretKeys: loaded.secretKeys,
      ...(o.firstPreview ? { mocks: new FirstPreviewMocks() } : {}),
    });
    const g: GuardrailsResult | undefined = o.policies
      ? await evaluateGuardrails(run, {
          packDir: resolve(o.policyPack),
          policyConfigFile: o.policyConfig && resolve(o.policyConfig),
        })
      : undefined;
    if (o.json) {
      const out = {
        plan: planJson(run),
        violations: g ? g.result.violations : null,
        notApplicable: g ? g.result.notApplicable.filter((n) => !/^Policy only applies to/.test(n.reason ?? "")) : null,
        policyPack: g
          ? { name: g.pack.name, version: g.pack.version, dir: g.pack.dir, config: g.policyConfigFile ?? null }
          : null,
      };
      io.out(JSON.stringify(out, null, 2) + "\n");
      // stdout is the document; what was assumed still has to reach the reader.
      for (const n of loaded.notes) io.err(`note: ${n}\n`);
    } else {
      for (const n of loaded.notes) io.out(`note: ${n}\n`);
      io.out(planText(run) + "\n");
      if (loaded.secretKeys.length) io.out(`\nnote: secrets replaced offline: ${loaded.secretKeys.join(", ")}\n`);
      if (run.unmockedCalls.length)
        io.out(`note: offline mocks returned {} for: ${[...new Set(run.unmockedCalls)].join(", ")}\n`);
      if (g) io.out(`\n${policyConfigNote(g, stack)}\n${policyReportText(g.pack, g.result)}\n`);
    }
    return g && hasMandatory(g.result) ? EXIT_POLICY_VIOLATION : 0;
  } catch (e) {
    const err = e as Error;
    if (CONFIG_ERRORS.has(err?.name)) {
      io.err(`${err.message}\n`);
      return 2;
    }
    io.err(`preview failed: ${err?.message ?? String(e)}\n`);
    return 1;
  }
}
