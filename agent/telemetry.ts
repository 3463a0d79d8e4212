/**
 * What a run tells CloudWatch: one structured JSON log line (Powertools Logger) and one set of
 * metrics in the Embedded Metric Format (Powertools Metrics), namespace `orgwarden`, dimension
 * `Stack`. Both go to stdout, where Lambda forwards them to the function's log group and
 * CloudWatch extracts the metrics. A value the run does not know (a delivery time that could not be
 * read, an organization whose account list failed) is left out, never sent as 0: a gap on the
 * dashboard, not a reassuring line.
 */
import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import { SEVERITY_ORDER, type AuditResult, type Finding, type Severity } from "./finding";
import type { NotifyOutcome } from "./notify";

export const METRIC_NAMESPACE = "orgwarden";
export const METRIC_DIMENSION = "Stack";
export const SERVICE_NAME = "orgwarden-audit";

const title = (s: Severity) => s.charAt(0) + s.slice(1).toLowerCase();

/** The delivery channels the trail checks judge (agent/checks/delivery.ts), by check id. */
export const DELIVERY_CHANNELS = {
  "trail-s3-delivery": "S3",
  "trail-cloudwatch-delivery": "CloudWatchLogs",
  "trail-digest-delivery": "Digest",
} as const;

type Unit = (typeof MetricUnit)[keyof typeof MetricUnit];
export interface MetricDefinition {
  name: string;
  unit: Unit;
  description: string;
}

/** Every metric a run may emit, in emission order: docs/telemetry.md and the dashboard are built from this list. */
export const METRIC_DEFINITIONS: MetricDefinition[] = [
  {
    name: "RunCompleted",
    unit: MetricUnit.Count,
    description: "1 for every run that wrote its reports (the missed-run alarm watches it).",
  },
  {
    name: "RunDurationSeconds",
    unit: MetricUnit.Seconds,
    description: "The audit's duration, from its start to the last check (startedAt → finishedAt).",
  },
  { name: "AccountsAudited", unit: MetricUnit.Count, description: "Accounts the run audited (its scope)." },
  {
    name: "AccountsInOrganization",
    unit: MetricUnit.Count,
    description: "ACTIVE accounts of the organization; absent when the account list could not be read.",
  },
  {
    name: "RunLevelErrors",
    unit: MetricUnit.Count,
    description: "Run-level errors (the audit is incomplete beyond single findings).",
  },
  ...SEVERITY_ORDER.flatMap((s): MetricDefinition[] => [
    { name: `Fail${title(s)}`, unit: MetricUnit.Count, description: `Unwaived FAIL findings of severity ${s}.` },
    { name: `Error${title(s)}`, unit: MetricUnit.Count, description: `Unwaived ERROR findings of severity ${s}.` },
    {
      name: `Waived${title(s)}`,
      unit: MetricUnit.Count,
      description: `Waived FAIL or ERROR findings of severity ${s}.`,
    },
  ]),
  ...Object.entries(DELIVERY_CHANNELS).map(([check, channel]) => ({
    name: `NewestDeliveryAgeSeconds${channel}`,
    unit: MetricUnit.Seconds,
    description: `Age of the organization trail's newest ${channel} delivery at the run's clock (${check}); absent when it could not be read or none is recorded.`,
  })),
  {
    name: "StalestAccountDeliveryAgeSeconds",
    unit: MetricUnit.Seconds,
    description:
      "The largest, over accounts, age of an account's newest CloudTrail object in the archive (archive-delivery-freshness); absent when no account's could be read.",
  },
  {
    name: "NewOrWorseFindings",
    unit: MetricUnit.Count,
    description: "Findings new or worse since the previous run (what the notification lists).",
  },
  {
    name: "NotificationFailures",
    unit: MetricUnit.Count,
    description: "The SNS message and the EventBridge event that failed to be sent (0, 1 or 2).",
  },
];

export interface MetricValue {
  name: string;
  unit: Unit;
  value: number;
}

const ageSeconds = (time: unknown, now: string): number | undefined => {
  if (typeof time !== "string") return undefined;
  const t = Date.parse(time);
  return Number.isNaN(t) ? undefined : Math.max(0, Math.round((Date.parse(now) - t) / 1000));
};

const observedField = (f: Finding, key: string): unknown =>
  f.observed && typeof f.observed === "object" ? (f.observed as Record<string, unknown>)[key] : undefined;

