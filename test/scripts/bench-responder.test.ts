/**
 * The benchmark's claim that its responder answers as AWS-shaped as moto: the same organization
 * (the sandbox and three more member accounts, seeded like the sandbox's own members) audited in moto
 * and through the responder gives exactly the same findings. The responder only holds moto's answers
 * to the sandbox alone; the three accounts are its copies of the template member, under the ids,
 * names, e-mails and detector ids moto gave them.
 */
import { describe, expect, it } from "vitest";
import { MoveAccountCommand, OrganizationsClient } from "@aws-sdk/client-organizations";
import { runAuditDetailed } from "../../agent/run-audit";
import { createAccount } from "../../agent/sandbox/seed-org";
import { seedDetection } from "../../agent/sandbox/seed-detection";
import { defaultVpcIds, seedNetwork } from "../../agent/sandbox/seed-network";
import { seedForwardingRules } from "../../agent/sandbox/seed-detection-pipeline";
import { pipelineIntentOf } from "../../agent/collectors/detection-pipeline";
import type { Sandbox } from "../../agent/sandbox/seed";
import type { AuditResult } from "../../agent/finding";
import { BenchResponder, type BenchAccount } from "../../scripts/lib/bench-responder";
import { recordSandbox } from "../../scripts/lib/bench-record";
import { useMoto } from "../helpers/moto";
import { auditThroughProxy, NOW, seed, sorted } from "../agent/faults/_harness";

const moto = useMoto();

/** Three more members in the Workloads OU, each with the detection a sandbox member has. */
async function addMembers(sb: Sandbox, count: number): Promise<BenchAccount[]> {
  const org = await sb.session.client(OrganizationsClient, sb.accounts.management, sb.region);
  const added: BenchAccount[] = [];
  for (let i = 0; i < count; i++) {
    const name = `Workload Extra ${i}`;
    const email = `workload-extra-${i}@example.com`;
    const id = await createAccount(org, name, email);
    await org.send(
      new MoveAccountCommand({ AccountId: id, SourceParentId: sb.rootId, DestinationParentId: sb.ous.workloads }),
    );
    const detectors: Record<string, string> = {};
    for (const region of sb.governedRegions) {
      const d = await seedDetection(sb.session, {
        account: id,
        region,
        isHome: region === sb.region,
        deliveryChannel: sb.manifest.pipeline!.config!.deliveryChannel,
        guardDuty: sb.manifest.guardDuty!,
      });
      detectors[region] = d.detectorId;
    }
    // And the member baseline's forwarding rules, as the StackSet lays them in every member.
    await seedForwardingRules(sb.session, pipelineIntentOf(sb.manifest)!, id, sb.governedRegions);
    // And what its network automation leaves: the flow log on its default VPC in every region.
    await seedNetwork({
      session: sb.session,
      governed: sb.governedRegions,
      accounts: [id],
      logArchive: sb.accounts.logArchive,
      flowLogBucket: sb.manifest.flowLogs!.bucketName,
      dnsConfigName: sb.manifest.dnsQueryLogs!.configName,
    });
    added.push({ id, name, email, detectors, vpcs: await defaultVpcIds(sb.session, id, sb.governedRegions) });
  }
  return added;
}

const comparable = (r: AuditResult) => sorted(r.findings).map((f) => JSON.stringify(f));

describe("the benchmark responder", () => {
  it("gives the same findings as moto for the sandbox and three more members", async () => {
    const sb = await seed(moto.endpoint);
    const recording = await recordSandbox(sb, NOW);
    const extras = await addMembers(sb, 3);

    const inMoto = (await auditThroughProxy(sb, { seed: "fidelity", now: NOW })).result;

    const responder = await BenchResponder.start({ recording, accounts: extras, latencyMs: 0 });
    let copied: AuditResult;
    try {
      copied = (
        await runAuditDetailed({
          manifest: sb.manifest,
          endpointUrl: responder.endpoint,
          credentials: { ...sb.credentials },
          now: NOW,
        })
      ).result;
    } finally {
      await responder.close();
    }
    const stats = responder.stats();

    expect(stats.unrecorded, stats.unrecordedExamples.join("\n")).toBe(0);
    expect(copied.scope.accounts).toEqual(inMoto.scope.accounts);
    expect(copied.scope.accounts).toHaveLength(8);
    expect(extras.every((a) => copied.scope.accounts.includes(a.id))).toBe(true);
    // Every finding whole: id, status, severity, message, intended and observed.
    expect(comparable(copied)).toEqual(comparable(inMoto));
    expect(copied.findings.filter((f) => f.account === extras[2].id).length).toBeGreaterThan(10);
    expect(copied.exitCode).toBe(inMoto.exitCode);
  });
});
