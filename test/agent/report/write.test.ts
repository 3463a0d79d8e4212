import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, symlinkSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { recoverReportDir, REPORT_MARKER, ReportStaging, writeReports } from "../../../agent/report";
import { renderHtml } from "../../../agent/report/html";
import { parseJsonReport, renderJson } from "../../../agent/report/json";
import { renderMarkdown } from "../../../agent/report/markdown";
import { AuditConfigError } from "../../../agent/options";
import type { AuditResult } from "../../../agent/finding";
import { SMALL_RESULT } from "./fixtures";

const RUN1 = "11111111-1111-4111-8111-111111111111";
const RUN2 = "22222222-2222-4222-8222-222222222222";
const RUN3 = "33333333-3333-4333-8333-333333333333";
const run = (runId: string): AuditResult => ({
  ...SMALL_RESULT,
  runId,
  finishedAt: `2026-11-22T10:00:0${runId[0]}.000Z`,
});
const ALL = ["json", "md", "html"] as const;
const ALLOWED =
  "allowed: a missing or empty directory, or one holding only orgwarden's report.json, report.md, report.html, report.asff.json, report.ocsf.json, its intended/ directory and .orgwarden-report";

const freshOut = () => join(mkdtempSync(join(tmpdir(), "orgwarden-write-")), "out");

/** Every file of the directory with its bytes. */
function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir)
      .sort()
      .map((n) => [n, readFileSync(join(dir, n), "utf8")]),
  );
}

/** What orgwarden keeps beside `<out>` while it works: must be nothing once a run is over. */
const leftovers = (out: string) =>
  readdirSync(dirname(out)).filter((n) => n.startsWith(`.${basename(out)}.orgwarden-`));

/** The three reports of a run, exactly as their renderers write them. */
const rendered = (r: AuditResult) => ({
  "report.html": renderHtml(r),
  "report.json": renderJson(r),
  "report.md": renderMarkdown(r),
});

/** A pid that no process has any more (a child that ran and was reaped). */
const deadPid = () => spawnSync(process.execPath, ["-e", ""]).pid as number;

function marker(runId: string, files: string[], pid: number, host = hostname()): string {
  return `${JSON.stringify({ generator: "orgwarden", runId, host, pid, files }, null, 2)}\n`;
}

/** The staging directory a run of `runId` leaves when it dies with its files written (or the listed part of them). */
function crashedStaging(out: string, r: AuditResult, files = Object.keys(rendered(r)), pid = deadPid()): string {
  const dir = join(dirname(out), `.${basename(out)}.orgwarden-staging-${r.runId}`);
  mkdirSync(dir);
  const texts = rendered(r) as Record<string, string>;
  for (const f of files) writeFileSync(join(dir, f), texts[f]);
  writeFileSync(join(dir, REPORT_MARKER), marker(r.runId, files, pid));
  return dir;
}

