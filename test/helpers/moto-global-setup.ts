/**
 * Vitest global setup: one moto server per worker slot, for the whole run.
 *
 * With the forks pool every test file runs in a fresh process, so a server started inside a file
 * would be started again for the next file: a Python start and the first import of each moto
 * service (EC2 and CloudFormation alone take seconds of CPU) for each of the ~60 files that talk
 * to moto. The servers are started here instead, in vitest's main process, one per pool slot
 * (VITEST_POOL_ID is 1..maxForks, and a slot runs one file at a time), without waiting for them;
 * a test file finds its slot's server through inject("orgwardenMoto") (test/helpers/moto.ts),
 * waits for it to answer and resets it before its first test, as before. The servers stop when
 * the run ends, and with the main process if it is killed (launchMoto's exit hook).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { launchMoto, type LaunchedMoto } from "../../agent/sandbox/moto-server";

export interface SharedMotoServers {
  /** servers[i] belongs to the worker whose VITEST_POOL_ID is i + 1. */
  servers: { endpoint: string; pid: number }[];
  /** Where a server that ends before the run leaves `moto-<pid>.exit.txt` with its stderr's tail. */
  exitDir: string;
}

declare module "vitest" {
  export interface ProvidedContext {
    orgwardenMoto: SharedMotoServers | null;
  }
}

/** What this setup uses of vitest's TestProject (vitest/node is ESM-only; this package is CommonJS). */
interface TestProject {
  config: unknown;
  provide(key: "orgwardenMoto", value: SharedMotoServers | null): void;
}

/** How many workers the run may have at once: the forks pool's maxForks (the CLI's --poolOptions.forks.maxForks included). */
function workerSlots(project: TestProject): number {
  const c = project.config as { poolOptions?: { forks?: { maxForks?: number } }; maxWorkers?: number };
  const n = c.poolOptions?.forks?.maxForks ?? c.maxWorkers ?? 1;
  return Math.max(1, Math.min(8, Math.floor(n)));
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const exitDir = mkdtempSync(join(tmpdir(), "orgwarden-moto-"));
  let launched: LaunchedMoto[] = [];
  try {
    launched = await Promise.all(Array.from({ length: workerSlots(project) }, () => launchMoto()));
  } catch {
    // No moto here (the virtualenv is missing): files that need it spawn their own and say why they cannot.
    for (const m of launched) await m.stop();
    project.provide("orgwardenMoto", null);
    return async () => rmSync(exitDir, { recursive: true, force: true });
  }
  let ending = false;
  for (const m of launched) {
    // A server that ends before the run does leaves its reason where its slot's next file looks (waitForMoto).
    void m.exited.then((how) => {
      if (!ending)
        writeFileSync(join(exitDir, `moto-${m.pid}.exit.txt`), `${how}; stderr: ${m.stderrTail().trim().slice(-800)}`);
    });
  }
  project.provide("orgwardenMoto", { servers: launched.map((m) => ({ endpoint: m.endpoint, pid: m.pid })), exitDir });
  return async () => {
    ending = true;
    await Promise.all(launched.map((m) => m.stop()));
    rmSync(exitDir, { recursive: true, force: true });
  };
}
