/**
 * What the member baseline's network automation leaves in every account × governed region once it
 * has run (baseline/network/): the flow-log remediation's flow log on every VPC, exactly as its
 * Automation document requests it (createFlowLogsRequest, to the flow-log bucket of the log-archive
 * account), and the DNS sweep's association of every VPC with the region's shared query logging
 * configuration. moto creates each account's default VPC per region, as AWS does.
 *
 * The associations are laid in the log-archive account only: moto looks a configuration up in the
 * caller's own account, so a member cannot associate with the log-archive account's (AWS admits it
 * through the RAM share). The other accounts' VPCs stay unassociated, and dns-query-log-associations
 * reports them FAIL in a sandbox audit (agent/sandbox/README.md says so).
 */
import { CreateFlowLogsCommand, DescribeFlowLogsCommand, DescribeVpcsCommand, EC2Client } from "@aws-sdk/client-ec2";
import {
  AssociateResolverQueryLogConfigCommand,
  ListResolverQueryLogConfigsCommand,
  Route53ResolverClient,
} from "@aws-sdk/client-route53resolver";
import { bucketArn } from "../../baseline";
import { createFlowLogsRequest } from "../../baseline/network/flow-log-remediation";
import type { SandboxSession } from "./session";

export interface NetworkSeedContext {
  session: SandboxSession;
  governed: string[];
  accounts: string[];
  logArchive: string;
  flowLogBucket: string;
  dnsConfigName: string;
  /** Regions whose log-archive VPCs are left unassociated (the "dns-query-log-association-missing" drift). */
  skipAssociationRegions?: string[];
}

/** Returns the log-archive account's configuration id by region (the ids the members' associations would name). */
export async function seedNetwork(c: NetworkSeedContext): Promise<{ dnsQueryLogConfigIds: Record<string, string> }> {
  const dnsQueryLogConfigIds: Record<string, string> = {};
  for (const account of c.accounts) {
    for (const region of c.governed) {
      const ec2 = await c.session.client(EC2Client, account, region);
      const vpcs = ((await ec2.send(new DescribeVpcsCommand({}))).Vpcs ?? []).map((v) => v.VpcId!);
      for (const vpcId of vpcs) {
        const r = await ec2.send(new CreateFlowLogsCommand(createFlowLogsRequest(bucketArn(c.flowLogBucket), vpcId)));
        if ((r.Unsuccessful ?? []).length > 0)
          throw new Error(
            `seedNetwork: CreateFlowLogs for ${vpcId} in ${account}/${region} was refused: ${JSON.stringify(r.Unsuccessful)}`,
          );
      }
      if (account !== c.logArchive) continue;
      const r53 = await c.session.client(Route53ResolverClient, account, region);
      const config = ((await r53.send(new ListResolverQueryLogConfigsCommand({}))).ResolverQueryLogConfigs ?? []).find(
        (x) => x.Name === c.dnsConfigName,
      );
      // A region the "dns-query-log-config-missing" drift left without a configuration has nothing to associate with.
      if (!config) continue;
      dnsQueryLogConfigIds[region] = config.Id!;
      if (c.skipAssociationRegions?.includes(region)) continue;
      for (const ResourceId of vpcs)
        await r53.send(
          new AssociateResolverQueryLogConfigCommand({ ResolverQueryLogConfigId: config.Id!, ResourceId }),
        );
    }
  }
  return { dnsQueryLogConfigIds };
}

/** An account's default VPC of a region and the id of its flow log (the ids an audit's findings name). */
export interface VpcIds {
  vpcId: string;
  flowLogId: string;
}

/** The default VPC and its flow log, per region, as moto holds them for `account`. */
export async function defaultVpcIds(
  session: SandboxSession,
  account: string,
  regions: string[],
): Promise<Record<string, VpcIds>> {
  const out: Record<string, VpcIds> = {};
  for (const region of regions) {
    const ec2 = await session.client(EC2Client, account, region);
    const vpcId = ((await ec2.send(new DescribeVpcsCommand({}))).Vpcs ?? []).find((v) => v.IsDefault)?.VpcId;
    if (!vpcId) throw new Error(`defaultVpcIds: account ${account} has no default VPC in ${region}`);
    const flowLogId = ((await ec2.send(new DescribeFlowLogsCommand({}))).FlowLogs ?? []).find(
      (f) => f.ResourceId === vpcId,
    )?.FlowLogId;
    if (!flowLogId) throw new Error(`defaultVpcIds: VPC ${vpcId} of ${account} in ${region} has no flow log`);
    out[region] = { vpcId, flowLogId };
  }
  return out;
}
