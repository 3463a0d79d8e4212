/**
 * The report formats, once: a new format is its renderer plus one row here. The CLI's --format
 * list, the file names in --out, the Lambda's S3 content types and the directory-ownership rule all
 * read this table.
 */
import type { AuditResult } from "../finding";
import { renderAsff } from "./asff";
import { renderHtml } from "./html";
import { renderJson } from "./json";
import { renderMarkdown } from "./markdown";
import { renderOcsf } from "./ocsf";

export interface ReportFormatSpec {
  /** What --format takes. */
  id: string;
  /** File name inside --out (and the S3 object's last key segment). */
  file: string;
  contentType: string;
  render(result: AuditResult): string;
  /** Written when --format is not given (the reports people read); the machine formats are asked for by name. */
  byDefault: boolean;
}

export const REPORT_FORMAT_TABLE = [
  { id: "json", file: "report.json", contentType: "application/json", render: renderJson, byDefault: true },
  { id: "md", file: "report.md", contentType: "text/markdown; charset=utf-8", render: renderMarkdown, byDefault: true },
  { id: "html", file: "report.html", contentType: "text/html; charset=utf-8", render: renderHtml, byDefault: true },
  // AWS Security Finding Format documents for Security Hub (agent/report/asff.ts).
  { id: "asff", file: "report.asff.json", contentType: "application/json", render: renderAsff, byDefault: false },
  // OCSF 1.5 Compliance Finding records for SIEMs and Amazon Security Lake (agent/report/ocsf.ts).
  { id: "ocsf", file: "report.ocsf.json", contentType: "application/json", render: renderOcsf, byDefault: false },
] as const satisfies readonly ReportFormatSpec[];

export type ReportFormatName = (typeof REPORT_FORMAT_TABLE)[number]["id"];

/** Every format id, in table order (the default set). */
export const REPORT_FORMATS = REPORT_FORMAT_TABLE.map((f) => f.id) as [ReportFormatName, ...ReportFormatName[]];

/** The formats written when none are named: json, md and html. */
export const DEFAULT_REPORT_FORMATS = REPORT_FORMAT_TABLE.filter((f) => f.byDefault).map((f) => f.id) as [
  ReportFormatName,
  ...ReportFormatName[],
];

/** Format id → file name. */
export const REPORT_FILES = Object.fromEntries(REPORT_FORMAT_TABLE.map((f) => [f.id, f.file])) as {
  [K in ReportFormatName]: Extract<(typeof REPORT_FORMAT_TABLE)[number], { id: K }>["file"];
};

export function reportFormat(id: ReportFormatName): ReportFormatSpec {
  return REPORT_FORMAT_TABLE.find((f) => f.id === id)!;
}

/** "json, md or html": the ids as a sentence, for messages. */
export const REPORT_FORMATS_TEXT = `${REPORT_FORMATS.slice(0, -1).join(", ")} or ${REPORT_FORMATS[REPORT_FORMATS.length - 1]}`;
