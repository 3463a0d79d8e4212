/**
 * Drifts of the audit agent's own deployment (security account, home region; seed-audit-agent.ts
 * laid it): the schedule rule disabled, one alarm's actions disabled, one log group's retention shortened.
 */
import { CloudWatchClient, DisableAlarmActionsCommand } from "@aws-sdk/client-cloudwatch";
import { CloudWatchLogsClient, PutRetentionPolicyCommand } from "@aws-sdk/client-cloudwatch-logs";
import { DisableRuleCommand, EventBridgeClient } from "@aws-sdk/client-eventbridge";
import type { Sandbox } from "./seed";

export type AgentDrift =
  | { change: "schedule-disabled" }
  /** `alarm`: the alarm's name suffix, e.g. "missed-run". */
  | { change: "alarm-actions-disabled"; alarm: string }
  /** `group`: index into the area's log group names (0: the single function's). */
  | { change: "log-retention-shortened"; group: number; days: number };

function area(sb: Sandbox) {
  const a = sb.manifest.auditAgent;
  if (!a) throw new Error("agent drift: the sandbox manifest has no auditAgent area");
  return a;
}

export async function applyAgentDrift(sb: Sandbox, d: AgentDrift): Promise<void> {
  const a = area(sb);
  const at = [sb.accounts.security, sb.region] as const;
  if (d.change === "schedule-disabled") {
    const ev = await sb.session.client(EventBridgeClient, ...at);
    await ev.send(new DisableRuleCommand({ Name: a.schedule.ruleName }));
    return;
  }
  if (d.change === "alarm-actions-disabled") {
    const name = a.alarms.find((x) => x.name.endsWith(`-${d.alarm}`))?.name;
    if (!name)
      throw new Error(
        `agent drift: no alarm ending in -${d.alarm}; allowed: ${a.alarms.map((x) => x.name).join(", ")}`,
      );
    const cw = await sb.session.client(CloudWatchClient, ...at);
    await cw.send(new DisableAlarmActionsCommand({ AlarmNames: [name] }));
    return;
  }
  const group = a.logGroups.names[d.group];
  if (!group) throw new Error(`agent drift: no log group ${d.group}; allowed: 0-${a.logGroups.names.length - 1}`);
  const logs = await sb.session.client(CloudWatchLogsClient, ...at);
  await logs.send(new PutRetentionPolicyCommand({ logGroupName: group, retentionInDays: d.days }));
}
