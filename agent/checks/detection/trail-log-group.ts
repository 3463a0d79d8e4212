import { logGroupArn, type AuditManifest } from "../../../baseline";
import type { CheckMetadata, Finding } from "../../finding";
import type { ObservedState } from "../../model";
import { factOf, logGroupRetention } from "../../../baseline/controls";
import { blocked, freshness, minutesText, verdict, type CheckContext } from "../common";

export const metadata: CheckMetadata = {
  id: "trail-log-group",
  title: "The trail's CloudWatch Logs group keeps events long enough and is still receiving them",
  area: "detection",
  severity: "MEDIUM",
  risk: "The CIS metric filters and alarms only see what reaches this log group: a short retention erases the evidence alarms point to, and a group that stopped ingesting means every alarm is silent.",
  remediation: {
    console:
      "CloudWatch console (management account, home region) → Log groups → the trail's group → Actions → Edit retention setting; if ingestion stopped, check the trail's CloudWatch Logs settings and role.",
    cli: "aws logs put-retention-policy --log-group-name <group> --retention-in-days <days>; aws logs describe-log-streams --log-group-name <group> --order-by LastEventTime --descending --max-items 1",
    pulumi:
      "The baseline's aws.cloudwatch.LogGroup sets retentionInDays from the stack config; run `pulumi up` on the orgwarden stack.",
  },
  controls: ["log-group-retention"],
  references: [
    "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/Working-with-log-groups-and-streams.html",
    "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/send-cloudtrail-events-to-cloudwatch-logs.html",
  ],
};

export function evaluate(observed: ObservedState, intended: AuditManifest, ctx: CheckContext): Finding[] {
  const t = intended.trail;
  const scope = {
    account: intended.organization.managementAccountId,
    region: t.homeRegion,
    resourceArn: logGroupArn(t.homeRegion, intended.organization.managementAccountId, t.logGroupName),
  };
  const max = intended.thresholds.deliveryMaxAgeMinutes;
  const want = {
    name: t.logGroupName,
    minimumRetentionDays: t.logGroupRetentionDays,
    maxIngestionAge: minutesText(max),
  };
  const stop = blocked(metadata, observed, scope, want, observed.logGroup);
  if (stop) return [stop];
  const g = observed.logGroup.ok ? observed.logGroup.value : undefined;
  if (!g || !g.exists)
    return [
      verdict(
        metadata,
        scope,
        want,
        null,
        [
          `log group ${t.logGroupName} does not exist in ${t.homeRegion}; the trail's CloudWatch delivery and every CIS alarm depend on it`,
        ],
        "",
      ),
    ];
  const problems: string[] = [];
  if (
    !logGroupRetention.judge({ retentionDays: factOf(g.retentionDays) }, { minRetentionDays: t.logGroupRetentionDays })
      .passed
  )
    problems.push(`retention is ${g.retentionDays} days, below the intended ${t.logGroupRetentionDays}; raise it`);
  let age: string | undefined;
  if (g.lastIngestionTime === undefined) problems.push(`no event has ever been ingested into ${t.logGroupName}`);
  else {
    const f = freshness(g.lastIngestionTime, ctx.now, max);
    age = f.age;
    if (!f.fresh)
      problems.push(
        `last ingestion ${f.age} ago, older than the ${minutesText(max)} allowed; check the trail's CloudWatch Logs delivery`,
      );
  }
  const have = {
    name: g.name,
    retentionDays: g.retentionDays ?? "never expire",
    lastIngestionTime: g.lastIngestionTime ?? null,
    age: age ?? null,
  };
  return [
    verdict(
      metadata,
      scope,
      want,
      have,
      problems,
      `Log group ${t.logGroupName} keeps events ${g.retentionDays === undefined ? "forever" : `${g.retentionDays} days`} and last ingested ${age} ago.`,
    ),
  ];
}
