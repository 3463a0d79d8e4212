/** Rules for CloudWatch Logs groups. */
import { ResourceVerdict, setting } from "./values";
import { logGroupKms as logGroupKmsControl, logGroupRetention as logGroupRetentionControl } from "../controls";
import { numberFact, stringFact } from "./facts";

type Props = Record<string, unknown>;

export const LOG_GROUP_TYPE = "aws:cloudwatch/logGroup:LogGroup";

export interface RetentionConfig {
  minRetentionDays: number;
}

/** Policy 13a. Retention 0 or unset means "never expire", which is at or above any minimum. */
export function logGroupRetention(props: Props, cfg: RetentionConfig): ResourceVerdict {
  const g = logGroupRetentionControl.judge({ retentionDays: numberFact(props.retentionInDays) }, cfg).gaps[0];
  if (!g) return { violations: [] };
  return {
    violations: [
      g.found.kind === "unknown"
        ? setting("retentionInDays")
        : `raise retentionInDays to at least ${cfg.minRetentionDays} (it is ${String(props.retentionInDays)})`,
    ],
  };
}

/** Policy 13b. An unknown kmsKeyId counts as set (it references a key). */
export function logGroupKms(props: Props): ResourceVerdict {
  if (logGroupKmsControl.judge({ kmsKeyId: stringFact(props.kmsKeyId) }).passed) return { violations: [] };
  return {
    violations: [
      "set kmsKeyId to a customer managed KMS key so the log group is encrypted under a key policy you control",
    ],
  };
}
