import {
  CT_CONFIG_RECORDER_NAME,
  CT_DELIVERY_CHANNEL_NAME,
  CT_EXECUTION_ROLE_NAME,
  ctAccessLogBucketName,
  ctLogArchiveBucketName,
  trailArn,
} from "../baseline";
import type { OrgwardenConfig } from "./config";

/**
 * Control Tower's resources orgwarden references under controlTower.enabled instead of laying its own
 * (docs/control-tower.md), derived from config alone so the SCPs and the manifest know them at preview.
 */
export interface ControlTowerRefs {
  trailName: string;
  trailArn: string;
  logGroupName: string;
  logArchiveBucketName: string;
  accessLogBucketName: string;
  kmsKeyArn: string;
  configRecorderName: string;
  deliveryChannelName: string;
  executionRoleName: string;
}

/** Undefined unless controlTower.enabled; the config rules (infra/config-rules.ts) guarantee the ids and the key are set. */
export function controlTowerRefs(cfg: OrgwardenConfig): ControlTowerRefs | undefined {
  const ct = cfg.controlTower;
  if (!ct.enabled) return undefined;
  const logArchive = cfg.logArchive.accountId;
  if (!logArchive || !ct.kmsKeyArn)
    throw new Error(
      "orgwarden:controlTower.enabled needs orgwarden:logArchive.accountId and orgwarden:controlTower.kmsKeyArn (the config rules should have refused this stack)",
    );
  return {
    trailName: ct.trailName,
    trailArn: trailArn(cfg.homeRegion, cfg.managementAccountId, ct.trailName),
    logGroupName: ct.logGroupName,
    logArchiveBucketName: ct.logArchiveBucketName ?? ctLogArchiveBucketName(logArchive, cfg.homeRegion),
    accessLogBucketName: ct.accessLogBucketName ?? ctAccessLogBucketName(logArchive, cfg.homeRegion),
    kmsKeyArn: ct.kmsKeyArn,
    configRecorderName: CT_CONFIG_RECORDER_NAME,
    deliveryChannelName: CT_DELIVERY_CHANNEL_NAME,
    executionRoleName: CT_EXECUTION_ROLE_NAME,
  };
}
