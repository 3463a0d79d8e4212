/** ARN builders. Every ARN the baseline writes into a document comes from here. */
export const ACCOUNT_ID = /^\d{12}$/;
export const ORG_ID = /^o-[a-z0-9]{10,32}$/;
export const ROOT_ID = /^r-[0-9a-z]{4,32}$/;

export function accountRoot(accountId: string): string {
  return `arn:aws:iam::${accountId}:root`;
}

export function roleArn(accountId: string, roleName: string): string {
  return `arn:aws:iam::${accountId}:role/${roleName}`;
}

export function trailArn(region: string, accountId: string, trailName: string): string {
  return `arn:aws:cloudtrail:${region}:${accountId}:trail/${trailName}`;
}

export function bucketArn(bucket: string): string {
  return `arn:aws:s3:::${bucket}`;
}

export function logGroupArn(region: string, accountId: string, name: string): string {
  return `arn:aws:logs:${region}:${accountId}:log-group:${name}`;
}

/** CloudTrail's date-partitioned key prefix for one account and region of an organization trail. */
export function cloudTrailPrefix(orgId: string, accountId: string, region: string): string {
  return `AWSLogs/${orgId}/${accountId}/CloudTrail/${region}/`;
}
