/**
 * CIS 4.1–4.15, one control per monitoring recommendation: a metric filter on the trail's log group
 * with a pattern equal by meaning to the baseline's publishes the control's metric (value 1), and
 * an alarm on that metric fires on a single event, with actions enabled, notifying the CIS topic.
 * The audit maps DescribeMetricFilters / DescribeAlarms to these facts.
 */
import { CIS_ALARM, CIS_FILTERS, type CisFilterIntent } from "../detection/cis-filters";
import { FilterPatternError, sameFilterPatternMeaning } from "../detection/filter-pattern";
import { defineControl, known, type Fact, type Gap } from "./types";

export interface MetricFilterFact {
  name: string;
  pattern: string;
  metrics: { name: string; namespace: string; value: string }[];
}
export interface MetricAlarmFact {
  name: string;
  namespace?: string;
  metricName?: string;
  statistic?: string;
  extendedStatistic?: string;
  dimensions: { name: string; value: string }[];
  usesMetricMath: boolean;
  evaluationPeriods?: number;
  datapointsToAlarm?: number;
  threshold?: number;
  comparisonOperator?: string;
  actionsEnabled: boolean;
  alarmActions: string[];
  /**
   * The alarm actions are not known yet (a preview, where the topic ARN is an output of a topic
   * the same update creates): they count as notifying, as every unknown reference does in the pack.
   */
  alarmActionsUnknown?: boolean;
}
export interface CisMonitoringFacts {
  /** Every filter of the trail's log group; absent when the group does not exist. */
  filters: Fact<MetricFilterFact[]>;
  /** The metric alarms that might watch the control's metric. */
  alarms: Fact<MetricAlarmFact[]>;
}
export interface CisMonitoringParams {
  filter: CisFilterIntent;
  metricNamespace: string;
  /**
   * The topic the alarm must notify: the manifest's, in the audit. The pack judges a stack, whose
   * topic it cannot name, so it passes none: then any SNS topic among the alarm actions will do.
   */
  topicArn?: string;
  logGroupName: string;
}

const SNS_TOPIC = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w-]+$/;

/** Equal by meaning, or why not (a live pattern the parser cannot read is never taken as equal). */
function patternDiffers(observed: string, intended: string): string | undefined {
  try {
    return sameFilterPatternMeaning(observed, intended) ? undefined : "differs in meaning from the baseline's";
  } catch (e) {
    if (e instanceof FilterPatternError) return `cannot be compared with the baseline's (${e.message})`;
    throw e;
  }
}

const publishes = (x: MetricFilterFact, ns: string, metric: string) =>
  x.metrics.some((t) => t.namespace === ns && t.name === metric && t.value === CIS_ALARM.metricValue);

