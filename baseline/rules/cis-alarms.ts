/** Rule for the CIS monitoring controls (CIS v1.4/v1.5 4.1–4.15): metric filters and alarms on the trail's log group. */
import { CIS_FILTERS, CisFilter } from "../detection/cis-filters";
import { FilterPatternError, sameFilterPatternMeaning } from "../detection/filter-pattern";
import { asList, asRecord, isUnknown, setting, StackVerdict, StackViolation } from "./values";
import { label, ofType, resolveRef, StackResource } from "./stack-model";
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

/**
 * Equal by meaning, as the audit judges it (canonicalFilterPattern: whitespace, parentheses, term
 * order and repetition inside one operator, quoting), so the pack and the agent accept the same
 * patterns. A pattern the parser cannot read is never taken as equal.
 */
export function samePattern(a: string, b: string): boolean {
  try {
    return sameFilterPatternMeaning(a, b);
  } catch (e) {
    if (e instanceof FilterPatternError) return false;
    throw e;
  }
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

function alarmFor(alarms: StackResource[], metric: Record<string, unknown>): StackResource[] {
  return alarms.filter((a) => a.props.metricName === metric.name && a.props.namespace === metric.namespace);
}

function checkControl(
  f: CisFilter,
  filters: StackResource[],
  alarms: StackResource[],
  say: (m: string, r?: StackResource) => void,
): void {
  const unknownPattern = filters.filter((m) => isUnknown(m.props.pattern));
  const matching = filters.filter(
    (m) => typeof m.props.pattern === "string" && samePattern(m.props.pattern, f.pattern),
  );
  if (matching.length === 0) {
    if (unknownPattern.length)
      say(`CIS ${f.id} (${f.title}): ${setting("a metric filter pattern")}`, unknownPattern[0]);
    else say(`CIS ${f.id} (${f.title}): add a metric filter on the trail's log group with pattern ${f.pattern}`);
    return;
  }
  const metrics = matching
    .map((m) => asRecord(m.props.metricTransformation))
    .filter((m): m is Record<string, unknown> => m !== undefined);
  const found = metrics.flatMap((m) => alarmFor(alarms, m));
  if (found.length === 0) {
    const m = metrics[0];
    say(
      `CIS ${f.id} (${f.title}): add a CloudWatch alarm on metric ${String(m?.namespace)}/${String(m?.name)} with an alarm action`,
      matching[0],
    );
    return;
  }
  const ok = found.some(
    (a) =>
      a.props.actionsEnabled !== false &&
      !isUnknown(a.props.actionsEnabled) &&
      (isUnknown(a.props.alarmActions) || asList(a.props.alarmActions).length > 0),
  );
  if (!ok) {
    const a = found[0];
    if (isUnknown(a.props.actionsEnabled))
      say(`CIS ${f.id} (${f.title}): ${label(a)}: ${setting("actionsEnabled")}`, a);
    else
      say(
        `CIS ${f.id} (${f.title}): ${label(a)}: set actionsEnabled: true and at least one alarmActions target (an SNS topic)`,
        a,
      );
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
  for (const f of CIS_FILTERS.filter((c) => cfg.controls.includes(c.id))) checkControl(f, filters, alarms, say);
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
  for (const f of CIS_FILTERS.filter((c) => cfg.controls.includes(c.id))) checkControl(f, filters, alarms, say);
  return { violations };
}

export const ALL_CIS_CONTROLS = CIS_FILTERS.map((f) => f.id);
