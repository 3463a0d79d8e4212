/** Route 53 Resolver (log-archive account, each governed region): the query logging configurations it owns under the baseline's name. */
import { paginateListResolverQueryLogConfigs, type Route53ResolverClient } from "@aws-sdk/client-route53resolver";
import { failed, type Collected, type CollectError, type ObservedDnsQueryLogConfig } from "../model";
import { attempt, drain } from "./common";

/**
 * Lists every configuration the account can see in the region and keeps those it owns named
 * `configName` (a configuration shared with the account by another one has another OwnerId).
 * Filtering here, not with the API's Filters, so the read is the same against AWS and emulators.
 */
export async function collectDnsQueryLogConfigs(
  client: Route53ResolverClient,
  account: string,
  region: string,
  configName: string,
): Promise<Collected<ObservedDnsQueryLogConfig[]>> {
  return attempt(
    { service: "route53resolver", operation: "ListResolverQueryLogConfigs", account, region },
    async () => {
      const all = await drain(paginateListResolverQueryLogConfigs({ client }, {}), (p) => p.ResolverQueryLogConfigs);
      return all
        .filter((c) => c.Name === configName && c.OwnerId === account)
        .map((c) => ({
          id: c.Id ?? "",
          arn: c.Arn ?? "",
          name: c.Name ?? "",
          ownerId: c.OwnerId ?? "",
          destinationArn: c.DestinationArn ?? "",
          status: c.Status ?? "",
          shareStatus: c.ShareStatus ?? "",
        }));
    },
  );
}

export function unreadableDnsQueryLogConfigs(e: CollectError): Collected<ObservedDnsQueryLogConfig[]> {
  return failed(e);
}
