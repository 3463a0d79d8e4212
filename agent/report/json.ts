/**
 * report.json: the AuditResult plus derived counts, under a versioned schema documented field by
 * field in docs/report-schema.md. Readers check `reportSchemaVersion` and refuse other versions.
 */
import { z } from "zod";
import { findingId, SEVERITY_ORDER, type AuditResult } from "../finding";
import { ERROR_KINDS } from "../model";
import { ACCOUNT_ROLES } from "./accounts";
import { summarize, type ReportSummary } from "./summary";

export const REPORT_SCHEMA_VERSION = 1 as const;

const status = z.enum(["PASS", "FAIL", "ERROR", "NOT_APPLICABLE"]);
const severity = z.enum(["CRITICAL", "HIGH", "MEDIUM", "LOW", "INFORMATIONAL"]);
const statusCounts = z.object({
  FAIL: z.number().int(),
  ERROR: z.number().int(),
  PASS: z.number().int(),
  NOT_APPLICABLE: z.number().int(),
});
const iso = z.iso.datetime({ error: "must be an ISO-8601 date-time in UTC, e.g. 2026-11-22T10:00:00.000Z" });

const finding = z.object({
  // id and key were added within version 1: a reader derives the id of an older file's finding (parseJsonReport).
  id: z.string().min(1).optional(),
  key: z.string().min(1).optional(),
  checkId: z.string().min(1),
  status,
  severity,
  account: z.string().min(1),
  region: z.string().min(1),
  resourceArn: z.string(),
  // Absent in the file when the check had no value to state (JSON drops undefined).
  intended: z.unknown().optional(),
  observed: z.unknown().optional(),
  message: z.string(),
  remediation: z.object({
    console: z.string(),
    cli: z.string(),
    pulumi: z.string(),
    // Added within version 1: the intended document the CLI command reads, and the file beside the report that holds it.
    document: z
      .enum([
        "bucket-policy",
        "key-policy",
        "scp",
        "event-selectors",
        "log-bucket-policy",
        "log-bucket-encryption",
        "log-bucket-lifecycle",
        "log-bucket-logging",
      ])
      .optional(),
    intendedFile: z
      .string()
      .regex(/^intended\/[A-Za-z0-9._%~-]+\.json$/, "must be intended/<percent-encoded finding id>.json")
      .optional(),
  }),
  // kind and attempts were added within version 1 (adding a field is not breaking): optional for older files.
  error: z
    .object({
      name: z.string(),
      operation: z.string(),
      message: z.string(),
      kind: z.enum(ERROR_KINDS).optional(),
      attempts: z.number().int().min(1).optional(),
    })
    .optional(),
  // Added within version 1: set when a waiver accepted the finding (it keeps its status, the exit code ignores it).
  waived: z.object({ reason: z.string(), expires: z.iso.date(), approvedBy: z.string() }).optional(),
});

const changeState = z.object({ status, severity });
const change = z.object({
  id: z.string().min(1),
  checkId: z.string().min(1),
  account: z.string().min(1),
  region: z.string().min(1),
  resourceArn: z.string(),
  now: changeState.nullable(),
  before: changeState.nullable(),
  message: z.string(),
  firstSeen: iso.optional(),
});
const changes = z.object({
  previousRunId: z.uuid().nullable(),
  previousNow: iso.nullable(),
  new: z.array(change),
  resolved: z.array(change),
  stillFailing: z.array(change),
  changed: z.array(change),
});

