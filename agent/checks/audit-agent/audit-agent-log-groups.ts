/**
 * audit-agent-log-groups: each of the agent's CloudWatch Logs groups (the single function's, and
 * with the step-functions engine the three steps' and the state machine's; infra/audit-agent.ts)
 * exists, keeps its events at least the intended days, and is encrypted with the agent log key.
 * A longer retention, or none (never expire), keeps the evidence and passes, saying so; a shorter
 * one is a FAIL: the runs' own logs are audit evidence.
 */
import { logGroupArn, type AuditManifest } from "../../../baseline";
import { factOf, known, logGroupKms, logGroupRetention } from "../../../baseline/controls";
import type { CheckMetadata, Finding } from "../../finding";
import type { ObservedState } from "../../model";
import { agentSubject } from "../audit-agent-scope";
import { blocked, errorFinding, verdict } from "../common";
import { sameKmsKey } from "../kms-key-ref";

export const metadata: CheckMetadata = {
  id: "audit-agent-log-groups",
  title: "The audit agent's log groups keep their events as long as intended and are encrypted with the agent log key",
  area: "audit-agent",
  severity: "MEDIUM",
  risk: "The agent's logs say what each run did and why it failed: a shorter retention deletes that evidence early, a deleted group is recreated by Lambda unencrypted and never expiring, and another key (or none) lets other principals than the agent log key's policy admits read the runs' logs.",
  remediation: {
    console:
      "CloudWatch console (security account, home region) → Log groups → <agent-log-group>: Actions → Edit retention setting (<agent-log-retention-days> days); Actions → Associate KMS key <agent-log-key-arn>.",
    cli: "aws logs put-retention-policy --log-group-name <agent-log-group> --retention-in-days <agent-log-retention-days> --region <home-region>; aws logs associate-kms-key --log-group-name <agent-log-group> --kms-key-id <agent-log-key-arn> --region <home-region>",
    pulumi:
      "Run `pulumi up` on the orgwarden stack: infra/audit-agent.ts lays the log groups (audit-agent-logs, audit-agent-*-logs) with the retention and the agent log key (audit-agent-logs-key).",
  },
  controls: ["log-group-retention", "log-group-kms"],
  references: [
    "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_DescribeLogGroups.html",
    "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html",
    "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/Working-with-log-groups-and-streams.html#SettingLogRetention",
  ],
};

export function evaluate(observed: ObservedState, intended: AuditManifest): Finding[] {
  const { subject, findings } = agentSubject(
    metadata,
    observed,
    intended,
    (a, r) => logGroupArn(r, a, "*"),
    "DescribeLogGroups",
  );
  if (!subject) return findings;
  const { account, region } = subject;
  const { names, retentionDays, keyArn } = subject.intent.logGroups;
  return names.map((name, i) => {
    const scope = { account, region, resourceArn: logGroupArn(region, account, name) };
    const want = { name, minimumRetentionDays: retentionDays, kmsKeyId: keyArn };
    const read = subject.observed.logGroups[i];
    if (!read || (read.ok && read.value.name !== name))
      return errorFinding(
        metadata,
        scope,
        {
          name: "NotCollected",
          operation: "DescribeLogGroups",
          message: `the observed state holds no reading of the log group ${name}`,
        },
        want,
      );
    const stop = blocked(metadata, observed, scope, want, read);
    if (stop) return stop;
    const g = read.ok ? read.value : undefined;
    if (!g?.exists)
      return verdict(
        metadata,
        scope,
        want,
        "absent",
        [
          `the log group ${name} does not exist in ${account}/${region}: its function's next run recreates it unencrypted and never expiring, and its earlier logs are gone; run \`pulumi up\``,
        ],
        "",
      );
    const problems: string[] = [];
    const kept = logGroupRetention.judge(
      { retentionDays: factOf(g.retentionDays) },
      { minRetentionDays: retentionDays },
    );
    if (!kept.passed)
      problems.push(`${name} keeps its events ${g.retentionDays} days, fewer than the intended ${retentionDays}`);
    const match = sameKmsKey(g.kmsKeyId, keyArn, { account, region });
    const kms = logGroupKms.judge({ kmsKeyId: factOf(g.kmsKeyId), intendedKey: known(match) });
    if (!kms.passed)
      problems.push(
        g.kmsKeyId === undefined
          ? `${name} is not encrypted with a customer managed key; associate the agent log key ${keyArn}`
          : `${name} is encrypted with ${g.kmsKeyId}, not the agent log key ${keyArn}${match.same || /:key\//.test(g.kmsKeyId) ? "" : ` (${match.reason})`}`,
      );
    const kept$ =
      g.retentionDays === undefined
        ? `never expires its events (intended ${retentionDays} days: the evidence is kept longer)`
        : g.retentionDays > retentionDays
          ? `keeps its events ${g.retentionDays} days (longer than the intended ${retentionDays})`
          : `keeps its events ${g.retentionDays} days`;
    return verdict(
      metadata,
      scope,
      want,
      { name, retentionDays: g.retentionDays ?? "never expire", kmsKeyId: g.kmsKeyId ?? null },
      problems,
      `The log group ${name} ${kept$} and is encrypted with the agent log key ${keyArn}.`,
    );
  });
}
