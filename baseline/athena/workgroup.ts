/**
 * The Athena workgroup the responder queries the logs in (security account, home region): every
 * setting infra lays (infra/athena/log-analytics.ts builds its aws.athena.Workgroup from
 * workgroupSpec) and the audit compares (athena-workgroup, from the manifest's athena.workgroup),
 * so what is intended and what is laid are one value.
 *
 * - enforced: the workgroup's settings override the client's, so no query sends its results to
 *   another location or unencrypted ("Override client-side settings",
 *   https://docs.aws.amazon.com/athena/latest/ug/workgroups-settings-override.html).
 * - results SSE_KMS with the results key, under the query-results bucket, which must belong to the
 *   security account (ExpectedBucketOwner): query results hold log content.
 * - a per-query scan limit, so one query cannot scan the whole archive
 *   (https://docs.aws.amazon.com/athena/latest/ug/workgroups-setting-control-limits-cloudwatch.html).
 * - CloudWatch query metrics published, which is what those limits and any alarm over them read.
 */
import { z } from "zod";

export const WORKGROUP_DESCRIPTION = "orgwarden: responder queries over the CloudTrail archive and the flow logs";
/** The prefix of the results bucket Athena writes query results under. */
export const RESULTS_PREFIX = "results/";

/** `T` is string in the manifest and pulumi.Input<string> where infra lays it (the key and account are known only at update). */
export interface WorkgroupInput<T = string> {
  name: string;
  resultsBucketName: string;
  resultsKeyArn: T;
  securityAccountId: T;
  /** Bytes; at least Athena's minimum of 10 MB. */
  bytesScannedCutoffPerQuery: number;
}

export interface WorkgroupSpec<T = string> {
  name: string;
  description: string;
  state: "ENABLED";
  /** EnforceWorkGroupConfiguration. */
  enforced: true;
  /** PublishCloudWatchMetricsEnabled. */
  publishMetrics: true;
  /** BytesScannedCutoffPerQuery, bytes: the observed limit must be set and no larger. */
  bytesScannedCutoff: number;
  /** ResultConfiguration.OutputLocation. */
  resultsLocation: string;
  encryption: { option: "SSE_KMS"; kmsKeyArn: T };
  /** ResultConfiguration.ExpectedBucketOwner. */
  expectedBucketOwner: T;
}

/** Athena's smallest BytesScannedCutoffPerQuery (API_WorkGroupConfiguration). */
export const MIN_BYTES_SCANNED_CUTOFF = 10_000_000;

export function workgroupSpec<T = string>(i: WorkgroupInput<T>): WorkgroupSpec<T> {
  if (!Number.isInteger(i.bytesScannedCutoffPerQuery) || i.bytesScannedCutoffPerQuery < MIN_BYTES_SCANNED_CUTOFF)
    throw new Error(
      `workgroupSpec: bytesScannedCutoffPerQuery must be an integer ≥ ${MIN_BYTES_SCANNED_CUTOFF} (Athena's minimum), got ${i.bytesScannedCutoffPerQuery}`,
    );
  if (i.name === "") throw new Error("workgroupSpec: name must not be empty");
  return {
    name: i.name,
    description: WORKGROUP_DESCRIPTION,
    state: "ENABLED",
    enforced: true,
    publishMetrics: true,
    bytesScannedCutoff: i.bytesScannedCutoffPerQuery,
    resultsLocation: `s3://${i.resultsBucketName}/${RESULTS_PREFIX}`,
    encryption: { option: "SSE_KMS", kmsKeyArn: i.resultsKeyArn },
    expectedBucketOwner: i.securityAccountId,
  };
}

/** The manifest's athena.workgroup: what athena-workgroup compares with GetWorkGroup. */
export const workgroupSpecSchema = z.strictObject({
  name: z.string().min(1),
  description: z.string(),
  state: z.literal("ENABLED"),
  enforced: z.literal(true),
  publishMetrics: z.literal(true),
  bytesScannedCutoff: z.number().int().min(MIN_BYTES_SCANNED_CUTOFF),
  resultsLocation: z.string().startsWith("s3://"),
  encryption: z.strictObject({
    option: z.literal("SSE_KMS"),
    kmsKeyArn: z.string().regex(/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[\w-]+$/, "must be a KMS key ARN"),
  }),
  expectedBucketOwner: z.string().regex(/^\d{12}$/, "must be a 12-digit account id"),
});
