/**
 * stackset-instances and stackset-drift over moto: the sandbox lays the member-baseline StackSet
 * (service-managed, over the Security and Workloads OUs, every governed region) and the management
 * account's direct stacks as infra does. moto serves DescribeStackSet, ListStackInstances and
 * DescribeStacks, but fills no drift status: the clean run adds a recorded IN_SYNC detection to
 * moto's answers (_recorded-stackset.ts), the drifted run takes moto's answers as they are, where
 * stackset-drift is FAIL (drift unknown), never PASS.
 * One seeded sandbox for the file: audited as laid, then drifted and audited again.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baselineStackArn, stackSetArn } from "../../../baseline";
import { applyDrift } from "../../../agent/sandbox/drifts";
import type { Sandbox } from "../../../agent/sandbox/seed";
import type { AuditResult } from "../../../agent/finding";
import { resetMoto, startMoto } from "../../helpers/moto";
import { audit, seed } from "./_harness";

let endpoint: string;
let sb: Sandbox;
let clean: AuditResult;
let drifted: AuditResult;

const of = (r: AuditResult, checkId: string) => r.findings.filter((f) => f.checkId === checkId);
const cells = (r: AuditResult, checkId: string) =>
  of(r, checkId)
    .map((f) => `${f.status} ${f.account}/${f.region}`)
    .sort();

beforeAll(async () => {
  endpoint = (await startMoto()).endpoint;
  await resetMoto(endpoint);
  sb = await seed(endpoint);
  clean = await audit(sb);
  const [, member1] = sb.accounts.members;
  await applyDrift(sb, { kind: "stackset-instance-missing", account: "member-0", region: "eu-west-1" });
  // member-1 excluded by stackSet.excludeAccounts, as infra would publish it (moto ignores AccountFilterType: its instances go too).
  for (const region of sb.governedRegions)
    await applyDrift(sb, { kind: "stackset-instance-missing", account: "member-1", region });
  drifted = await audit(
    { ...sb, manifest: { ...sb.manifest, stackSet: { ...sb.manifest.stackSet!, excludeAccounts: [member1] } } },
    { gaps: { stackSetDrift: "none" } },
  );
});
afterAll(async () => {
  if (endpoint) await resetMoto(endpoint);
});

describe("the member-baseline StackSet over moto", () => {
  it("as laid: the StackSet and every account × governed region PASS stackset-instances (the management account by its direct stack)", () => {
    const name = sb.manifest.stackSet!.name;
    const mgmt = sb.accounts.management;
    const all = [mgmt, sb.accounts.logArchive, sb.accounts.security, ...sb.accounts.members];
    expect(cells(clean, "stackset-instances")).toEqual(
      [`PASS ${mgmt}/${sb.region}`, ...all.flatMap((a) => sb.governedRegions.map((r) => `PASS ${a}/${r}`))].sort(),
    );
    const set = of(clean, "stackset-instances").find((f) => f.resourceArn === stackSetArn(sb.region, mgmt, name))!;
    expect(set.message).toBe(
      `The StackSet ${name} in the management account ${mgmt} (${sb.region}) is ACTIVE and SERVICE_MANAGED.`,
    );
    const direct = of(clean, "stackset-instances").find(
      (f) => f.resourceArn === baselineStackArn("eu-west-1", mgmt, name),
    )!;
    expect(direct.message).toBe(`The stack ${name} of account ${mgmt} in eu-west-1 is CREATE_COMPLETE.`);
    const member = of(clean, "stackset-instances").find(
      (f) => f.account === sb.accounts.members[0] && f.region === "eu-west-1",
    )!;
    expect(member.message).toBe(
      `Account ${sb.accounts.members[0]} has a CURRENT, SUCCEEDED stack instance of ${name} in eu-west-1.`,
    );
  });

  it("as laid, drift recorded IN_SYNC an hour ago: stackset-drift PASSes for the StackSet and every cell", () => {
    const drift = of(clean, "stackset-drift");
    expect(drift.map((f) => `${f.status} ${f.account}/${f.region}`).sort()).toEqual(cells(clean, "stackset-instances"));
  });

  it("moto's answers alone (no drift status): stackset-drift is FAIL, drift unknown, never PASS", () => {
    const [, member1] = sb.accounts.members;
    const drift = of(drifted, "stackset-drift").filter((f) => f.account !== member1 && f.status !== "NOT_APPLICABLE");
    expect(drift.length).toBeGreaterThan(0);
    expect(drift.every((f) => f.status === "FAIL")).toBe(true);
    const name = sb.manifest.stackSet!.name;
    const sec = drift.find((f) => f.account === sb.accounts.security && f.region === "eu-west-1")!;
    expect(sec.message).toBe(
      `The stack instance of ${name} in account ${sb.accounts.security}, eu-west-1: drift unknown, the drift status is not reported (never checked); run a drift detection.`,
    );
  });

  it("drifted: the removed instance FAILs naming account and region; the excluded account is NOT_APPLICABLE, saying so", () => {
    const [member0, member1] = sb.accounts.members;
    const name = sb.manifest.stackSet!.name;
    const notPass = of(drifted, "stackset-instances")
      .filter((f) => f.status !== "PASS")
      .map((f) => `${f.status} ${f.account}/${f.region}`)
      .sort();
    expect(notPass).toEqual(
      [`FAIL ${member0}/eu-west-1`, ...sb.governedRegions.map((r) => `NOT_APPLICABLE ${member1}/${r}`)].sort(),
    );
    const missing = of(drifted, "stackset-instances").find((f) => f.account === member0 && f.region === "eu-west-1")!;
    expect(missing.message).toBe(
      `Account ${member0} (under Workloads (${sb.ous.workloads})) has no stack instance of ${name} in eu-west-1: the member baseline is not laid there. Auto-deployment should have added it; create it (create-stack-instances) and find out why it is missing.`,
    );
    expect(missing.remediation.cli).toContain(
      `aws cloudformation update-stack-instances --stack-set-name ${name} --deployment-targets '{"OrganizationalUnitIds":["${sb.ous.security}","${sb.ous.workloads}"],"Accounts":["${member0}"],"AccountFilterType":"INTERSECTION"}' --regions eu-west-1 --call-as SELF --region ${sb.region}`,
    );
    const excluded = of(drifted, "stackset-instances").find((f) => f.account === member1 && f.region === sb.region)!;
    expect(excluded.message).toMatch(
      new RegExp(`^Account ${member1} is excluded by stackSet\\.excludeAccounts: the StackSet ${name} is not meant`),
    );
    const excludedDrift = of(drifted, "stackset-drift").find((f) => f.account === member1 && f.region === sb.region)!;
    expect(excludedDrift.status).toBe("NOT_APPLICABLE");
    const missingDrift = of(drifted, "stackset-drift").find((f) => f.account === member0 && f.region === "eu-west-1")!;
    expect([missingDrift.status, missingDrift.message]).toEqual([
      "NOT_APPLICABLE",
      `No drift to judge: account ${member0} has no stack instance of ${name} in eu-west-1; stackset-instances reports that (FAIL).`,
    ]);
  });
  it("the checks of what only the member baseline lays are NOT_APPLICABLE in every region of the excluded account; the others are as in the clean run", () => {
    const [, member1] = sb.accounts.members;
    for (const id of [
      "config-recorder",
      "config-delivery-channel",
      "ssm-agent-associations",
      "event-forwarding-rules",
    ]) {
      expect(
        cells(drifted, id).filter((c) => c.includes(member1)),
        id,
      ).toEqual(sb.governedRegions.map((r) => `NOT_APPLICABLE ${member1}/${r}`).sort());
      expect(
        cells(drifted, id).filter((c) => !c.includes(member1)),
        id,
      ).toEqual(cells(clean, id).filter((c) => !c.includes(member1)));
    }
  });
});
