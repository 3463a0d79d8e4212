/**
 * One moto server per vitest worker (each worker is its own process, so a module-level cache is per worker).
 * Use `useMoto()` inside a describe block: it starts (or reuses) the server, resets it before every test,
 * and leaves the server running for the worker's other files; the process exit hook stops it.
 */
import { afterAll, beforeAll, beforeEach } from "vitest";
import { resetMoto as resetServer, spawnMoto, type MotoServer } from "../../agent/sandbox/moto-server";

let shared: Promise<MotoServer> | undefined;

/** Starts the worker's moto server once; later calls get the same one. `stop()` really stops it and clears the cache. */
export function startMoto(): Promise<{ endpoint: string; stop(): Promise<void> }> {
  if (!shared) {
    shared = spawnMoto().catch((e) => {
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

/**
 * Registers the hooks: beforeAll starts (or reuses) the server, beforeEach resets it.
 * afterAll does not stop the shared server (another file in this worker may reuse it); it resets it
 * so the next file starts clean.
 */
export function useMoto(): MotoHandle {
  let endpoint: string | undefined;
  beforeAll(async () => {
    endpoint = (await startMoto()).endpoint;
  });
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
