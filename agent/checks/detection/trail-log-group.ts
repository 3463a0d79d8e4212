import { logGroupArn, type AuditManifest } from "../../../baseline";
import type { CheckMetadata, Finding } from "../../finding";
import type { ObservedState } from "../../model";
import { factOf, known, logGroupKms, logGroupRetention } from "../../../baseline/controls";
import { sameKmsKey } from "../kms-key-ref";
import { blocked, freshness, minutesText, verdict, type CheckContext } from "../common";

export const metadata: CheckMetadata = {
  id: "trail-log-group",
  title:
    "The trail's CloudWatch Logs group keeps events long enough, encrypts them with the intended key, and is still receiving them",
  area: "detection",
  severity: "MEDIUM",
  risk: "The CIS metric filters and alarms only see what reaches this log group: a short retention erases the evidence alarms point to, a group that stopped ingesting means every alarm is silent, and a group without the intended key lets IAM alone decide who reads the organization's events.",
  remediation: {
    console:
      "CloudWatch console (management account, home region) → Log groups → the trail's group → Actions → Edit retention setting / Associate KMS key (the log group key); if ingestion stopped, check the trail's CloudWatch Logs settings and role.",
    cli: "aws logs put-retention-policy --log-group-name <group> --retention-in-days <days>; aws logs associate-kms-key --log-group-name <group> --kms-key-id <log-group-key-arn>; aws logs describe-log-streams --log-group-name <group> --order-by LastEventTime --descending --max-items 1",
    pulumi:
      "The baseline's aws.cloudwatch.LogGroup sets retentionInDays from the stack config and kmsKeyId to the log group key; run `pulumi up` on the orgwarden stack.",
  },
  controls: ["log-group-retention", "log-group-kms"],
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
    kmsKeyId: t.logGroupKeyArn ?? null,
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
  const key = keyProblem(g.kmsKeyId, intended);
  if (key) problems.push(key);
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
    kmsKeyId: g.kmsKeyId ?? null,
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
      `Log group ${t.logGroupName} keeps events ${g.retentionDays === undefined ? "forever" : `${g.retentionDays} days`}, ${keyWords(intended)} and last ingested ${age} ago.`,
    ),
  ];
}

/** The key's problem in words, or undefined; a manifest without the key ARN (Control Tower, older manifests) still needs a customer key. */
function keyProblem(observed: string | undefined, m: AuditManifest): string | undefined {
  if (m.controlTower) return undefined;
  const want = m.trail.logGroupKeyArn;
  const home = { account: m.organization.managementAccountId, region: m.trail.homeRegion };
  const match = want ? sameKmsKey(observed, want, home) : undefined;
  const v = logGroupKms.judge({ kmsKeyId: factOf(observed), ...(match ? { intendedKey: known(match) } : {}) });
  const gap = v.gaps[0];
  if (!gap) return undefined;
  if (gap.reason === "missing")
    return `it is not encrypted with a customer managed KMS key${want ? `; associate the log group key ${want}` : ""}`;
  if (gap.reason === "aws-managed-key")
    return `it is encrypted with the AWS managed key ${observed}, not a customer managed key`;
  return `it is encrypted with ${observed}, not the intended log group key ${want}${match && !match.same ? ` (${match.reason})` : ""}`;
}

function keyWords(m: AuditManifest): string {
  if (m.controlTower) return "its key not judged (the log group is Control Tower's, which lays it without one),";
  return m.trail.logGroupKeyArn
    ? `encrypts them with the intended key ${m.trail.logGroupKeyArn},`
    : "encrypts them with a customer managed key (the manifest names no log group key, so which one is not judged),";
}
