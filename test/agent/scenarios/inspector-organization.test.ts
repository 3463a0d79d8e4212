/**
 * inspector-organization and inspector-members over a seeded sandbox: moto holds the delegation
 * (management account), the organization configuration and the member associations (security
 * account) in every governed region, laid from baseline/detection/inspector.ts as infra lays them,
 * and the agent reads them with runAudit over HTTP.
 */
import { describe, expect, it } from "vitest";
import { useMoto } from "../../helpers/moto";
import { audit, brief, seed, withStatus } from "./_harness";

const moto = useMoto();
const INSPECTOR = ["inspector-organization", "inspector-members"];

describe("Inspector's organization over moto", () => {
  it("clean: one PASS per governed region for the organization, one per member account × region for the members", async () => {
    const sb = await seed(moto.endpoint);
    const r = await audit(sb);
    const org = r.findings.filter((f) => f.checkId === "inspector-organization");
    expect(org.map((f) => [f.account, f.region, f.status])).toEqual(
      sb.governedRegions.map((g) => [sb.accounts.security, g, "PASS"]),
    );
    const members = r.findings.filter((f) => f.checkId === "inspector-members");
    const judged = r.scope.accounts.filter((a) => a !== sb.accounts.management && a !== sb.accounts.security);
    expect(judged.length).toBeGreaterThan(1);
    expect(members.map((f) => [f.account, f.region, f.status]).sort()).toEqual(
      judged.flatMap((a) => sb.governedRegions.map((g) => [a, g, "PASS"])).sort(),
    );
  });

  it("drifted: ECR auto-enable turned off in one region and a member disassociated in another FAIL, nothing else of the two", async () => {
    const sb = await seed(moto.endpoint, [
      { kind: "inspector-auto-enable-off", region: "eu-west-1", scanType: "ecr" },
      { kind: "inspector-member-disassociated", account: "member-1", region: "us-east-1" },
    ]);
    const r = await audit(sb);
    const fails = withStatus(r, "FAIL").filter((f) => INSPECTOR.includes(f.checkId));
    expect(brief(fails).sort()).toEqual(
      [
        `inspector-members FAIL ${sb.accounts.members[1]}/us-east-1: Account ${sb.accounts.members[1]}'s Inspector membership in us-east-1 is DISABLED, not ENABLED.`,
        `inspector-organization FAIL ${sb.accounts.security}/eu-west-1: AutoEnable.ecr is false in eu-west-1: accounts that join later get no ECR scanning.`,
      ].sort(),
    );
    expect(
      r.findings.filter((f) => INSPECTOR.includes(f.checkId) && f.status !== "PASS" && f.status !== "FAIL"),
    ).toEqual([]);
  });
});
