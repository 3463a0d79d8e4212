/**
 * Names derived from config alone. Bucket names and the trail ARN are known before anything is
 * created, so the SCP (which names them) is complete at preview, its size is checked at preview,
 * and the key and bucket policies can name the trail without waiting for it (no cycle).
 */
import { manifestParameterName } from "../baseline/manifest-digest";
export interface BucketNameInput {
  bucketPrefix: string;
  stack: string;
  managementAccountId: string;
}

export function bucketNames(i: BucketNameInput): { archive: string; accessLogs: string; auditReports: string } {
  return {
    archive: `${i.bucketPrefix}-${i.stack}-cloudtrail-${i.managementAccountId}`,
    accessLogs: `${i.bucketPrefix}-${i.stack}-access-logs-${i.managementAccountId}`,
    // Security account; named after the management account like the others, so it is unique and known at preview.
    auditReports: `${i.bucketPrefix}-${i.stack}-audit-reports-${i.managementAccountId}`,
  };
}

/** SSM parameter (security account, home region) the scheduled agent reads its intended state from. */
export function auditManifestParameterName(stack: string): string {
  // The agent derives the same name from the manifest's stack (baseline/manifest-digest.ts).
  return manifestParameterName(stack);
}

/** Key prefix of the archive's server access logs inside the access-log bucket. */
export function accessLogPrefix(archiveBucketName: string): string {
  return `${archiveBucketName}/`;
}

/** The trail log group key's alias is the log key's alias plus this suffix (another account, but one name to look for). */
export const LOG_GROUP_ALIAS_SUFFIX = "-log-group";

export const LOGGING_SCP_NAME = "orgwarden-protect-security-logging";

/** Organizations name of each security-baseline SCP; the first keeps its historical name. */
export function scpName(part: "logging" | "detection" | "identity"): string {
  return part === "logging"
    ? LOGGING_SCP_NAME
    : `orgwarden-protect-security-${part === "detection" ? "detection" : "identities"}`;
}

/** Resource-name form of an OU name ("Security Tooling" → "security-tooling"). */
export function slug(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

/** The scheduled audit agent's function (security account, home region); its log group is /aws/lambda/<name>. */
export function auditAgentFunctionName(stack: string): string {
  return `orgwarden-${stack}-audit-agent`;
}

/** Key prefix of the reports in the report bucket (the agent adds <stack>/<time>/). */
export const AUDIT_REPORT_PREFIX = "orgwarden-audit";

/** The step-functions engine's roles are the agent role's name plus these (the schedule's is the longer). */
export { AUDIT_ENGINE_ROLE_SUFFIXES } from "../baseline/audit-agent-deployment";
