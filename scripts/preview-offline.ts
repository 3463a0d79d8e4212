/**
 * Offline preview: runs a Pulumi TypeScript program under Pulumi's mock runtime with a stack's
 * config and prints the planned resources grouped by account/provider.
 *
 *   npm run preview:offline -- --stack dev [--json]
 *   npm run preview:offline -- --program <dir> [--stack-config <Pulumi.<stack>.yaml>] [--json]
 *
 * Exit codes: 0 planned; 2 bad usage or invalid stack config (the validation list, no stack trace);
 * 1 the program failed for another reason.
 */
import { resolve, basename } from "node:path";
import { Command, CommanderError } from "commander";
import { runProgram } from "../harness/run-program";
import { loadStackConfig } from "../harness/stack-config";
import { planJson, planText } from "../harness/plan";

const CONFIG_ERRORS = new Set(["ConfigValidationError", "StackConfigError", "ScpTooLargeError", "ManifestValidationError"]);

async function main(argv: string[]): Promise<number> {
  const cmd = new Command("preview:offline")
    .description("Run a Pulumi program under the mock runtime and print its plan")
    .option("--stack <name>", "stack name (reads Pulumi.<name>.yaml)")
    .option("--program <dir>", "Pulumi project directory", ".")
    .option("--stack-config <file>", "explicit stack config file (default: Pulumi.<stack>.yaml in the project)")
    .option("--json", "print [{urn, type, name, provider, inputs}] as JSON")
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  try {
    cmd.parse(argv, { from: "user" });
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    throw e;
  }
  const o = cmd.opts<{ stack?: string; program: string; stackConfig?: string; json?: boolean }>();
  const stack = o.stack ?? (o.stackConfig ? basename(o.stackConfig).replace(/^Pulumi\.(.+)\.ya?ml$/, "$1") : undefined);
  if (!stack) {
    process.stderr.write("error: --stack <name> is required (or --stack-config <Pulumi.<stack>.yaml>)\n");
    return 2;
  }
  const programDir = resolve(o.program);
  try {
    const loaded = loadStackConfig(programDir, stack, o.stackConfig && resolve(o.stackConfig));
    const run = await runProgram({ program: programDir, stack, config: loaded.config, secretKeys: loaded.secretKeys });
    if (o.json) process.stdout.write(JSON.stringify(planJson(run), null, 2) + "\n");
    else {
      process.stdout.write(planText(run) + "\n");
      if (loaded.secretKeys.length) process.stdout.write(`\nnote: secrets replaced offline: ${loaded.secretKeys.join(", ")}\n`);
      if (run.unmockedCalls.length) process.stdout.write(`note: offline mocks returned {} for: ${[...new Set(run.unmockedCalls)].join(", ")}\n`);
    }
    return 0;
  } catch (e) {
    const err = e as Error;
    if (CONFIG_ERRORS.has(err?.name)) {
      process.stderr.write(`${err.message}\n`);
      return 2;
    }
    process.stderr.write(`preview failed: ${err?.message ?? String(e)}\n`);
    return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`preview failed: ${(e as Error)?.message ?? String(e)}\n`);
    process.exit(1);
  },
);
