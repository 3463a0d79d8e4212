/** The real audit CLI in its own process: how every CLI test starts it, and the environment it gets. */
import { spawn } from "node:child_process";
import { join, resolve } from "node:path";

const ROOT = resolve(__dirname, "..", "..");
const TSX_CLI = join(ROOT, "node_modules", "tsx", "dist", "cli.mjs");

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Moto-style static credentials and no shared AWS config (the files under `dir` do not exist). */
export function cliEnv(dir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    AWS_ACCESS_KEY_ID: "testing",
    AWS_SECRET_ACCESS_KEY: "testing",
    AWS_REGION: "us-east-1",
    AWS_CONFIG_FILE: join(dir, "none"),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, "none"),
    AWS_PROFILE: "",
    ...extra,
  };
}

/** The CLI with exactly this environment. */
export function spawnCli(args: string[], env: NodeJS.ProcessEnv, stdin?: string): Promise<CliRun> {
  return new Promise((res, rej) => {
    // tsx runs under this node by absolute path, so a test may empty PATH without losing the runtime.
    const child = spawn(process.execPath, [TSX_CLI, join(ROOT, "agent", "cli.ts"), ...args], { cwd: ROOT, env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", rej);
    child.on("close", (code) => res({ code, stdout, stderr }));
    child.stdin.end(stdin ?? "");
  });
}
