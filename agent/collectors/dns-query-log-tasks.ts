/** The shared collection's Resolver query-logging part: one task per governed region in the log-archive account. */
import { Route53ResolverClient } from "@aws-sdk/client-route53resolver";
import { RAMClient } from "@aws-sdk/client-ram";
import type { AuditManifest } from "../../baseline";
import {
  failed,
  type Collected,
  type ObservedDnsQueryLogConfig,
  type ObservedDnsQueryLogs,
  type ObservedResourceShare,
} from "../model";
import { collectSharesHolding } from "./ram";
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
  // One task per region: its configurations, then the RAM shares holding the one configuration (when it is one).
  const read = await Promise.all(
    regions.map((region) =>
      exec<{ configs: Collected<ObservedDnsQueryLogConfig[]>; shares?: Collected<ObservedResourceShare[]> }>({
        account,
        region,
        service: "route53resolver",
        run: async () => {
          const configs = await collectDnsQueryLogConfigs(
            rt.clients.get(Route53ResolverClient, account, region),
            account,
            region,
            dns.configName,
          );
          if (!configs.ok || configs.value.length !== 1) return { configs };
          const shares = await collectSharesHolding(
            rt.clients.get(RAMClient, account, region),
            account,
            region,
            configs.value[0].arn,
          );
          return { configs, shares };
        },
        unreadable: (e) => ({ configs: unreadableDnsQueryLogConfigs(e), shares: failed<ObservedResourceShare[]>(e) }),
      }),
    ),
  );
  const sharesByRegion = Object.fromEntries(
    regions.flatMap((r, i) => (read[i].shares ? [[r, read[i].shares] as const] : [])),
  );
  return {
    configName: dns.configName,
    byRegion: Object.fromEntries(regions.map((r, i) => [r, read[i].configs])),
    sharesByRegion,
  };
}
