/**
 * organization-settings and delegated-administrators end to end over a seeded sandbox in moto: the
 * feature set, the root's policy types, the trusted services and the delegations are moto's; the
 * security account's delegations moto cannot register (config, securityhub, inspector2) are recorded
 * (the harness adds them to its ListDelegatedServicesForAccount answer), so every test here says "recorded".
 */
import { describe, expect, it } from "vitest";
import { useMoto } from "../../helpers/moto";
import { audit, seed } from "./_harness";
import type { AuditResult } from "../../../agent/finding";

const moto = useMoto();
const of = (r: AuditResult, checkId: string) => r.findings.filter((f) => f.checkId === checkId);

describe("scenarios over moto: the organization's own settings and its delegated administrators (delegations moto refuses recorded)", () => {
  it("recorded: the clean sandbox PASSes organization-settings and each of the five delegations", async () => {
    const sb = await seed(moto.endpoint);
    const r = await audit(sb);
    expect(of(r, "organization-settings").map((f) => [f.status, f.account])).toEqual([
      ["PASS", sb.accounts.management],
    ]);
    expect(of(r, "delegated-administrators").map((f) => [f.key, f.status])).toEqual([
      ["config.amazonaws.com", "PASS"],
      ["config-multiaccountsetup.amazonaws.com", "PASS"],
      ["guardduty.amazonaws.com", "PASS"],
      ["securityhub.amazonaws.com", "PASS"],
      ["inspector2.amazonaws.com", "PASS"],
    ]);
  });

  it("recorded: CloudTrail's trusted access disabled and an extra service's enabled is one HIGH FAIL naming both", async () => {
    const sb = await seed(moto.endpoint, [
      { kind: "trusted-access-disabled", principal: "cloudtrail.amazonaws.com" },
      { kind: "trusted-access-extra", principal: "backup.amazonaws.com" },
    ]);
    const r = await audit(sb);
    const f = of(r, "organization-settings");
    expect(f.map((x) => [x.status, x.severity])).toEqual([["FAIL", "HIGH"]]);
    expect(f[0].message).toBe(
      `The organization ${sb.orgId}: trusted access is not enabled for cloudtrail.amazonaws.com; trusted access is enabled for backup.amazonaws.com, which infra does not lay (the next \`pulumi up\` disables it; add it to serviceAccessPrincipals if intended).`,
    );
    expect(f[0].remediation.cli).toContain(`aws organizations enable-policy-type --root-id ${sb.rootId}`);
    // Nothing else the drift touches is judged by another check.
    expect(r.findings.filter((x) => x.status === "FAIL").map((x) => x.checkId)).toEqual(["organization-settings"]);
  });

  it("recorded: a workload account registered as GuardDuty's delegated administrator is CRITICAL naming it", async () => {
    const sb = await seed(moto.endpoint, [
      { kind: "foreign-delegated-administrator", account: "member-0", principal: "guardduty.amazonaws.com" },
    ]);
    const r = await audit(sb);
    const member = sb.accounts.members[0];
    const fails = r.findings.filter((x) => x.status === "FAIL");
    expect(fails.map((x) => [x.checkId, x.key, x.severity])).toEqual([
      ["delegated-administrators", "guardduty.amazonaws.com", "CRITICAL"],
    ]);
    expect(fails[0].message).toContain(
      `${member} (Workload A) is also delegated administrator of guardduty.amazonaws.com, which the baseline registers for the security account only`,
    );
    expect(fails[0].remediation.cli).toContain(
      `aws organizations register-delegated-administrator --account-id ${sb.accounts.security} --service-principal guardduty.amazonaws.com`,
    );
    expect(r.exitCode).toBe(1);
  });
});
