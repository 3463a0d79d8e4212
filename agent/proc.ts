/**
 * What the agent needs to know about other processes on this host: is a pid still the process it
 * was, and who are a process's ancestors. Linux answers from /proc; elsewhere only `kill(pid, 0)`
 * is available, which cannot see zombies or a reused pid.
 */
import { readFileSync } from "node:fs";

export interface ProcStat {
  pid: number;
  /** One letter: R, S, D, Z (zombie), X (dead), … */
  state: string;
  ppid: number;
  /** Clock ticks since boot; with the pid it identifies one process even after the pid is reused. */
  startTime: string;
}

const hasProc = process.platform === "linux";

/** The fields of /proc/<pid>/stat the agent uses, or undefined when the process is gone (or there is no /proc). */
export function procStat(pid: number): ProcStat | undefined {
  if (!hasProc) return undefined;
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT" || (err as NodeJS.ErrnoException).code === "ESRCH")
      return undefined;
    throw err;
  }
  // The command name is in parentheses and may itself hold spaces and ")": the fields start after the last ")".
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  return { pid, state: fields[0], ppid: Number(fields[1]), startTime: fields[19] };
}

/** argv of a process as /proc shows it (npm rewrites its own to its title, e.g. "npm run audit"); [] when unknown. */
export function procArgv(pid: number): string[] {
  if (!hasProc) return [];
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8")
      .split("\0")
      .filter((a) => a.length > 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT" || (err as NodeJS.ErrnoException).code === "ESRCH") return [];
    throw err;
  }
}

/**
 * Whether `pid` still runs. A zombie has exited (only its parent has not collected it yet), so it
 * counts as gone; with `startTime`, a pid reused by a newer process counts as gone too.
 */
export function isAlive(pid: number, startTime?: string): boolean {
  if (hasProc) {
    const s = procStat(pid);
    if (!s || s.state === "Z" || s.state === "X") return false;
    return startTime === undefined || s.startTime === startTime;
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to another user.
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
