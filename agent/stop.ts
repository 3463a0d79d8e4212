/**
 * How the CLI stops: on SIGINT, SIGTERM or SIGHUP, and when a process that launched it goes away.
 *
 * `npm run audit` is npm → sh → node. A signal sent to npm reaches sh, and dash dies of it without
 * passing it on; SIGKILL cannot be passed on at all. Either way the node process used to be left
 * running as an orphan, finish the audit and overwrite the previous report seconds later. So the
 * node process records its launchers when it starts (its parent and up, while they are npm, npx,
 * tsx or the `sh -c` npm runs scripts in — never the user's shell, so `nohup` keeps working) and
 * polls them; when one has gone it stops exactly as for SIGTERM. Outside Linux (no /proc) only its
 * direct parent is watched, through process.ppid.
 */
import { constants } from "node:os";
import { basename } from "node:path";
import { isAlive, procArgv, procStat } from "./proc";

export type StopSignal = "SIGINT" | "SIGTERM" | "SIGHUP";
const SIGNALS: StopSignal[] = ["SIGINT", "SIGTERM", "SIGHUP"];

export interface StopEvent {
  signal: StopSignal;
  /** For the message: the signal's name, or which launcher exited. */
  cause: string;
  /** 128 + the signal's number, as a shell reports a process killed by it: 130, 143, 129. */
  exitCode: number;
}

export interface Launcher {
  pid: number;
  /** Identifies the process even if its pid is reused (Linux). */
  startTime?: string;
  argv: string[];
}

/** npm (its title, e.g. "npm run audit", or its cli script) ends the walk; tsx and npm's script shell are wrappers between. */
export function launcherKind(argv: string[]): "npm" | "wrapper" | undefined {
  if (argv.length === 0) return undefined;
  const text = argv.join(" ");
  const exe = basename(argv[0].split(" ")[0]);
  if (exe === "npm" || exe === "npx" || /[/\\](npm|npx)-cli\.js(\s|$)/.test(text)) return "npm";
  if (argv[1] === "-c" && ["sh", "dash", "bash"].includes(exe)) return "wrapper";
  if (exe === "tsx" || argv.slice(0, 2).some((a) => /[/\\]tsx([/\\]dist[/\\]cli\.m?js)?$/.test(a))) return "wrapper";
  return undefined;
}

/** The launchers above `pid`, nearest first; stops at npm (included), at the first other process, and before pid 1. */
export function launcherAncestors(pid: number = process.pid, maxDepth = 8): Launcher[] {
  const found: Launcher[] = [];
  let ppid = procStat(pid)?.ppid;
  while (ppid !== undefined && ppid > 1 && found.length < maxDepth) {
    const stat = procStat(ppid);
    const argv = procArgv(ppid);
    const kind = launcherKind(argv);
    if (!stat || !kind) break;
    found.push({ pid: ppid, startTime: stat.startTime, argv });
    if (kind === "npm") break;
    ppid = stat.ppid;
  }
  return found;
}

export interface StopWatch {
  readonly launchers: Launcher[];
  dispose(): void;
}

export interface StopOptions {
  /** How often the launchers are checked; default 300 ms. */
  pollMs?: number;
  /** Default: launcherAncestors() of this process. */
  launchers?: Launcher[];
}

/**
 * Calls `handler` once, on the first of: SIGINT, SIGTERM, SIGHUP, or a launcher gone. Installing
 * the signal listeners replaces Node's default (die at once), so the handler must end the process.
 */
export function watchForStop(handler: (e: StopEvent) => void, options: StopOptions = {}): StopWatch {
  const launchers = options.launchers ?? launcherAncestors();
  const ppid = process.ppid;
  let fired = false;
  const fire = (signal: StopSignal, cause: string) => {
    if (fired) return;
    fired = true;
    handler({ signal, cause, exitCode: 128 + constants.signals[signal] });
  };
  const listeners = SIGNALS.map((s) => [s, () => fire(s, s)] as const);
  for (const [s, l] of listeners) process.on(s, l);
  const timer = setInterval(() => {
    const gone = launchers.find((p) => !isAlive(p.pid, p.startTime));
    if (gone)
      fire("SIGTERM", `its launcher ${gone.pid} (${gone.argv.join(" ").split(" ").slice(0, 3).join(" ")}) exited`);
    else if (launchers.length === 0 && process.platform !== "linux" && process.ppid !== ppid)
      fire("SIGTERM", `its parent ${ppid} exited`);
  }, options.pollMs ?? 300);
  // The watch must never be what keeps the process alive once the audit is done.
  timer.unref();
  return {
    launchers,
    dispose() {
      clearInterval(timer);
      for (const [s, l] of listeners) process.off(s, l);
    },
  };
}
