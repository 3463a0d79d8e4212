/** The shared collection's Resolver query-logging part: one task per governed region in the log-archive account. */
import { Route53ResolverClient } from "@aws-sdk/client-route53resolver";
import type { AuditManifest } from "../../baseline";
import type { ObservedDnsQueryLogs } from "../model";
import { collectDnsQueryLogConfigs, unreadableDnsQueryLogConfigs } from "./dns-query-logs";
import type { CollectRuntime, Task } from "./index";

export async function dnsQueryLogTasks(
  rt: CollectRuntime,
  m: AuditManifest,
  exec: <T>(t: Task<T>) => Promise<T>,
): Promise<ObservedDnsQueryLogs | undefined> {
  const dns = m.dnsQueryLogs;
  if (!dns) return undefined;
  const account = m.organization.logArchiveAccountId;
  const regions = m.regions.governed;
  rt.progress?.add(regions.length);
  const read = await Promise.all(
    regions.map((region) =>
      exec({
        account,
        region,
        service: "route53resolver",
        run: () =>
          collectDnsQueryLogConfigs(
            rt.clients.get(Route53ResolverClient, account, region),
            account,
            region,
            dns.configName,
          ),
        unreadable: unreadableDnsQueryLogConfigs,
      }),
    ),
  );
  return { configName: dns.configName, byRegion: Object.fromEntries(regions.map((r, i) => [r, read[i]])) };
}
