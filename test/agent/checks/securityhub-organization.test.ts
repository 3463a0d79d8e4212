/**
 * The securityhub-* organization checks' judgement: each FAIL branch by one change to the clean
 * reading (fixtures.ts securityHubClean), the PASS, the ERROR of a failed or missing read, and the
 * NOT_APPLICABLE of a manifest published before the securityHub area.
 */
import { describe, expect, it } from "vitest";
import * as admin from "../../../agent/checks/detection/securityhub-admin-account";
import * as organization from "../../../agent/checks/detection/securityhub-organization";
import * as policy from "../../../agent/checks/detection/securityhub-configuration-policy";
import * as standards from "../../../agent/checks/detection/securityhub-standards";
import * as aggregator from "../../../agent/checks/detection/securityhub-finding-aggregator";
import { collected, type ObservedState } from "../../../agent/model";
import type { AuditManifest } from "../../../baseline";
import {
  cleanManifest,
  cleanObserved,
  CTX,
  failedRead,
  HOME,
  ORG,
  OTHER_REGION,
  SECURITY_HUB_AGGREGATOR_ARN,
  SECURITY_HUB_POLICY_ID,
  SECURITY_HUB_POLICY_NAME,
} from "./fixtures";

type Sh = NonNullable<ObservedState["securityHub"]>;
const FSBP = (r: string) => `arn:aws:securityhub:${r}::standards/aws-foundational-security-best-practices/v/1.0.0`;
const CIS = (r: string) => `arn:aws:securityhub:${r}::standards/cis-aws-foundations-benchmark/v/3.0.0`;
const THIRD = "ap-southeast-2";

function observedWith(change: (sh: Sh) => void): ObservedState {
  const o = cleanObserved();
  change(o.securityHub!);
  return o;
}
const run = (check: { evaluate: typeof admin.evaluate }, o: ObservedState, m: AuditManifest = cleanManifest()) =>
  check.evaluate(o, m, CTX);
const statuses = (fs: ReturnType<typeof admin.evaluate>) => fs.map((f) => [f.region, f.status]);
const only = (fs: ReturnType<typeof admin.evaluate>) => {
  expect(fs).toHaveLength(1);
  return fs[0];
};
function localManifest(regions = [HOME, OTHER_REGION]): AuditManifest {
  const m = cleanManifest();
  return {
    ...m,
    regions: { home: HOME, governed: regions },
    securityHub: { configuration: "local", cisVersion: "3.0.0" },
  };
}
function withoutArea(): AuditManifest {
  const m = cleanManifest();
  delete m.securityHub;
  return m;
}
const ALL = [admin, organization, policy, standards, aggregator];

describe("every securityhub organization check", () => {
  it.each(ALL.map((c) => [c.metadata.id, c] as const))("%s: PASS on the clean central setup", (_id, c) => {
    const fs = run(c, cleanObserved());
    expect(fs.map((f) => f.status)).toEqual(fs.map(() => "PASS"));
  });

  it.each(ALL.map((c) => [c.metadata.id, c] as const))(
    "%s: NOT_APPLICABLE saying so when the manifest has no securityHub area (published before it), never PASS",
    (_id, c) => {
      const f = only(run(c, cleanObserved(), withoutArea()));
      expect(f.status).toBe("NOT_APPLICABLE");
      expect(f.message).toContain("the audit manifest has no securityHub area (a manifest published before it)");
    },
  );

  it.each(ALL.map((c) => [c.metadata.id, c] as const))(
    "%s: ERROR NotCollected when the observed state holds no Security Hub reading",
    (_id, c) => {
      const o = cleanObserved();
      delete o.securityHub;
      const fs = run(c, o);
      expect(fs.map((f) => [f.status, f.error?.name])).toEqual(fs.map(() => ["ERROR", "NotCollected"]));
    },
  );

  it.each(ALL.map((c) => [c.metadata.id, c] as const))("%s: ERROR when the account cannot be entered", (_id, c) => {
    const o = cleanObserved();
    for (const a of [ORG.management, ORG.security])
      o.unreachableAccounts[a] = {
        name: "AccessDenied",
        message: "not authorized to perform sts:AssumeRole",
        kind: "access-denied",
        operation: "AssumeRole",
        service: "sts",
        account: a,
        region: "global",
      };
    const fs = run(c, o);
    expect(fs.map((f) => f.status)).toEqual(fs.map(() => "ERROR"));
  });
});

