/**
 * Network telemetry drifts over a seeded sandbox (agent/sandbox/seed-network.ts laid the state):
 * a VPC's baseline flow log deleted, a VPC created after the baseline's automation ran (no flow
 * log). The log-archive account's VPC left out of the shared query logging configuration is applied
 * by the seeder (moto has no DisassociateResolverQueryLogConfig).
 */
import {
  CreateVpcCommand,
  DeleteFlowLogsCommand,
  DescribeFlowLogsCommand,
  DescribeVpcsCommand,
  EC2Client,
} from "@aws-sdk/client-ec2";
import type { Sandbox } from "./seed";

async function defaultVpc(ec2: EC2Client, where: string): Promise<string> {
  const vpc = (await ec2.send(new DescribeVpcsCommand({}))).Vpcs?.find((v) => v.IsDefault);
  if (!vpc?.VpcId) throw new Error(`network drift: no default VPC ${where}`);
  return vpc.VpcId;
}

/** Deletes every flow log of the account's default VPC in the region; returns the VPC id. */
export async function deleteDefaultVpcFlowLogs(sb: Sandbox, account: string, region: string): Promise<string> {
  const ec2 = await sb.session.client(EC2Client, account, region);
  const vpcId = await defaultVpc(ec2, `in ${account}/${region}`);
  const logs = (await ec2.send(new DescribeFlowLogsCommand({}))).FlowLogs ?? [];
  const FlowLogIds = logs.filter((f) => f.ResourceId === vpcId).map((f) => f.FlowLogId!);
  if (FlowLogIds.length === 0) throw new Error(`network drift: VPC ${vpcId} in ${account}/${region} has no flow log`);
  await ec2.send(new DeleteFlowLogsCommand({ FlowLogIds }));
  return vpcId;
}

/** A VPC created after the seed: the remediation has not reached it yet. Returns its id. */
export async function createUnloggedVpc(sb: Sandbox, account: string, region: string): Promise<string> {
  const ec2 = await sb.session.client(EC2Client, account, region);
  const vpc = await ec2.send(new CreateVpcCommand({ CidrBlock: "10.99.0.0/16" }));
  return vpc.Vpc!.VpcId!;
}
