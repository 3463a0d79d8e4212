import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { alarmArn } from "../baseline/arns";
import { CIS_FILTERS, cisFilterName } from "../baseline/detection";
import { AGENT_METRIC_DIMENSION, AGENT_METRIC_NAMESPACE } from "./audit-run-alarms";
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
}

export function auditDashboardName(stack: string): string {
  return `orgwarden-${stack}-audit`;
}

/** The CIS alarms' ARNs: one per CIS monitoring control, named as infra/detection/cis-alarms.ts names them. */
export function cisAlarmArns(region: string, managementAccountId: string): string[] {
  return CIS_FILTERS.map((f) => alarmArn(region, managementAccountId, cisFilterName(f)));
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
  const cis = cisAlarmArns(i.region, i.managementAccountId);
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
              `The CIS alarms live in the management account ${i.managementAccountId}: their states show here only when that account shares its CloudWatch data with this one (CloudWatch cross-account observability).`,
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
      {
        type: "alarm",
        x: 8,
        y: 14,
        width: 16,
        height: 4,
        properties: {
          title: "CIS monitoring alarms (management account)",
          alarms: cis,
          sortBy: "stateUpdatedTimestamp",
        },
      },
    ],
  };
}

/** A CloudWatch dashboard in the security account, home region: what a security lead looks at instead of reading a report. */
export class AuditDashboard extends pulumi.ComponentResource {
  public readonly dashboardName: pulumi.Output<string>;

  constructor(name: string, args: AuditDashboardArgs, opts?: pulumi.ComponentResourceOptions) {
    requireProvider("orgwarden:audit:AuditDashboard", name, opts);
    super("orgwarden:audit:AuditDashboard", name, {}, opts);
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
