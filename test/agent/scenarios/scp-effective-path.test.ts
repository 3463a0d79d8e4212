/**
 * scp-effective-path over moto (which implements Organizations policies, their targets and the
 * tree): the sandbox attaches the three baseline SCPs to the root, as infra does. One seeded
 * sandbox for the file: audited as laid, with the first SCP moved to the Workloads OU, then with it
 * detached entirely.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DetachPolicyCommand, OrganizationsClient } from "@aws-sdk/client-organizations";
import { applyDrift } from "../../../agent/sandbox/drifts";
import type { Sandbox } from "../../../agent/sandbox/seed";
import type { AuditResult } from "../../../agent/finding";
import { resetMoto, startMoto } from "../../helpers/moto";
import { audit, seed } from "./_harness";

let endpoint: string;
let sb: Sandbox;
const runs: Record<"clean" | "moved" | "detached", AuditResult> = {} as never;

const statuses = (r: AuditResult) =>
  r.findings
    .filter((f) => f.checkId === "scp-effective-path")
    .map((f) => [f.account, f.status] as const)
    .sort((a, b) => a[0].localeCompare(b[0]));

beforeAll(async () => {
  endpoint = (await startMoto()).endpoint;
  await resetMoto(endpoint);
  sb = await seed(endpoint);
  runs.clean = await audit(sb);
  await applyDrift(sb, { kind: "scp-moved-to-workloads-ou" });
  runs.moved = await audit(sb);
  // And off the OU too: attached nowhere.
  const org = await sb.session.client(OrganizationsClient, sb.accounts.management, sb.region);
  await org.send(new DetachPolicyCommand({ PolicyId: sb.scpId, TargetId: sb.ous.workloads }));
  runs.detached = await audit(sb);
});
afterAll(async () => {
  if (endpoint) await resetMoto(endpoint);
});

describe("scp-effective-path over moto (SSM associations and GetTrailStatus CloudWatch/digest fields recorded)", () => {
  const all = () => [sb.accounts.management, sb.accounts.logArchive, sb.accounts.security, ...sb.accounts.members];
  const expectStatuses = (r: AuditResult, status: (a: string) => string) =>
    expect(statuses(r)).toEqual(
      all()
        .map((a) => [a, status(a)] as const)
        .sort((x, y) => x[0].localeCompare(y[0])),
    );

  it("as laid: every account PASSes through the root, the management account is NOT_APPLICABLE", () => {
    expectStatuses(runs.clean, (a) => (a === sb.accounts.management ? "NOT_APPLICABLE" : "PASS"));
  });

  it("the logging SCP on the Workloads OU only: the Security OU's accounts FAIL, the workloads still PASS", () => {
    const security = [sb.accounts.logArchive, sb.accounts.security];
    expectStatuses(runs.moved, (a) =>
      a === sb.accounts.management ? "NOT_APPLICABLE" : security.includes(a) ? "FAIL" : "PASS",
    );
    const f = runs.moved.findings.find(
      (x) => x.checkId === "scp-effective-path" && x.account === sb.accounts.security,
    )!;
    expect(f.message).toBe(
      `SCP orgwarden-protect-logging (${sb.scpId}) is not attached anywhere on the path the root ${sb.rootId} → OU Security (${sb.ous.security}) → the account ${sb.accounts.security} (it is attached to ${sb.ous.workloads} only); attach it to the root: aws organizations attach-policy --policy-id ${sb.scpId} --target-id ${sb.rootId}.`,
    );
  });

  it("the logging SCP attached nowhere: every account but the management account FAILs", () => {
    expectStatuses(runs.detached, (a) => (a === sb.accounts.management ? "NOT_APPLICABLE" : "FAIL"));
  });
});
