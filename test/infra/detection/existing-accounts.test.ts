/**
 * The accounts an adopted organization already has: Inspector's auto-enable reaches only accounts
 * that join later, so the program lists the organization (aws.organizations.getOrganization through
 * the management account's provider) and enrolls each existing ACTIVE member explicitly. Security
 * Hub reaches them through the central configuration policy on the root; GuardDuty through `ALL`.
 */
import { describe, expect, it } from "vitest";
import { runProgram } from "../../../harness/run-program";
import { ROOT, stackConfig } from "../stack";

const ACCOUNTS = [
  { id: "123456789012", name: "Management", state: "ACTIVE" as const },
  { id: "555566667777", name: "Log Archive", state: "ACTIVE" as const },
  { id: "777788889999", name: "Security Tooling", state: "ACTIVE" as const },
  { id: "200000000001", name: "payments-prod", state: "ACTIVE" as const },
  { id: "200000000002", name: "old-sandbox", state: "SUSPENDED" as const },
  { id: "200000000003", name: "data-lake", state: "ACTIVE" as const },
];

describe("existing member accounts (prod: adopt mode)", () => {
  it("associates and enables Inspector for every ACTIVE member but the management and security accounts, in every governed region", async () => {
    const config = stackConfig("prod");
    const mgmt = config["orgwarden:managementAccountId"];
    const accounts = ACCOUNTS.map((a) => (a.name === "Management" ? { ...a, id: mgmt } : a));
    const run = await runProgram({ program: ROOT, stack: "prod", config, awsMockOptions: { accounts } });
    const regions = JSON.parse(config["orgwarden:governedRegions"]) as string[];
    const members = ["200000000001", "200000000003", "555566667777"];
    const assoc = run.resources.filter((r) => r.type === "aws:inspector2/memberAssociation:MemberAssociation");
    expect(assoc.map((a) => a.name).sort()).toEqual(
      regions.flatMap((r) => members.map((id) => `detection-inspector-${r}-member-${id}`)).sort(),
    );
    for (const region of regions) {
      const enabler = run.resources.find((r) => r.name === `detection-inspector-${region}-members-scanning-1`);
      expect(enabler?.inputs.accountIds).toEqual(members);
    }
  });
});

describe("a log-archive account the program creates (dev: create mode)", () => {
  it("is enrolled in Inspector by its output id, since it joins before the delegation", async () => {
    const run = await runProgram({ program: ROOT, stack: "dev", config: stackConfig("dev") });
    const logArchive = run.resources.find(
      (r) => r.type === "aws:organizations/account:Account" && /log-archive/i.test(r.name),
    );
    expect(logArchive).toBeDefined();
    const assoc = run.resources.filter((r) => r.type === "aws:inspector2/memberAssociation:MemberAssociation");
    expect(assoc.length).toBeGreaterThan(0);
    for (const a of assoc) {
      expect(a.name).toMatch(/^detection-inspector-[a-z0-9-]+-member-new-1$/);
      expect(a.inputs.accountId).toBe(logArchive!.outputs.id ?? logArchive!.id);
    }
  });
});
