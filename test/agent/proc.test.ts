import { spawn, spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { isAlive, procArgv, procStat } from "../../agent/proc";

describe("proc", () => {
  it("reads this process's parent and start time, and tells a dead or reused pid from a live one", () => {
    const me = procStat(process.pid)!;
    expect(me.ppid).toBe(process.ppid);
    expect(isAlive(process.pid, me.startTime)).toBe(true);
    expect(isAlive(process.pid, `${me.startTime}0`)).toBe(false);
    expect(isAlive(spawnSync(process.execPath, ["-e", ""]).pid as number)).toBe(false);
  });

  it("reads another process's argv, and nothing once it is gone", async () => {
    const child = spawn(process.execPath, ["-e", "setTimeout(() => {}, 600000)", "--", "a b"]);
    await new Promise((r) => child.once("spawn", r));
    try {
      expect(procArgv(child.pid!)).toEqual([process.execPath, "-e", "setTimeout(() => {}, 600000)", "--", "a b"]);
    } finally {
      child.kill("SIGKILL");
      await new Promise((r) => child.once("exit", r));
    }
    expect(procArgv(child.pid!)).toEqual([]);
  });
});