describe("securityhub-admin-account", () => {
  it("one finding per governed region in the management account", () => {
    const fs = run(admin, cleanObserved());
    expect(fs.map((f) => [f.account, f.region])).toEqual([
      [ORG.management, HOME],
      [ORG.management, OTHER_REGION],
    ]);
  });
  it("FAIL: no administrator designated in a region", () => {
    const fs = run(
      admin,
      observedWith((sh) => (sh.adminAccountsByRegion[OTHER_REGION] = collected([]))),
    );
    expect(statuses(fs)).toEqual([
      [HOME, "PASS"],
      [OTHER_REGION, "FAIL"],
    ]);
    expect(fs[1].message).toBe(
      `No delegated administrator is designated in ${OTHER_REGION}; designate the security account ${ORG.security}.`,
    );
  });
  it("FAIL: another account is the administrator", () => {
    const f = run(
      admin,
      observedWith(
        (sh) => (sh.adminAccountsByRegion[HOME] = collected([{ accountId: ORG.member, status: "ENABLED" }])),
      ),
    )[0];
    expect(f.message).toBe(
      `The delegated administrator in ${HOME} is ${ORG.member}, not the security account ${ORG.security}.`,
    );
  });
  it("FAIL: the designation is being disabled", () => {
    const f = run(
      admin,
      observedWith(
        (sh) =>
          (sh.adminAccountsByRegion[HOME] = collected([{ accountId: ORG.security, status: "DISABLE_IN_PROGRESS" }])),
      ),
    )[0];
    expect([f.status, f.message]).toEqual([
      "FAIL",
      `The security account ${ORG.security}'s designation in ${HOME} is DISABLE_IN_PROGRESS, not ENABLED.`,
    ]);
  });
  it("ERROR with the AWS error when ListOrganizationAdminAccounts failed in one region", () => {
    const fs = run(
      admin,
      observedWith(
        (sh) =>
          (sh.adminAccountsByRegion[OTHER_REGION] = failedRead(
            "ListOrganizationAdminAccounts",
            "securityhub",
            ORG.management,
            OTHER_REGION,
          )),
      ),
    );
    expect(statuses(fs)).toEqual([
      [HOME, "PASS"],
      [OTHER_REGION, "ERROR"],
    ]);
    expect(fs[1].error).toMatchObject({ name: "AccessDeniedException", operation: "ListOrganizationAdminAccounts" });
  });
  it("ERROR NotCollected for a governed region with no reading", () => {
    const fs = run(
      admin,
      observedWith((sh) => delete sh.adminAccountsByRegion[OTHER_REGION]),
    );
    expect(fs[1].error?.name).toBe("NotCollected");
  });
});

describe("securityhub-organization", () => {
  const config = (c: object) =>
    observedWith(
      (sh) =>
        (sh.organizationConfigurationByRegion[HOME] = collected({
          ...(sh.organizationConfigurationByRegion[HOME] as { value: object }).value,
          ...c,
        })),
    );
  it("FAIL naming every differing setting: LOCAL, FAILED with its message, auto-enable on, DEFAULT standards", () => {
    const f = only(
      run(
        organization,
        config({
          configurationType: "LOCAL",
          status: "FAILED",
          statusMessage: "Aggregator missing",
          autoEnable: true,
          autoEnableStandards: "DEFAULT",
        }),
      ),
    );
    expect([f.status, f.message]).toEqual([
      "FAIL",
      `The organization configuration in ${HOME} is LOCAL, not CENTRAL; its status is FAILED (Aggregator missing), not ENABLED; AutoEnable is true, not false; AutoEnableStandards is DEFAULT, not NONE.`,
    ]);
  });
  it("FAIL: PENDING", () => {
    expect(only(run(organization, config({ status: "PENDING" }))).message).toBe("Its status is PENDING, not ENABLED.");
  });
  it("FAIL: the member account limit is reached", () => {
    expect(only(run(organization, config({ memberAccountLimitReached: true }))).message).toBe(
      "The organization has reached Security Hub's member account limit: new accounts are not enrolled.",
    );
  });
  it("ERROR when DescribeOrganizationConfiguration failed", () => {
    const f = only(
      run(
        organization,
        observedWith(
          (sh) =>
            (sh.organizationConfigurationByRegion[HOME] = failedRead(
              "DescribeOrganizationConfiguration",
              "securityhub",
              ORG.security,
              HOME,
            )),
        ),
      ),
    );
    expect([f.status, f.error?.operation]).toEqual(["ERROR", "DescribeOrganizationConfiguration"]);
  });
  it("local: every governed region is judged, LOCAL with auto-enable and DEFAULT standards", () => {
    const local = () =>
      collected({ autoEnable: true, autoEnableStandards: "DEFAULT", configurationType: "LOCAL", status: "ENABLED" });
    const o = observedWith((sh) => {
      sh.organizationConfigurationByRegion = {
        [HOME]: local(),
        [OTHER_REGION]: collected({
          autoEnable: false,
          autoEnableStandards: "DEFAULT",
          configurationType: "LOCAL",
          status: "ENABLED",
        }),
      };
    });
    const fs = run(organization, o, localManifest());
    expect(statuses(fs)).toEqual([
      [HOME, "PASS"],
      [OTHER_REGION, "FAIL"],
    ]);
    expect(fs[1].message).toBe("AutoEnable is false, not true.");
  });
});

