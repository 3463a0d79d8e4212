/** What the nightly audit observes of log-file integrity, per account × region of the organization trail. */
import type { Collected } from "../model";
import type { Defect } from "./defects";

export interface IntegrityVerdict {
  digestsVerified: number;
  logsVerified: number;
  bytesHashed: number;
  defects: Defect[];
}

export interface ObservedIntegrityScope {
  account: string;
  region: string;
  result: Collected<IntegrityVerdict>;
}

export interface ObservedIntegrity {
  /** The window walked (ISO-8601): the last audit.integrityWindowHours before the audit's clock. */
  window: { from: string; to: string };
  /** The role that read the archive (audit.logAuditorRoleArn). */
  roleArn: string;
  scopes: ObservedIntegrityScope[];
}
