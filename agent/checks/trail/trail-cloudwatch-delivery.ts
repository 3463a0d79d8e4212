import { logGroupArn, type AuditManifest } from "../../../baseline";
import type { CheckMetadata, Finding } from "../../finding";
import type { ObservedState } from "../../model";
import type { CheckContext } from "../common";
import { bareLogGroupArn, cloudtrailCloudwatchLogs, factOf } from "../../../baseline/controls";
import { evaluateDelivery } from "../delivery";
import { findIntendedTrail } from "../trail-lookup";

export const metadata: CheckMetadata = {
  id: "trail-cloudwatch-delivery",
  title: "The organization trail sends events to the intended CloudWatch Logs group, recently and without error",
  area: "trail",
  severity: "MEDIUM",
  risk: "The CIS metric filters and alarms read the trail's log group: if delivery stops or goes elsewhere, root logins, policy changes and console failures raise no alarm.",
  remediation: {
    console:
      "CloudTrail console (management account, home region) → Trails → the trail → CloudWatch Logs → Edit: the intended log group and the CloudTrail-to-CloudWatch role.",
    cli: "aws cloudtrail update-trail --name <trail> --cloud-watch-logs-log-group-arn <log-group-arn>:* --cloud-watch-logs-role-arn <role-arn>",
    pulumi:
      "The baseline's aws.cloudtrail.Trail sets cloudWatchLogsGroupArn and cloudWatchLogsRoleArn; run `pulumi up` on the orgwarden stack to restore them and the role's policy.",
  },
  controls: ["cloudtrail-cloudwatch-logs"],
  references: [
    "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/send-cloudtrail-events-to-cloudwatch-logs.html",
    "https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_GetTrailStatus.html",
    "https://www.cisecurity.org/benchmark/amazon_web_services",
  ],
};

export function evaluate(observed: ObservedState, intended: AuditManifest, ctx: CheckContext): Finding[] {
  const group = logGroupArn(
    intended.trail.homeRegion,
    intended.organization.managementAccountId,
    intended.trail.logGroupName,
  );
  const wrongGroup = (o: ObservedState): string[] => {
    const trail = findIntendedTrail(o.cloudTrail.trails.ok ? o.cloudTrail.trails.value : [], intended);
    const have = trail?.cloudWatchLogsLogGroupArn;
    const v = cloudtrailCloudwatchLogs.judge(
      { cloudWatchLogsGroupArn: factOf(have), cloudWatchLogsRoleArn: factOf(trail?.cloudWatchLogsRoleArn) },
      { intendedLogGroupArn: group },
    );
    return v.gaps.map((g) => {
      if (g.field === "cloudWatchLogsRoleArn")
        return `no CloudWatch Logs role is configured, so CloudTrail cannot write to ${group}`;
      return g.reason === "missing"
        ? `no CloudWatch Logs group is configured; intended ${group}`
        : `events go to ${bareLogGroupArn(have ?? "")}, not the intended log group ${group}`;
    });
  };
  return evaluateDelivery(
    metadata,
    observed,
    intended,
    ctx,
    "CloudWatch Logs",
    (s) => ({ time: s.latestCloudWatchLogsDeliveryTime, error: s.latestCloudWatchLogsDeliveryError }),
    wrongGroup,
  );
}
