/** Rule for the CIS monitoring controls (CIS v1.4/v1.5 4.1–4.15): metric filters and alarms on the trail's log group. */
import { CIS_FILTERS, CIS_METRIC_NAMESPACE, CisFilter, cisAlarmName, cisFilterName } from "../detection/cis-filters";
import { cisMetricFilterAlarm, type MetricAlarmFact, type MetricFilterFact } from "../controls/cis-metric-filter-alarm";
import { known, UNKNOWN } from "../controls/types";
import { asList, asRecord, containsUnknown, isUnknown, setting, StackVerdict, StackViolation } from "./values";
import { ofType, resolveRef, StackResource } from "./stack-model";
import { TRAIL_TYPE } from "./cloudtrail";
import { LOG_GROUP_TYPE } from "./logs";

export const METRIC_FILTER_TYPE = "aws:cloudwatch/logMetricFilter:LogMetricFilter";
export const ALARM_TYPE = "aws:cloudwatch/metricAlarm:MetricAlarm";

export interface CisAlarmConfig {
  /** CIS control ids to require (default: all of CIS_FILTERS). */
  controls: string[];
  /**
   * The log group of an organization trail the stack does not lay (an AWS Control Tower landing
   * zone's aws-controltower/CloudTrailLogs): the filters and alarms must be on it. Default: none.
   */
  externalTrailLogGroupName?: string;
}

function logGroupIdentity(g: StackResource): unknown[] {
  const arn = g.props.arn;
  return [g.props.name, arn, typeof arn === "string" ? `${arn}:*` : undefined];
}

/** The log groups the trails deliver to. */
function trailLogGroups(resources: StackResource[]): StackResource[] {
  const groups = ofType(resources, [LOG_GROUP_TYPE]);
  return ofType(resources, [TRAIL_TYPE])
    .map((t) => resolveRef(t, "cloudWatchLogsGroupArn", groups, logGroupIdentity))
    .filter((g): g is StackResource => g !== undefined);
}

type Say = (m: string, r?: StackResource) => void;

const text = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === "number" ? v : undefined);

/** A filter as the shared control sees it; undefined while a field the control reads is unknown at preview. */
function filterFact(r: StackResource): MetricFilterFact | undefined {
  const t = r.props.metricTransformation;
  const pattern = r.props.pattern;
  if (isUnknown(pattern) || typeof pattern !== "string" || containsUnknown(t)) return undefined;
  const m = asRecord(t);
  return {
    name: text(r.props.name) ?? r.name,
    pattern,
    metrics: m ? [{ name: String(m.name), namespace: String(m.namespace), value: String(m.value) }] : [],
  };
}

/** An alarm as the shared control sees it; undefined while a field it reads (other than the action ARNs) is unknown. */
function alarmFact(r: StackResource): MetricAlarmFact | undefined {
  const p = r.props;
  const fields = [
    p.name,
    p.namespace,
    p.metricName,
    p.statistic,
    p.extendedStatistic,
    p.dimensions,
    p.metricQueries,
    p.evaluationPeriods,
    p.datapointsToAlarm,
    p.threshold,
    p.comparisonOperator,
    p.actionsEnabled,
  ];
  if (fields.some(containsUnknown)) return undefined;
  const actions = p.alarmActions;
  return {
    name: text(p.name) ?? r.name,
    namespace: text(p.namespace),
    metricName: text(p.metricName),
    statistic: text(p.statistic),
    extendedStatistic: text(p.extendedStatistic),
    dimensions: Object.entries(asRecord(p.dimensions) ?? {}).map(([name, value]) => ({ name, value: String(value) })),
    usesMetricMath: asList(p.metricQueries).length > 0,
    evaluationPeriods: num(p.evaluationPeriods),
    datapointsToAlarm: num(p.datapointsToAlarm),
    threshold: num(p.threshold),
    comparisonOperator: text(p.comparisonOperator),
    // The provider's default: actions enabled.
    actionsEnabled: p.actionsEnabled !== false,
    alarmActions: asList(actions).filter((a): a is string => typeof a === "string"),
    ...(containsUnknown(actions) ? { alarmActionsUnknown: true } : {}),
  };
}

/**
 * One CIS control through the shared control (baseline/controls/cis-metric-filter-alarm.ts), the
 * judgment the audit makes of the live filters and alarms. The pack cannot name the stack's CIS
 * topic, so any SNS topic among an alarm's actions will do (the audit holds the manifest's topic).
 * A resource whose fields are unknown at preview is left out; if the control then finds a gap
 * that such a resource might fill, the gap says the filters or alarms cannot be verified.
 */
