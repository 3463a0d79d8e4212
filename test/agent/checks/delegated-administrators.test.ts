/** delegated-administrators over the fixture organization: one change per failing case. */
import { describe, expect, it } from "vitest";
import * as check from "../../../agent/checks/organization/delegated-administrators";
import type { Finding } from "../../../agent/finding";
import { collected, type ObservedDelegatedAdministrator, type ObservedState } from "../../../agent/model";
import { BASELINE_DELEGATED_SERVICES, cleanManifest, cleanObserved, CTX, failedRead, ORG } from "./fixtures";

const SECURITY_ARN = `arn:aws:organizations::${ORG.management}:account/${ORG.id}/${ORG.security}`;
const withAdmins = (admins: ObservedDelegatedAdministrator[]): ObservedState => {
  const o = cleanObserved();
  o.organization.delegatedAdministrators = collected(admins);
  return o;
};
const security = (services: string[], status = "ACTIVE"): ObservedDelegatedAdministrator => ({
  accountId: ORG.security,
  name: "security",
  status,
  services,
});
const byService = (fs: Finding[]): Record<string, Finding> => Object.fromEntries(fs.map((f) => [f.key!, f]));

describe("delegated-administrators", () => {
  it("PASSes one finding per baseline service, each keyed by its principal, in the management account", () => {
    const fs = check.evaluate(cleanObserved(), cleanManifest(), CTX);
    expect(fs.map((f) => [f.key, f.status, f.severity, f.account, f.region, f.resourceArn])).toEqual(
      BASELINE_DELEGATED_SERVICES.map((s) => [s, "PASS", "HIGH", ORG.management, "global", SECURITY_ARN]),
    );
    expect(BASELINE_DELEGATED_SERVICES).toEqual([
      "config.amazonaws.com",
      "config-multiaccountsetup.amazonaws.com",
      "guardduty.amazonaws.com",
      "securityhub.amazonaws.com",
      "inspector2.amazonaws.com",
    ]);
    expect(fs[2].message).toBe(
      `The security account ${ORG.security} is the one delegated administrator of guardduty.amazonaws.com. Delegations for services outside the baseline's list are not judged (none were found).`,
    );
  });

  it("FAILs HIGH each service the security account is not registered for, naming the command", () => {
    const fs = byService(
      check.evaluate(
        withAdmins([security(BASELINE_DELEGATED_SERVICES.filter((s) => s !== "securityhub.amazonaws.com"))]),
        cleanManifest(),
        CTX,
      ),
    );
    const f = fs["securityhub.amazonaws.com"];
    expect([f.status, f.severity, f.message]).toEqual([
      "FAIL",
      "HIGH",
      `For securityhub.amazonaws.com, the security account ${ORG.security} is not delegated administrator of securityhub.amazonaws.com; register it (aws organizations register-delegated-administrator --account-id ${ORG.security} --service-principal securityhub.amazonaws.com, or the service's own designation). Delegations for services outside the baseline's list are not judged (none were found).`,
    ]);
    expect(Object.values(fs).filter((x) => x.status === "PASS")).toHaveLength(4);
  });

  it("no delegated administrator at all FAILs every service", () => {
    const fs = check.evaluate(withAdmins([]), cleanManifest(), CTX);
    expect(fs.map((f) => f.status)).toEqual(BASELINE_DELEGATED_SERVICES.map(() => "FAIL"));
  });

  it("another account registered for a baseline service is CRITICAL naming it, even beside the security account", () => {
    const fs = byService(
      check.evaluate(
        withAdmins([
          security([...BASELINE_DELEGATED_SERVICES]),
          { accountId: ORG.member, name: "workload", status: "ACTIVE", services: ["guardduty.amazonaws.com"] },
        ]),
        cleanManifest(),
        CTX,
      ),
    );
    const f = fs["guardduty.amazonaws.com"];
    expect([f.status, f.severity, f.observed]).toEqual([
      "FAIL",
      "CRITICAL",
      [
        { accountId: ORG.security, name: "security", status: "ACTIVE" },
        { accountId: ORG.member, name: "workload", status: "ACTIVE" },
      ],
    ]);
    expect(f.message).toBe(
      `For guardduty.amazonaws.com, ${ORG.member} (workload) is also delegated administrator of guardduty.amazonaws.com, which the baseline registers for the security account only: deregister it (aws organizations deregister-delegated-administrator --account-id ${ORG.member} --service-principal guardduty.amazonaws.com). Delegations for services outside the baseline's list are not judged (none were found).`,
    );
    expect(fs["config.amazonaws.com"].status).toBe("PASS");
  });

  it("a suspended security account FAILs", () => {
    const fs = check.evaluate(
      withAdmins([security([...BASELINE_DELEGATED_SERVICES], "SUSPENDED")]),
      cleanManifest(),
      CTX,
    );
    expect(fs[0].message).toContain(`the security account ${ORG.security} is SUSPENDED, not ACTIVE`);
    expect(fs.every((f) => f.status === "FAIL")).toBe(true);
  });

  it("services outside the baseline's list are not judged, and the finding names them", () => {
    const fs = check.evaluate(
      withAdmins([
        security([...BASELINE_DELEGATED_SERVICES, "access-analyzer.amazonaws.com"]),
        { accountId: ORG.member, name: "workload", status: "ACTIVE", services: ["ssm.amazonaws.com"] },
      ]),
      cleanManifest(),
      CTX,
    );
    expect(fs.map((f) => f.status)).toEqual(BASELINE_DELEGATED_SERVICES.map(() => "PASS"));
    expect(fs[0].message).toBe(
      `The security account ${ORG.security} is the one delegated administrator of config.amazonaws.com. Delegations for services outside the baseline's list (access-analyzer.amazonaws.com, ssm.amazonaws.com) are not judged.`,
    );
  });

  it("judges only the services the manifest lists (a stack whose manifest delegates Config alone)", () => {
    const m = cleanManifest();
    m.organizationSettings!.delegatedServices = ["config.amazonaws.com", "config-multiaccountsetup.amazonaws.com"];
    const fs = check.evaluate(
      withAdmins([security(["config.amazonaws.com", "config-multiaccountsetup.amazonaws.com"])]),
      m,
      CTX,
    );
    expect(fs.map((f) => [f.key, f.status])).toEqual([
      ["config.amazonaws.com", "PASS"],
      ["config-multiaccountsetup.amazonaws.com", "PASS"],
    ]);
  });

  it.each(["ListDelegatedAdministrators", "ListDelegatedServicesForAccount"])(
    "a failed %s read is ERROR for every service, never a PASS",
    (operation) => {
      const o = cleanObserved();
      o.organization.delegatedAdministrators = failedRead(operation, "organizations", ORG.management, "global");
      const fs = check.evaluate(o, cleanManifest(), CTX);
      expect(fs.map((f) => [f.status, f.error?.operation])).toEqual(
        BASELINE_DELEGATED_SERVICES.map(() => ["ERROR", operation]),
      );
    },
  );

  it("a state without the reading (read before it) is ERROR NotCollected", () => {
    const o = cleanObserved();
    delete o.organization.delegatedAdministrators;
    const fs = check.evaluate(o, cleanManifest(), CTX);
    expect(fs.map((f) => [f.status, f.error?.name])).toEqual(
      BASELINE_DELEGATED_SERVICES.map(() => ["ERROR", "NotCollected"]),
    );
  });

  it("a manifest published before organizationSettings is one NOT_APPLICABLE, saying to republish", () => {
    const m = cleanManifest();
    delete m.organizationSettings;
    const fs = check.evaluate(cleanObserved(), m, CTX);
    expect(fs.map((f) => [f.status, f.message])).toEqual([
      [
        "NOT_APPLICABLE",
        `${check.metadata.title}: not applicable, the audit manifest has no organizationSettings area (a manifest published before it); run \`pulumi up\` to republish it.`,
      ],
    ]);
  });
});
