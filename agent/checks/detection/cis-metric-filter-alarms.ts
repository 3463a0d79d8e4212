/**
 * CIS 4.1–4.15: each monitoring metric filter is on the trail's log group with a pattern equal by
 * meaning to the baseline's (baseline/detection/filter-pattern.ts says what "by meaning" covers),
 * publishing the intended metric, and an alarm on that metric fires on a single event and notifies
 * the CIS alarm topic. One finding per CIS control, keyed by its id.
 */
import { logGroupArn, type AuditManifest } from "../../../baseline";
import {
  CIS_ALARM,
  CIS_FILTERS,
  FilterPatternError,
  sameFilterPatternMeaning,
  type CisFilterIntent,
} from "../../../baseline/detection";
import type { CheckMetadata, Finding, Remediation } from "../../finding";
import type { ObservedMetricAlarm, ObservedMetricFilter, ObservedState } from "../../model";
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
  controls: [],
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

/** Equal by meaning, or why not (a live pattern the parser cannot read is never taken as equal). */
function patternDiffers(observed: string, intended: string): string | undefined {
  try {
    return sameFilterPatternMeaning(observed, intended) ? undefined : "differs in meaning from the baseline's";
  } catch (e) {
    if (e instanceof FilterPatternError) return `cannot be compared with the baseline's (${e.message})`;
    throw e;
  }
}

function publishes(filter: ObservedMetricFilter, ns: string, metric: string): boolean {
  return filter.metrics.some((t) => t.namespace === ns && t.name === metric && t.value === CIS_ALARM.metricValue);
}

function filterProblems(filters: ObservedMetricFilter[], f: CisFilterIntent, ns: string, group: string): string[] {
  const good = filters.find((x) => publishes(x, ns, f.metricName) && !patternDiffers(x.pattern, f.pattern));
  if (good) return [];
  const named = filters.find((x) => x.name === f.filterName) ?? filters.find((x) => publishes(x, ns, f.metricName));
  if (!named)
    return [
      `no metric filter on ${group} publishes ${ns}/${f.metricName}; create ${f.filterName} with the baseline pattern`,
    ];
  const out: string[] = [];
  const why = patternDiffers(named.pattern, f.pattern);
  if (why) out.push(`metric filter ${named.name}'s pattern ${why}: ${named.pattern} (intended ${f.pattern})`);
  if (!publishes(named, ns, f.metricName)) {
    const have = named.metrics.map((t) => `${t.namespace}/${t.name}=${t.value}`).join(", ") || "no metric";
    out.push(
      `metric filter ${named.name} publishes ${have}, not ${ns}/${f.metricName} with value ${CIS_ALARM.metricValue}`,
    );
  }
  return out;
}

/** Why this alarm would not tell anyone about a single matching event (empty: it would). */
function alarmGaps(a: ObservedMetricAlarm, topicArn: string): string[] {
  const gaps: string[] = [];
  if (!a.actionsEnabled) gaps.push("its actions are disabled");
  if (!a.alarmActions.includes(topicArn))
    gaps.push(`it does not notify ${topicArn} (alarm actions: ${a.alarmActions.join(", ") || "none"})`);
  // Each matching event adds a datapoint of value 1: Sum, SampleCount and Maximum are ≥ 1 in its period.
  const stat = a.statistic ?? a.extendedStatistic ?? "none";
  if (!["Sum", "SampleCount", "Maximum"].includes(stat)) gaps.push(`its statistic ${stat} may stay below 1; use Sum`);
  const t = a.threshold;
  const firesOnOne =
    t !== undefined &&
    ((a.comparisonOperator === "GreaterThanOrEqualToThreshold" && t <= 1) ||
      (a.comparisonOperator === "GreaterThanThreshold" && t < 1));
  if (!firesOnOne)
    gaps.push(`${a.comparisonOperator ?? "no operator"} ${t ?? "no threshold"} does not fire on one event`);
  const needed = a.datapointsToAlarm ?? a.evaluationPeriods ?? 1;
  if (needed > 1) gaps.push(`it needs ${needed} breaching datapoints, not 1`);
  if (a.dimensions.length > 0) gaps.push("it has dimensions the filter's metric never carries");
  return gaps;
}

function alarmProblems(alarms: ObservedMetricAlarm[], f: CisFilterIntent, ns: string, topicArn: string): string[] {
  const on = alarms.filter((a) => a.namespace === ns && a.metricName === f.metricName && !a.usesMetricMath);
  if (on.length === 0) {
    const elsewhere = alarms.filter((a) => a.metricName === f.metricName && a.namespace !== ns);
    const hint = elsewhere.length
      ? ` (${elsewhere.map((a) => `${a.name} watches ${a.namespace}/${a.metricName}`).join(", ")})`
      : "";
    return [`no alarm watches ${ns}/${f.metricName}${hint}; create ${f.alarmName}`];
  }
  if (on.some((a) => alarmGaps(a, topicArn).length === 0)) return [];
  const a = on.find((x) => x.name === f.alarmName) ?? on[0];
  return [`alarm ${a.name}: ${alarmGaps(a, topicArn).join(", ")}`];
}

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
  const problems = filters
    ? filterProblems(filters, f, c.metricNamespace, group)
    : [`log group ${group} does not exist in ${m.trail.homeRegion}, so no metric filter can watch the trail`];
  problems.push(...alarmProblems(alarms, f, c.metricNamespace, c.topicArn));
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
  const v = verdict(
    metadata,
    scope,
    want,
    have,
    problems.map((p) => `${cisTitle(f.cisId)}: ${p}`),
    `${cisTitle(f.cisId)}: ${f.filterName} on ${group} matches the baseline pattern by meaning, and its alarm notifies ${c.topicArn} on one event.`,
  );
  return { ...v, remediation: remediationFor(f, m) };
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
