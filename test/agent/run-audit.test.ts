import { createServer, type Server, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { ManifestValidationError } from "../../baseline";
import { runAuditDetailed } from "../../agent/run-audit";
import { AuditConfigError } from "../../agent/options";
import { seedSandboxOrganization } from "../../agent/sandbox/seed";
import { MOTO_CREDENTIALS, useMoto } from "../helpers/moto";

const moto = useMoto();

describe("runAudit over moto: scope, validation, failures", () => {
  it("--accounts and --regions narrow the per-account work; org-wide pieces are still read", async () => {
    const sb = await seedSandboxOrganization({ endpoint: moto.endpoint });
    const member = sb.accounts.members[0];
    const { result, observed } = await runAuditDetailed({
      manifest: sb.manifest,
      endpointUrl: moto.endpoint,
      credentials: { ...MOTO_CREDENTIALS },
      accounts: [member],
      regions: ["eu-west-1"],
    });
    expect(result.scope).toEqual({ accounts: [member], regions: ["eu-west-1"] });
    expect(observed.scope).toEqual({ accounts: [member], regions: ["eu-west-1"] });
    expect(observed.detection.map((d) => `${d.account}/${d.region}`)).toEqual([`${member}/eu-west-1`]);
    expect(Object.keys(observed.archive.newestDeliveryByAccount)).toEqual([member]);
    expect(observed.cloudTrail.trails.ok && observed.cloudTrail.trails.value.map((t) => t.name)).toEqual(["orgwarden-organization-trail"]);
    expect(observed.key.metadata).toMatchObject({ ok: true, value: { keyState: "Enabled" } });
    const perAccount = result.findings.filter((f) => f.checkId === "guardduty-enabled");
    expect(perAccount.map((f) => [f.account, f.region, f.status])).toEqual([[member, "eu-west-1", "PASS"]]);
  });

  it("an invalid manifest throws ManifestValidationError naming each bad path, before any AWS call", async () => {
    const bad = { schemaVersion: 1, stack: "x" };
    await expect(runAuditDetailed({ manifest: bad, endpointUrl: "http://127.0.0.1:9" })).rejects.toThrow(ManifestValidationError);
    await expect(runAuditDetailed({ manifest: bad, endpointUrl: "http://127.0.0.1:9" })).rejects.toThrow(/organization: /);
  });

  it("--regions outside the governed regions and --accounts outside the organization are config errors naming them", async () => {
    const sb = await seedSandboxOrganization({ endpoint: moto.endpoint });
    const base = { manifest: sb.manifest, endpointUrl: moto.endpoint, credentials: { ...MOTO_CREDENTIALS } };
    await expect(runAuditDetailed({ ...base, regions: ["ap-south-1"] })).rejects.toThrow(
      new AuditConfigError("--regions ap-south-1: not governed by the manifest; allowed: us-east-1, eu-west-1"),
    );
    await expect(runAuditDetailed({ ...base, accounts: ["000000000000"] })).rejects.toThrow(/^--accounts 000000000000: not an account of organization o-/);
  });
});

describe("runAudit against an endpoint that never answers", () => {
  let server: Server | undefined;
  const sockets: Socket[] = [];
  afterEach(async () => {
    sockets.splice(0).forEach((s) => s.destroy());
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  });

  it("every piece becomes an ERROR carrying the SDK's timeout error; the run completes with exit 3", async () => {
    server = createServer((s) => sockets.push(s)); // accepts, never replies
    await new Promise<void>((r) => server!.listen(0, "127.0.0.1", () => r()));
    const port = (server.address() as { port: number }).port;
    const sb = await seedSandboxOrganization({ endpoint: moto.endpoint });
    const { result, observed } = await runAuditDetailed({
      manifest: sb.manifest,
      endpointUrl: `http://127.0.0.1:${port}`,
      credentials: { ...MOTO_CREDENTIALS },
      maxAttempts: 1,
      requestTimeoutMs: 200,
    });
    expect(result.exitCode).toBe(3);
    expect(result.findings.every((f) => f.status === "ERROR")).toBe(true);
    expect([...new Set(result.findings.map((f) => f.error?.name))]).toEqual(["TimeoutError"]);
    expect([...new Set(result.findings.map((f) => f.error?.operation))]).toEqual(["GetCallerIdentity"]);
    // The account list could not be read, so the scope falls back to the manifest's own accounts.
    expect(result.scope.accounts.sort()).toEqual([sb.accounts.management, sb.accounts.logArchive, sb.accounts.security].sort());
    expect(Object.keys(observed.unreachableAccounts).sort()).toEqual([sb.accounts.management, sb.accounts.logArchive, sb.accounts.security].sort());
  });
});
