/**
 * The report formats, once: a new format is its renderer plus one row here. The CLI's --format
 * list, the file names in --out, the Lambda's S3 content types and the directory-ownership rule all
 * read this table.
 */
import type { AuditResult } from "../finding";
import { renderHtml } from "./html";
import { renderJson } from "./json";
import { renderMarkdown } from "./markdown";

export interface ReportFormatSpec {
  /** What --format takes. */
  id: string;
  /** File name inside --out (and the S3 object's last key segment). */
  file: string;
  contentType: string;
  render(result: AuditResult): string;
}

export const REPORT_FORMAT_TABLE = [
  { id: "json", file: "report.json", contentType: "application/json", render: renderJson },
  { id: "md", file: "report.md", contentType: "text/markdown; charset=utf-8", render: renderMarkdown },
  { id: "html", file: "report.html", contentType: "text/html; charset=utf-8", render: renderHtml },
] as const satisfies readonly ReportFormatSpec[];

export type ReportFormatName = (typeof REPORT_FORMAT_TABLE)[number]["id"];

/** Every format id, in table order (the default set). */
export const REPORT_FORMATS = REPORT_FORMAT_TABLE.map((f) => f.id) as [ReportFormatName, ...ReportFormatName[]];

/** Format id → file name. */
export const REPORT_FILES = Object.fromEntries(REPORT_FORMAT_TABLE.map((f) => [f.id, f.file])) as {
  [K in ReportFormatName]: Extract<(typeof REPORT_FORMAT_TABLE)[number], { id: K }>["file"];
};

export function reportFormat(id: ReportFormatName): ReportFormatSpec {
  return REPORT_FORMAT_TABLE.find((f) => f.id === id)!;
}

/** "json, md or html": the ids as a sentence, for messages. */
export const REPORT_FORMATS_TEXT = `${REPORT_FORMATS.slice(0, -1).join(", ")} or ${REPORT_FORMATS[REPORT_FORMATS.length - 1]}`;
