import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { alarmArn } from "../baseline/arns";
import { CIS_ALARM, CIS_FILTERS, CIS_METRIC_NAMESPACE } from "../baseline/detection";
import { AGENT_METRIC_DIMENSION, AGENT_METRIC_NAMESPACE } from "./audit-run-alarms";
import { cisViewAlarms, cisVisibilityAlarmName, TRAIL_EVENTS_METRIC, type CisView } from "./cis-alarm-view";
import { requireProvider } from "./providers";

const SEVERITIES = ["Critical", "High", "Medium", "Low", "Informational"] as const;
/** The delivery channels agent/telemetry.ts reports an age for (NewestDeliveryAgeSeconds<channel>). */
const DELIVERY_CHANNELS = ["S3", "CloudWatchLogs", "Digest"] as const;

export interface AuditDashboardArgs {
  stack: string;
  /** Home region: where the agent runs and emits its metrics. */
  region: string;
  /** Where the CIS alarms are (management account, home region: infra/detection/cis-alarms.ts). */
  managementAccountId: string;
  /** The security account, where the agent and its alarms are. */
  securityAccountId: pulumi.Input<string>;
  /** Names of the agent's own alarms: failed invocation, missed run, notification failed. */
  agentAlarmNames: string[];
  /** Period of the graphs in seconds: one run per period (the schedule's interval). */
  period: number;
  /**
   * The management account's CIS metrics are linked to this account (infra/observability-link.ts):
   * the dashboard then lays alarms here on them (infra/cis-alarm-view.ts) and shows those. Undefined:
   * no CIS widget at all (audit.dashboard.crossAccount false), since this account could read nothing to show.
   */
  cis?: CisView;
}

export function auditDashboardName(stack: string): string {
  return `orgwarden-${stack}-audit`;
}

type Widget = Record<string, unknown>;

/**
 * The dashboard body (pure, so the tests compare it exactly): what the nightly audit found over
 * time, the delivery ages, the run itself, and the alarm states beside them.
 */
export function auditDashboardBody(i: {
  stack: string;
  region: string;
  managementAccountId: string;
  agentAlarmArns: string[];
  period: number;
  /** The security account's CIS view alarms (visibility first, then CIS_FILTERS order) and the trail's log group; undefined without the link. */
  cis?: { alarmArns: string[]; trailLogGroupName: string };
}): Widget {
  const metric = (name: string, label: string) => [
    AGENT_METRIC_NAMESPACE,
    name,
    AGENT_METRIC_DIMENSION,
    i.stack,
    { label },
  ];
  const graph = (x: number, y: number, title: string, metrics: unknown[], extra: Record<string, unknown> = {}) => ({
    type: "metric",
    x,
    y,
    width: 8,
    height: 6,
    properties: {
      title,
      region: i.region,
      view: "timeSeries",
      stat: "Maximum",
      period: i.period,
      metrics,
      ...extra,
    },
  });
  const bySeverity = (kind: "Fail" | "Error" | "Waived") =>
    SEVERITIES.map((s) => metric(`${kind}${s}`, s.toUpperCase()));
  return {
    widgets: [
      {
        type: "text",
        x: 0,
        y: 0,
        width: 24,
        height: 2,
        properties: {
          markdown: [
            `## orgwarden audit: stack ${i.stack}`,
            `One point per scheduled run (namespace \`${AGENT_METRIC_NAMESPACE}\`, dimension \`${AGENT_METRIC_DIMENSION}=${i.stack}\`); a gap is a run that did not report the value, never a zero. ` +
              cisNote(i.stack, i.managementAccountId, i.cis !== undefined),
          ].join("\n\n"),
        },
      },
      graph(0, 2, "Unwaived FAIL findings by severity", bySeverity("Fail"), { stacked: true }),
      graph(8, 2, "Unwaived ERROR findings by severity (not checked)", bySeverity("Error"), { stacked: true }),
      graph(16, 2, "Waived findings by severity", bySeverity("Waived"), { stacked: true }),
      graph(0, 8, "Accounts audited vs in the organization", [
        metric("AccountsAudited", "audited"),
        metric("AccountsInOrganization", "in the organization"),
      ]),
      graph(
        8,
        8,
        "Newest CloudTrail delivery age (seconds)",
        [
          ...DELIVERY_CHANNELS.map((c) => metric(`NewestDeliveryAgeSeconds${c}`, c)),
          metric("StalestAccountDeliveryAgeSeconds", "stalest account (archive)"),
        ],
        { yAxis: { left: { min: 0, label: "seconds" } } },
      ),
      graph(16, 8, "Runs", [
        metric("RunCompleted", "run completed"),
        metric("RunDurationSeconds", "duration (s)"),
        metric("NewOrWorseFindings", "new or worse"),
        metric("RunLevelErrors", "run-level errors"),
        metric("NotificationFailures", "notifications failed"),
      ]),
      {
        type: "alarm",
        x: 0,
        y: 14,
        width: 8,
        height: 4,
        properties: { title: "Audit agent alarms", alarms: i.agentAlarmArns, sortBy: "stateUpdatedTimestamp" },
      },
      ...(i.cis ? cisWidgets(i.region, i.managementAccountId, i.cis.alarmArns, i.cis.trailLogGroupName) : []),
    ],
  };
}

