/**
 * Where the CLI's previous run comes from: --previous <report.json>, else the report.json an earlier
 * run left in --out (the directory the new reports replace), else none (a first run). Read before
 * any AWS call, so a bad file is exit 2 at once rather than after the audit.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { AuditResult } from "./finding";
import { AuditConfigError } from "./options";
import { parseJsonReport } from "./report/json";

export interface PreviousRun {
  result: AuditResult;
  /** Where it was read, for the summary and for messages: "--previous <file>" or "--out <dir> (earlier report.json)". */
  source: string;
}

export function loadPrevious(previous: string | undefined, out: string | undefined): PreviousRun | undefined {
  if (previous !== undefined) return readReport(previous, `--previous ${previous}`);
  if (out === undefined) return undefined;
  const file = join(out, "report.json");
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    // No earlier report in --out is the ordinary first run; an --out that is no directory is named by the
    // report staging right after; any other failure to read it is not a first run.
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    throw new AuditConfigError(`--out ${out}: the earlier report.json cannot be read (${errCode(err)})`);
  }
  return parse(
    text,
    `--out ${out} (earlier report.json)`,
    "; move it away, or name the previous report with --previous <report.json>",
  );
}

function readReport(file: string, source: string): PreviousRun {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new AuditConfigError(
      `${source}: cannot be read (${errCode(err)}); allowed: a report.json an earlier run wrote`,
    );
  }
  return parse(text, source, "");
}

function parse(text: string, source: string, hint: string): PreviousRun {
  try {
    return { result: parseJsonReport(text), source };
  } catch (err) {
    throw new AuditConfigError(`${source}: ${(err as Error).message}${hint}`);
  }
}

/** The previous run must be of the stack being audited: a diff against another stack's findings means nothing. */
export function checkPreviousStack(p: PreviousRun | undefined, manifest: unknown): void {
  // An unreadable stack is left to runAudit, which names the manifest's every problem.
  const stack = (manifest as { stack?: unknown } | null)?.stack;
  if (p && typeof stack === "string" && p.result.stack !== stack)
    throw new AuditConfigError(
      `${p.source}: is a report of stack ${p.result.stack}, but the manifest is of stack ${stack}; allowed: a report of stack ${stack}`,
    );
}

const errCode = (err: unknown) => (err as NodeJS.ErrnoException).code ?? (err as Error).name;