describe("securityhub-configuration-policy", () => {
  const withPolicy = (p: object) =>
    observedWith((sh) => {
      const clean = (sh.configurationPolicies as { value: object[] }).value[0];
      sh.configurationPolicies = collected([{ ...clean, ...p } as never]);
    });
  const withAssociation = (a: object) =>
    observedWith(
      (sh) => (sh.rootAssociation = collected({ ...(sh.rootAssociation as { value: object }).value, ...a })),
    );
  it("PASS names the policy, its standards and the root", () => {
    expect(only(run(policy, cleanObserved())).message).toBe(
      `The configuration policy ${SECURITY_HUB_POLICY_NAME} enables Security Hub, ${FSBP(HOME)} and ${CIS(HOME)} and every control, and is APPLIED to the root ${ORG.rootId} (SUCCESS).`,
    );
  });
  it("FAIL: no policy of that name", () => {
    const f = only(
      run(
        policy,
        observedWith((sh) => (sh.configurationPolicies = collected([]))),
      ),
    );
    expect(f.message).toBe(
      `The security account has no configuration policy named ${SECURITY_HUB_POLICY_NAME} in ${HOME}, so no policy enables Security Hub and the standards in the organization's accounts.`,
    );
  });
  it("FAIL: two policies of that name", () => {
    const f = only(
      run(
        policy,
        observedWith((sh) => {
          const p = (sh.configurationPolicies as { value: object[] }).value[0];
          sh.configurationPolicies = collected([p, { ...p, id: "other-id" }] as never);
        }),
      ),
    );
    expect(f.message).toMatch(
      /^2 configuration policies are named orgwarden-prod-security-hub \(a1b2c3d4-5678-90ab-cdef-111122223333 and other-id\)/,
    );
  });
  it("FAIL naming every differing setting: service off, a standard missing, an extra one, controls disabled", () => {
    const f = only(
      run(
        policy,
        withPolicy({
          serviceEnabled: false,
          enabledStandardIdentifiers: [FSBP(HOME), "arn:aws:securityhub:us-east-1::standards/pci-dss/v/3.2.1"],
          disabledSecurityControlIdentifiers: ["IAM.1", "S3.5"],
        }),
      ),
    );
    expect(f.message).toBe(
      `The policy ${SECURITY_HUB_POLICY_NAME} turns Security Hub off (ServiceEnabled false, not true); it does not enable ${CIS(HOME)}; it enables arn:aws:securityhub:us-east-1::standards/pci-dss/v/3.2.1, which the baseline does not intend; it disables IAM.1 and S3.5.`,
    );
  });
  it("FAIL: an allow-list of controls leaves new controls off", () => {
    const f = only(
      run(
        policy,
        withPolicy({
          disabledSecurityControlIdentifiers: undefined,
          enabledSecurityControlIdentifiers: ["CloudTrail.1"],
        }),
      ),
    );
    expect(f.message).toBe(
      "It enables only an allow-list of 1 control (EnabledSecurityControlIdentifiers: CloudTrail.1), which leaves every other control and every control AWS releases later off; use an empty DisabledSecurityControlIdentifiers instead.",
    );
  });
  it("FAIL: no SecurityControlsConfiguration, and a policy type the SDK does not know", () => {
    expect(
      only(
        run(
          policy,
          withPolicy({ hasSecurityControlsConfiguration: false, disabledSecurityControlIdentifiers: undefined }),
        ),
      ).message,
    ).toBe(
      "It has no SecurityControlsConfiguration, so which controls it enables is not the baseline's every control.",
    );
    expect(only(run(policy, withPolicy({ unknownPolicyType: "Inspector" }))).message).toBe(
      `The policy ${SECURITY_HUB_POLICY_NAME} is not a Security Hub policy (Inspector), so it sets none of the intended settings.`,
    );
  });
  it("FAIL: the root is self-managed, INHERITED, and FAILED with its message", () => {
    const f = only(
      run(
        policy,
        withAssociation({
          configurationPolicyId: "SELF_MANAGED_SECURITY_HUB",
          associationType: "INHERITED",
          associationStatus: "FAILED",
          associationStatusMessage: "Policy could not be applied to 2 accounts",
        }),
      ),
    );
    expect(f.message).toBe(
      `The root ${ORG.rootId} is associated with self-managed Security Hub (SELF_MANAGED_SECURITY_HUB), not ${SECURITY_HUB_POLICY_NAME} (${SECURITY_HUB_POLICY_ID}); the root's association is INHERITED, not APPLIED; the root's association is FAILED (Policy could not be applied to 2 accounts), not SUCCESS.`,
    );
  });
  it("FAIL: PENDING association; no association at all", () => {
    expect(only(run(policy, withAssociation({ associationStatus: "PENDING" }))).message).toBe(
      "The root's association is PENDING, not SUCCESS.",
    );
    expect(
      only(
        run(
          policy,
          observedWith((sh) => (sh.rootAssociation = collected(undefined))),
        ),
      ).message,
    ).toBe(
      `The organization root ${ORG.rootId} has no configuration policy association; associate ${SECURITY_HUB_POLICY_NAME} with it.`,
    );
  });
  it("ERROR when the policy list or the association read failed", () => {
    const a = only(
      run(
        policy,
        observedWith(
          (sh) =>
            (sh.configurationPolicies = failedRead("ListConfigurationPolicies", "securityhub", ORG.security, HOME)),
        ),
      ),
    );
    const b = only(
      run(
        policy,
        observedWith(
          (sh) =>
            (sh.rootAssociation = failedRead("GetConfigurationPolicyAssociation", "securityhub", ORG.security, HOME)),
        ),
      ),
    );
    expect([a.status, a.error?.operation, b.status, b.error?.operation]).toEqual([
      "ERROR",
      "ListConfigurationPolicies",
      "ERROR",
      "GetConfigurationPolicyAssociation",
    ]);
  });
  it("local configuration: NOT_APPLICABLE saying why", () => {
    const f = only(run(policy, cleanObserved(), localManifest()));
    expect([f.status, f.message]).toEqual([
      "NOT_APPLICABLE",
      `${policy.metadata.title}: not applicable, Security Hub is under local configuration (manifest securityHub.configuration), so infra lays no configuration policy; securityhub-standards judges the standards of the security account in each governed region.`,
    ]);
  });
});

