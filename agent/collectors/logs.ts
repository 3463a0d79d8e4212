/** CloudWatch Logs (management account, home region): the trail's log group, its retention, key and last ingestion. */
import {
  DescribeLogStreamsCommand,
  paginateDescribeLogGroups,
  type CloudWatchLogsClient,
} from "@aws-sdk/client-cloudwatch-logs";
import type { Collected, ObservedLogGroup } from "../model";
import { attempt, drain, type CallScope } from "./common";

export async function collectLogGroup(
  logs: CloudWatchLogsClient,
  account: string,
  region: string,
  name: string,
): Promise<Collected<ObservedLogGroup>> {
  const scope = (operation: string): CallScope => ({ service: "logs", operation, account, region });
  const groups = await attempt(scope("DescribeLogGroups"), () =>
    drain(paginateDescribeLogGroups({ client: logs }, { logGroupNamePrefix: name }), (p) => p.logGroups),
  );
  if (!groups.ok) return groups;
  // The prefix also matches longer names; only the exact group counts.
  const group = groups.value.find((g) => g.logGroupName === name);
  if (!group) return { ok: true, value: { name, exists: false } };
  return attempt(scope("DescribeLogStreams"), async () => {
    // Streams ordered by last event, newest first: the first one carries the group's latest ingestion.
    const r = await logs.send(
      new DescribeLogStreamsCommand({ logGroupName: name, orderBy: "LastEventTime", descending: true, limit: 1 }),
    );
    const last = r.logStreams?.[0]?.lastIngestionTime;
    return {
      name,
      exists: true,
      retentionDays: group.retentionInDays,
      ...(group.kmsKeyId ? { kmsKeyId: group.kmsKeyId } : {}),
      lastIngestionTime: last !== undefined ? new Date(last).toISOString() : undefined,
    };
  });
}
