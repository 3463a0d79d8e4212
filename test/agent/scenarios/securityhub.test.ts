/**
 * Security Hub's organization setup over the sandbox in moto. moto serves the organization
 * configuration, so securityhub-organization PASSes on what seed-securityhub.ts laid and FAILs on a
 * drift made through moto; the administrators, policy, association, aggregator and standards moto
 * lacks are recorded answers (_recorded-securityhub.ts), and those scenarios say "recorded".
 */
import { describe, expect, it } from "vitest";
import { SecurityHubClient, UpdateOrganizationConfigurationCommand } from "@aws-sdk/client-securityhub";
import { useMoto } from "../../helpers/moto";
import { audit, seed } from "./_harness";
import type { AuditResult } from "../../../agent/finding";

const moto = useMoto();
const SH = [
  "securityhub-admin-account",
  "securityhub-organization",
  "securityhub-configuration-policy",
  "securityhub-standards",
  "securityhub-finding-aggregator",
];
const shFindings = (r: AuditResult) =>
  r.findings.filter((f) => SH.includes(f.checkId)).map((f) => [f.checkId, f.account, f.region, f.status]);

describe("Security Hub organization (sandbox over moto)", () => {
  it("recorded: the clean sandbox PASSes every Security Hub organization check (organization configuration read from moto)", async () => {
    const sb = await seed(moto.endpoint);
    const r = await audit(sb);
    const [home, other] = sb.governedRegions;
    const { management, security } = sb.accounts;
    expect(shFindings(r)).toEqual([
      ["securityhub-admin-account", management, home, "PASS"],
      ["securityhub-admin-account", management, other, "PASS"],
      ["securityhub-organization", security, home, "PASS"],
      ["securityhub-configuration-policy", security, home, "PASS"],
      ["securityhub-standards", security, home, "PASS"],
      ["securityhub-standards", security, other, "PASS"],
      ["securityhub-finding-aggregator", security, home, "PASS"],
    ]);
  });

  it("a local configuration set in moto by the administrator is a FAIL naming each setting", async () => {
    const sb = await seed(moto.endpoint);
    const sh = await sb.session.client(SecurityHubClient, sb.accounts.security, sb.region);
    await sh.send(
      new UpdateOrganizationConfigurationCommand({
        AutoEnable: true,
        AutoEnableStandards: "DEFAULT",
        OrganizationConfiguration: { ConfigurationType: "LOCAL", Status: "ENABLED" },
      }),
    );
    const f = (await audit(sb)).findings.find((x) => x.checkId === "securityhub-organization")!;
    expect([f.status, f.message]).toEqual([
      "FAIL",
      `The organization configuration in ${sb.region} is LOCAL, not CENTRAL; AutoEnable is true, not false; AutoEnableStandards is DEFAULT, not NONE.`,
    ]);
  });

  it("recorded: no administrator, a disabled control, an unlinked region and an INCOMPLETE CIS are each a FAIL", async () => {
    const sb = await seed(moto.endpoint);
    const [home, other] = sb.governedRegions;
    const r = await audit(sb, {
      gaps: {
        securityHub: {
          adminAccountId: null,
          disabledControls: ["IAM.6"],
          linkedRegions: [],
          incompleteCisRegions: [other],
        },
      },
    });
    const { management, security } = sb.accounts;
    expect(shFindings(r)).toEqual([
      ["securityhub-admin-account", management, home, "FAIL"],
      ["securityhub-admin-account", management, other, "FAIL"],
      ["securityhub-organization", security, home, "PASS"],
      ["securityhub-configuration-policy", security, home, "FAIL"],
      ["securityhub-standards", security, home, "PASS"],
      ["securityhub-standards", security, other, "FAIL"],
      ["securityhub-finding-aggregator", security, home, "FAIL"],
    ]);
    const msg = (id: string) => r.findings.find((f) => f.checkId === id && f.status === "FAIL")!.message;
    expect(msg("securityhub-configuration-policy")).toBe("It disables IAM.6.");
    expect(msg("securityhub-finding-aggregator")).toBe(`It does not link ${other}.`);
  });
});
