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