function checkControl(
  f: CisFilter,
  filters: StackResource[],
  alarms: StackResource[],
  logGroupName: string,
  say: Say,
): void {
  const knownFilters = filters.map((r) => ({ r, fact: filterFact(r) }));
  const knownAlarms = alarms.map((r) => ({ r, fact: alarmFact(r) }));
  const filterFacts = knownFilters.flatMap((x) => (x.fact ? [x.fact] : []));
  const alarmFacts = knownAlarms.flatMap((x) => (x.fact ? [x.fact] : []));
  const params = {
    filter: {
      cisId: f.id,
      filterName: cisFilterName(f),
      alarmName: cisAlarmName(f),
      metricName: f.metricName,
      pattern: f.pattern,
    },
    metricNamespace: CIS_METRIC_NAMESPACE,
    logGroupName,
  };
  let v = cisMetricFilterAlarm.judge({ filters: known(filterFacts), alarms: known(alarmFacts) }, params);
  if (v.passed) return;
  // A gap that a resource unknown at preview might fill is not a violation the stack has, only one it may have.
  const someUnknownFilter = knownFilters.some((x) => !x.fact);
  const someUnknownAlarm = knownAlarms.some(
    (x) => !x.fact && (x.r.props.metricName === f.metricName || containsUnknown(x.r.props.metricName)),
  );
  if (someUnknownFilter || someUnknownAlarm)
    v = cisMetricFilterAlarm.judge(
      {
        filters: someUnknownFilter && v.gaps.some((g) => g.field === "filter") ? UNKNOWN : known(filterFacts),
        alarms: someUnknownAlarm && v.gaps.some((g) => g.field === "alarm") ? UNKNOWN : known(alarmFacts),
      },
      params,
    );
  const filterRes =
    knownFilters.find((x) => x.fact?.metrics.some((m) => m.name === f.metricName))?.r ??
    knownFilters.find((x) => !x.fact)?.r;
  const alarmRes = knownAlarms.find((x) => x.r.props.metricName === f.metricName)?.r;
  for (const g of v.gaps) {
    const reason =
      g.found.kind === "unknown"
        ? setting(g.field === "filter" ? "a metric filter pattern" : "an alarm setting")
        : (g.reason ?? `${g.field}: expected ${String(g.expected)}`);
    say(`CIS ${f.id} (${f.title}): ${reason}`, g.field === "alarm" ? (alarmRes ?? filterRes) : filterRes);
  }
}

/** Policy 16. */
export function cisMetricFiltersAndAlarms(resources: StackResource[], cfg: CisAlarmConfig): StackVerdict {
  const violations: StackViolation[] = [];
  const say = (message: string, r?: StackResource) => violations.push(r ? { message, urn: r.urn } : { message });
  if (cfg.externalTrailLogGroupName)
    return externalGroup(resources, cfg, cfg.externalTrailLogGroupName, say, violations);
  if (ofType(resources, [TRAIL_TYPE]).length === 0)
    return {
      violations,
      notApplicable: "the stack has no CloudTrail trail, so there is no trail log group to monitor",
    };
  const groups = trailLogGroups(resources);
  if (groups.length === 0) {
    say(
      "no trail delivers to a CloudWatch Logs group in this stack; set cloudWatchLogsGroupArn on the trail so the CIS metric filters have events to watch",
    );
    return { violations };
  }
  const allGroups = ofType(resources, [LOG_GROUP_TYPE]);
  const filters = ofType(resources, [METRIC_FILTER_TYPE]).filter((m) => {
    const g = resolveRef(m, "logGroupName", allGroups, (x) => [x.props.name]);
    return g !== undefined && groups.includes(g);
  });
  const alarms = ofType(resources, [ALARM_TYPE]);
  const groupName = text(groups[0].props.name) ?? groups[0].name;
  for (const f of CIS_FILTERS.filter((c) => cfg.controls.includes(c.id)))
    checkControl(f, filters, alarms, groupName, say);
  return { violations };
}

/** The filters must sit on a log group outside the stack, named by its exact name. */
function externalGroup(
  resources: StackResource[],
  cfg: CisAlarmConfig,
  name: string,
  say: (m: string, r?: StackResource) => void,
  violations: StackViolation[],
): StackVerdict {
  const filters = ofType(resources, [METRIC_FILTER_TYPE]).filter(
    (m) => m.props.logGroupName === name || isUnknown(m.props.logGroupName),
  );
  const alarms = ofType(resources, [ALARM_TYPE]);
  for (const f of CIS_FILTERS.filter((c) => cfg.controls.includes(c.id))) checkControl(f, filters, alarms, name, say);
  return { violations };
}

export const ALL_CIS_CONTROLS = CIS_FILTERS.map((f) => f.id);
