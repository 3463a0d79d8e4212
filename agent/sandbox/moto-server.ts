/**
 * Process management for a local moto server (the AWS emulator the tests and the demo talk to).
 * Lives outside test/ because `npm run demo` uses it too.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join, resolve } from "node:path";

export interface MotoServer {
  /** http://127.0.0.1:<port> */
  endpoint: string;
  /** Process id of the server (for diagnostics and the exit-hook test). */
  pid: number;
  stop(): Promise<void>;
}

export class MotoUnavailableError extends Error {
  constructor(detail: string) {
    super(`moto server is not available: ${detail}. Run: bash scripts/setup-python.sh (needs Python ≥ 3.10)`);
    this.name = "MotoUnavailableError";
  }
}

const REPO_ROOT = resolve(__dirname, "..", "..");
// Only a guard against a server that never comes up: an exit is caught at once, and a busy machine may take minutes to import moto.
const STARTUP_TIMEOUT_MS = 300_000;

export function motoBinary(root = REPO_ROOT): string {
  return join(root, ".venv", "bin", "moto_server");
}

function freeLoopbackPort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once("error", rej);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => (port ? res(port) : rej(new Error("could not obtain a free loopback port"))));
    });
  });
}

/** The environment moto runs in: UTC so timestamps match the agent's clock, and no fixed account id so multi-account works. */
export function motoEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  // No default AMIs: moto would load ~1,000 per account and region on EC2's first call there (14% of a seed's
  // server time), and nothing here describes or launches an image.
  const env: NodeJS.ProcessEnv = { ...base, TZ: "UTC", PYTHONUNBUFFERED: "1", MOTO_EC2_LOAD_DEFAULT_AMIS: "false" };
  delete env.MOTO_ACCOUNT_ID;
  return env;
}

async function answers(endpoint: string): Promise<boolean> {
  try {
    const r = await fetch(`${endpoint}/moto-api/data.json`, { signal: AbortSignal.timeout(2_000) });
    await r.arrayBuffer();
    return r.ok;
  } catch {
    // Connection refused while moto is still importing: the caller polls again.
    return false;
  }
}

function waitUntilReady(endpoint: string, child: ChildProcess, stderr: () => string): Promise<void> {
  return new Promise((res, rej) => {
    const deadline = Date.now() + STARTUP_TIMEOUT_MS;
    let settled = false;
    const fail = (err: Error) => {
      if (settled) return;
      settled = true;
      rej(err);
    };
    child.once("exit", (code, signal) =>
      fail(
        new MotoUnavailableError(
          `moto_server exited (code ${code}, signal ${signal}) before answering: ${stderr().trim().slice(-800)}`,
        ),
      ),
    );
    child.once("error", (e) => fail(new MotoUnavailableError(`could not spawn ${motoBinary()}: ${e.message}`)));
    const poll = async () => {
      if (settled) return;
      if (await answers(endpoint)) {
        settled = true;
        return res();
      }
      if (Date.now() > deadline)
        return fail(
          new Error(
            `moto server at ${endpoint} did not answer within ${STARTUP_TIMEOUT_MS / 1000}s: ${stderr().trim().slice(-800)}`,
          ),
        );
      setTimeout(() => void poll(), 150);
    };
    void poll();
  });
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // A crashed test worker or an interrupted demo must not leave an orphan moto behind.
  process.once("exit", () => {
    for (const c of running) c.kill("SIGTERM");
  });
  for (const [sig, code] of [
    ["SIGINT", 130],
    ["SIGTERM", 143],
  ] as const) {
    process.once(sig, () => {
      for (const c of running) c.kill("SIGTERM");
      // The conventional 128 + signal number, as if the signal had ended the process itself.
      process.exit(code);
    });
  }
}

/** A moto server that has been spawned but may not answer yet. */
export interface LaunchedMoto extends MotoServer {
  /** Resolves once the server answers HTTP; rejects (and stops it) when it exits first or never answers. */
  ready: Promise<void>;
  /** The last few KB of its stderr (moto logs every request there), for error messages. */
  stderrTail(): string;
  /** Resolves when the server process ends, with its exit code or signal. */
  exited: Promise<string>;
}

/**
 * Spawns a moto server on a free loopback port without waiting for it. The server is stopped when
 * this process exits (the exit hook below), so a crash never leaves one behind.
 */
export async function launchMoto(options: { root?: string } = {}): Promise<LaunchedMoto> {
  const bin = motoBinary(options.root);
  if (!existsSync(bin)) throw new MotoUnavailableError(`${bin} does not exist`);
  const port = await freeLoopbackPort();
  const endpoint = `http://127.0.0.1:${port}`;
  // moto's server, started through moto_server.py beside this file (deferred KMS private keys; see there).
  const python = join(dirname(bin), "python");
  const child = spawn(python, [join(__dirname, "moto_server.py"), "-H", "127.0.0.1", "-p", String(port)], {
    env: motoEnv(),
    stdio: ["ignore", "ignore", "pipe"],
  });
  let err = "";
  child.stderr?.on("data", (b: Buffer) => {
    // moto logs every request to stderr; keep only the tail for error messages.
    err = (err + b.toString()).slice(-4_000);
  });
  running.add(child);
  installExitHook();
  const exited = new Promise<string>((res) =>
    child.once("exit", (code, signal) => {
      running.delete(child);
      res(signal ? `signal ${signal}` : `exit code ${code}`);
    }),
  );
  const stop = () => stopChild(child);
  const ready = waitUntilReady(endpoint, child, () => err).catch(async (e: unknown) => {
    await stop();
    throw e;
  });
  // A caller that never awaits `ready` must not see an unhandled rejection; one that does still gets it.
  ready.catch(() => undefined);
  return { endpoint, pid: child.pid!, stop, ready, stderrTail: () => err, exited };
}

/** Spawns a fresh moto server on a free loopback port and resolves once it answers HTTP. */
export async function spawnMoto(options: { root?: string } = {}): Promise<MotoServer> {
  const m = await launchMoto(options);
  await m.ready;
  return { endpoint: m.endpoint, pid: m.pid, stop: m.stop };
}

/**
 * Waits until a moto server that another process launched answers at `endpoint`. `pid` is that
 * server's process: when it is gone, this fails at once with `exitNote()` (what its launcher saw)
 * instead of polling until the startup timeout.
 */
export async function waitForMoto(endpoint: string, pid: number, exitNote: () => string): Promise<void> {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  for (;;) {
    if (await answers(endpoint)) return;
    try {
      process.kill(pid, 0);
    } catch {
      throw new MotoUnavailableError(`moto_server (pid ${pid}, ${endpoint}) exited before answering: ${exitNote()}`);
    }
    if (Date.now() > deadline)
      throw new Error(`moto server at ${endpoint} did not answer within ${STARTUP_TIMEOUT_MS / 1000}s`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((res) => {
    const force = setTimeout(() => child.kill("SIGKILL"), 5_000);
    child.once("exit", () => {
      clearTimeout(force);
      res();
    });
    child.kill("SIGTERM");
  });
}

/** Drops every resource in every account and region (moto's own reset endpoint). */
export async function resetMoto(endpoint: string): Promise<void> {
  const r = await fetch(`${endpoint}/moto-api/reset`, { method: "POST" });
  await r.arrayBuffer();
  if (!r.ok) throw new Error(`moto reset at ${endpoint} failed: HTTP ${r.status}`);
}
