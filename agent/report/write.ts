/**
 * Writes a run's reports all-or-nothing: a reader of `<out>` sees the whole previous set or the
 * whole new one, never report.json of one run beside report.md of another.
 *
 * Every file is written and fsynced into a staging directory beside `<out>` (same parent, so the
 * renames stay on one filesystem), then two renames swap it in:
 *   `<out>` → `<parent>/.<base>.orgwarden-previous-<runId>`, staging → `<out>`, remove previous.
 * Node has no renameat2(RENAME_EXCHANGE) and a symlink flip would turn `--out` into a link, so the
 * swap leaves `<out>` absent between the two renames (microseconds, never a mix). A crash at any
 * point leaves a state the next run's recoverReportDir() repairs before it does anything else:
 * `<out>` missing beside a previous directory → the previous set is restored; a previous
 * directory beside `<out>` → the swap had finished, it is removed; a staging directory whose
 * writer is dead → removed. One run at a time per `--out`.
 *
 * `<out>` is replaced as a whole, so it may only hold what orgwarden wrote there: its reports, the
 * `.orgwarden-report` marker (run id, writer, files) and the extra files that marker lists. The
 * intended documents the remediation commands read (AuditResult.intendedDocuments) are written to
 * `intended/` inside the staged set, so they swap in and out with the reports they belong to.
 */
import {
  closeSync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
  type Stats,
} from "node:fs";
import { open } from "node:fs/promises";
import { hostname } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import type { AuditResult } from "../finding";
import { INTENDED_DIR } from "./intended";
import { AuditConfigError } from "../options";
import { isAlive, procStat } from "../proc";
import { REPORT_FILES, reportFormat, type ReportFormatName } from "./formats";

export { REPORT_FILES, type ReportFormatName } from "./formats";
/** Marks a directory as orgwarden's: without it, only the three report names are recognised. */
export const REPORT_MARKER = ".orgwarden-report";

const INTENDED_FILE = new RegExp(`^${INTENDED_DIR}/[A-Za-z0-9._%~-]+\\.json$`);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ALLOWED = `allowed: a missing or empty directory, or one holding only orgwarden's ${Object.values(REPORT_FILES).join(", ")}, its ${INTENDED_DIR}/ directory and ${REPORT_MARKER}`;

interface Marker {
  generator: "orgwarden";
  runId: string;
  /** The writer, so a later run can tell a crashed run's staging directory from a live one. */
  host: string;
  pid: number;
  startTime?: string;
  files: string[];
}

export interface ReportDirOptions {
  /** The report directory as the user named it (errors quote it as `--out <outDir>`). */
  outDir: string;
  runId: string;
  /** Test seam: the rename of the two swap steps (out → previous, staging → out). */
  rename?: (from: string, to: string) => void;
}

interface Layout {
  label: string;
  out: string;
  parent: string;
  base: string;
}

function layout(outDir: string): Layout {
  if (!outDir) throw new Error("writeReports: outDir must be a directory path");
  const out = resolve(outDir);
  return { label: `--out ${outDir}`, out, parent: dirname(out), base: basename(out) };
}

const stagingPath = (l: Layout, runId: string) => join(l.parent, `.${l.base}.orgwarden-staging-${runId}`);
const previousPath = (l: Layout, runId: string) => join(l.parent, `.${l.base}.orgwarden-previous-${runId}`);

/** A filesystem error as one clause, its code once (Node's message already starts with it). */
function cannotWrite(label: string, err: unknown): unknown {
  const e = err as NodeJS.ErrnoException;
  if (typeof e?.code !== "string") return err;
  const text = e.message.startsWith(`${e.code}:`) ? e.message : `${e.code}: ${e.message}`;
  return new AuditConfigError(`${label}: cannot be written (${text})`);
}

function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
}

function readMarker(dir: string): Marker | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(join(dir, REPORT_MARKER), "utf8"));
  } catch (err) {
    // Absent, or cut short by a crash while it was written: either way it vouches for nothing.
    if ((err as NodeJS.ErrnoException).code === "ENOENT" || err instanceof SyntaxError) return undefined;
    throw err;
  }
  const m = raw as Partial<Marker> | null;
  if (
    m?.generator !== "orgwarden" ||
    typeof m.runId !== "string" ||
    typeof m.pid !== "number" ||
    typeof m.host !== "string" ||
    !Array.isArray(m.files)
  )
    return undefined;
  return {
    ...(m as Marker),
    files: m.files.filter((f): f is string => typeof f === "string" && !f.includes("/") && f !== "." && f !== ".."),
  };
}

