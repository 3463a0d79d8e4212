/** Rules for CloudWatch Logs groups. */
import { isUnknown, ResourceVerdict, setting } from "./values";

type Props = Record<string, unknown>;

export const LOG_GROUP_TYPE = "aws:cloudwatch/logGroup:LogGroup";

export interface RetentionConfig {
  minRetentionDays: number;
}

/** Policy 13a. Retention 0 or unset means "never expire", which is at or above any minimum. */
export function logGroupRetention(props: Props, cfg: RetentionConfig): ResourceVerdict {
  const days = props.retentionInDays;
  if (isUnknown(days)) return { violations: [setting("retentionInDays")] };
  if (typeof days === "number" && days !== 0 && days < cfg.minRetentionDays) {
    return { violations: [`raise retentionInDays to at least ${cfg.minRetentionDays} (it is ${days})`] };
  }
  return { violations: [] };
}

/** Policy 13b. An unknown kmsKeyId counts as set (it references a key). */
export function logGroupKms(props: Props): ResourceVerdict {
  const k = props.kmsKeyId;
  if (isUnknown(k) || (typeof k === "string" && k !== "")) return { violations: [] };
  return { violations: ["set kmsKeyId to a customer managed KMS key so the log group is encrypted under a key policy you control"] };
}
