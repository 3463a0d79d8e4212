import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Ajv from "ajv";
import { GetFindingsCommand, SecurityHubClient } from "@aws-sdk/client-securityhub";
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { main } from "../../../agent/cli";
import { seedSandboxOrganization } from "../../../agent/sandbox/seed";
import { asffJsonSchema } from "../../helpers/asff-schema";
import { MOTO_CREDENTIALS, useMoto } from "../../helpers/moto";

const moto = useMoto();
const dir = mkdtempSync(join(tmpdir(), "orgwarden-sh-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const saved = { ...process.env };
// main() takes its starting credentials from the default chain, as the real CLI does.
beforeEach(() => {
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: "testing",
    AWS_SECRET_ACCESS_KEY: "testing",
    AWS_REGION: "us-east-1",
  });
  vi.spyOn(process.stdout, "write").mockImplementation(() => true);
  vi.spyOn(process.stderr, "write").mockImplementation(() => true);
});
afterEach(() => {
  vi.restoreAllMocks();
  // Restored in place: process.env stays the process's own environment object.
  for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
  Object.assign(process.env, saved);
});

describe("CLI --security-hub over a moto sandbox (in-process main())", () => {
  it("imports exactly the FAIL and ERROR findings of the run and writes report.asff.json and report.ocsf.json", async () => {
    const manifest = join(dir, "manifest.json");
    await seedSandboxOrganization({ endpoint: moto.endpoint, manifestPath: manifest });
    const out = join(dir, "out");
    const now = new Date(Date.now() + 60_000).toISOString();
    const code = await main([
      "--manifest",
      manifest,
      "--endpoint-url",
      moto.endpoint,
      "--now",
      now,
      "--security-hub",
      "--format",
      "json,asff,ocsf",
      "--out",
      out,
    ]);
    // Exit 3 from moto's gaps (SSM associations), not from the import: no run-level error was added.
    expect(code).toBe(3);
    const report = JSON.parse(readFileSync(join(out, "report.json"), "utf8"));
    expect(report.incomplete).toEqual([]);
    const needsAction = (report.findings as { status: string }[]).filter(
      (f) => f.status === "FAIL" || f.status === "ERROR",
    );
    const asff = JSON.parse(readFileSync(join(out, "report.asff.json"), "utf8")) as { Id: string }[];
    expect(asff).toHaveLength(report.findings.length);
    // Ids must be unique: two findings with one id would overwrite each other in Security Hub.
    expect(new Set(asff.map((d) => d.Id)).size).toBe(asff.length);
    const validate = new Ajv({ allErrors: true }).compile(asffJsonSchema());
    for (const d of asff) expect(validate(d) ? [] : validate.errors).toEqual([]);
    expect(JSON.parse(readFileSync(join(out, "report.ocsf.json"), "utf8"))).toHaveLength(report.findings.length);

    const hub = new SecurityHubClient({
      endpoint: moto.endpoint,
      region: "us-east-1",
      credentials: { ...MOTO_CREDENTIALS },
    });
    const held = [];
    let token: string | undefined;
    do {
      const page = await hub.send(new GetFindingsCommand({ MaxResults: 100, NextToken: token }));
      held.push(...(page.Findings ?? []));
      token = page.NextToken;
    } while (token);
    expect(held).toHaveLength(needsAction.length);
    expect(
      held.every(
        (f) => f.RecordState === "ACTIVE" && f.ProductArn?.endsWith(`product/${report.securityAccountId}/default`),
      ),
    ).toBe(true);
  });
});
