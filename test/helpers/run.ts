/**
 * Runs a command to completion without blocking the test worker. spawnSync would freeze the
 * worker's event loop for as long as the child runs; on a busy machine a tsx preview can take over
 * a minute, and vitest's worker↔main RPC then times out ("Timeout calling onTaskUpdate") although
 * nothing is wrong. Same result shape as spawnSync's, with the output as strings.
 */
import { spawn, type SpawnOptions } from "node:child_process";

export interface RunResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function runProcess(
  command: string,
  args: string[],
  options: SpawnOptions & { input?: string } = {},
): Promise<RunResult> {
  const { input, ...spawnOptions } = options;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...spawnOptions, stdio: ["pipe", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout!.on("data", (b: Buffer) => out.push(b));
    child.stderr!.on("data", (b: Buffer) => err.push(b));
    child.once("error", reject);
    child.once("close", (status, signal) =>
      resolve({
        status,
        signal,
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
      }),
    );
    child.stdin!.end(input);
  });
}
