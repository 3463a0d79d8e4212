/**
 * vpc-flow-logs and dns-query-log-associations over a seeded sandbox: moto holds every account's
 * default VPC per region, the baseline's flow log on each (agent/sandbox/seed-network.ts) and the
 * log-archive account's own associations. The other accounts' associations with the shared
 * configuration are recorded (the harness: moto cannot associate across accounts).
 */
import { describe, expect, it } from "vitest";
import { useMoto } from "../../helpers/moto";
import { audit, brief, seed, withStatus } from "./_harness";

const moto = useMoto();
const NETWORK = ["vpc-flow-logs", "dns-query-log-associations"];

describe("network telemetry over moto (member Resolver associations recorded)", () => {
  it("clean: every account's VPC in every governed region has the baseline's flow log and its association, one PASS per VPC", async () => {
    const sb = await seed(moto.endpoint);
    const r = await audit(sb);
    for (const id of NETWORK) {
      const fs = r.findings.filter((f) => f.checkId === id);
      expect(fs.map((f) => [f.account, f.region, f.status]).sort()).toEqual(
        r.scope.accounts.flatMap((a) => sb.governedRegions.map((g) => [a, g, "PASS"])).sort(),
      );
      for (const f of fs) expect(f.resourceArn).toMatch(new RegExp(`^arn:aws:ec2:${f.region}:${f.account}:vpc/vpc-`));
    }
    const la = r.findings.find(
      (f) =>
        f.checkId === "dns-query-log-associations" && f.account === sb.accounts.logArchive && f.region === "eu-west-1",
    )!;
    expect(la.message).toContain(
      `with the shared configuration ${sb.dnsQueryLogConfigIds["eu-west-1"]} (orgwarden-sandbox-dns-query-logs).`,
    );
  });

  it("drifted: a member's deleted flow log and a VPC created after the remediation ran FAIL vpc-flow-logs; the log-archive account's VPC left out of the shared configuration FAILs dns-query-log-associations; nothing else of the two", async () => {
    const sb = await seed(moto.endpoint, [
      { kind: "vpc-flow-log-deleted", account: "member-0", region: "eu-west-1" },
      { kind: "vpc-created-unlogged", account: "security", region: "us-east-1" },
      { kind: "dns-query-log-association-missing", region: "us-east-1" },
    ]);
    const r = await audit(sb);
    const fails = withStatus(r, "FAIL").filter((f) => NETWORK.includes(f.checkId));
    const vpc = "vpc-[0-9a-f]+";
    const expected: [string, RegExp][] = [
      [
        `dns-query-log-associations ${sb.accounts.logArchive}`,
        new RegExp(
          `^dns-query-log-associations FAIL ${sb.accounts.logArchive}/us-east-1: VPC ${vpc} \\(the default VPC\\) of account ${sb.accounts.logArchive} in us-east-1 is not associated with the shared configuration ${sb.dnsQueryLogConfigIds["us-east-1"]} \\(orgwarden-sandbox-dns-query-logs\\): its DNS queries are not logged\\.$`,
        ),
      ],
      [
        `vpc-flow-logs ${sb.accounts.members[0]}`,
        new RegExp(
          `^vpc-flow-logs FAIL ${sb.accounts.members[0]}/eu-west-1: VPC ${vpc} \\(the default VPC\\) of account ${sb.accounts.members[0]} in eu-west-1 has no flow log: its traffic is not recorded anywhere\\.$`,
        ),
      ],
      [
        `vpc-flow-logs ${sb.accounts.security}`,
        new RegExp(
          `^vpc-flow-logs FAIL ${sb.accounts.security}/us-east-1: VPC ${vpc} of account ${sb.accounts.security} in us-east-1 has no flow log: its traffic is not recorded anywhere\\.$`,
        ),
      ],
    ];
    expected.sort(([a], [b]) => a.localeCompare(b));
    expect(brief(fails).sort()).toEqual(expected.map(([, re]) => expect.stringMatching(re)));
    // The security account's default VPC keeps its flow log: one PASS and one FAIL in that cell.
    expect(
      r.findings
        .filter((f) => f.checkId === "vpc-flow-logs" && f.account === sb.accounts.security && f.region === "us-east-1")
        .map((f) => f.status)
        .sort(),
    ).toEqual(["FAIL", "PASS"]);
  });
});
