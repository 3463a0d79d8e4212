import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseJsonReport, renderJson, reportJsonSchema, REPORT_SCHEMA_VERSION } from "../../../agent/report/json";
import { SMALL_RESULT, SMALL_RUN_ID } from "./fixtures";

describe("JSON report", () => {
  it("round-trips the AuditResult exactly", () => {
    const text = renderJson(SMALL_RESULT);
    expect(parseJsonReport(text)).toEqual(SMALL_RESULT);
  });

  it("carries the schema version, generator and derived counts", () => {
    const doc = JSON.parse(renderJson(SMALL_RESULT));
    expect(Object.keys(doc)).toEqual([
      "reportSchemaVersion",
      "generator",
      "runId",
      "stack",
      "organizationId",
      "now",
      "startedAt",
      "finishedAt",
      "scope",
      "incomplete",
      "exitCode",
      "summary",
      "findings",
    ]);
    expect(doc.reportSchemaVersion).toBe(REPORT_SCHEMA_VERSION);
    expect(doc.generator).toBe("orgwarden");
    expect(doc.runId).toBe(SMALL_RUN_ID);
    expect(doc.summary.verdict).toBe("INCOMPLETE");
    expect(doc.summary.total).toBe(5);
    expect(doc.summary.byStatus).toEqual({ FAIL: 1, ERROR: 1, PASS: 2, NOT_APPLICABLE: 1 });
    expect(doc.summary.bySeverity).toEqual({ CRITICAL: 1, HIGH: 2, MEDIUM: 1, LOW: 1, INFORMATIONAL: 0 });
    expect(doc.summary.bySeverityAndStatus.HIGH).toEqual({ FAIL: 0, ERROR: 1, PASS: 1, NOT_APPLICABLE: 0 });
    expect(doc.summary.byAccount).toEqual([
      { account: "111111111111", counts: { FAIL: 0, ERROR: 0, PASS: 2, NOT_APPLICABLE: 0 }, total: 2 },
      { account: "222222222222", counts: { FAIL: 1, ERROR: 0, PASS: 0, NOT_APPLICABLE: 0 }, total: 1 },
      { account: "444444444444", counts: { FAIL: 0, ERROR: 1, PASS: 0, NOT_APPLICABLE: 0 }, total: 1 },
      { account: "-", counts: { FAIL: 0, ERROR: 0, PASS: 0, NOT_APPLICABLE: 1 }, total: 1 },
    ]);
    // Findings keep the order runAudit produced; only the human formats sort.
    expect(doc.findings.map((f: { checkId: string }) => f.checkId)).toEqual(
      SMALL_RESULT.findings.map((f) => f.checkId),
    );
  });

  it("is byte-identical for the same result", () => {
    expect(renderJson(structuredClone(SMALL_RESULT))).toBe(renderJson(SMALL_RESULT));
  });

  it("refuses another schema version and names invalid fields", () => {
    const doc = JSON.parse(renderJson(SMALL_RESULT));
    expect(() => parseJsonReport(JSON.stringify({ ...doc, reportSchemaVersion: 2 }))).toThrow(
      "report.json has reportSchemaVersion 2; this reader understands only 1",
    );
    doc.findings[0].status = "WARN";
    doc.now = "yesterday";
    doc.runId = "run-1";
    expect(() => parseJsonReport(JSON.stringify(doc))).toThrow(
      /report\.json is invalid:\n  - runId: must be the run's UUID, e\.g\. 0b5e3a8e-6f1d-4c2a-9e7b-3d2f1a0c9b8e\n  - now: must be an ISO-8601 date-time in UTC, e.g. 2026-11-22T10:00:00.000Z\n  - findings\.0\.status: /,
    );
    expect(() => parseJsonReport("{")).toThrow(/^report\.json is not JSON: /);
  });

  it("docs/report-schema.json is the JSON Schema generated from the zod schema (regenerate it as docs/report-schema.md says when this fails)", () => {
    const committed = JSON.parse(readFileSync(join(__dirname, "..", "..", "..", "docs", "report-schema.json"), "utf8"));
    expect(committed).toEqual(reportJsonSchema());
    expect(committed.properties.findings.items.required).toEqual([
      "checkId",
      "status",
      "severity",
      "account",
      "region",
      "resourceArn",
      "message",
      "remediation",
    ]);
  });
});
