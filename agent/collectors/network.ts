/**
 * Network telemetry of one account × region: its VPCs (DescribeVpcs), the flow logs of the region
 * (DescribeFlowLogs) and the account's Resolver query logging associations
 * (ListResolverQueryLogConfigAssociations), each paged to its end. Each list is read only when the
 * manifest intends what it judges (flowLogs, dnsQueryLogs), and each is its own Collected, so one
 * refused call makes only its own check ERROR.
 */
import { paginateDescribeFlowLogs, paginateDescribeVpcs, type EC2Client } from "@aws-sdk/client-ec2";
import {
  paginateListResolverQueryLogConfigAssociations,
  type Route53ResolverClient,
} from "@aws-sdk/client-route53resolver";
import {
  failed,
  type Collected,
  type CollectError,
  type ObservedDnsQueryLogAssociation,
  type ObservedFlowLog,
  type ObservedRegionNetwork,
  type ObservedVpc,
} from "../model";
import { attempt, drain } from "./common";

export interface NetworkReads {
  flowLogs: boolean;
  dnsQueryLogAssociations: boolean;
}

export async function collectRegionNetwork(
  ec2: EC2Client,
  resolver: Route53ResolverClient,
  account: string,
  region: string,
  want: NetworkReads,
): Promise<ObservedRegionNetwork> {
  const scope = (service: string, operation: string) => ({ service, operation, account, region });
  const vpcs = attempt(scope("ec2", "DescribeVpcs"), async () =>
    (await drain(paginateDescribeVpcs({ client: ec2 }, {}), (p) => p.Vpcs)).map((v): ObservedVpc => ({
      vpcId: v.VpcId ?? "",
      isDefault: v.IsDefault === true,
      state: v.State,
    })),
  );
  const flowLogs = want.flowLogs
    ? attempt(scope("ec2", "DescribeFlowLogs"), async () =>
        (await drain(paginateDescribeFlowLogs({ client: ec2 }, {}), (p) => p.FlowLogs)).map((f): ObservedFlowLog => ({
          flowLogId: f.FlowLogId ?? "",
          resourceId: f.ResourceId ?? "",
          trafficType: f.TrafficType,
          logDestinationType: f.LogDestinationType,
          logDestination: f.LogDestination,
          flowLogStatus: f.FlowLogStatus,
          deliverLogsStatus: f.DeliverLogsStatus,
          deliverLogsErrorMessage: f.DeliverLogsErrorMessage,
          logFormat: f.LogFormat,
          ...(f.DestinationOptions
            ? {
                destinationOptions: {
                  fileFormat: f.DestinationOptions.FileFormat,
                  hiveCompatiblePartitions: f.DestinationOptions.HiveCompatiblePartitions,
                  perHourPartition: f.DestinationOptions.PerHourPartition,
                },
              }
            : {}),
        })),
      )
    : undefined;
  const associations = want.dnsQueryLogAssociations
    ? attempt(scope("route53resolver", "ListResolverQueryLogConfigAssociations"), async () =>
        (
          await drain(
            paginateListResolverQueryLogConfigAssociations({ client: resolver }, {}),
            (p) => p.ResolverQueryLogConfigAssociations,
          )
        ).map((a): ObservedDnsQueryLogAssociation => ({
          id: a.Id ?? "",
          configId: a.ResolverQueryLogConfigId ?? "",
          resourceId: a.ResourceId ?? "",
          status: a.Status ?? "",
          ...(a.Error ? { error: a.Error } : {}),
          ...(a.ErrorMessage ? { errorMessage: a.ErrorMessage } : {}),
        })),
      )
    : undefined;
  const [v, f, d] = await Promise.all([vpcs, flowLogs, associations]);
  return { vpcs: v, ...(f ? { flowLogs: f } : {}), ...(d ? { dnsQueryLogAssociations: d } : {}) };
}

/** Every piece failed with the cell's error (account not entered, task timed out). */
export function unreadableRegionNetwork(e: CollectError): ObservedRegionNetwork {
  const f = <T>(): Collected<T> => failed<T>(e);
  return { vpcs: f(), flowLogs: f(), dnsQueryLogAssociations: f() };
}
