/**
 * Issue #11's "two consecutive runs with a drift fixed in between show it as resolved and a new one
 * as new, in every format": two audits of the sandbox over moto, the trail stopped before the first
 * and started again before the second, a key grant to an outsider added between them; the second
 * result carries the diff the CLI and the nightly run attach (diffRuns), and every report format
 * (REPORT_FORMAT_TABLE: json, md, html, asff, ocsf) plus the console summary is rendered from it.
 */
import Ajv from "ajv";
import { beforeAll, describe, expect, it } from "vitest";
import { CloudTrailClient, StartLoggingCommand } from "@aws-sdk/client-cloudtrail";
import type { AuditResult } from "../../../agent/finding";
import { runAudit } from "../../../agent/run-audit";
import { diffRuns } from "../../../agent/report/diff";
import { reportFormat } from "../../../agent/report/formats";
import { summaryText } from "../../../agent/cli-summary";
import { addOutsiderGrant, stopTrail } from "../../../agent/sandbox/drifts";
import { seedSandboxOrganization } from "../../../agent/sandbox/seed";
import { asffJsonSchema } from "../../helpers/asff-schema";
import { FAST_RETRY_SCALE, useMoto } from "../../helpers/moto";
import { readFileSync } from "node:fs";
import { join } from "node:path";

const moto = useMoto();
let first: AuditResult;
let second: AuditResult;

beforeAll(async () => {
  const sb = await seedSandboxOrganization({ endpoint: moto.endpoint });
  // The real clock, as two nightly runs: the sandbox's deliveries are fresh for both.
  const audit = () =>
    runAudit({
      manifest: sb.manifest,
      endpointUrl: moto.endpoint,
      credentials: { ...sb.credentials },
      regions: [sb.region],
      retryDelayScale: FAST_RETRY_SCALE,
    });
  await stopTrail(sb);
  const r1 = await audit();
  first = { ...r1, changes: diffRuns(undefined, r1) };
  const ct = await sb.session.client(CloudTrailClient, sb.accounts.management, sb.region);
  await ct.send(new StartLoggingCommand({ Name: sb.trailName }));
  await addOutsiderGrant(sb);
  const r2 = await audit();
  second = { ...r2, changes: diffRuns(first, r2) };
});

const render = (id: "json" | "md" | "html" | "asff" | "ocsf", r: AuditResult) => reportFormat(id).render(r);
const byCheck = (r: AuditResult, checkId: string) => r.findings.filter((f) => f.checkId === checkId);

