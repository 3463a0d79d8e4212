/** Writes the chosen report formats for one AuditResult into a directory, all-or-nothing (see write.ts). */
import type { AuditResult } from "../finding";
import { REPORT_FILES, ReportStaging, type ReportDirOptions, type ReportFormatName } from "./write";

export { renderHtml, escapeHtml } from "./html";
export { renderJson, parseJsonReport, toJsonReport, REPORT_SCHEMA_VERSION, jsonReportSchema } from "./json";
export type { JsonReport } from "./json";
export { renderMarkdown } from "./markdown";
export { summarize, sortFindings, STATUS_ORDER } from "./summary";
export type { ReportSummary } from "./summary";
export { REPORT_MARKER, ReportStaging, recoverReportDir } from "./write";
export { REPORT_FILES, REPORT_FORMAT_TABLE, REPORT_FORMATS } from "./formats";
export type { ReportFormatName, ReportDirOptions } from "./write";

export interface WriteReportsOptions {
  formats: ReportFormatName[];
  outDir: string;
  /** Files written into the same set beside the reports (name → content), e.g. the demo's sandbox manifest; the marker lists them. */
  extraFiles?: Record<string, string>;
  /** Test seam, see ReportDirOptions.rename. */
  rename?: ReportDirOptions["rename"];
}

/** Checks the formats (in the order given, duplicates once). */
export function checkFormats(formats: unknown): asserts formats is ReportFormatName[] {
  const allowed = Object.keys(REPORT_FILES);
  if (!Array.isArray(formats) || formats.length === 0)
    throw new Error(`writeReports: formats must name at least one of ${allowed.join(", ")}`);
  const bad = formats.filter((f) => !allowed.includes(f));
  if (bad.length > 0)
    throw new Error(
      `writeReports: unknown format ${bad.map((b) => JSON.stringify(b)).join(", ")}; allowed: ${allowed.join(", ")}`,
    );
}

/** Renders each format and swaps the whole set into outDir; returns the absolute paths written (reports, then extra files). */
export async function writeReports(result: AuditResult, options: WriteReportsOptions): Promise<string[]> {
  checkFormats(options.formats);
  const staging = ReportStaging.open({ outDir: options.outDir, runId: result.runId, rename: options.rename });
  try {
    return await staging.commit(result, options.formats, options.extraFiles);
  } finally {
    staging.discard();
  }
}