describe("securityhub-standards", () => {
  it("FAIL: CIS missing in one region, FSBP INCOMPLETE with its reason in the other", () => {
    const fs = run(
      standards,
      observedWith((sh) => {
        sh.enabledStandardsByRegion[HOME] = collected([{ standardsArn: FSBP(HOME), status: "READY" }]);
        sh.enabledStandardsByRegion[OTHER_REGION] = collected([
          {
            standardsArn: FSBP(OTHER_REGION),
            status: "INCOMPLETE",
            statusReason: "NO_AVAILABLE_CONFIGURATION_RECORDER",
          },
          { standardsArn: CIS(OTHER_REGION), status: "READY" },
        ]);
      }),
    );
    expect(fs.map((f) => [f.region, f.status, f.message])).toEqual([
      [HOME, "FAIL", `The standard ${CIS(HOME)} is not enabled in ${HOME}.`],
      [
        OTHER_REGION,
        "FAIL",
        `The standard ${FSBP(OTHER_REGION)} is INCOMPLETE (NO_AVAILABLE_CONFIGURATION_RECORDER) in ${OTHER_REGION}, not READY.`,
      ],
    ]);
  });
  it("an extra standard is no FAIL; ERROR when GetEnabledStandards failed", () => {
    const fs = run(
      standards,
      observedWith((sh) => {
        sh.enabledStandardsByRegion[HOME] = collected([
          { standardsArn: FSBP(HOME), status: "READY" },
          { standardsArn: CIS(HOME), status: "READY" },
          { standardsArn: "arn:aws:securityhub:us-east-1::standards/nist-800-53/v/5.0.0", status: "READY" },
        ]);
        sh.enabledStandardsByRegion[OTHER_REGION] = failedRead(
          "GetEnabledStandards",
          "securityhub",
          ORG.security,
          OTHER_REGION,
        );
      }),
    );
    expect(statuses(fs)).toEqual([
      [HOME, "PASS"],
      [OTHER_REGION, "ERROR"],
    ]);
  });
  it("local configuration judges the same subscriptions in every governed region", () => {
    expect(statuses(run(standards, cleanObserved(), localManifest()))).toEqual([
      [HOME, "PASS"],
      [OTHER_REGION, "PASS"],
    ]);
  });
});

