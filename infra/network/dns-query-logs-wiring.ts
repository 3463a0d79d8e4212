import { organizationArn } from "../../baseline";
import type { AccessLogBucket } from "../access-log-bucket";
import type { OrgwardenConfig } from "../config";
import { accessLogPrefix } from "../naming";
import type { Organization } from "../organization";
import type { AccountProviders } from "../providers";
import { DnsQueryLogs } from "./dns-query-logs";
import { dnsQueryLogConfigName, dnsQueryLogKeyAlias } from "./names";

/** The Resolver query logging of the organization (log-archive account), when network.dnsQueryLogs.enabled. */
export function dnsQueryLogs(
  cfg: OrgwardenConfig,
  bucketName: string | undefined,
  providers: AccountProviders,
  org: Organization,
  accessLogs: AccessLogBucket,
): DnsQueryLogs | undefined {
  if (bucketName === undefined) return undefined;
  return new DnsQueryLogs(
    "dns-query-logs",
    {
      bucketName,
      configName: dnsQueryLogConfigName(cfg.logArchive.bucketPrefix, cfg.stack),
      accountId: org.logArchiveAccountId,
      orgId: org.organizationId,
      organizationArn: org.organizationId.apply((id) =>
        organizationArn({ managementAccountId: cfg.managementAccountId, id }),
      ),
      region: cfg.homeRegion,
      regions: cfg.governedRegions,
      securityAccountId: org.securityAccountId,
      readerRoleNames: cfg.auditorRoleNames,
      keyAliasName: dnsQueryLogKeyAlias(cfg.logArchive.bucketPrefix, cfg.stack),
      retentionDays: cfg.network.dnsQueryLogs.retentionDays,
      accessLog: { bucketName: accessLogs.bucketName, prefix: accessLogPrefix(bucketName), policy: accessLogs.policy },
      management: providers.management,
    },
    { provider: providers.logArchive },
  );
}
