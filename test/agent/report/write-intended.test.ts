import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import type { AuditResult } from "../../../agent/finding";
import { AuditConfigError } from "../../../agent/options";
import { REPORT_MARKER, writeReports } from "../../../agent/report";
import { intendedPath } from "../../../agent/report/intended";
import { EXPECTED_BUCKET_POLICY, NAMED_RESULT, POLICY_FAIL } from "./named-fixtures";

const RUN1 = "11111111-1111-4111-8111-111111111111";
const RUN2 = "22222222-2222-4222-8222-222222222222";
const freshOut = () => join(mkdtempSync(join(tmpdir(), "orgwarden-intended-")), "out");
const leftovers = (out: string) =>
  readdirSync(dirname(out)).filter((n) => n.startsWith(`.${basename(out)}.orgwarden-`));

const KEY_FILE = intendedPath("kms-key-policy|333333333333|us-east-1|arn:aws:kms:us-east-1:333333333333:key/k");
const KEY_POLICY = { Version: "2012-10-17", Statement: [{ Sid: "Root", Effect: "Allow", Action: "kms:*" }] };

const run = (runId: string, docs: AuditResult["intendedDocuments"]): AuditResult => ({
  ...NAMED_RESULT,
  runId,
  ...(docs ? { intendedDocuments: docs } : { intendedDocuments: undefined }),
});

/** intended/ as path → parsed document. */
function intendedOf(out: string): Record<string, unknown> {
  const dir = join(out, "intended");
  if (!existsSync(dir)) return {};
  return Object.fromEntries(
    readdirSync(dir).map((n) => [`intended/${n}`, JSON.parse(readFileSync(join(dir, n), "utf8"))]),
  );
}

describe("intended/ is written inside the staged set, all-or-nothing with the reports", () => {
  it("writes each document exactly, lists intended in the marker, and the report's commands name the files", async () => {
    const out = freshOut();
    const paths = await writeReports(run(RUN1, NAMED_RESULT.intendedDocuments), {
      formats: ["json", "md"],
      outDir: out,
    });
    expect(paths).toEqual([join(out, "report.json"), join(out, "report.md")]);
    const file = POLICY_FAIL.remediation.intendedFile!;
    expect(readFileSync(join(out, file), "utf8")).toBe(`${JSON.stringify(EXPECTED_BUCKET_POLICY, null, 2)}\n`);
    expect(JSON.parse(readFileSync(join(out, REPORT_MARKER), "utf8")).files).toEqual([
      "report.json",
      "report.md",
      "intended",
    ]);
    expect(readFileSync(join(out, "report.md"), "utf8")).toContain(`file://${file}`);
    expect(leftovers(out)).toEqual([]);
  });

  it("the next run's set replaces the whole of intended/: a document no finding refers to any more is gone", async () => {
    const out = freshOut();
    await writeReports(run(RUN1, NAMED_RESULT.intendedDocuments), { formats: ["json"], outDir: out });
    await writeReports(run(RUN2, { [KEY_FILE]: KEY_POLICY }), { formats: ["json"], outDir: out });
    expect(intendedOf(out)).toEqual({ [KEY_FILE]: KEY_POLICY });
    await writeReports(run("33333333-3333-4333-8333-333333333333", undefined), { formats: ["json"], outDir: out });
    expect(existsSync(join(out, "intended"))).toBe(false);
    expect(leftovers(out)).toEqual([]);
  });

  it("a failing swap leaves the previous reports with the previous intended/, nothing of the new run", async () => {
    const out = freshOut();
    await writeReports(run(RUN1, NAMED_RESULT.intendedDocuments), { formats: ["json"], outDir: out });
    let calls = 0;
    const rename = (from: string, to: string) => {
      calls += 1;
      if (calls === 2) throw Object.assign(new Error(`EIO: i/o error, rename '${from}' -> '${to}'`), { code: "EIO" });
      renameSync(from, to);
    };
    const err = await writeReports(run(RUN2, { [KEY_FILE]: KEY_POLICY }), {
      formats: ["json"],
      outDir: out,
      rename,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuditConfigError);
    expect(intendedOf(out)).toEqual(NAMED_RESULT.intendedDocuments);
    expect(readFileSync(join(out, "report.json"), "utf8")).toContain(RUN1);
    expect(leftovers(out)).toEqual([]);
  });

  it("refuses a document path that is not intended/<encoded id>.json, writing nothing", async () => {
    const out = freshOut();
    for (const bad of ["../escape.json", "intended/a|b.json", "intended/sub/x.json", "report.json"])
      await expect(writeReports(run(RUN1, { [bad]: {} }), { formats: ["json"], outDir: out })).rejects.toThrow(
        `writeReports: intended document ${JSON.stringify(bad)} must be named intended/<percent-encoded finding id>.json`,
      );
    expect(existsSync(out)).toBe(false);
    expect(leftovers(out)).toEqual([]);
  });

  it("an intended/ directory orgwarden did not write (no marker vouches for it) is not replaced", async () => {
    const out = freshOut();
    mkdirSync(join(out, "intended"), { recursive: true });
    writeFileSync(join(out, "intended", "mine.json"), "{}");
    await expect(writeReports(run(RUN1, undefined), { formats: ["json"], outDir: out })).rejects.toThrow(
      "holds intended, which orgwarden did not write",
    );
    expect(readFileSync(join(out, "intended", "mine.json"), "utf8")).toBe("{}");
  });
});