describe("two runs, a drift fixed and another introduced between them", () => {
  it("the diff: kms-grants new, trail-logging resolved", () => {
    expect(first.changes!.previousRunId).toBeNull();
    expect(second.changes!.previousRunId).toBe(first.runId);
    expect(second.changes!.new.map((c) => c.checkId)).toEqual(["kms-grants"]);
    expect(second.changes!.resolved.map((c) => c.checkId)).toEqual(["trail-logging"]);
    // The outsider's grant is one finding of its own (its grant id is the finding's key), next to the key's allowed grant.
    expect(second.changes!.new.map((c) => c.id)).toEqual([expect.stringMatching(/^kms-grants\|.*#/)]);
  });

  it("json: the changes section names both, with the first-seen time of the new one", () => {
    const j = JSON.parse(render("json", second));
    expect(j.changes.new).toEqual([expect.objectContaining({ checkId: "kms-grants", firstSeen: second.now })]);
    expect(j.changes.resolved).toEqual([
      expect.objectContaining({ checkId: "trail-logging", before: expect.objectContaining({ status: "FAIL" }) }),
    ]);
  });

  it("markdown and HTML lead with the changes: a New row for kms-grants, a Resolved row for trail-logging", () => {
    const md = render("md", second);
    const changes = md.slice(md.indexOf("## Changes"), md.indexOf("\n## ", md.indexOf("## Changes") + 3));
    expect(md.indexOf("## Changes")).toBeLessThan(md.indexOf("## Summary"));
    expect(changes).toMatch(/^\| New \| HIGH \| kms-grants \|.*\| absent → FAIL \|/m);
    expect(changes).toMatch(/^\| Resolved \| \w+ \| trail-logging \|.*\| FAIL → PASS \|/m);
    const html = render("html", second);
    const section = html.slice(
      html.indexOf('<section id="changes">'),
      html.indexOf("</section>", html.indexOf('<section id="changes">')),
    );
    expect(section).toMatch(/<tr data-change="new">.*kms-grants.*absent → FAIL/);
    expect(section).toMatch(/<tr data-change="resolved">.*trail-logging.*FAIL → PASS/);
  });

  it("the console summary leads with them", () => {
    const lines = summaryText(second).split("\n");
    const at = lines.findIndex((l) => l.startsWith("changes since run"));
    expect(at).toBeGreaterThanOrEqual(0);
    expect(lines[at]).toContain("1 new · 1 resolved");
    expect(lines.slice(at + 1, at + 3).join("\n")).toMatch(
      /^NEW +HIGH +kms-grants[\s\S]*\nRESOLVED +\w+ +trail-logging/,
    );
  });

  it("ASFF: the resolved finding is PASSED and says resolved, the new one FAILED with its first observation; every document validates", () => {
    const docs = JSON.parse(render("asff", second)) as Record<string, any>[];
    const validate = new Ajv({ allErrors: true, schemaId: "auto" }).compile(asffJsonSchema());
    for (const d of docs) expect(validate(d) ? [] : validate.errors).toEqual([]);
    const trail = docs.filter((d) => d.GeneratorId === "trail-logging");
    expect(trail.map((d) => [d.Compliance.Status, d.ProductFields["orgwarden/Change"]])).toEqual([
      ["PASSED", "resolved"],
    ]);
    const grants = docs.filter((d) => d.GeneratorId === "kms-grants" && d.Compliance.Status === "FAILED");
    expect(grants.map((d) => [d.ProductFields["orgwarden/Change"], d.FirstObservedAt])).toEqual([["new", second.now]]);
    // An unchanged finding carries no change.
    const unchanged = docs.find((d) => d.GeneratorId === "archive-versioning")!;
    expect(unchanged.ProductFields["orgwarden/Change"]).toBeUndefined();
  });

  it("OCSF: the resolved finding is a Close of its finding, the new one a Create with first_seen_time; every record validates", () => {
    const records = JSON.parse(render("ocsf", second)) as Record<string, any>[];
    const schema = JSON.parse(
      readFileSync(join(__dirname, "..", "..", "fixtures", "ocsf", "compliance-finding.schema.json"), "utf8"),
    );
    const validate = new Ajv({ allErrors: true, schemaId: "auto", validateSchema: false }).compile(schema);
    for (const r of records) expect(validate(r) ? [] : validate.errors).toEqual([]);
    const trail = records.filter((r) => r.compliance.control === "trail-logging");
    expect(trail.map((r) => [r.activity_id, r.type_uid, r.type_name, r.compliance.status])).toEqual([
      [3, 200303, "Compliance Finding: Close", "Pass"],
    ]);
    const grants = records.filter((r) => r.compliance.control === "kms-grants" && r.compliance.status === "Fail");
    expect(grants.map((r) => [r.activity_id, r.finding_info.first_seen_time])).toEqual([[1, Date.parse(second.now)]]);
    // The same findings in the first run, which had nothing to compare with: Create, no first_seen_time.
    const firstTrail = (JSON.parse(render("ocsf", first)) as Record<string, any>[]).find(
      (r) => r.compliance.control === "trail-logging",
    )!;
    expect([firstTrail.activity_id, firstTrail.finding_info.first_seen_time]).toEqual([1, undefined]);
    expect(byCheck(second, "trail-logging").map((f) => f.status)).toEqual(["PASS"]);
  });
});