describe("securityhub-finding-aggregator", () => {
  const withAgg = (a: object) =>
    observedWith(
      (sh) =>
        (sh.findingAggregators = collected([
          { ...(sh.findingAggregators as { value: object[] }).value[0], ...a } as never,
        ])),
    );
  it("FAIL: none", () => {
    const f = only(
      run(
        aggregator,
        observedWith((sh) => (sh.findingAggregators = collected([]))),
      ),
    );
    expect(f.message).toBe(
      `The security account has no finding aggregator, so the findings of ${OTHER_REGION} never reach ${HOME}; central configuration needs one even with a single region.`,
    );
  });
  it("FAIL: a missing linked region and an extra one are named", () => {
    const m = { ...cleanManifest(), regions: { home: HOME, governed: [HOME, OTHER_REGION, THIRD] } };
    const f = only(run(aggregator, withAgg({ regions: [OTHER_REGION, "sa-east-1"] }), m));
    expect(f.message).toBe(`It does not link ${THIRD}; it links sa-east-1, which is not a linked governed region.`);
  });
  it("FAIL: another aggregation region and another linking mode", () => {
    const f = only(
      run(aggregator, withAgg({ aggregationRegion: OTHER_REGION, regionLinkingMode: "ALL_REGIONS", regions: [] })),
    );
    expect(f.message).toBe(
      `The aggregator ${SECURITY_HUB_AGGREGATOR_ARN} aggregates into ${OTHER_REGION}, not the home region ${HOME}; its RegionLinkingMode is ALL_REGIONS, not SPECIFIED_REGIONS.`,
    );
  });
  it("one governed region under central: NO_REGIONS is required, and PASSes", () => {
    const m = { ...cleanManifest(), regions: { home: HOME, governed: [HOME] } };
    expect(only(run(aggregator, withAgg({ regionLinkingMode: "NO_REGIONS", regions: [] }), m)).status).toBe("PASS");
    expect(only(run(aggregator, withAgg({}), m)).message).toBe(
      "Its RegionLinkingMode is SPECIFIED_REGIONS, not NO_REGIONS.",
    );
  });
  it("one governed region under local: NOT_APPLICABLE (infra lays none)", () => {
    expect(only(run(aggregator, cleanObserved(), localManifest([HOME]))).status).toBe("NOT_APPLICABLE");
  });
  it("ERROR when ListFindingAggregators failed", () => {
    const f = only(
      run(
        aggregator,
        observedWith(
          (sh) => (sh.findingAggregators = failedRead("ListFindingAggregators", "securityhub", ORG.security, HOME)),
        ),
      ),
    );
    expect([f.status, f.error?.operation]).toEqual(["ERROR", "ListFindingAggregators"]);
  });
});
