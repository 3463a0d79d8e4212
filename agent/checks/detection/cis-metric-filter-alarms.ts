/**
 * CIS 4.1–4.15: each monitoring metric filter is on the trail's log group with a pattern equal by
 * meaning to the baseline's (baseline/detection/filter-pattern.ts says what "by meaning" covers),
 * publishing the intended metric, and an alarm on that metric fires on a single event and notifies
 * the CIS alarm topic. One finding per CIS control, keyed by its id.
 */
import { logGroupArn, type AuditManifest } from "../../../baseline";
import { CIS_ALARM, CIS_FILTERS, type CisFilterIntent } from "../../../baseline/detection";
import { cisMetricFilterAlarm, factOf, known } from "../../../baseline/controls";
import type { CheckMetadata, Finding, Remediation } from "../../finding";
import type { ObservedState } from "../../model";
import { blocked, verdict, type CheckContext, type Scope } from "../common";

export const metadata: CheckMetadata = {
  id: "cis-metric-filter-alarms",
  title: "Every CIS monitoring metric filter is on the trail's log group with its alarm notifying the CIS topic",
  area: "detection",
  severity: "HIGH",
  risk: "A missing or altered metric filter, or an alarm that is disabled, mis-thresholded or notifies no one, means root use, console sign-in without MFA, policy, trail, key and network changes happen without anyone being told (CIS 4.1–4.15).",
  remediation: {
    console:
      "CloudWatch console (management account, home region) → Log groups → the trail's group → Metric filters: create the filter with the baseline pattern; Alarms → create an alarm on its metric (Sum ≥ 1 over 5 minutes, 1 datapoint) with the CIS alarm topic as alarm action, and actions enabled.",
    cli: "aws logs put-metric-filter --log-group-name <log-group> --filter-name <filter> --filter-pattern '<pattern>' --metric-transformations metricName=<metric>,metricNamespace=<namespace>,metricValue=1; aws cloudwatch put-metric-alarm --alarm-name <alarm> --namespace <namespace> --metric-name <metric> --statistic Sum --period 300 --evaluation-periods 1 --threshold 1 --comparison-operator GreaterThanOrEqualToThreshold --treat-missing-data notBreaching --actions-enabled --alarm-actions <topic-arn>",
    pulumi:
      "The baseline's CisAlarms component (infra/detection/cis-alarms.ts) lays every filter and alarm from baseline/detection/cis-filters.ts; run `pulumi up` on the orgwarden stack to restore them.",
  },
  controls: ["cis-metric-filter-alarm"],
  references: [
    "https://www.cisecurity.org/benchmark/amazon_web_services",
    "https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html",
    "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html",
    "https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html",
  ],
};

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** The metadata's steps with this control's real names, so the fix can be pasted. */
function remediationFor(f: CisFilterIntent, m: AuditManifest): Remediation {
  const c = m.detection.cisAlarms;
  const group = m.trail.logGroupName;
  return {
    console: `CloudWatch console (account ${m.organization.managementAccountId}, ${m.trail.homeRegion}) → Log groups → ${group} → Metric filters: create ${f.filterName} with the pattern ${f.pattern} publishing ${c.metricNamespace}/${f.metricName} (value 1); Alarms → create ${f.alarmName} on that metric (Sum ≥ 1 over 5 minutes, 1 datapoint, actions enabled) notifying ${c.topicArn}.`,
    cli: [
      `aws logs put-metric-filter --region ${m.trail.homeRegion} --log-group-name ${shellQuote(group)} --filter-name ${f.filterName}`,
      `--filter-pattern ${shellQuote(f.pattern)}`,
      `--metric-transformations metricName=${f.metricName},metricNamespace=${c.metricNamespace},metricValue=${CIS_ALARM.metricValue};`,
      `aws cloudwatch put-metric-alarm --region ${m.trail.homeRegion} --alarm-name ${f.alarmName} --namespace ${c.metricNamespace} --metric-name ${f.metricName}`,
      `--statistic ${CIS_ALARM.statistic} --period ${CIS_ALARM.period} --evaluation-periods ${CIS_ALARM.evaluationPeriods} --threshold ${CIS_ALARM.threshold}`,
      `--comparison-operator ${CIS_ALARM.comparisonOperator} --treat-missing-data ${CIS_ALARM.treatMissingData} --actions-enabled --alarm-actions ${c.topicArn}`,
    ].join(" "),
    pulumi: metadata.remediation.pulumi,
  };
}

