/**
 * Names of the network telemetry resources, from config alone (known at preview). The flow-log
 * bucket name is shorter than the access-log bucket's, so logArchive.bucketPrefix's length rule
 * (infra/config-rules.ts) already keeps it a valid S3 name.
 */
export function flowLogBucketName(bucketPrefix: string, stack: string, managementAccountId: string): string {
  return `${bucketPrefix}-${stack}-flow-logs-${managementAccountId}`;
}

export function flowLogKeyAlias(bucketPrefix: string, stack: string): string {
  return `alias/${bucketPrefix}-${stack}-flow-logs`;
}

export function dnsQueryLogBucketName(bucketPrefix: string, stack: string, managementAccountId: string): string {
  return `${bucketPrefix}-${stack}-dns-logs-${managementAccountId}`;
}

export function dnsQueryLogKeyAlias(bucketPrefix: string, stack: string): string {
  return `alias/${bucketPrefix}-${stack}-dns-logs`;
}

/** Name of the query logging configuration (every governed region) and of its RAM share; Resolver allows [A-Za-z0-9 _-], up to 64. */
export function dnsQueryLogConfigName(bucketPrefix: string, stack: string): string {
  return `${bucketPrefix}-${stack}-dns-query-logs`;
}
