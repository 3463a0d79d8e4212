/**
 * Every control, by id: the one place a judgment both the policy pack and the audit agent make is
 * written. A control used by neither side is caught by the sharing test.
 */
import type { Control } from "./types";
import { s3PublicAccessBlock } from "./s3-public-access-block";
import { s3DefaultEncryption } from "./s3-default-encryption";
import { s3Versioning } from "./s3-versioning";
import { s3ObjectLock } from "./s3-object-lock";
import { cloudtrailMultiRegion } from "./cloudtrail-multi-region";
import { cloudtrailGlobalServiceEvents } from "./cloudtrail-global-service-events";
import { cloudtrailLogging } from "./cloudtrail-logging";
import { cloudtrailLogFileValidation } from "./cloudtrail-log-file-validation";
import { cloudtrailOrganizationTrail } from "./cloudtrail-organization-trail";
import { cloudtrailKmsEncryption } from "./cloudtrail-kms-encryption";
import { cloudtrailCloudwatchLogs } from "./cloudtrail-cloudwatch-logs";
import { cloudtrailManagementEvents } from "./cloudtrail-management-events";
import { cloudtrailDataEvents } from "./cloudtrail-data-events";
import { kmsKeyRotation } from "./kms-key-rotation";
import { logGroupRetention } from "./log-group-retention";
import { logGroupKms } from "./log-group-kms";
import { configRecorderAllSupported } from "./config-recorder-all-supported";
import { configRecorderGlobalResources } from "./config-recorder-global-resources";
import { guarddutyEnabled } from "./guardduty-enabled";
import { securityhubEnabled } from "./securityhub-enabled";
import { inspectorScanning } from "./inspector-scanning";
import { s3TlsOnly } from "./s3-tls-only";
import { cisMetricFilterAlarm } from "./cis-metric-filter-alarm";

export * from "./types";
export * from "./facts";
export { isAwsManagedKeyRef } from "./key-ref";
export { PUBLIC_ACCESS_FLAGS, type PublicAccessFlag } from "./s3-public-access-block";
export { KMS_ALGORITHMS, type EncryptionParams } from "./s3-default-encryption";
export type { ObjectLockParams } from "./s3-object-lock";
export { bareLogGroupArn } from "./cloudtrail-cloudwatch-logs";
export type {
  CisMonitoringFacts,
  CisMonitoringParams,
  MetricAlarmFact,
  MetricFilterFact,
} from "./cis-metric-filter-alarm";
export {
  s3PublicAccessBlock,
  s3DefaultEncryption,
  s3Versioning,
  s3ObjectLock,
  cloudtrailMultiRegion,
  cloudtrailGlobalServiceEvents,
  cloudtrailLogging,
  cloudtrailLogFileValidation,
  cloudtrailOrganizationTrail,
  cloudtrailKmsEncryption,
  cloudtrailCloudwatchLogs,
  cloudtrailManagementEvents,
  cloudtrailDataEvents,
  kmsKeyRotation,
  logGroupRetention,
  logGroupKms,
  configRecorderAllSupported,
  configRecorderGlobalResources,
  guarddutyEnabled,
  securityhubEnabled,
  inspectorScanning,
  s3TlsOnly,
  cisMetricFilterAlarm,
};

// Parameter types differ per control; the registry only reads meta and calls judge.
type AnyControl = Control<any, any>;

/** In the order docs/controls.md lists them. */
export const CONTROLS: readonly AnyControl[] = [
  s3PublicAccessBlock,
  s3DefaultEncryption,
  s3Versioning,
  s3ObjectLock,
  cloudtrailMultiRegion,
  cloudtrailGlobalServiceEvents,
  cloudtrailLogging,
  cloudtrailLogFileValidation,
  cloudtrailOrganizationTrail,
  cloudtrailKmsEncryption,
  cloudtrailCloudwatchLogs,
  cloudtrailManagementEvents,
  cloudtrailDataEvents,
  kmsKeyRotation,
  logGroupRetention,
  logGroupKms,
  configRecorderAllSupported,
  configRecorderGlobalResources,
  guarddutyEnabled,
  securityhubEnabled,
  inspectorScanning,
  s3TlsOnly,
  cisMetricFilterAlarm,
];

export function controlById(id: string): AnyControl {
  const c = CONTROLS.find((x) => x.meta.id === id);
  if (!c) throw new Error(`controlById: no control "${id}"`);
  return c;
}