describe("writeReports", () => {
  it("writes the chosen formats, each equal to its renderer's output, and a marker naming the run and its files", async () => {
    const out = freshOut();
    const paths = await writeReports(run(RUN1), { formats: ["md", "json", "html", "md"], outDir: out });
    expect(paths).toEqual([join(out, "report.md"), join(out, "report.json"), join(out, "report.html")]);
    expect(readFileSync(paths[0], "utf8")).toBe(renderMarkdown(run(RUN1)));
    expect(parseJsonReport(readFileSync(paths[1], "utf8"))).toEqual(run(RUN1));
    expect(readFileSync(paths[2], "utf8")).toBe(renderHtml(run(RUN1)));
    const m = JSON.parse(readFileSync(join(out, REPORT_MARKER), "utf8"));
    expect(m).toMatchObject({
      generator: "orgwarden",
      runId: RUN1,
      host: hostname(),
      pid: process.pid,
      files: ["report.md", "report.json", "report.html"],
    });
    expect(leftovers(out)).toEqual([]);
  });

  it("refuses unknown or no formats, naming what is allowed", async () => {
    await expect(writeReports(SMALL_RESULT, { formats: ["pdf" as "md"], outDir: tmpdir() })).rejects.toThrow(
      'writeReports: unknown format "pdf"; allowed: json, md, html',
    );
    await expect(writeReports(SMALL_RESULT, { formats: [], outDir: tmpdir() })).rejects.toThrow(
      "writeReports: formats must name at least one of json, md, html",
    );
  });

  it("a second run replaces the whole set: every file carries the new run id, and a format the new run does not write is gone too", async () => {
    const out = freshOut();
    await writeReports(run(RUN1), { formats: [...ALL], outDir: out });
    await writeReports(run(RUN2), { formats: [...ALL], outDir: out });
    expect(snapshot(out)).toEqual({
      ...rendered(run(RUN2)),
      [REPORT_MARKER]: expect.stringContaining(`"runId": "${RUN2}"`),
    });
    for (const f of ["report.json", "report.md", "report.html"])
      expect(readFileSync(join(out, f), "utf8")).toContain(RUN2);
    await writeReports(run(RUN3), { formats: ["json"], outDir: out });
    expect(Object.keys(snapshot(out))).toEqual([REPORT_MARKER, "report.json"]);
    expect(leftovers(out)).toEqual([]);
  });

  it("extra files join the set and the marker vouches for them on the next run", async () => {
    const out = freshOut();
    await writeReports(run(RUN1), { formats: ["json"], outDir: out, extraFiles: { "sandbox-manifest.json": "{}\n" } });
    expect(snapshot(out)["sandbox-manifest.json"]).toBe("{}\n");
    await writeReports(run(RUN2), { formats: ["json"], outDir: out, extraFiles: { "sandbox-manifest.json": "[]\n" } });
    expect(snapshot(out)["sandbox-manifest.json"]).toBe("[]\n");
    await expect(
      writeReports(run(RUN3), { formats: ["json"], outDir: out, extraFiles: { ".hidden": "" } }),
    ).rejects.toThrow(
      'writeReports: extra file ".hidden" must be a plain file name other than .orgwarden-report, intended, report.json, report.md, report.html, report.asff.json, report.ocsf.json',
    );
  });

  describe("a failing rename leaves the complete previous set and nothing beside it", () => {
    it.each([
      ["moving the previous set aside", 1],
      ["moving the new set in", 2],
    ])("%s", async (_step, failing) => {
      const out = freshOut();
      await writeReports(run(RUN1), { formats: [...ALL], outDir: out });
      const before = snapshot(out);
      let calls = 0;
      const rename = (from: string, to: string) => {
        calls += 1;
        if (calls === failing)
          throw Object.assign(new Error(`EIO: i/o error, rename '${from}' -> '${to}'`), { code: "EIO" });
        renameSync(from, to);
      };
      const err = await writeReports(run(RUN2), { formats: [...ALL], outDir: out, rename }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AuditConfigError);
      expect((err as Error).message).toMatch(
        new RegExp(`^--out ${out}: cannot be written \\(EIO: i/o error, rename '`),
      );
      expect(snapshot(out)).toEqual(before);
      expect(leftovers(out)).toEqual([]);
    });
  });

  // A SIGKILL of the writer cannot be timed between two syscalls from a test, so each point it can
  // die at is recreated on disk as it would be left, and the next run's recovery is checked.
  describe("recovery from a crash at each step", () => {
    const setUp = async () => {
      const out = freshOut();
      await writeReports(run(RUN1), { formats: [...ALL], outDir: out });
      return { out, previousSet: snapshot(out) };
    };

    it("died while writing into staging: the previous set stays, the dead run's staging directory is removed", async () => {
      const { out, previousSet } = await setUp();
      crashedStaging(out, run(RUN2), ["report.json"]);
      recoverReportDir(out);
      expect(snapshot(out)).toEqual(previousSet);
      expect(leftovers(out)).toEqual([]);
    });

    it("died after creating staging, before its marker was written: removed", async () => {
      const { out, previousSet } = await setUp();
      mkdirSync(join(dirname(out), `.out.orgwarden-staging-${RUN2}`));
      recoverReportDir(out);
      expect(snapshot(out)).toEqual(previousSet);
      expect(leftovers(out)).toEqual([]);
    });

    it("died between the two renames (<out> missing): the previous set is restored before anything else", async () => {
      const { out, previousSet } = await setUp();
      crashedStaging(out, run(RUN2));
      renameSync(out, join(dirname(out), `.out.orgwarden-previous-${RUN2}`));
      recoverReportDir(out);
      expect(snapshot(out)).toEqual(previousSet);
      expect(leftovers(out)).toEqual([]);
      // And the next run goes ahead from there.
      await writeReports(run(RUN3), { formats: [...ALL], outDir: out });
      expect(readFileSync(join(out, "report.md"), "utf8")).toBe(renderMarkdown(run(RUN3)));
    });

    it("died after the swap, before the previous set was removed: the new set stays, the previous one is removed", async () => {
      const { out } = await setUp();
      const staging = crashedStaging(out, run(RUN2));
      renameSync(out, join(dirname(out), `.out.orgwarden-previous-${RUN2}`));
      renameSync(staging, out);
      const newSet = snapshot(out);
      recoverReportDir(out);
      expect(snapshot(out)).toEqual(newSet);
      expect(newSet["report.json"]).toBe(renderJson(run(RUN2)));
      expect(leftovers(out)).toEqual([]);
    });

    it("a staging directory whose writer still runs, or runs on another host, is left alone", async () => {
      const { out, previousSet } = await setUp();
      const live = crashedStaging(out, run(RUN2), [], process.pid);
      const elsewhere = crashedStaging(out, run(RUN3), [], 1);
      writeFileSync(join(elsewhere, REPORT_MARKER), marker(RUN3, [], 1, "another-host"));
      recoverReportDir(out);
      expect(snapshot(out)).toEqual(previousSet);
      expect(leftovers(out).sort()).toEqual([basename(live), basename(elsewhere)]);
    });
  });

  describe("--out must be absent or a directory orgwarden owns: anything else is refused and nothing is written", () => {
    it("a directory holding a file orgwarden did not write", async () => {
      const out = freshOut();
      mkdirSync(out);
      writeFileSync(join(out, "report.json"), "mine");
      writeFileSync(join(out, "notes.txt"), "keep me");
      await expect(writeReports(run(RUN1), { formats: [...ALL], outDir: out })).rejects.toThrow(
        new AuditConfigError(
          `--out ${out}: holds notes.txt, which orgwarden did not write, so nothing was written; ${ALLOWED}`,
        ),
      );
      expect(snapshot(out)).toEqual({ "notes.txt": "keep me", "report.json": "mine" });
      expect(leftovers(out)).toEqual([]);
    });

    it("the repository root (or '.') is refused by the same rule", async () => {
      const root = join(__dirname, "..", "..", "..");
      // The first entry in sorted order: .cache once the suite has run, .ci on a fresh clone.
      const first = readdirSync(root).sort()[0];
      expect(() => ReportStaging.open({ outDir: root, runId: RUN1 })).toThrow(
        new AuditConfigError(
          `--out ${root}: holds ${first}, which orgwarden did not write, so nothing was written; ${ALLOWED}`,
        ),
      );
      expect(leftovers(root)).toEqual([]);
    });

    it("the filesystem root", () => {
      expect(() => ReportStaging.open({ outDir: "/", runId: RUN1 })).toThrow(
        new AuditConfigError(`--out /: is the filesystem root; ${ALLOWED}`),
      );
    });

    it("a symbolic link", async () => {
      const out = freshOut();
      mkdirSync(`${out}-target`);
      symlinkSync(`${out}-target`, out);
      expect(() => ReportStaging.open({ outDir: out, runId: RUN1 })).toThrow(
        new AuditConfigError(`--out ${out}: is a symbolic link (name the directory it points to); ${ALLOWED}`),
      );
    });

    it("a regular file (ENOTDIR), or a path under one (EEXIST): the code is named once", async () => {
      const file = join(mkdtempSync(join(tmpdir(), "orgwarden-write-")), "a-file");
      writeFileSync(file, "");
      expect(() => ReportStaging.open({ outDir: file, runId: RUN1 })).toThrow(
        new AuditConfigError(`--out ${file}: cannot be written (ENOTDIR: not a directory, scandir '${file}')`),
      );
      const under = join(file, "reports");
      expect(() => ReportStaging.open({ outDir: under, runId: RUN1 })).toThrow(
        new AuditConfigError(`--out ${under}: cannot be written (EEXIST: file already exists, mkdir '${file}')`),
      );
      expect(readdirSync(dirname(file))).toEqual(["a-file"]);
    });
  });
});