/** The run's metric values (pure): what emitRunTelemetry writes as EMF. */
export function runMetrics(result: AuditResult, newOrWorse: number, notify?: NotifyOutcome): MetricValue[] {
  const unit = new Map(METRIC_DEFINITIONS.map((d) => [d.name, d.unit]));
  const values = new Map<string, number>();
  values.set("RunCompleted", 1);
  values.set("RunDurationSeconds", (Date.parse(result.finishedAt) - Date.parse(result.startedAt)) / 1000);
  values.set("AccountsAudited", result.scope.accounts.length);
  if (result.scope.organizationAccounts !== null)
    values.set("AccountsInOrganization", result.scope.organizationAccounts);
  values.set("RunLevelErrors", result.incomplete.length);
  for (const s of SEVERITY_ORDER) for (const k of ["Fail", "Error", "Waived"]) values.set(`${k}${title(s)}`, 0);
  for (const f of result.findings) {
    if (f.status !== "FAIL" && f.status !== "ERROR") continue;
    const kind = f.waived ? "Waived" : f.status === "FAIL" ? "Fail" : "Error";
    const name = `${kind}${title(f.severity)}`;
    values.set(name, values.get(name)! + 1);
  }
  for (const [check, channel] of Object.entries(DELIVERY_CHANNELS)) {
    const f = result.findings.find((x) => x.checkId === check && x.status !== "ERROR");
    const age = f && ageSeconds(observedField(f, "latestDeliveryTime"), result.now);
    if (age !== undefined) values.set(`NewestDeliveryAgeSeconds${channel}`, age);
  }
  const accountAges = result.findings
    .filter((f) => f.checkId === "archive-delivery-freshness" && f.status !== "ERROR")
    .map((f) => ageSeconds(observedField(f, "newestObject"), result.now))
    .filter((a): a is number => a !== undefined);
  if (accountAges.length > 0) values.set("StalestAccountDeliveryAgeSeconds", Math.max(...accountAges));
  values.set("NewOrWorseFindings", newOrWorse);
  const failed = notify ? [notify.message, notify.event].filter((s) => s.status === "failed").length : 0;
  values.set("NotificationFailures", failed);
  return METRIC_DEFINITIONS.filter((d) => values.has(d.name)).map((d) => ({
    name: d.name,
    unit: unit.get(d.name)!,
    value: values.get(d.name)!,
  }));
}

/** ERROR findings per account: how many, and which calls failed with which error (at most 5 distinct, for one readable line). */
export function accountErrors(result: AuditResult): { account: string; errors: number; failures: string[] }[] {
  const by = new Map<string, { errors: number; failures: Set<string> }>();
  for (const f of result.findings) {
    if (f.status !== "ERROR") continue;
    const e = by.get(f.account) ?? { errors: 0, failures: new Set<string>() };
    e.errors += 1;
    e.failures.add(f.error ? `${f.error.operation}: ${f.error.name}` : f.checkId);
    by.set(f.account, e);
  }
  return [...by.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([account, e]) => ({ account, errors: e.errors, failures: [...e.failures].sort().slice(0, 5) }));
}

export interface RunTelemetry {
  logger?: Logger;
  metrics?: Metrics;
}

/** The one log line's attributes (pure). */
export function runLogAttributes(
  result: AuditResult,
  reports: string[],
  notify: NotifyOutcome | undefined,
  newOrWorse: number,
) {
  const counts = { PASS: 0, FAIL: 0, ERROR: 0, NOT_APPLICABLE: 0, waived: 0 };
  for (const f of result.findings) {
    counts[f.status] += 1;
    if (f.waived) counts.waived += 1;
  }
  return {
    stack: result.stack,
    runId: result.runId,
    exitCode: result.exitCode,
    counts,
    durationSeconds: (Date.parse(result.finishedAt) - Date.parse(result.startedAt)) / 1000,
    accountsAudited: result.scope.accounts.length,
    accountsInOrganization: result.scope.organizationAccounts,
    accountErrors: accountErrors(result),
    incomplete: result.incomplete,
    changes: result.changes
      ? {
          previousRunId: result.changes.previousRunId,
          new: result.changes.new.length,
          resolved: result.changes.resolved.length,
          stillFailing: result.changes.stillFailing.length,
          changed: result.changes.changed.length,
          newOrWorse,
        }
      : null,
    reports,
    notifications: notify ?? null,
  };
}

/**
 * Writes the run's log line and its metrics. The Stack dimension is the only one: Powertools' own
 * `service` default dimension is cleared, so the dashboard and the alarm name the metric by
 * (Namespace, Name, Stack) alone.
 */
export function emitRunTelemetry(
  result: AuditResult,
  reports: string[],
  notify: NotifyOutcome | undefined,
  newOrWorse: number,
  t: RunTelemetry = {},
): void {
  const logger = t.logger ?? new Logger({ serviceName: SERVICE_NAME });
  const metrics = t.metrics ?? new Metrics({ namespace: METRIC_NAMESPACE, serviceName: SERVICE_NAME });
  metrics.clearDefaultDimensions();
  metrics.setDefaultDimensions({ [METRIC_DIMENSION]: result.stack });
  for (const m of runMetrics(result, newOrWorse, notify)) metrics.addMetric(m.name, m.unit, m.value);
  metrics.publishStoredMetrics();
  const attributes = runLogAttributes(result, reports, notify, newOrWorse);
  const failed = notify ? [notify.message, notify.event].filter((s) => s.status === "failed") : [];
  if (failed.length > 0) logger.error("audit run completed; a notification failed", attributes);
  else logger.info("audit run completed", attributes);
}
