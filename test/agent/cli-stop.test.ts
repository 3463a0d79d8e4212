/**
 * Stopping the real CLI in child processes: whichever process of `npm run audit` (npm → sh → node)
 * or of tsx (tsx → node) is signalled — even npm with SIGKILL, which nothing can forward — every
 * process of the tree ends, the previous report set stays byte for byte, and no staging directory
 * is left. The second run cannot finish: its endpoint accepts connections and never answers.
 *
 * A SIGKILL of the node process itself while it swaps the reports in cannot be timed between two
 * syscalls from here; test/agent/report/write.test.ts recreates each state such a crash leaves and
 * checks the next run's recovery instead.
 *
 * Limits are generous polls (60 s), never timings: the machine may be very busy.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, existsSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedSandboxOrganization } from "../../agent/sandbox/seed";
import { recoverReportDir } from "../../agent/report/write";
import { isAlive, procStat } from "../../agent/proc";
import { useMoto } from "../helpers/moto";

const ROOT = resolve(__dirname, "..", "..");
const TSX_CLI = join(ROOT, "node_modules", "tsx", "dist", "cli.mjs");
const dir = mkdtempSync(join(tmpdir(), "orgwarden-cli-stop-"));
const out = join(dir, "out");
const manifest = join(dir, "manifest.json");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ENV = {
  ...process.env,
  AWS_ACCESS_KEY_ID: "testing",
  AWS_SECRET_ACCESS_KEY: "testing",
  AWS_REGION: "us-east-1",
  AWS_CONFIG_FILE: join(dir, "none"),
  AWS_SHARED_CREDENTIALS_FILE: join(dir, "none"),
  AWS_PROFILE: "",
};

interface Started {
  child: ChildProcess;
  stderr: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Once every holder of the stdio pipes (npm's children inherit them) has gone. */
  closed: Promise<void>;
}

function start(command: string, args: string[]): Started {
  const child = spawn(command, args, { cwd: ROOT, env: ENV, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (d) => (stderr += d));
  child.stdout!.resume();
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) =>
    child.on("exit", (code, signal) => res({ code, signal })),
  );
  const closed = new Promise<void>((res) => child.on("close", () => res()));
  return { child, stderr: () => stderr, exit, closed };
}

/** Accepts every connection and never answers, so the audit hangs in collection. */
async function silentEndpoint(): Promise<{ url: string; connections: () => number; close: () => Promise<void> }> {
  const sockets: Socket[] = [];
  const server: Server = createServer((s) => sockets.push(s));
  await new Promise<void>((res) => server.listen(0, "127.0.0.1", res));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    connections: () => sockets.length,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((res) => server.close(() => res()));
    },
  };
}