function filterGaps(filters: MetricFilterFact[], p: CisMonitoringParams): string[] {
  const f = p.filter;
  const ns = p.metricNamespace;
  if (filters.some((x) => publishes(x, ns, f.metricName) && !patternDiffers(x.pattern, f.pattern))) return [];
  const named = filters.find((x) => x.name === f.filterName) ?? filters.find((x) => publishes(x, ns, f.metricName));
  if (!named)
    return [
      `no metric filter on ${p.logGroupName} publishes ${ns}/${f.metricName}; create ${f.filterName} with the baseline pattern`,
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
function alarmFaults(a: MetricAlarmFact, topicArn: string | undefined): string[] {
  const out: string[] = [];
  if (!a.actionsEnabled) out.push("its actions are disabled");
  const notifies =
    a.alarmActionsUnknown === true ||
    (topicArn === undefined ? a.alarmActions.some((x) => SNS_TOPIC.test(x)) : a.alarmActions.includes(topicArn));
  if (!notifies)
    out.push(
      `it does not notify ${topicArn ?? "an SNS topic"} (alarm actions: ${a.alarmActions.join(", ") || "none"})`,
    );
  // Each matching event adds a datapoint of value 1: Sum, SampleCount and Maximum are ≥ 1 in its period.
  const stat = a.statistic ?? a.extendedStatistic ?? "none";
  if (!["Sum", "SampleCount", "Maximum"].includes(stat)) out.push(`its statistic ${stat} may stay below 1; use Sum`);
  const t = a.threshold;
  const firesOnOne =
    t !== undefined &&
    ((a.comparisonOperator === "GreaterThanOrEqualToThreshold" && t <= 1) ||
      (a.comparisonOperator === "GreaterThanThreshold" && t < 1));
  if (!firesOnOne)
    out.push(`${a.comparisonOperator ?? "no operator"} ${t ?? "no threshold"} does not fire on one event`);
  const needed = a.datapointsToAlarm ?? a.evaluationPeriods ?? 1;
  if (needed > 1) out.push(`it needs ${needed} breaching datapoints, not 1`);
  if (a.dimensions.length > 0) out.push("it has dimensions the filter's metric never carries");
  return out;
}

function alarmGaps(alarms: MetricAlarmFact[], p: CisMonitoringParams): string[] {
  const f = p.filter;
  const ns = p.metricNamespace;
  const on = alarms.filter((a) => a.namespace === ns && a.metricName === f.metricName && !a.usesMetricMath);
  if (on.length === 0) {
    const elsewhere = alarms.filter((a) => a.metricName === f.metricName && a.namespace !== ns);
    const hint = elsewhere.length
      ? ` (${elsewhere.map((a) => `${a.name} watches ${a.namespace}/${a.metricName}`).join(", ")})`
      : "";
    return [`no alarm watches ${ns}/${f.metricName}${hint}; create ${f.alarmName}`];
  }
  if (on.some((a) => alarmFaults(a, p.topicArn).length === 0)) return [];
  const a = on.find((x) => x.name === f.alarmName) ?? on[0];
  return [`alarm ${a.name}: ${alarmFaults(a, p.topicArn).join(", ")}`];
}

const unknownGap = (field: "filter" | "alarm", found: Fact<unknown>): Gap<"filter" | "alarm"> => ({
  field,
  expected: "known",
  found,
  reason: `the ${field === "filter" ? "metric filters" : "alarms"} are unknown, so this control cannot be verified`,
});

/** Gaps carry the whole reason in `reason`, worded for people, with the real names. */
export const cisMetricFilterAlarm = defineControl<CisMonitoringFacts, CisMonitoringParams, "filter" | "alarm">(
  {
    id: "cis-metric-filter-alarm",
    title: "Each CIS monitoring metric filter is on the trail's log group with an alarm that notifies on one event",
    severity: "high",
    risk: "Root use, console sign-in without MFA, and policy, trail, key, Config, network and Organizations changes happen without anyone being told.",
    cis: CIS_FILTERS.map((f) => ({ version: "1.5.0", id: f.id })),
    fsbp: CIS_FILTERS.flatMap((f) => (f.securityHubControl ? [f.securityHubControl] : [])),
    references: [
      "https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html",
      "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html",
    ],
  },
  (facts, p) => {
    const gaps: Gap<"filter" | "alarm">[] = [];
    const fs = facts.filters;
    if (fs.kind === "unknown") gaps.push(unknownGap("filter", fs));
    else if (fs.kind === "absent")
      gaps.push({
        field: "filter",
        expected: `${p.filter.filterName} on ${p.logGroupName}`,
        found: fs,
        reason: `log group ${p.logGroupName} does not exist, so no metric filter can watch the trail`,
      });
    else
      for (const r of filterGaps(fs.value, p))
        gaps.push({ field: "filter", expected: p.filter.pattern, found: known(fs.value.length), reason: r });
    const as = facts.alarms;
    if (as.kind !== "known") gaps.push(unknownGap("alarm", as));
    else
      for (const r of alarmGaps(as.value, p))
        gaps.push({
          field: "alarm",
          expected: `notifies ${p.topicArn ?? "an SNS topic"} on one event`,
          found: known(as.value.length),
          reason: r,
        });
    return gaps;
  },
);
