import { CIS_CHANGE_EVENTS } from "./cis-filters";

/**
 * EventBridge patterns. Member accounts forward to the security account's central bus; rules on
 * that bus route what needs a human to the alert topic. Forwarded events keep their `source` and
 * `detail-type`, so the same shapes match on both sides.
 */
export type EventPattern = Record<string, unknown>;

export const GUARDDUTY_FINDING = { source: "aws.guardduty", detailType: "GuardDuty Finding" } as const;
export const SECURITY_HUB_IMPORTED = {
  source: "aws.securityhub",
  detailType: "Security Hub Findings - Imported",
} as const;
export const CLOUDTRAIL_API_CALL = "AWS API Call via CloudTrail";

/** GuardDuty findings and Security Hub findings (imported), every severity. */
export function findingsForwardPattern(): EventPattern {
  return {
    source: [GUARDDUTY_FINDING.source, SECURITY_HUB_IMPORTED.source],
    "detail-type": [GUARDDUTY_FINDING.detailType, SECURITY_HUB_IMPORTED.detailType],
  };
}

/** EventBridge rejects patterns above this many characters (default quota, adjustable to 4,096). */
export const EVENT_PATTERN_MAX_CHARS = 2048;

/**
 * The management events the CIS monitoring controls watch, matched per event source. Together
 * they exceed one pattern's size limit, so the sources are packed into as few patterns as fit.
 */
export function cisEventsPatterns(maxChars = EVENT_PATTERN_MAX_CHARS): EventPattern[] {
  const build = (groups: [string, string[]][]): EventPattern => ({
    "detail-type": [CLOUDTRAIL_API_CALL],
    $or: groups.map(([eventSource, eventName]) => ({ detail: { eventSource: [eventSource], eventName } })),
  });
  const out: [string, string[]][][] = [];
  for (const group of Object.entries(CIS_CHANGE_EVENTS)) {
    const last = out[out.length - 1];
    if (last && JSON.stringify(build([...last, group])).length <= maxChars) last.push(group);
    else if (JSON.stringify(build([group])).length <= maxChars) out.push([group]);
    else throw new Error(`cisEventsPatterns: the ${group[0]} events alone exceed ${maxChars} characters`);
  }
  return out.map(build);
}

/** GuardDuty HIGH (7.0–8.9) and CRITICAL (9.0–10.0) findings. */
export function guardDutyHighSeverityPattern(): EventPattern {
  return {
    source: [GUARDDUTY_FINDING.source],
    "detail-type": [GUARDDUTY_FINDING.detailType],
    detail: { severity: [{ numeric: [">=", 7] }] },
  };
}

/**
 * Security Hub findings labelled HIGH or CRITICAL, except those Security Hub imported from
 * GuardDuty: the GuardDuty rule already routes them, and one finding should page once.
 */
export function securityHubHighSeverityPattern(): EventPattern {
  return {
    source: [SECURITY_HUB_IMPORTED.source],
    "detail-type": [SECURITY_HUB_IMPORTED.detailType],
    detail: { findings: { Severity: { Label: ["HIGH", "CRITICAL"] }, ProductName: [{ "anything-but": "GuardDuty" }] } },
  };
}

export function eventPatternJson(p: EventPattern): string {
  const text = JSON.stringify(p);
  if (text.length > EVENT_PATTERN_MAX_CHARS)
    throw new Error(
      `event pattern is ${text.length} characters; EventBridge allows at most ${EVENT_PATTERN_MAX_CHARS}`,
    );
  return text;
}