/** The first entry of `<out>` orgwarden did not write, if any (sorted, so the message is stable). */
function foreignEntry(l: Layout): string | undefined {
  const entries = readdirSync(l.out).sort();
  const owned = new Set<string>([REPORT_MARKER, ...Object.values(REPORT_FILES), ...(readMarker(l.out)?.files ?? [])]);
  return entries.find((e) => !owned.has(e));
}

/** `<out>` must be absent, or a real directory orgwarden owns: it is about to be replaced as a whole. */
function checkReplaceable(l: Layout): boolean {
  const st = lstatOrUndefined(l.out);
  if (!st) return false;
  if (l.out === l.parent) throw new AuditConfigError(`${l.label}: is the filesystem root; ${ALLOWED}`);
  if (st.isSymbolicLink())
    throw new AuditConfigError(`${l.label}: is a symbolic link (name the directory it points to); ${ALLOWED}`);
  const foreign = foreignEntry(l);
  if (foreign !== undefined)
    throw new AuditConfigError(
      `${l.label}: holds ${foreign}, which orgwarden did not write, so nothing was written; ${ALLOWED}`,
    );
  return true;
}

function isStaleStaging(dir: string): boolean {
  const m = readMarker(dir);
  if (!m) return true;
  // Another host may share the filesystem and still be writing: only this host's dead writers are known dead.
  return m.host === hostname() && !isAlive(m.pid, m.startTime);
}

/**
 * Repairs what an interrupted run left beside `<out>` (see the file comment); idempotent. Runs at
 * the start of every write, before `<out>` is looked at.
 */
