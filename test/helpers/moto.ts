/**
 * One moto server per vitest worker slot, shared by the files that slot runs one after another
 * (started by test/helpers/moto-global-setup.ts; the module-level cache below is per file's process).
 * Use `useMoto()` inside a describe block: it starts (or reuses) the server, resets it before every test,
 * and leaves the server running for the slot's other files; the run stops it when it ends.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, inject } from "vitest";
import { resetMoto as resetServer, spawnMoto, waitForMoto, type MotoServer } from "../../agent/sandbox/moto-server";

let shared: Promise<MotoServer> | undefined;

/**
 * The worker's server: the one the run started for this worker slot (test/helpers/moto-global-setup.ts),
 * or, when the run has none (a config without that global setup), one spawned for this process.
 */
async function acquire(): Promise<MotoServer> {
  const run = inject("orgwardenMoto");
  const slot = Number(process.env.VITEST_POOL_ID);
  const s = run?.servers[slot - 1];
  if (!run || !s) return spawnMoto();
  await waitForMoto(s.endpoint, s.pid, () => {
    try {
      return readFileSync(join(run.exitDir, `moto-${s.pid}.exit.txt`), "utf8");
    } catch {
      return "no exit note (see the vitest run's output)";
    }
  });
  // The run owns this server and stops it when it ends; a file only lets go of it.
  return { endpoint: s.endpoint, pid: s.pid, stop: async () => undefined };
}

/**
 * The worker's moto server; later calls get the same one. `stop()` forgets it (and stops it when this
 * process spawned it; the run's shared servers stop with the run).
 */
export function startMoto(): Promise<{ endpoint: string; stop(): Promise<void> }> {
  if (!shared) {
    shared = acquire().catch((e) => {
      shared = undefined;
      throw e;
    });
  }
  return shared.then((s) => ({
    endpoint: s.endpoint,
    stop: async () => {
      shared = undefined;
      await s.stop();
    },
  }));
}

export const resetMoto = resetServer;

export interface MotoHandle {
  /** Valid from beforeAll on. */
  readonly endpoint: string;
}

export interface UseMotoOptions {
  /**
   * "each" (default): a reset before every test, so each test seeds what it reads. "file": one reset
   * before the file's first hook, none between tests, so the file seeds one sandbox in its own
   * beforeAll and its tests share it (each then works on its own resources, and a test that changes
   * the shared sandbox says so and runs after the tests that read it clean).
   */
  reset?: "each" | "file";
}

/**
 * Registers the hooks: beforeAll starts (or reuses) the server and resets it, beforeEach resets it
 * again unless `reset: "file"`. afterAll does not stop the shared server (another file in this
 * worker may reuse it); it resets it so the next file starts clean.
 */
export function useMoto(options: UseMotoOptions = {}): MotoHandle {
  let endpoint: string | undefined;
  beforeAll(async () => {
    endpoint = (await startMoto()).endpoint;
    await resetServer(endpoint);
  });
  if ((options.reset ?? "each") === "each")
    beforeEach(async () => {
      await resetServer(handle.endpoint);
    });
  afterAll(async () => {
    if (endpoint) await resetServer(endpoint);
  });
  const handle: MotoHandle = {
    get endpoint() {
      if (!endpoint) throw new Error("useMoto: endpoint read before beforeAll ran (read it inside a test or hook)");
      return endpoint;
    },
  };
  return handle;
}

/** Fake static credentials: moto accepts any; fixed so requests are reproducible. */
export const MOTO_CREDENTIALS = {
  accessKeyId: "testing",
  secretAccessKey: "testing",
  sessionToken: "testing",
} as const;

/**
 * moto answers the calls it does not implement (SSM ListAssociations, CloudTrail ListPublicKeys) with
 * 500, which the SDK retries: at full delays every audit over moto waits seconds on backoff alone.
 * Tests scale the delays down (the attempts made stay the same), in-process through
 * AuditOptions.retryDelayScale and in a CLI process or a Lambda environment through
 * ORGWARDEN_RETRY_DELAY_SCALE (accepted only with an endpoint URL).
 */
export const FAST_RETRY_SCALE = 0.02;
export const FAST_RETRIES_ENV = { ORGWARDEN_RETRY_DELAY_SCALE: String(FAST_RETRY_SCALE) } as const;