/** The limit only ends a wait that would otherwise hang; a busy machine slows these waits, it never fails them. */
async function until(what: string, ok: () => boolean, limitMs = 300_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`gave up after ${limitMs / 1000} s waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** `pid` and all its living descendants, from the ppid field of every /proc/<pid>/stat. */
function processTree(pid: number): number[] {
  const byParent = new Map<number, number[]>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const s = procStat(Number(name));
    if (s && s.state !== "Z") byParent.set(s.ppid, [...(byParent.get(s.ppid) ?? []), s.pid]);
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) tree.push(...(byParent.get(tree[i]) ?? []));
  return tree;
}

const snapshot = (d: string) =>
  Object.fromEntries(
    readdirSync(d)
      .sort()
      .map((n) => [n, readFileSync(join(d, n), "utf8")]),
  );
const leftovers = () => readdirSync(dir).filter((n) => n.startsWith(".out.orgwarden-"));

describe("CLI stop: SIGINT/SIGTERM to any process of the run, or SIGKILL of npm, ends the whole tree and keeps the previous reports", () => {
  const moto = useMoto();
  let previous: Record<string, string>;

  beforeAll(async () => {
    await seedSandboxOrganization({ endpoint: moto.endpoint, manifestPath: manifest });
    const first = start(process.execPath, [
      "--import",
      "tsx",
      "agent/cli.ts",
      "--manifest",
      manifest,
      "--endpoint-url",
      moto.endpoint,
      "--regions",
      "us-east-1",
      "--out",
      out,
    ]);
    expect((await first.exit).code).toBe(3);
    previous = snapshot(out);
    expect(Object.keys(previous)).toEqual([".orgwarden-report", "report.html", "report.json", "report.md"]);
  });

  /** Starts the hanging second run, waits until it is collecting, sends `signal` to the process `target` picks, and checks the outcome. */
  async function stopDuringCollection(
    command: string,
    args: string[],
    target: (tree: number[]) => number,
    signal: NodeJS.Signals,
    staging: "removed" | "recovered" = "removed",
  ) {
    const endpoint = await silentEndpoint();
    try {
      const run = start(command, [
        ...args,
        "--manifest",
        manifest,
        "--endpoint-url",
        endpoint.url,
        "--regions",
        "us-east-1",
        "--out",
        out,
      ]);
      let exited = false;
      void run.exit.then(() => (exited = true));
      await until("the run has opened its staging directory and is waiting on the endpoint", () => {
        if (exited) throw new Error(`the run ended before it was stopped:\n${run.stderr()}`);
        return leftovers().length === 1 && endpoint.connections() > 0;
      });
      const tree = processTree(run.child.pid!);
      process.kill(target(tree), signal);
      await until(`every process of the run (${tree.join(", ")}) is gone`, () => tree.every((p) => !isAlive(p)));
      await run.closed;
      expect(snapshot(out)).toEqual(previous);
      // A process killed outright cannot clean up; its staging directory is then the next run's to remove.
      if (staging === "recovered") recoverReportDir(out);
      expect(leftovers()).toEqual([]);
      expect(snapshot(out)).toEqual(previous);
      return { tree, stderr: run.stderr(), exit: await run.exit };
    } finally {
      await endpoint.close();
    }
  }

  const NODE_CLI = ["--import", "tsx", "agent/cli.ts"];
  const NO_REPORT = "the audit was not finished and no report was written\n";

  it("(a) SIGTERM to the node CLI: exit 143", async () => {
    const r = await stopDuringCollection(process.execPath, NODE_CLI, (t) => t[0], "SIGTERM");
    // The launchers of the run; a tool process of its own (tsx's esbuild service) may come and go beside them.
    expect(r.tree.length).toBeGreaterThanOrEqual(1);
    expect(r.exit).toEqual({ code: 143, signal: null });
    expect(r.stderr.endsWith(`orgwarden-audit: stopped by SIGTERM; ${NO_REPORT}`)).toBe(true);
  });

  it("(b) SIGINT to the node CLI: exit 130", async () => {
    const r = await stopDuringCollection(process.execPath, NODE_CLI, (t) => t[0], "SIGINT");
    expect(r.exit).toEqual({ code: 130, signal: null });
    expect(r.stderr.endsWith(`orgwarden-audit: stopped by SIGINT; ${NO_REPORT}`)).toBe(true);
  });

  // `npm run audit` no longer runs tsx's wrapper, but `npx tsx agent/cli.ts` does. tsx relays the
  // signal and gives the child 30 ms to acknowledge it before it SIGKILLs it. On a quiet machine the
  // child answers in time and cleans up; on a busy one it may be killed outright. Either way the
  // whole tree ends and the previous set stays; a staging directory a killed child left behind is
  // removed by the next run's recovery, so that is what the test asserts, not the 30 ms race.
  it("(c) SIGTERM to the tsx parent: the whole tree ends with exit 143 and the previous set stays", async () => {
    const r = await stopDuringCollection(
      process.execPath,
      [TSX_CLI, "agent/cli.ts"],
      (t) => t[0],
      "SIGTERM",
      "recovered",
    );
    // The launchers of the run; a tool process of its own (tsx's esbuild service) may come and go beside them.
    expect(r.tree.length).toBeGreaterThanOrEqual(2);
    expect(r.exit).toEqual({ code: 143, signal: null });
  });

  // npm's script shell (dash) dies of the signal npm forwards without passing it on: the node process sees its launcher gone.
  it.each<[string, NodeJS.Signals]>([
    ["(d) SIGTERM", "SIGTERM"],
    ["(e) SIGKILL", "SIGKILL"],
  ])("%s to npm (npm run audit): the orphaned node process notices and stops by itself", async (_name, signal) => {
    const r = await stopDuringCollection("npm", ["run", "audit", "--"], (t) => t[0], signal);
    // The launchers of the run; a tool process of its own (tsx's esbuild service) may come and go beside them.
    expect(r.tree.length).toBeGreaterThanOrEqual(3);
    expect(r.exit.signal ?? r.exit.code).not.toBe(0);
    expect(r.stderr).toMatch(
      /orgwarden-audit: stopped by its launcher \d+ \((sh -c node|npm run audit)\) exited; the audit was not finished and no report was written\n$/,
    );
  });

  it("the kept set is one run's: its marker and report.json carry the same run id", () => {
    expect(existsSync(join(out, "report.json"))).toBe(true);
    expect(JSON.parse(previous["report.json"]).runId).toBe(JSON.parse(previous[".orgwarden-report"]).runId);
    expect(previous["report.md"]).toContain(`- Run id: \`${JSON.parse(previous["report.json"]).runId}\``);
  });
});