const cisTitle = (id: string) => {
  const f = CIS_FILTERS.find((x) => x.id === id);
  return f
    ? `CIS ${id} (${f.title}${f.securityHubControl ? `, Security Hub ${f.securityHubControl}` : ""})`
    : `CIS ${id}`;
};

function judge(o: ObservedState, m: AuditManifest, f: CisFilterIntent, scope: Scope): Finding {
  const c = m.detection.cisAlarms;
  const group = m.trail.logGroupName;
  const want = {
    logGroup: group,
    filterName: f.filterName,
    pattern: f.pattern,
    metric: `${c.metricNamespace}/${f.metricName}`,
    alarm: {
      name: f.alarmName,
      fires: `${CIS_ALARM.statistic} ≥ ${CIS_ALARM.threshold} (one event)`,
      actionsEnabled: true,
      notifies: c.topicArn,
    },
  };
  const stop = blocked(metadata, o, scope, want, o.cis.filters, o.cis.alarms);
  if (stop) return { ...stop, remediation: remediationFor(f, m) };
  const filters = o.cis.filters.ok ? o.cis.filters.value : undefined;
  const alarms = o.cis.alarms.ok ? o.cis.alarms.value : [];
  const v = cisMetricFilterAlarm.judge(
    { filters: factOf(filters), alarms: known(alarms) },
    { filter: f, metricNamespace: c.metricNamespace, topicArn: c.topicArn, logGroupName: group },
  );
  const problems = v.gaps.map((g) => g.reason ?? `${g.field}: expected ${g.expected}`);
  const have = {
    filters: (filters ?? [])
      .filter((x) => x.name === f.filterName || x.metrics.some((t) => t.name === f.metricName))
      .map((x) => ({ name: x.name, pattern: x.pattern, metrics: x.metrics })),
    alarms: alarms
      .filter((a) => a.metricName === f.metricName)
      .map((a) => ({
        name: a.name,
        metric: `${a.namespace}/${a.metricName}`,
        statistic: a.statistic ?? a.extendedStatistic,
        threshold: a.threshold,
        comparisonOperator: a.comparisonOperator,
        actionsEnabled: a.actionsEnabled,
        alarmActions: a.alarmActions,
      })),
  };
  const out = verdict(
    metadata,
    scope,
    want,
    have,
    problems.map((p) => `${cisTitle(f.cisId)}: ${p}`),
    `${cisTitle(f.cisId)}: ${f.filterName} on ${group} matches the baseline pattern by meaning, and its alarm notifies ${c.topicArn} on one event.`,
  );
  return { ...out, remediation: remediationFor(f, m) };
}

export function evaluate(observed: ObservedState, intended: AuditManifest, _ctx: CheckContext): Finding[] {
  const mgmt = intended.organization.managementAccountId;
  const region = intended.trail.homeRegion;
  const resourceArn = logGroupArn(region, mgmt, intended.trail.logGroupName);
  const listed = intended.detection.cisAlarms.filters;
  const out = listed.map((f) => judge(observed, intended, f, { account: mgmt, region, resourceArn, key: f.cisId }));
  // A control the manifest leaves out is a smaller scope, said as a FAIL, never silently skipped.
  for (const b of CIS_FILTERS.filter((x) => !listed.some((f) => f.cisId === x.id)))
    out.push(
      verdict(
        metadata,
        { account: mgmt, region, resourceArn, key: b.id },
        { cisId: b.id, pattern: b.pattern },
        null,
        [
          `${cisTitle(b.id)}: the audit manifest does not list this control, so its filter and alarm are not audited; republish the manifest from the current baseline (pulumi up)`,
        ],
        "",
      ),
    );
  return out;
}
