import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { missedDrifts, runDemoAudit } from "../../../agent/sandbox/demo";
import { parseJsonReport } from "../../../agent/report/json";
import { parseAuditManifest } from "../../../baseline";
import { useMoto } from "../../helpers/moto";

describe("demo core over moto (what npm run demo runs between starting and stopping moto)", () => {
  const moto = useMoto();

  it("reports both deliberate drifts as FAIL for the right accounts and writes the three reports and the manifest", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "orgwarden-demo-")), "out");
    const run = await runDemoAudit({ endpoint: moto.endpoint, outDir: out });
    expect(run.missed).toEqual([]);
    expect(run.paths).toEqual([
      join(out, "report.json"),
      join(out, "report.md"),
      join(out, "report.html"),
      join(out, "sandbox-manifest.json"),
    ]);
    expect(parseJsonReport(readFileSync(run.paths[0], "utf8"))).toEqual(run.result);
    expect(parseAuditManifest(JSON.parse(readFileSync(run.paths[3], "utf8")))).toEqual(run.sandbox.manifest);

    const policy = run.result.findings.filter((f) => f.checkId === "archive-bucket-policy" && f.status === "FAIL");
    expect(policy.map((f) => [f.severity, f.account])).toEqual([["CRITICAL", run.sandbox.accounts.logArchive]]);
    expect(policy[0].message).toContain('"ForeignRead"');
    const stale = run.result.findings.filter((f) => f.checkId === "archive-delivery-freshness" && f.status === "FAIL");
    // One per governed region: the drift deletes the account's logs in all of them.
    expect(stale.map((f) => [f.account, f.region])).toEqual(
      run.sandbox.governedRegions.map((r) => [run.sandbox.accounts.members[1], r]),
    );
    expect(run.result.exitCode).not.toBe(0);
  });

  it("names each drift the audit missed", () => {
    const sb = {
      accounts: { management: "1", logArchive: "222222222222", security: "3", members: ["4", "555555555555"] },
      buckets: { archive: "arch", accessLogs: "a", config: "c" },
    };
    const empty = {
      reportSchemaVersion: 1 as const,
      runId: "00000000-0000-4000-8000-000000000000",
      stack: "demo",
      organizationId: "o-x",
      now: "",
      startedAt: "",
      finishedAt: "",
      scope: { accounts: [], regions: [], organizationAccounts: null },
      incomplete: [],
      findings: [],
      exitCode: 0 as const,
    };
    expect(missedDrifts(empty, sb)).toEqual([
      "the foreign principal in the policy of arch (archive-bucket-policy)",
      "the missing CloudTrail logs of account 555555555555 (archive-delivery-freshness)",
    ]);
  });
});
