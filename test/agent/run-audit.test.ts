import { createServer, type Server, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { ManifestValidationError } from "../../baseline";
import { runAuditDetailed } from "../../agent/run-audit";
import { AuditConfigError } from "../../agent/options";
import { seedSandboxOrganization } from "../../agent/sandbox/seed";
import { FAST_RETRY_SCALE, MOTO_CREDENTIALS, useMoto } from "../helpers/moto";
import { explainOutOfScope, SHARED_RESOURCE_CHECKS } from "../../agent/checks/scope";
import { CHECKS } from "../../agent/checks/registry";
import type { Finding } from "../../agent/finding";

const moto = useMoto();

describe("runAudit over moto: scope, validation, failures", () => {
  it("--accounts and --regions narrow the per-account work; org-wide pieces are still read", async () => {
    const sb = await seedSandboxOrganization({ endpoint: moto.endpoint });
    const member = sb.accounts.members[0];
    const { result, observed } = await runAuditDetailed({
      manifest: sb.manifest,
      endpointUrl: moto.endpoint,
      credentials: { ...MOTO_CREDENTIALS },
      retryDelayScale: FAST_RETRY_SCALE,
      accounts: [member],
      regions: ["eu-west-1"],
    });
    // The organization's size stays the organization's: a narrowed run says "audited 1 of 5".
    expect(result.scope).toEqual({
      accounts: [member],
      regions: ["eu-west-1"],
      organizationAccounts: 1 + 2 + sb.accounts.members.length,
    });
    expect(result.incomplete).toEqual([]);
    expect(observed.scope).toEqual({ accounts: [member], regions: ["eu-west-1"] });
    expect(observed.detection.map((d) => `${d.account}/${d.region}`)).toEqual([`${member}/eu-west-1`]);
    expect(Object.keys(observed.archive.newestDeliveryByAccount)).toEqual([member]);
    expect(observed.cloudTrail.trails.ok && observed.cloudTrail.trails.value.map((t) => t.name)).toEqual([
      "orgwarden-organization-trail",
    ]);
    expect(observed.key.metadata).toMatchObject({ ok: true, value: { keyState: "Enabled" } });
    const perAccount = result.findings.filter((f) => f.checkId === "guardduty-enabled");
    expect(perAccount.map((f) => [f.account, f.region, f.status])).toEqual([[member, "eu-west-1", "PASS"]]);
  });

  it("--accounts <member>: findings name only that account, or a shared account with the reason it is judged", async () => {
    const sb = await seedSandboxOrganization({ endpoint: moto.endpoint });
    const member = sb.accounts.members[0];
    const { result } = await runAuditDetailed({
      manifest: sb.manifest,
      endpointUrl: moto.endpoint,
      credentials: { ...MOTO_CREDENTIALS },
      retryDelayScale: FAST_RETRY_SCALE,
      accounts: [member],
      now: new Date(Date.now() + 60_000),
    });
    // The sandbox manifest names no log auditor role: trail-log-integrity's one organization-wide NOT_APPLICABLE says so;
    // and it has no roles.perAccount: the role checks' one each for the member roles.
    expect(result.findings.filter((f) => f.account === "-").map((f) => [f.checkId, f.status])).toEqual([
      ["trail-log-integrity", "NOT_APPLICABLE"],
      ["iam-role-trust", "NOT_APPLICABLE"],
      ["iam-role-permissions", "NOT_APPLICABLE"],
    ]);
    const named = result.findings.filter((f) => f.account !== "-");
    expect([...new Set(named.map((f) => f.account))].sort()).toEqual(
      [member, sb.accounts.management, sb.accounts.logArchive, sb.accounts.security].sort(),
    );
    const outside = named.filter((f) => f.account !== member);
    // Per account outside the scope, exactly the checks of what it holds for the whole organization.
    const checksOf = (account: string) =>
      [...new Set(outside.filter((f) => f.account === account).map((f) => f.checkId))].sort();
    expect(checksOf(sb.accounts.management)).toEqual([
      // The CIS alarm topic.
      "alert-topics",
      "cis-metric-filter-alarms",
      // The organization's delegated administrators, registered in the management account.
      "delegated-administrators",
      // RAM sharing with AWS Organizations (the DNS configurations' shares reach no account without it).
      "dns-query-log-share",
      // GuardDuty's delegated administrator, designated from the management account.
      "guardduty-organization",
      "iam-role-permissions",
      "iam-role-trust",
      "kms-grants",
      "kms-key-alias",
      "kms-key-policy",
      "kms-key-state",
      "org-trail-is-organization-trail",
      "organization-settings",
      "scp-logging-present",
      // Security Hub's delegated administrator, designated in the management account.
      "securityhub-admin-account",
      // The StackSet itself (management account, home region); the management account's direct stacks are outside --accounts.
      "stackset-drift",
      "stackset-drift-schedule",
      "stackset-instances",
      "trail-cloudwatch-delivery",
      "trail-configuration",
      "trail-digest-delivery",
      "trail-event-selectors",
      "trail-log-group",
      "trail-logging",
      "trail-s3-delivery",
    ]);
    expect(checksOf(sb.accounts.logArchive)).toEqual([
      "archive-bucket-policy",
      "archive-encryption",
      "archive-object-lock",
      "archive-public-access",
      "archive-versioning",
      "dns-query-log-config",
      "dns-query-log-share",
      "kms-grants",
      "kms-key-alias",
      "kms-key-policy",
      "kms-key-state",
      "log-bucket-access-logging",
      "log-bucket-encryption",
      "log-bucket-lifecycle",
      "log-bucket-ownership",
      "log-bucket-policy",
      "log-bucket-public-access",
      "log-bucket-versioning",
    ]);
    // The report and Athena query-results buckets are the security account's: every log-bucket check but access logging, which neither has.
    expect(checksOf(sb.accounts.security)).toEqual([
      "alert-topics",
      "athena-catalog",
      "athena-workgroup",
      // The agent's own schedule, alarms and log groups (security account, home region).
      "audit-agent-alarms",
      "audit-agent-log-groups",
      "audit-agent-schedule",
      "config-aggregator",
      "event-bus-policy",
      "event-bus-rules",
      // GuardDuty's organization configuration, on the administrator's detector.
      "guardduty-organization",
      "iam-role-permissions",
      "iam-role-trust",
      // Inspector's organization configuration (and, read in the management account, its delegation).
      "inspector-organization",
      "kms-grants",
      "kms-key-alias",
      "kms-key-policy",
      "kms-key-state",
      "log-bucket-encryption",
      "log-bucket-lifecycle",
      "log-bucket-ownership",
      "log-bucket-policy",
      "log-bucket-public-access",
      "log-bucket-versioning",
      // Security Hub's organization configuration, policy, standards and aggregator.
      "securityhub-configuration-policy",
      "securityhub-finding-aggregator",
      "securityhub-organization",
      "securityhub-standards",
    ]);
    for (const f of outside)
      expect(
        f.message.endsWith(
          ` (Account ${f.account} is outside --accounts: judged because ${SHARED_RESOURCE_CHECKS[f.checkId]}.)`,
        ),
      ).toBe(true);
    expect(outside.find((f) => f.checkId === "kms-key-state")!.message).toMatch(
      / \(Account \d{12} is outside --accounts: judged because the log key in the security account encrypts the logs of every account in scope\.\)$/,
    );
  });

  it("explainOutOfScope: an unscoped run is unchanged; a per-account check's finding outside --accounts is dropped", () => {
    const f = (checkId: string, account: string) => ({ checkId, account, message: "m" }) as Finding;
    const all = [
      f("guardduty-enabled", "111111111111"),
      f("guardduty-enabled", "222222222222"),
      f("kms-grants", "333333333333"),
      f("accounts-enrolled", "-"),
    ];
    expect(explainOutOfScope(all, undefined)).toBe(all);
    expect(explainOutOfScope(all, ["111111111111"]).map((x) => [x.checkId, x.account, x.message])).toEqual([
      ["guardduty-enabled", "111111111111", "m"],
      [
        "kms-grants",
        "333333333333",
        `m (Account 333333333333 is outside --accounts: judged because ${SHARED_RESOURCE_CHECKS["kms-grants"]}.)`,
      ],
      ["accounts-enrolled", "-", "m"],
    ]);
  });

  it("every shared-resource check named for scoped runs is a registered check", () => {
    const ids = CHECKS.map((c) => c.metadata.id);
    expect(Object.keys(SHARED_RESOURCE_CHECKS).filter((id) => !ids.includes(id))).toEqual([]);
  });

  it("an invalid manifest throws ManifestValidationError naming each bad path, before any AWS call", async () => {
    const bad = { schemaVersion: 1, stack: "x" };
    await expect(runAuditDetailed({ manifest: bad, endpointUrl: "http://127.0.0.1:9" })).rejects.toThrow(
      ManifestValidationError,
    );
    await expect(runAuditDetailed({ manifest: bad, endpointUrl: "http://127.0.0.1:9" })).rejects.toThrow(
      /organization: /,
    );
  });

  it("--regions outside the governed regions and --accounts outside the organization are config errors naming them", async () => {
    const sb = await seedSandboxOrganization({ endpoint: moto.endpoint });
    const base = { manifest: sb.manifest, endpointUrl: moto.endpoint, credentials: { ...MOTO_CREDENTIALS } };
    await expect(runAuditDetailed({ ...base, regions: ["ap-south-1"] })).rejects.toThrow(
      new AuditConfigError("--regions ap-south-1: not governed by the manifest; allowed: us-east-1, eu-west-1"),
    );
    await expect(runAuditDetailed({ ...base, accounts: ["000000000000"] })).rejects.toThrow(
      /^--accounts 000000000000: not an account of organization o-/,
    );
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
    // Every finding that needed a read is ERROR; trail-log-integrity needs none to say the manifest names no log auditor role.
    // Nor the role checks to say the manifest has no roles.perAccount.
    const noRead = (f: { checkId: string; account: string }) =>
      f.checkId === "trail-log-integrity" || (f.checkId.startsWith("iam-role-") && f.account === "-");
    const read = result.findings.filter((f) => !noRead(f));
    expect(result.findings.filter(noRead).map((f) => [f.checkId, f.status])).toEqual([
      ["trail-log-integrity", "NOT_APPLICABLE"],
      ["iam-role-trust", "NOT_APPLICABLE"],
      ["iam-role-permissions", "NOT_APPLICABLE"],
    ]);
    expect(read.every((f) => f.status === "ERROR")).toBe(true);
    expect([...new Set(read.map((f) => f.error?.name))]).toEqual(["TimeoutError"]);
    expect([...new Set(read.map((f) => f.error?.operation))]).toEqual(["GetCallerIdentity"]);
    // The account list could not be read, so the scope falls back to the manifest's own accounts.
    expect(result.scope.accounts.sort()).toEqual(
      [sb.accounts.management, sb.accounts.logArchive, sb.accounts.security].sort(),
    );
    expect(Object.keys(observed.unreachableAccounts).sort()).toEqual(
      [sb.accounts.management, sb.accounts.logArchive, sb.accounts.security].sort(),
    );
  });
});
