import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CloudTrailClient, StartLoggingCommand } from "@aws-sdk/client-cloudtrail";
import { addOutsiderGrant, stopTrail } from "../../agent/sandbox/drifts";
import { seedSandboxOrganization } from "../../agent/sandbox/seed";
import { renderJson } from "../../agent/report/json";
import { validManifestInput } from "../baseline/manifest-fixture";
import { SMALL_RESULT } from "./report/fixtures";
import { FAST_RETRIES_ENV, useMoto } from "../helpers/moto";
import { cliEnv, spawnCli, type CliRun } from "./_cli";

const ROOT = resolve(__dirname, "..", "..");
const dir = mkdtempSync(join(tmpdir(), "orgwarden-cli-previous-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * The real CLI in its own process, with moto-style static credentials and no shared AWS config. Every
 * run here names an --endpoint-url (moto, or a closed port), so the SDK's retry delays are scaled down.
 */
function cli(args: string[]): Promise<CliRun> {
  return spawnCli(args, cliEnv(dir, { NODE_NO_WARNINGS: "1", ...FAST_RETRIES_ENV }));
}

// The usage tests are separate CLI processes with files of their own: each block runs its tests side by side.
describe.concurrent(
  "--previous that cannot be used: exit 2 naming --previous and what is wrong, before any AWS call",
  () => {
    const manifest = join(dir, "manifest.json");
    writeFileSync(manifest, JSON.stringify(validManifestInput()));
    const base = ["--manifest", manifest, "--endpoint-url", "http://127.0.0.1:9"];

    it("a missing file", async () => {
      const missing = join(dir, "missing.json");
      const r = await cli([...base, "--previous", missing]);
      expect([r.code, r.stderr]).toEqual([
        2,
        `orgwarden-audit: --previous ${missing}: cannot be read (ENOENT); allowed: a report.json an earlier run wrote\n`,
      ]);
    });

    it("a file that is not a report", async () => {
      const bad = join(dir, "bad.json");
      writeFileSync(bad, JSON.stringify({ reportSchemaVersion: 1, runId: "x" }));
      const r = await cli([...base, "--previous", bad]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(
        new RegExp(`^orgwarden-audit: --previous ${bad}: report.json is invalid:\n  - generator: `),
      );
    });

    it("a report of another stack", async () => {
      const other = join(dir, "other.json");
      writeFileSync(other, renderJson({ ...SMALL_RESULT, stack: "elsewhere" }));
      const stack = validManifestInput().stack;
      const r = await cli([...base, "--previous", other]);
      expect([r.code, r.stderr]).toEqual([
        2,
        `orgwarden-audit: --previous ${other}: is a report of stack elsewhere, but the manifest is of stack ${stack}; allowed: a report of stack ${stack}\n`,
      ]);
    });
  },
);

describe.concurrent("--waivers that cannot be used: exit 2 naming the file, entry and key, before any AWS call", () => {
  const manifest = join(dir, "manifest-w.json");
  writeFileSync(manifest, JSON.stringify(validManifestInput()));
  const base = ["--manifest", manifest, "--endpoint-url", "http://127.0.0.1:9"];

  it("a missing file", async () => {
    const missing = join(dir, "no-waivers.yaml");
    const r = await cli([...base, "--waivers", missing]);
    expect([r.code, r.stderr]).toEqual([
      2,
      `orgwarden-audit: --waivers ${missing}: cannot be read (ENOENT); allowed: a waivers YAML file\n`,
    ]);
  });

  it("an entry without an expiry", async () => {
    const file = join(dir, "waivers.yaml");
    writeFileSync(file, "waivers:\n  - checkId: kms-grants\n    reason: r\n    approvedBy: a\n");
    const r = await cli([...base, "--waivers", file]);
    expect([r.code, r.stderr]).toEqual([
      2,
      `orgwarden-audit: --waivers ${file}: invalid:\n  - waivers[0].expires: is required and must be an ISO date, e.g. 2027-01-31 (the last day the waiver holds)\n`,
    ]);
  });

  it("the repository's waivers.yaml is valid", async () => {
    const r = await cli([...base, "--waivers", join(ROOT, "waivers.yaml")]);
    // Past the waivers, the run fails on the unreachable endpoint: not a usage error about the file.
    expect(r.stderr).not.toContain("--waivers");
  });
});

describe("two CLI runs into one --out over moto (no --previous: the earlier report.json is the previous run)", () => {
  const moto = useMoto();

  it("a first run says there is nothing to compare; the next shows the fixed drift resolved and the new one new", async () => {
    const file = join(dir, "sandbox-manifest.json");
    const sb = await seedSandboxOrganization({ endpoint: moto.endpoint, manifestPath: file });
    const out = join(dir, "out");
    const args = ["--manifest", file, "--endpoint-url", moto.endpoint, "--regions", "us-east-1", "--out", out];
    await stopTrail(sb);
    const first = await cli(args);
    expect(first.stdout.split("\n")[2]).toBe("changes: none, first run: no previous report to compare with");
    const firstReport = JSON.parse(readFileSync(join(out, "report.json"), "utf8"));
    expect(firstReport.changes.previousRunId).toBe(null);

    const ct = await sb.session.client(CloudTrailClient, sb.accounts.management, sb.region);
    await ct.send(new StartLoggingCommand({ Name: sb.trailName }));
    await addOutsiderGrant(sb);
    const second = await cli(args);
    const report = JSON.parse(readFileSync(join(out, "report.json"), "utf8"));
    expect(report.changes.previousRunId).toBe(firstReport.runId);
    expect(report.changes.new.map((c: { checkId: string }) => c.checkId)).toEqual(["kms-grants"]);
    expect(report.changes.resolved.map((c: { checkId: string }) => c.checkId)).toEqual(["trail-logging"]);
    const lines = second.stdout.split("\n");
    expect(lines[2]).toMatch(
      new RegExp(
        `^changes since run ${firstReport.runId} of ${firstReport.now} \\(--out ${out} \\(earlier report.json\\)\\): 1 new · 1 resolved · \\d+ still failing · \\d+ changed$`,
      ),
    );
    expect(lines[3]).toMatch(/^NEW +HIGH +kms-grants .* absent → FAIL: /);
    expect(lines[4]).toMatch(/^RESOLVED +\w+ +trail-logging .* FAIL → PASS: /);
  });
});
