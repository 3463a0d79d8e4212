/** organization-settings over the fixture organization: one change per failing case. */
import { describe, expect, it } from "vitest";
import * as check from "../../../agent/checks/organization/organization-settings";
import { collected, type ObservedState } from "../../../agent/model";
import { ORG_SERVICE_ACCESS_PRINCIPALS } from "../../../baseline/organization";
import { cleanManifest, cleanObserved, CTX, failedRead, ORG } from "./fixtures";

const ORG_ARN = `arn:aws:organizations::${ORG.management}:organization/${ORG.id}`;
const one = (o: ObservedState, m = cleanManifest()) => {
  const fs = check.evaluate(o, m, CTX);
  expect(fs).toHaveLength(1);
  return fs[0];
};
const withRootTypes = (policyTypes: { type: string; status: string }[]) => {
  const o = cleanObserved();
  o.organization.roots = collected([{ id: ORG.rootId, policyTypes }]);
  return o;
};

describe("organization-settings", () => {
  it("PASSes the fixture organization: feature set ALL, SCPs ENABLED on the root, exactly the nine trusted services in any order", () => {
    const f = one(cleanObserved());
    expect([f.status, f.severity, f.account, f.region, f.resourceArn]).toEqual([
      "PASS",
      "HIGH",
      ORG.management,
      "global",
      ORG_ARN,
    ]);
    expect(f.message).toBe(
      `The organization ${ORG.id} has feature set ALL, SERVICE_CONTROL_POLICY ENABLED on the root ${ORG.rootId}, and trusted access for exactly the 9 services infra lays (${ORG_SERVICE_ACCESS_PRINCIPALS.join(", ")}).`,
    );
  });

  it("FAILs consolidated billing only, saying no SCP applies", () => {
    const o = cleanObserved();
    o.organization.featureSet = collected("CONSOLIDATED_BILLING");
    const f = one(o);
    expect([f.status, f.severity]).toEqual(["FAIL", "HIGH"]);
    expect(f.message).toBe(
      `The organization ${ORG.id}: the organization's feature set is CONSOLIDATED_BILLING, not ALL: without all features no SCP applies.`,
    );
  });

  it.each([
    [[], `the policy type SERVICE_CONTROL_POLICY is not enabled on the root ${ORG.rootId}`],
    [
      [{ type: "SERVICE_CONTROL_POLICY", status: "PENDING_ENABLE" }],
      `the policy type SERVICE_CONTROL_POLICY is PENDING_ENABLE on the root ${ORG.rootId}, not ENABLED`,
    ],
    [
      [{ type: "SERVICE_CONTROL_POLICY", status: "PENDING_DISABLE" }],
      `the policy type SERVICE_CONTROL_POLICY is PENDING_DISABLE on the root ${ORG.rootId}, not ENABLED`,
    ],
  ])("FAILs a root whose SCP type is %j", (types, problem) => {
    const f = one(withRootTypes(types));
    expect([f.status, f.severity, f.message]).toEqual(["FAIL", "HIGH", `The organization ${ORG.id}: ${problem}.`]);
  });

  it("FAILs when the manifest's root is not among the organization's roots", () => {
    const o = cleanObserved();
    o.organization.roots = collected([{ id: "r-zz99", policyTypes: [] }]);
    expect(one(o).message).toBe(
      `The organization ${ORG.id}: the root ${ORG.rootId} named by the manifest is not among the organization's roots (r-zz99), so its policy types cannot be read.`,
    );
  });

  it("an extra policy type on the root alone is a MEDIUM FAIL naming it", () => {
    const f = one(
      withRootTypes([
        { type: "SERVICE_CONTROL_POLICY", status: "ENABLED" },
        { type: "TAG_POLICY", status: "ENABLED" },
      ]),
    );
    expect([f.status, f.severity, f.message]).toEqual([
      "FAIL",
      "MEDIUM",
      `The organization ${ORG.id}: the root ${ORG.rootId} also has TAG_POLICY (ENABLED), which infra does not enable (the next \`pulumi up\` disables it).`,
    ]);
  });

  it("FAILs HIGH naming each missing trusted service, and names the extra one in the same finding", () => {
    const o = cleanObserved();
    o.organization.enabledServicePrincipals = collected([
      ...ORG_SERVICE_ACCESS_PRINCIPALS.filter(
        (p) => p !== "cloudtrail.amazonaws.com" && p !== "guardduty.amazonaws.com",
      ),
      "access-analyzer.amazonaws.com",
    ]);
    const f = one(o);
    expect([f.status, f.severity, f.message]).toEqual([
      "FAIL",
      "HIGH",
      `The organization ${ORG.id}: trusted access is not enabled for cloudtrail.amazonaws.com, guardduty.amazonaws.com; trusted access is enabled for access-analyzer.amazonaws.com, which infra does not lay (the next \`pulumi up\` disables it; add it to serviceAccessPrincipals if intended).`,
    ]);
  });

  it("an extra trusted service alone is a MEDIUM FAIL", () => {
    const o = cleanObserved();
    o.organization.enabledServicePrincipals = collected([
      ...ORG_SERVICE_ACCESS_PRINCIPALS,
      "sso.amazonaws.com",
      "backup.amazonaws.com",
    ]);
    const f = one(o);
    expect([f.status, f.severity]).toEqual(["FAIL", "MEDIUM"]);
    expect(f.message).toContain("trusted access is enabled for backup.amazonaws.com, sso.amazonaws.com, which infra");
  });

  it("judges against the list the manifest publishes (a configured serviceAccessPrincipals), not the default", () => {
    const m = cleanManifest();
    m.organizationSettings!.serviceAccessPrincipals = ["cloudtrail.amazonaws.com", "config.amazonaws.com"];
    const o = cleanObserved();
    o.organization.enabledServicePrincipals = collected(["config.amazonaws.com", "cloudtrail.amazonaws.com"]);
    expect(one(o, m).status).toBe("PASS");
  });

  it.each([
    ["featureSet", "DescribeOrganization"],
    ["roots", "ListRoots"],
    ["enabledServicePrincipals", "ListAWSServiceAccessForOrganization"],
  ] as const)("a failed %s read is ERROR naming %s, never a PASS", (piece, operation) => {
    const o = cleanObserved();
    o.organization[piece] = failedRead(operation, "organizations", ORG.management, "global");
    const f = one(o);
    expect([f.status, f.error?.operation, f.error?.kind]).toEqual(["ERROR", operation, "access-denied"]);
    expect(f.message).toContain(`Grant the audit read role organizations:${operation}`);
  });

  it.each([
    ["featureSet", "DescribeOrganization"],
    ["roots", "ListRoots"],
    ["enabledServicePrincipals", "ListAWSServiceAccessForOrganization"],
  ] as const)("a state without %s (read before it) is ERROR NotCollected for %s", (piece, operation) => {
    const o = cleanObserved();
    delete o.organization[piece];
    const f = one(o);
    expect([f.status, f.error?.name, f.error?.operation]).toEqual(["ERROR", "NotCollected", operation]);
  });

  it("an unreachable management account is ERROR", () => {
    const o = cleanObserved();
    o.unreachableAccounts[ORG.management] = {
      name: "AccessDenied",
      message: "denied",
      kind: "access-denied",
      operation: "AssumeRole",
      service: "sts",
      account: ORG.management,
      region: "global",
    };
    expect([one(o).status, one(o).error?.operation]).toEqual(["ERROR", "AssumeRole"]);
  });

  it("a manifest published before organizationSettings is NOT_APPLICABLE, saying to republish", () => {
    const m = cleanManifest();
    delete m.organizationSettings;
    const f = one(cleanObserved(), m);
    expect([f.status, f.message]).toEqual([
      "NOT_APPLICABLE",
      `${check.metadata.title}: not applicable, the audit manifest has no organizationSettings area (a manifest published before it); run \`pulumi up\` to republish it.`,
    ]);
  });
});
