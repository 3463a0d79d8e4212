import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { procStat } from "../../agent/proc";
import { launcherKind, watchForStop, type StopEvent } from "../../agent/stop";

describe("launcherKind: which ancestors are the CLI's own launchers", () => {
  it.each<[string[], ReturnType<typeof launcherKind>]>([
    [["npm run audit --manifest m.json"], "npm"], // npm's title, as /proc/<pid>/cmdline shows it
    [["/usr/bin/node", "/usr/lib/node_modules/npm/bin/npm-cli.js", "run", "audit"], "npm"],
    [["npm exec tsx agent/cli.ts"], "npm"],
    [["sh", "-c", "node --import tsx agent/cli.ts --out out"], "wrapper"],
    [["/bin/sh", "-c", "tsx agent/cli.ts"], "wrapper"],
    [["node", "/repo/node_modules/.bin/tsx", "agent/cli.ts"], "wrapper"],
    [["/usr/bin/node", "/repo/node_modules/tsx/dist/cli.mjs", "agent/cli.ts"], "wrapper"],
    [["-bash"], undefined], // the user's shell: `nohup npm run audit &` must outlive it
    [["bash"], undefined],
    [["node", "/repo/node_modules/vitest/dist/workers/forks.js"], undefined],
    [["/usr/bin/python3", "-c", "print(1)"], undefined],
    [[], undefined],
  ])("%j → %s", (argv, kind) => {
    expect(launcherKind(argv)).toBe(kind);
  });
});

describe("watchForStop", () => {
  it.each<[NodeJS.Signals, number]>([
    ["SIGINT", 130],
    ["SIGTERM", 143],
    ["SIGHUP", 129],
  ])("%s → exit code %i, once", (signal, exitCode) => {
    const events: StopEvent[] = [];
    const w = watchForStop((e) => events.push(e), { launchers: [] });
    try {
      // Emitting runs the listeners without a real signal reaching the test worker.
      process.emit(signal as "SIGINT");
      process.emit(signal as "SIGINT");
    } finally {
      w.dispose();
    }
    expect(events).toEqual([{ signal, cause: signal, exitCode }]);
  });

  it("a launcher that exits stops the run as SIGTERM, naming it", async () => {
    const launcher = spawn(process.execPath, ["-e", "setTimeout(() => {}, 600000)"]);
    await new Promise((r) => launcher.once("spawn", r));
    const pid = launcher.pid!;
    const stopped = new Promise<StopEvent>((res) => {
      const w = watchForStop(
        (e) => {
          w.dispose();
          res(e);
        },
        { launchers: [{ pid, startTime: procStat(pid)?.startTime, argv: ["npm run audit --out x"] }], pollMs: 50 },
      );
    });
    launcher.kill("SIGKILL");
    expect(await stopped).toEqual({
      signal: "SIGTERM",
      cause: `its launcher ${pid} (npm run audit) exited`,
      exitCode: 143,
    });
  });
});
