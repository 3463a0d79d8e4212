/** What the flow-log bucket checks share: where the bucket is, and the findings for "not intended" and "not collected". */
import { bucketArn, type AuditManifest } from "../../baseline";
import type { CheckMetadata, Finding } from "../finding";
import type { ObservedFlowLogBucket, ObservedState } from "../model";
import { finding, type Scope } from "./common";

type FlowLogs = NonNullable<AuditManifest["flowLogs"]>;

/** The flow-log bucket lives in the log-archive account, in the home region. */
export function flowLogScope(m: AuditManifest, bucketName: string): Scope {
  return { account: m.organization.logArchiveAccountId, region: m.regions.home, resourceArn: bucketArn(bucketName) };
}

/**
 * The manifest's flow-log section and the observed bucket, or the one finding that stands in for
 * the check: NOT_APPLICABLE when the stack intends no flow-log bucket, ERROR when it does but the
 * state holds no observation of it (never a PASS on something never read).
 */
export function flowLogSubject(
  meta: CheckMetadata,
  o: ObservedState,
  m: AuditManifest,
): { intended: FlowLogs; observed: ObservedFlowLogBucket; scope: Scope } | Finding {
  const org = { account: m.organization.logArchiveAccountId, region: m.regions.home };
  if (!m.flowLogs) {
    return finding(
      meta,
      { ...org, resourceArn: `arn:aws:s3:::*` },
      {
        status: "NOT_APPLICABLE",
        intended: "no flow-log bucket (network.flowLogs.enabled is false)",
        observed: null,
        message: `${meta.title}: not applicable, the audit manifest names no flow-log bucket (the stack sets network.flowLogs.enabled to false).`,
      },
    );
  }
  const scope = flowLogScope(m, m.flowLogs.bucketName);
  if (!o.flowLogBucket || o.flowLogBucket.bucketName !== m.flowLogs.bucketName) {
    return finding(meta, scope, {
      status: "ERROR",
      intended: m.flowLogs.bucketName,
      observed: "not collected",
      message: `${meta.title}: not evaluated, because the observed state holds no reading of ${m.flowLogs.bucketName}. Run the audit with an agent that collects the flow-log bucket.`,
    });
  }
  return { intended: m.flowLogs, observed: o.flowLogBucket, scope };
}