export function recoverReportDir(outDir: string): void {
  const l = layout(outDir);
  let names: string[];
  try {
    names = readdirSync(l.parent);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return;
    throw err;
  }
  const own = new RegExp(
    `^\\.${l.base.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\.orgwarden-(staging|previous)-[0-9a-f-]{36}$`,
    "i",
  );
  const mine = names
    .filter((n) => own.test(n))
    .map((n) => ({ path: join(l.parent, n), kind: n.includes(".orgwarden-staging-") ? "staging" : "previous" }));
  const previous = mine
    .filter((m) => m.kind === "previous")
    .map((m) => ({ ...m, mtime: lstatSync(m.path).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime);
  if (previous.length > 0 && !lstatOrUndefined(l.out)) {
    // Crashed between the two renames: the newest previous set is the last complete one.
    renameSync(previous[0].path, l.out);
    previous.shift();
  }
  for (const p of previous) rmSync(p.path, { recursive: true, force: true });
  for (const s of mine.filter((m) => m.kind === "staging"))
    if (isStaleStaging(s.path)) rmSync(s.path, { recursive: true, force: true });
}

async function writeDurably(path: string, text: string): Promise<void> {
  const fh = await open(path, "w");
  try {
    await fh.writeFile(text, "utf8");
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** A rename is durable only once the directory holding the entry is synced. */
function syncDir(path: string): void {
  const fd = openSync(path, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * One run's staging directory. Opening it is the proof that `--out` can be written (the CLI opens
 * it before collecting anything); commit() swaps the new set in; discard() removes it.
 */
export class ReportStaging {
  readonly dir: string;
  readonly runId: string;
  private state: "open" | "committing" | "committed" | "discarded" = "open";
  private readonly l: Layout;
  private readonly rename: (from: string, to: string) => void;

  private constructor(l: Layout, runId: string, rename: (from: string, to: string) => void) {
    this.l = l;
    this.runId = runId;
    this.dir = stagingPath(l, runId);
    this.rename = rename;
  }

  /** Recovers, checks that `<out>` is replaceable, creates the staging directory; throws AuditConfigError naming `--out`. */
  static open(options: ReportDirOptions): ReportStaging {
    if (!UUID.test(options.runId))
      throw new Error(`writeReports: runId must be a UUID, got ${JSON.stringify(options.runId)}`);
    const l = layout(options.outDir);
    const s = new ReportStaging(l, options.runId, options.rename ?? renameSync);
    let created = false;
    try {
      mkdirSync(l.parent, { recursive: true });
      recoverReportDir(options.outDir);
      checkReplaceable(l);
      mkdirSync(s.dir);
      created = true;
      writeFileSync(join(s.dir, REPORT_MARKER), s.marker([]));
    } catch (err) {
      if (created) rmSync(s.dir, { recursive: true, force: true });
      throw cannotWrite(l.label, err);
    }
    return s;
  }

  get committed(): boolean {
    return this.state === "committed";
  }

  /** Read through a getter: a signal handler may have discarded the directory during an await of commit(). */
  private get committing(): boolean {
    return this.state === "committing";
  }

  private marker(files: string[]): string {
    const m: Marker = {
      generator: "orgwarden",
      runId: this.runId,
      host: hostname(),
      pid: process.pid,
      startTime: procStat(process.pid)?.startTime,
      files,
    };
    return `${JSON.stringify(m, null, 2)}\n`;
  }

  /** Writes the formats (and any extra files) into staging, fsyncs, and swaps the set into `<out>`; returns the final paths. */
  async commit(
    result: AuditResult,
    formats: ReportFormatName[],
    extraFiles: Record<string, string> = {},
  ): Promise<string[]> {
    if (this.state !== "open") throw new Error(`writeReports: the staging directory ${this.dir} is ${this.state}`);
    if (result.runId !== this.runId)
      throw new Error(`writeReports: the result's runId ${result.runId} is not the staging directory's ${this.runId}`);
    const reserved = new Set<string>([REPORT_MARKER, INTENDED_DIR, ...Object.values(REPORT_FILES)]);
    const extras = Object.keys(extraFiles);
    const bad = extras.find((n) => reserved.has(n) || n.includes("/") || n.startsWith(".") || n.length === 0);
    if (bad !== undefined)
      throw new Error(
        `writeReports: extra file ${JSON.stringify(bad)} must be a plain file name other than ${[...reserved].join(", ")}`,
      );
    const intended = Object.entries(result.intendedDocuments ?? {});
    const badDoc = intended.find(([p]) => !INTENDED_FILE.test(p));
    if (badDoc !== undefined)
      throw new Error(
        `writeReports: intended document ${JSON.stringify(badDoc[0])} must be named ${INTENDED_DIR}/<percent-encoded finding id>.json`,
      );
    this.state = "committing";
    const files = [
      ...[...new Set(formats)].map((f) => REPORT_FILES[f]),
      ...extras,
      ...(intended.length > 0 ? [INTENDED_DIR] : []),
    ];
    try {
      for (const f of [...new Set(formats)])
        await writeDurably(join(this.dir, REPORT_FILES[f]), reportFormat(f).render(result));
      for (const n of extras) await writeDurably(join(this.dir, n), extraFiles[n]);
      if (intended.length > 0) {
        mkdirSync(join(this.dir, INTENDED_DIR));
        // Exactly the document, pretty-printed: what `file://` hands the AWS CLI.
        for (const [path, doc] of intended)
          await writeDurably(join(this.dir, path), `${JSON.stringify(doc, null, 2)}\n`);
        syncDir(join(this.dir, INTENDED_DIR));
      }
      await writeDurably(join(this.dir, REPORT_MARKER), this.marker(files));
      syncDir(this.dir);
      // From here on synchronous: a signal handler cannot run between the two renames.
      if (!this.committing)
        throw new Error(`writeReports: the staging directory ${this.dir} was discarded while the reports were written`);
      this.swap();
    } catch (err) {
      this.discard();
      throw cannotWrite(this.l.label, err);
    }
    // The reports and extra files; intended/ is a directory beside them (AuditResult.intendedDocuments names its files).
    return files.filter((f) => f !== INTENDED_DIR).map((f) => join(this.l.out, f));
  }

  private swap(): void {
    const hadOut = checkReplaceable(this.l);
    const previous = previousPath(this.l, this.runId);
    if (hadOut) this.rename(this.l.out, previous);
    try {
      this.rename(this.dir, this.l.out);
    } catch (err) {
      // Put the previous set back now rather than leave `<out>` missing until the next run recovers it.
      if (hadOut) renameSync(previous, this.l.out);
      throw err;
    }
    this.state = "committed";
    syncDir(this.l.parent);
    if (hadOut) rmSync(previous, { recursive: true, force: true });
  }

  /** Removes the staging directory unless the set was swapped in; synchronous, so a signal handler can call it. */
  discard(): void {
    if (this.state === "committed" || this.state === "discarded") return;
    this.state = "discarded";
    rmSync(this.dir, { recursive: true, force: true });
  }
}
