/** Writes the chosen report formats for one AuditResult into a directory. */
import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { AuditResult } from "../finding";
import { renderHtml } from "./html";
import { renderJson } from "./json";
import { renderMarkdown } from "./markdown";

export { renderHtml, escapeHtml } from "./html";
export { renderJson, parseJsonReport, toJsonReport, REPORT_SCHEMA_VERSION, jsonReportSchema } from "./json";
export type { JsonReport } from "./json";
export { renderMarkdown } from "./markdown";
export { summarize, sortFindings, STATUS_ORDER } from "./summary";
export type { ReportSummary } from "./summary";

export const REPORT_FILES = { json: "report.json", md: "report.md", html: "report.html" } as const;
export type ReportFormatName = keyof typeof REPORT_FILES;

const RENDERERS: Record<ReportFormatName, (r: AuditResult) => string> = { json: renderJson, md: renderMarkdown, html: renderHtml };

export interface WriteReportsOptions {
  formats: ReportFormatName[];
  outDir: string;
}

/** Renders and writes each format (in the order given, duplicates once); returns the absolute paths written. */
export async function writeReports(result: AuditResult, options: WriteReportsOptions): Promise<string[]> {
  const allowed = Object.keys(REPORT_FILES);
  if (!Array.isArray(options.formats) || options.formats.length === 0) throw new Error(`writeReports: formats must name at least one of ${allowed.join(", ")}`);
  const bad = options.formats.filter((f) => !allowed.includes(f));
  if (bad.length > 0) throw new Error(`writeReports: unknown format ${bad.map((b) => JSON.stringify(b)).join(", ")}; allowed: ${allowed.join(", ")}`);
  if (!options.outDir) throw new Error("writeReports: outDir must be a directory path");
  const dir = resolve(options.outDir);
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const format of [...new Set(options.formats)]) {
    const path = join(dir, REPORT_FILES[format]);
    await writeFile(path, RENDERERS[format](result), "utf8");
    written.push(path);
  }
  return written;
}
