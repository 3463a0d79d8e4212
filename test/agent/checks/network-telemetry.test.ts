/**
 * vpc-flow-logs and dns-query-log-associations: over state collected from moto with the agent's own
 * collector (collectRegionNetwork, the account entered by AssumeRole) where moto serves it, and over
 * the fixture state for the cases moto cannot lay. moto cannot associate a VPC with a configuration
 * another account shares (it looks the configuration up in the caller's own account), so a member's
 * PASS is a recorded association on the collected value, and says so in its name.
 */
import { afterEach, describe, expect, it } from "vitest";
import { CreateFlowLogsCommand, CreateVpcCommand, DescribeVpcsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import {
  AssociateResolverQueryLogConfigCommand,
  CreateResolverQueryLogConfigCommand,
  Route53ResolverClient,
} from "@aws-sdk/client-route53resolver";
import type { AuditManifest } from "../../../baseline";
import { createFlowLogsRequest, FLOW_LOG_FORMAT } from "../../../baseline/network/flow-log-remediation";
import { collectRegionNetwork } from "../../../agent/collectors/network";
import { collectRegionDetection } from "../../../agent/collectors/detection";
import * as flowLogs from "../../../agent/checks/detection/vpc-flow-logs";
import * as dnsAssociations from "../../../agent/checks/detection/dns-query-log-associations";
import type { Finding } from "../../../agent/finding";
import { failed, type ObservedRegionNetwork, type ObservedState } from "../../../agent/model";
import { useMoto } from "../../helpers/moto";
import { agentClients } from "../collectors/_clients";
import {
  cleanManifest,
  cleanObserved,
  CTX,
  detectionOf,
  dnsConfigId,
  DNS_BUCKET,
  FLOW_LOG_BUCKET,
  HOME,
  ORG,
  OTHER_REGION,
  vpcIdOf,
} from "./fixtures";

const moto = useMoto();
let env: ReturnType<typeof agentClients>;
afterEach(() => env?.destroy());

const only = (o: ObservedState, account: string, region: string): ObservedState => ({
  ...o,
  scope: { accounts: [account], regions: [region] },
});
const statuses = (fs: Finding[]) => fs.map((f) => [f.account, f.region, f.resourceArn, f.status]);
const vpcArn = (account: string, region: string, vpcId: string) => `arn:aws:ec2:${region}:${account}:vpc/${vpcId}`;

/** The cell's network observation replaced by `network`. */
function withNetwork(account: string, region: string, network: Partial<ObservedRegionNetwork>): ObservedState {
  const o = cleanObserved();
  const d = detectionOf(o, account, region);
  d.network = { ...d.network!, ...network };
  return only(o, account, region);
}

describe("vpc-flow-logs: the fixture organization", () => {
  it("PASSes every VPC of every account × region with the baseline's flow log, one finding per VPC", () => {
    const fs = flowLogs.evaluate(cleanObserved(), cleanManifest(), CTX);
    expect(fs).toHaveLength(8);
    expect(fs.every((f) => f.status === "PASS")).toBe(true);
    const f = fs.find((x) => x.account === ORG.member && x.region === OTHER_REGION)!;
    expect(f.resourceArn).toBe(vpcArn(ORG.member, OTHER_REGION, vpcIdOf(ORG.member, OTHER_REGION)));
    expect(f.message).toBe(
      `VPC ${vpcIdOf(ORG.member, OTHER_REGION)} (the default VPC) of account ${ORG.member} in ${OTHER_REGION} has flow log fl-${vpcIdOf(ORG.member, OTHER_REGION).slice(4)}: ALL traffic to arn:aws:s3:::${FLOW_LOG_BUCKET}, ACTIVE, in the baseline's format.`,
    );
  });

  it("is NOT_APPLICABLE once, saying why, when the manifest names no flow-log bucket", () => {
    const m: AuditManifest = { ...cleanManifest(), flowLogs: undefined };
    const fs = flowLogs.evaluate(cleanObserved(), m, CTX);
    expect(fs.map((f) => [f.status, f.account, f.message])).toEqual([
      [
        "NOT_APPLICABLE",
        "-",
        `${flowLogs.metadata.title}: not applicable, the audit manifest names no flow-log bucket (the stack sets network.flowLogs.enabled to false).`,
      ],
    ]);
  });

  it("FAILs a VPC whose flow log records only rejected traffic, is not ACTIVE, fails delivery or lacks fields — naming each", () => {
    const vpc = vpcIdOf(ORG.member, HOME);
    const base = detectionOf(cleanObserved(), ORG.member, HOME).network!.flowLogs!;
    if (!base.ok) throw new Error("the fixture's flow logs are read");
    const log = base.value[0];
    const o = withNetwork(ORG.member, HOME, {
      flowLogs: {
        ok: true,
        value: [
          {
            ...log,
            trafficType: "REJECT",
            flowLogStatus: "ACTIVE",
            deliverLogsStatus: "FAILED",
            deliverLogsErrorMessage: "Access error",
            logFormat: "${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr}",
            destinationOptions: { fileFormat: "plain-text", hiveCompatiblePartitions: true, perHourPartition: false },
          },
        ],
      },
    });
    const [f] = flowLogs.evaluate(o, cleanManifest(), CTX);
    expect(f.status).toBe("FAIL");
    expect(f.message).toBe(
      `VPC ${vpc} (the default VPC) of account ${ORG.member} in ${HOME} has no usable flow log to arn:aws:s3:::${FLOW_LOG_BUCKET}: ${log.flowLogId}: it records REJECT traffic, not ALL, its delivery FAILED (Access error), its format lacks srcport, dstport, protocol, packets, bytes, start, end, action, log-status, vpc-id, subnet-id, instance-id, tcp-flags, flow-direction, its file format is plain-text, not parquet, its partitions are daily, not hourly, its prefixes are Hive-compatible, not the layout the bucket policy and the Athena table read.`,
    );
  });

  it("FAILs a VPC whose only flow log delivers elsewhere (the Config rule calls it compliant), and one with none", () => {
    const o = withNetwork(ORG.member, HOME, {
      vpcs: {
        ok: true,
        value: [
          { vpcId: "vpc-0000000000000aaaa", isDefault: false, state: "available" },
          { vpcId: "vpc-0000000000000bbbb", isDefault: false, state: "available" },
        ],
      },
      flowLogs: {
        ok: true,
        value: [
          {
            flowLogId: "fl-0123456789abcdef0",
            resourceId: "vpc-0000000000000aaaa",
            trafficType: "ALL",
            logDestinationType: "cloud-watch-logs",
            logDestination: `arn:aws:logs:${HOME}:${ORG.member}:log-group:team-flow-logs`,
            flowLogStatus: "ACTIVE",
            deliverLogsStatus: "SUCCESS",
            logFormat: FLOW_LOG_FORMAT,
          },
        ],
      },
    });
    const fs = flowLogs.evaluate(o, cleanManifest(), CTX);
    expect(fs.map((f) => [f.resourceArn, f.status, f.message])).toEqual([
      [
        vpcArn(ORG.member, HOME, "vpc-0000000000000aaaa"),
        "FAIL",
        `VPC vpc-0000000000000aaaa of account ${ORG.member} in ${HOME} has no flow log to arn:aws:s3:::${FLOW_LOG_BUCKET}: fl-0123456789abcdef0 delivers to arn:aws:logs:${HOME}:${ORG.member}:log-group:team-flow-logs, outside the archive. The Config rule counts such a flow log as compliant and does not add the central one; create it.`,
      ],
      [
        vpcArn(ORG.member, HOME, "vpc-0000000000000bbbb"),
        "FAIL",
        `VPC vpc-0000000000000bbbb of account ${ORG.member} in ${HOME} has no flow log: its traffic is not recorded anywhere.`,
      ],
    ]);
  });

  it("PASSes a region where the account has no VPC, saying so; ERRORs an unread list, never a PASS", () => {
    const none = withNetwork(ORG.member, HOME, { vpcs: { ok: true, value: [] } });
    expect(flowLogs.evaluate(none, cleanManifest(), CTX).map((f) => [f.status, f.message])).toEqual([
      ["PASS", `Account ${ORG.member} has no VPC in ${HOME}: there is no VPC traffic or DNS query to log there.`],
    ]);
    const err = {
      name: "UnauthorizedOperation",
      message: "not authorized",
      kind: "access-denied" as const,
      operation: "DescribeFlowLogs",
      service: "ec2",
      account: ORG.member,
      region: HOME,
    };
    const denied = withNetwork(ORG.member, HOME, { flowLogs: failed(err) });
    const [f] = flowLogs.evaluate(denied, cleanManifest(), CTX);
    expect([f.status, f.observed, f.error?.operation]).toEqual([
      "ERROR",
      "not read: DescribeFlowLogs failed with UnauthorizedOperation",
      "DescribeFlowLogs",
    ]);
    // A state collected without the network pieces (an older agent step) is ERROR too.
    const o = cleanObserved();
    delete detectionOf(o, ORG.member, HOME).network;
    const [g] = flowLogs.evaluate(only(o, ORG.member, HOME), cleanManifest(), CTX);
    expect([g.status, g.error?.operation]).toEqual(["ERROR", "DescribeFlowLogs"]);
  });

  it("an account in stackSet.excludeAccounts is NOT_APPLICABLE in every region, naming the exclusion", () => {
    const m = cleanManifest();
    const excluded: AuditManifest = { ...m, stackSet: { ...m.stackSet!, excludeAccounts: [ORG.member] } };
    const fs = flowLogs.evaluate(cleanObserved(), excluded, CTX).filter((f) => f.account === ORG.member);
    expect(fs.map((f) => [f.region, f.status, f.message])).toEqual(
      [HOME, OTHER_REGION].map((r) => [
        r,
        "NOT_APPLICABLE",
        `Account ${ORG.member} is excluded by stackSet.excludeAccounts: it gets no orgwarden member baseline, so its VPC Flow Logs remediation is not laid in ${r} and was not judged.`,
      ]),
    );
  });
});

describe("vpc-flow-logs over moto (the agent's collector)", () => {
  it("a member's VPCs: the one with the baseline's flow log (createFlowLogsRequest, to the log-archive bucket) PASSes, a new VPC without one FAILs", async () => {
    env = agentClients(moto.endpoint);
    const s3 = await env.get(S3Client, ORG.logArchive, HOME);
    await s3.send(new CreateBucketCommand({ Bucket: FLOW_LOG_BUCKET }));
    const ec2 = await env.get(EC2Client, ORG.member, HOME);
    const [defaultVpc] = (await ec2.send(new DescribeVpcsCommand({}))).Vpcs!;
    const created = await ec2.send(
      new CreateFlowLogsCommand(createFlowLogsRequest(`arn:aws:s3:::${FLOW_LOG_BUCKET}`, defaultVpc.VpcId!)),
    );
    expect(created.Unsuccessful).toEqual([]);
    const bare = (await ec2.send(new CreateVpcCommand({ CidrBlock: "10.20.0.0/16" }))).Vpc!.VpcId!;

    const cell = await collectRegionDetection(env.clients, ORG.member, HOME, undefined, {
      flowLogs: true,
      dnsQueryLogAssociations: false,
    });
    expect(cell.network?.dnsQueryLogAssociations).toBeUndefined();
    const o = cleanObserved();
    Object.assign(detectionOf(o, ORG.member, HOME), { network: cell.network });
    const fs = flowLogs.evaluate(only(o, ORG.member, HOME), cleanManifest(), CTX);
    // moto reports no DestinationOptions: the PASS says its format options were not judged.
    expect(statuses(fs)).toEqual([
      [ORG.member, HOME, vpcArn(ORG.member, HOME, defaultVpc.VpcId!), "PASS"],
      [ORG.member, HOME, vpcArn(ORG.member, HOME, bare), "FAIL"],
    ]);
    expect(fs[0].message).toMatch(
      /in the baseline's format\. DescribeFlowLogs reported no destination options, so its file format and partitioning were not judged\.$/,
    );
  });
});

describe("dns-query-log-associations: the fixture organization", () => {
  it("PASSes every VPC associated ACTIVE with its region's shared configuration", () => {
    const fs = dnsAssociations.evaluate(cleanObserved(), cleanManifest(), CTX);
    expect(fs).toHaveLength(8);
    expect(fs.every((f) => f.status === "PASS")).toBe(true);
    const vpc = vpcIdOf(ORG.member, OTHER_REGION);
    const f = fs.find((x) => x.account === ORG.member && x.region === OTHER_REGION)!;
    expect(f.message).toBe(
      `VPC ${vpc} (the default VPC) of account ${ORG.member} in ${OTHER_REGION} is associated (rslvr-qlca-${vpc.slice(4)}, ACTIVE) with the shared configuration ${dnsConfigId(OTHER_REGION)} (orgwarden-prod-dns-query-logs).`,
    );
    expect(f.intended).toEqual({
      configName: "orgwarden-prod-dns-query-logs",
      configIds: [dnsConfigId(OTHER_REGION)],
      status: "ACTIVE",
    });
  });

  it("FAILs an unassociated VPC, one associated only with the account's own configuration, one whose association FAILED, and one associated with another region's id", () => {
    const id = (n: string) => `vpc-000000000000${n}`;
    const o = withNetwork(ORG.member, HOME, {
      vpcs: { ok: true, value: ["0aaaa", "0bbbb", "0cccc", "0dddd"].map((n) => ({ vpcId: id(n), isDefault: false })) },
      dnsQueryLogAssociations: {
        ok: true,
        value: [
          { id: "rslvr-qlca-1", configId: "rslvr-qlc-ownconfig0000001", resourceId: id("0bbbb"), status: "ACTIVE" },
          {
            id: "rslvr-qlca-2",
            configId: dnsConfigId(HOME),
            resourceId: id("0cccc"),
            status: "FAILED",
            error: "ACCESS_DENIED",
            errorMessage: "denied",
          },
          { id: "rslvr-qlca-3", configId: dnsConfigId(OTHER_REGION), resourceId: id("0dddd"), status: "ACTIVE" },
        ],
      },
    });
    const fs = dnsAssociations.evaluate(o, cleanManifest(), CTX);
    const where = (n: string) => `VPC ${id(n)} of account ${ORG.member} in ${HOME}`;
    expect(fs.map((f) => [f.resourceArn, f.status, f.message])).toEqual([
      [
        vpcArn(ORG.member, HOME, id("0aaaa")),
        "FAIL",
        `${where("0aaaa")} is not associated with the shared configuration ${dnsConfigId(HOME)} (orgwarden-prod-dns-query-logs): its DNS queries are not logged.`,
      ],
      [
        vpcArn(ORG.member, HOME, id("0bbbb")),
        "FAIL",
        `${where("0bbbb")} is associated only with rslvr-qlc-ownconfig0000001, not with the shared configuration ${dnsConfigId(HOME)} (orgwarden-prod-dns-query-logs): its DNS queries do not reach the archive.`,
      ],
      [
        vpcArn(ORG.member, HOME, id("0cccc")),
        "FAIL",
        `${where("0cccc")} is associated with orgwarden-prod-dns-query-logs but not ACTIVE: rslvr-qlca-2 is FAILED (ACCESS_DENIED: denied).`,
      ],
      [
        vpcArn(ORG.member, HOME, id("0dddd")),
        "FAIL",
        `${where("0dddd")} is associated only with ${dnsConfigId(OTHER_REGION)}, not with the shared configuration ${dnsConfigId(HOME)} (orgwarden-prod-dns-query-logs): its DNS queries do not reach the archive.`,
      ],
    ]);
  });

  it("FAILs every VPC of a region whose log-archive account has no configuration to the DNS bucket; ERRORs when that list was not read", () => {
    const o = only(cleanObserved(), ORG.member, HOME);
    o.dnsQueryLogs = { ...o.dnsQueryLogs!, byRegion: { ...o.dnsQueryLogs!.byRegion, [HOME]: { ok: true, value: [] } } };
    const [f] = dnsAssociations.evaluate(o, cleanManifest(), CTX);
    expect([f.status, f.message]).toEqual([
      "FAIL",
      `VPC ${vpcIdOf(ORG.member, HOME)} (the default VPC) of account ${ORG.member} in ${HOME} cannot be logged to the archive: the log-archive account has no configuration orgwarden-prod-dns-query-logs delivering to arn:aws:s3:::${DNS_BUCKET} in ${HOME} (see dns-query-log-config).`,
    ]);
    const err = {
      name: "AccessDeniedException",
      message: "denied",
      kind: "access-denied" as const,
      operation: "ListResolverQueryLogConfigs",
      service: "route53resolver",
      account: ORG.logArchive,
      region: HOME,
    };
    o.dnsQueryLogs = { ...o.dnsQueryLogs, byRegion: { ...o.dnsQueryLogs.byRegion, [HOME]: failed(err) } };
    const [g] = dnsAssociations.evaluate(o, cleanManifest(), CTX);
    expect([g.status, g.account, g.error?.operation]).toEqual(["ERROR", ORG.member, "ListResolverQueryLogConfigs"]);
    delete o.dnsQueryLogs;
    const [h] = dnsAssociations.evaluate(o, cleanManifest(), CTX);
    expect([h.status, h.error?.name]).toEqual(["ERROR", "NotCollected"]);
  });

  it("ERRORs a cell whose associations were not read; NOT_APPLICABLE without dnsQueryLogs in the manifest", () => {
    const err = {
      name: "AccessDeniedException",
      message: "denied",
      kind: "access-denied" as const,
      operation: "ListResolverQueryLogConfigAssociations",
      service: "route53resolver",
      account: ORG.member,
      region: HOME,
    };
    const [f] = dnsAssociations.evaluate(
      withNetwork(ORG.member, HOME, { dnsQueryLogAssociations: failed(err) }),
      cleanManifest(),
      CTX,
    );
    expect([f.status, f.error?.operation]).toEqual(["ERROR", "ListResolverQueryLogConfigAssociations"]);
    const m: AuditManifest = { ...cleanManifest(), dnsQueryLogs: undefined };
    expect(dnsAssociations.evaluate(cleanObserved(), m, CTX).map((f) => [f.status, f.account])).toEqual([
      ["NOT_APPLICABLE", "-"],
    ]);
  });
});

describe("dns-query-log-associations over moto (the agent's collector)", () => {
  /** The log-archive account's configuration in HOME, created in moto; the manifest's regions narrowed to HOME. */
  async function configuration(): Promise<string> {
    const r53 = await env.get(Route53ResolverClient, ORG.logArchive, HOME);
    const c = await r53.send(
      new CreateResolverQueryLogConfigCommand({
        Name: "orgwarden-prod-dns-query-logs",
        DestinationArn: `arn:aws:s3:::${DNS_BUCKET}`,
        CreatorRequestId: `test-${Date.now()}`,
      }),
    );
    return c.ResolverQueryLogConfig!.Id!;
  }

  async function observe(account: string): Promise<ObservedState> {
    const cell = await collectRegionNetwork(
      await env.get(EC2Client, account, HOME),
      await env.get(Route53ResolverClient, account, HOME),
      account,
      HOME,
      { flowLogs: false, dnsQueryLogAssociations: true },
    );
    expect(cell.flowLogs).toBeUndefined();
    const o = cleanObserved();
    Object.assign(detectionOf(o, account, HOME), { network: cell });
    return only(o, account, HOME);
  }

  it("the log-archive account's own VPC associated in moto PASSes against the configuration it owns", async () => {
    env = agentClients(moto.endpoint);
    const configId = await configuration();
    const ec2 = await env.get(EC2Client, ORG.logArchive, HOME);
    const [vpc] = (await ec2.send(new DescribeVpcsCommand({}))).Vpcs!;
    const r53 = await env.get(Route53ResolverClient, ORG.logArchive, HOME);
    await r53.send(
      new AssociateResolverQueryLogConfigCommand({ ResolverQueryLogConfigId: configId, ResourceId: vpc.VpcId! }),
    );
    const o = await observe(ORG.logArchive);
    o.dnsQueryLogs = {
      configName: "orgwarden-prod-dns-query-logs",
      byRegion: {
        [HOME]: {
          ok: true,
          value: [
            {
              id: configId,
              arn: `arn:aws:route53resolver:${HOME}:${ORG.logArchive}:resolver-query-log-config/${configId}`,
              name: "orgwarden-prod-dns-query-logs",
              ownerId: ORG.logArchive,
              destinationArn: `arn:aws:s3:::${DNS_BUCKET}`,
              status: "CREATED",
              shareStatus: "SHARED_BY_ME",
            },
          ],
        },
      },
    };
    expect(statuses(dnsAssociations.evaluate(o, cleanManifest(), CTX))).toEqual([
      [ORG.logArchive, HOME, vpcArn(ORG.logArchive, HOME, vpc.VpcId!), "PASS"],
    ]);
  });

  it("a member's unassociated VPC FAILs; recorded: the same VPC with the association AWS shows a member after it associates with the shared configuration PASSes", async () => {
    env = agentClients(moto.endpoint);
    const configId = await configuration();
    const o = await observe(ORG.member);
    o.dnsQueryLogs!.byRegion[HOME] = {
      ok: true,
      value: [
        {
          id: configId,
          arn: `arn:aws:route53resolver:${HOME}:${ORG.logArchive}:resolver-query-log-config/${configId}`,
          name: "orgwarden-prod-dns-query-logs",
          ownerId: ORG.logArchive,
          destinationArn: `arn:aws:s3:::${DNS_BUCKET}`,
          status: "CREATED",
          shareStatus: "SHARED_BY_ME",
        },
      ],
    };
    const [fail] = dnsAssociations.evaluate(o, cleanManifest(), CTX);
    expect(fail.status).toBe("FAIL");
    const network = detectionOf(o, ORG.member, HOME).network!;
    const vpcId = network.vpcs.ok ? network.vpcs.value[0].vpcId : "";
    // Recorded: ListResolverQueryLogConfigAssociations in the member after AssociateResolverQueryLogConfig with the shared id.
    network.dnsQueryLogAssociations = {
      ok: true,
      value: [{ id: "rslvr-qlca-5d6e7f8091a2b3c4d", configId, resourceId: vpcId, status: "ACTIVE", error: "NONE" }],
    };
    expect(statuses(dnsAssociations.evaluate(o, cleanManifest(), CTX))).toEqual([
      [ORG.member, HOME, vpcArn(ORG.member, HOME, vpcId), "PASS"],
    ]);
  });
});