function cisNote(stack: string, managementAccountId: string, linked: boolean): string {
  return linked
    ? `The CIS metric filters and their alarms live in the management account ${managementAccountId}; it shares its \`${CIS_METRIC_NAMESPACE}\` and \`AWS/Logs\` metrics (nothing else) with this account through CloudWatch cross-account observability, and the CIS alarms shown here evaluate them in this account with the same statistic, period and threshold (no actions: the management account's alarms notify). ` +
        `Their OK means something only while \`${cisVisibilityAlarmName(stack)}\` is OK: it is in ALARM when no trail event has reached the log group the filters read in the last hour, or this account cannot see that account's metrics.`
    : `The CIS metric filters and their alarms live in the management account ${managementAccountId} and are not shown here: orgwarden:audit.dashboard.crossAccount is false, so that account shares no metrics with this one.`;
}

/** The CIS alarm states now, and the events behind them over time (the linked metrics, per alarm period). */
function cisWidgets(region: string, managementAccountId: string, alarmArns: string[], logGroupName: string): Widget[] {
  return [
    {
      type: "alarm",
      x: 8,
      y: 14,
      width: 16,
      height: 4,
      properties: {
        title: "CIS monitoring alarms (management account's metrics, evaluated here)",
        alarms: alarmArns,
        sortBy: "stateUpdatedTimestamp",
      },
    },
    {
      type: "metric",
      x: 0,
      y: 18,
      width: 24,
      height: 6,
      properties: {
        title: `CIS monitoring events (management account ${managementAccountId}, ${CIS_ALARM.statistic} per ${CIS_ALARM.period / 60} minutes)`,
        region,
        view: "timeSeries",
        stat: CIS_ALARM.statistic,
        period: CIS_ALARM.period,
        metrics: [
          ...CIS_FILTERS.map((f) => [
            CIS_METRIC_NAMESPACE,
            f.metricName,
            { accountId: managementAccountId, label: `${f.id} ${f.title}` },
          ]),
          [
            TRAIL_EVENTS_METRIC.namespace,
            TRAIL_EVENTS_METRIC.metricName,
            "LogGroupName",
            logGroupName,
            { accountId: managementAccountId, label: "trail events the filters read", yAxis: "right" },
          ],
        ],
        annotations: { horizontal: [{ label: "CIS alarm threshold", value: CIS_ALARM.threshold }] },
        yAxis: { left: { min: 0, label: "CIS events" }, right: { min: 0, label: "trail events" } },
      },
    },
  ];
}

/** A CloudWatch dashboard in the security account, home region: what a security lead looks at instead of reading a report. */
export class AuditDashboard extends pulumi.ComponentResource {
  public readonly dashboardName: pulumi.Output<string>;

  constructor(name: string, args: AuditDashboardArgs, opts?: pulumi.ComponentResourceOptions) {
    requireProvider("orgwarden:audit:AuditDashboard", name, opts);
    super("orgwarden:audit:AuditDashboard", name, {}, opts);
    const cisAlarmNames = args.cis
      ? cisViewAlarms(this, name, args.stack, args.managementAccountId, args.cis)
      : undefined;
    const dashboard = new aws.cloudwatch.Dashboard(
      `${name}-dashboard`,
      {
        dashboardName: auditDashboardName(args.stack),
        dashboardBody: pulumi.output(args.securityAccountId).apply((securityAccountId) =>
          JSON.stringify(
            auditDashboardBody({
              stack: args.stack,
              region: args.region,
              managementAccountId: args.managementAccountId,
              agentAlarmArns: args.agentAlarmNames.map((n) => alarmArn(args.region, securityAccountId, n)),
              period: args.period,
              ...(args.cis && cisAlarmNames
                ? {
                    cis: {
                      alarmArns: cisAlarmNames.map((n) => alarmArn(args.region, securityAccountId, n)),
                      trailLogGroupName: args.cis.trailLogGroupName,
                    },
                  }
                : {}),
            }),
          ),
        ),
      },
      { parent: this },
    );
    this.dashboardName = dashboard.dashboardName;
    this.registerOutputs({ dashboardName: this.dashboardName });
  }
}
