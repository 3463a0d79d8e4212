/** What the Resolver query logging checks share: the log-archive account's configurations of a region, as collected. */
import type { CheckMetadata, Finding } from "../finding";
import type { Collected, ObservedDnsQueryLogConfig, ObservedState } from "../model";
import { errorFinding, type Scope } from "./common";

/**
 * The collected reading (ok or failed: the caller's blocked() turns a failure into its ERROR), or
 * the ERROR that stands for it when the state holds no reading of that region under that name.
 */
export function dnsConfigsRead(
  meta: CheckMetadata,
  o: ObservedState,
  configName: string,
  region: string,
  scope: Scope,
  intended: unknown,
): Collected<ObservedDnsQueryLogConfig[]> | Finding {
  const read = o.dnsQueryLogs?.configName === configName ? o.dnsQueryLogs.byRegion[region] : undefined;
  if (read) return read;
  return errorFinding(
    meta,
    scope,
    {
      name: "NotCollected",
      operation: "ListResolverQueryLogConfigs",
      message: `the observed state holds no reading of the log-archive account's query logging configurations in ${region}`,
    },
    intended,
  );
}

/** Tells a reading from the finding that stands for it. */
export const isFinding = (x: Collected<unknown> | Finding): x is Finding => "checkId" in x;