export const jsonReportSchema = z.object({
  reportSchemaVersion: z.literal(REPORT_SCHEMA_VERSION),
  generator: z.literal("orgwarden"),
  runId: z.uuid({ error: "must be the run's UUID, e.g. 0b5e3a8e-6f1d-4c2a-9e7b-3d2f1a0c9b8e" }),
  stack: z.string(),
  organizationId: z.string(),
  // Added within version 1 (not breaking): older files lack them.
  securityAccountId: z
    .string()
    .regex(/^\d{12}$/)
    .optional(),
  homeRegion: z.string().min(1).optional(),
  now: iso,
  startedAt: iso,
  finishedAt: iso,
  scope: z.object({
    accounts: z.array(z.string()),
    regions: z.array(z.string()),
    organizationAccounts: z.number().int().min(0).nullable(),
  }),
  incomplete: z.array(z.string()),
  // Added within version 1: id → name (null when Organizations did not name it) and role; absent in older files.
  accounts: z
    .record(z.string().regex(/^\d{12}$/), z.object({ name: z.string().nullable(), role: z.enum(ACCOUNT_ROLES) }))
    .optional(),
  // Added within version 1: the intended documents the remediation commands read, by file (also written as those files).
  intendedDocuments: z.record(z.string().regex(/^intended\/[A-Za-z0-9._%~-]+\.json$/), z.unknown()).optional(),
  exitCode: z.union([z.literal(0), z.literal(1), z.literal(3)]),
  summary: z.object({
    verdict: z.enum(["CLEAN", "DRIFT", "INCOMPLETE"]),
    total: z.number().int(),
    byStatus: statusCounts,
    bySeverity: z.object(
      Object.fromEntries(SEVERITY_ORDER.map((s) => [s, z.number().int()])) as Record<
        (typeof SEVERITY_ORDER)[number],
        z.ZodNumber
      >,
    ),
    bySeverityAndStatus: z.object(
      Object.fromEntries(SEVERITY_ORDER.map((s) => [s, statusCounts])) as Record<
        (typeof SEVERITY_ORDER)[number],
        typeof statusCounts
      >,
    ),
    byAccount: z.array(z.object({ account: z.string(), counts: statusCounts, total: z.number().int() })),
  }),
  // Added within version 1: absent in older files and when the run was not compared (runAudit alone).
  changes: changes.optional(),
  findings: z.array(finding),
});

export type JsonReport = Omit<AuditResult, "reportSchemaVersion"> & {
  reportSchemaVersion: typeof REPORT_SCHEMA_VERSION;
  generator: "orgwarden";
  summary: ReportSummary;
};

export function toJsonReport(result: AuditResult): JsonReport {
  if (result.reportSchemaVersion !== REPORT_SCHEMA_VERSION) {
    throw new Error(
      `AuditResult.reportSchemaVersion is ${String(result.reportSchemaVersion)}; this renderer writes version ${REPORT_SCHEMA_VERSION}`,
    );
  }
  // Fixed key order so two runs over the same state produce byte-identical files.
  return {
    reportSchemaVersion: REPORT_SCHEMA_VERSION,
    generator: "orgwarden",
    runId: result.runId,
    stack: result.stack,
    organizationId: result.organizationId,
    securityAccountId: result.securityAccountId,
    homeRegion: result.homeRegion,
    now: result.now,
    startedAt: result.startedAt,
    finishedAt: result.finishedAt,
    scope: result.scope,
    incomplete: result.incomplete,
    ...(result.accounts ? { accounts: result.accounts } : {}),
    ...(result.intendedDocuments ? { intendedDocuments: result.intendedDocuments } : {}),
    exitCode: result.exitCode,
    summary: summarize(result),
    ...(result.changes ? { changes: result.changes } : {}),
    findings: result.findings,
  };
}

export function renderJson(result: AuditResult): string {
  return `${JSON.stringify(toJsonReport(result), null, 2)}\n`;
}

/** Reads report.json back into an AuditResult; every problem is named by its path. */
export function parseJsonReport(text: string): AuditResult {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new Error(`report.json is not JSON: ${(e as Error).message}`);
  }
  const v = (raw as { reportSchemaVersion?: unknown } | null)?.reportSchemaVersion;
  if (v !== REPORT_SCHEMA_VERSION)
    throw new Error(
      `report.json has reportSchemaVersion ${JSON.stringify(v)}; this reader understands only ${REPORT_SCHEMA_VERSION}`,
    );
  const r = jsonReportSchema.safeParse(raw);
  if (!r.success) {
    const problems = r.error.issues.map((i) => `${i.path.map(String).join(".") || "(root)"}: ${i.message}`);
    throw new Error(`report.json is invalid:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
  // generator and summary are derived on writing; the result is what a reader gets back.
  const { generator: _generator, summary: _summary, ...result } = r.data;
  const findings = result.findings.map((f) => ({ ...f, id: f.id ?? findingId(f) }));
  return { ...result, findings } as AuditResult;
}

/** JSON Schema (draft 2020-12) of report.json, generated from the zod schema; committed as docs/report-schema.json. */
export function reportJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(jsonReportSchema, { io: "input" }),
    title: `orgwarden report.json, schema version ${REPORT_SCHEMA_VERSION}`,
    description: "Field-by-field meaning: docs/report-schema.md",
  };
}
