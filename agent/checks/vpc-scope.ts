/**
 * What the per-VPC checks (vpc-flow-logs, dns-query-log-associations) share: one finding per VPC
 * of each audited account × region, an ERROR for a cell whose VPCs or logging could not be read,
 * and a PASS saying so for a region where the account has no VPC (nothing there to log).
 */
import { accountRoot } from "../../baseline";
import type { CheckMetadata, Finding } from "../finding";
import type { Collected, ObservedRegionNetwork, ObservedState, ObservedVpc } from "../model";
import { blocked, errorFinding, finding, type Scope } from "./common";
import type { DetectionCell } from "./scope";
import { notCollected } from "./scope";

export function vpcArn(region: string, account: string, vpcId: string): string {
  return `arn:aws:ec2:${region}:${account}:vpc/${vpcId}`;
}

/**
 * The findings of one cell: `piece` picks the read the check judges from the cell's network
 * observation (absent: the agent did not read it, an ERROR, never a PASS); `judge` judges one VPC.
 */
export function vpcCellFindings<T>(
  meta: CheckMetadata,
  o: ObservedState,
  c: DetectionCell,
  intended: unknown,
  piece: (n: ObservedRegionNetwork) => Collected<T> | undefined,
  judge: (vpc: ObservedVpc, read: T, scope: Scope) => Finding,
  operation: string,
): Finding[] {
  const cellScope: Scope = { account: c.account, region: c.region, resourceArn: accountRoot(c.account) };
  const network = c.entry.network;
  const read = network ? piece(network) : undefined;
  if (!network || !read)
    return [
      errorFinding(
        meta,
        cellScope,
        {
          ...notCollected(c.account, c.region),
          operation,
          message: `${operation} was not read for account ${c.account} in ${c.region}`,
        },
        intended,
      ),
    ];
  const stop = blocked(meta, o, cellScope, intended, network.vpcs, read);
  if (stop) return [stop];
  const vpcs = network.vpcs.ok ? network.vpcs.value : [];
  const value = (read as { ok: true; value: T }).value;
  if (vpcs.length === 0)
    return [
      finding(meta, cellScope, {
        status: "PASS",
        intended,
        observed: { vpcs: [] },
        message: `Account ${c.account} has no VPC in ${c.region}: there is no VPC traffic or DNS query to log there.`,
      }),
    ];
  return vpcs.map((v) => judge(v, value, { ...cellScope, resourceArn: vpcArn(c.region, c.account, v.vpcId) }));
}
