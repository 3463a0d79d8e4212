/** The program's Athena hook (infra/program.ts stays a few lines): names from config, the component in the security account. */
import type { AccountProviders } from "../providers";
import type { OrgwardenConfig } from "../config";
import { type FlowLogBucket, flowLogBucketName } from "../network";
import type { LogKey } from "../log-key";
import type { Organization } from "../organization";
import { COMMERCIAL_REGIONS } from "../config-fields";
import { LogAnalytics } from "./log-analytics";
import {
  ANALYST_ROLE_NAME,
  athenaDatabaseName,
  athenaResultsBucketName,
  athenaResultsKeyAlias,
  athenaWorkgroupName,
} from "./names";

/** The analyst role as the archive, flow-log and key policies name it; none when athena.enabled is false. */
export function analystRoleNames(cfg: OrgwardenConfig): string[] {
  return cfg.athena.enabled ? [ANALYST_ROLE_NAME] : [];
}

const GIB = 1024 ** 3;

export function logAnalytics(
  cfg: OrgwardenConfig,
  archiveBucketName: string,
  providers: AccountProviders,
  org: Organization,
  logKey: LogKey,
  flowLogs: FlowLogBucket | undefined,
): LogAnalytics | undefined {
  if (!cfg.athena.enabled) return undefined;
  return new LogAnalytics(
    "athena",
    {
      region: cfg.homeRegion,
      securityAccountId: org.securityAccountId,
      orgId: org.organizationId,
      databaseName: athenaDatabaseName(cfg.stack),
      workgroupName: athenaWorkgroupName(cfg.stack),
      analystRoleName: ANALYST_ROLE_NAME,
      analystPrincipals: cfg.athena.analystPrincipals,
      keyAdminRoleNames: cfg.kms.adminRoleNames,
      archive: { bucketName: archiveBucketName, keyArn: logKey.keyArn },
      // The organization trail is multi-region: activity in an ungoverned region is still in the archive.
      trailRegions: COMMERCIAL_REGIONS,
      ...(flowLogs
        ? {
            flowLogs: {
              bucketName: flowLogBucketName(cfg.logArchive.bucketPrefix, cfg.stack, cfg.managementAccountId),
              keyArn: flowLogs.keyArn,
              regions: cfg.governedRegions,
            },
          }
        : {}),
      results: {
        bucketName: athenaResultsBucketName(cfg.logArchive.bucketPrefix, cfg.stack, cfg.managementAccountId),
        keyAliasName: athenaResultsKeyAlias(cfg.logArchive.bucketPrefix, cfg.stack),
        retentionDays: cfg.athena.resultRetentionDays,
      },
      bytesScannedCutoffPerQuery: cfg.athena.bytesScannedCutoffGb * GIB,
    },
    { provider: providers.security },
  );
}
