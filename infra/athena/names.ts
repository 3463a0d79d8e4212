/** Names of the Athena resources, from config alone (known at preview). */
import { DEFAULT_ANALYST_ROLE_NAME } from "../../baseline/athena";

export const ANALYST_ROLE_NAME = DEFAULT_ANALYST_ROLE_NAME;

/** Same length as the audit-report bucket's suffix, so logArchive.bucketPrefix's length rule already keeps it a valid S3 name. */
export function athenaResultsBucketName(bucketPrefix: string, stack: string, managementAccountId: string): string {
  return `${bucketPrefix}-${stack}-query-results-${managementAccountId}`;
}

/** Glue database names are lower-case letters, digits and underscores. */
export function athenaDatabaseName(stack: string): string {
  return `orgwarden_${stack.toLowerCase().replace(/[^a-z0-9]/g, "_")}_logs`;
}

export function athenaWorkgroupName(stack: string): string {
  return `orgwarden-${stack}-logs`;
}

export function athenaResultsKeyAlias(bucketPrefix: string, stack: string): string {
  return `alias/${bucketPrefix}-${stack}-query-results`;
}
