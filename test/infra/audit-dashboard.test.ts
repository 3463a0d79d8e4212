import { beforeAll, describe, expect, it } from "vitest";
import type { ProgramRun } from "../../harness/run-program";
import { METRIC_DEFINITIONS } from "../../agent/telemetry";
import { EXPECTED } from "./expected";
import { one, providerUrn, runStack, STACKS, urnOf } from "./stack";

/** The 15 CIS alarm names, written out as infra/detection/cis-alarms.ts names them (cis-<id>-<metric>). */
const CIS_ALARMS = [
  "cis-4-1-UnauthorizedAPICalls",
  "cis-4-2-ConsoleSignInWithoutMfa",
  "cis-4-3-RootAccountUsage",
  "cis-4-4-IAMPolicyChanges",
  "cis-4-5-CloudTrailConfigChanges",
  "cis-4-6-ConsoleAuthenticationFailures",
  "cis-4-7-DisableOrDeleteCMK",
  "cis-4-8-S3BucketPolicyChanges",
  "cis-4-9-AWSConfigChanges",
  "cis-4-10-SecurityGroupChanges",
  "cis-4-11-NACLChanges",
  "cis-4-12-NetworkGatewayChanges",
  "cis-4-13-RouteTableChanges",
  "cis-4-14-VPCChanges",
  "cis-4-15-OrganizationsChanges",
];

describe.each(STACKS)("AuditDashboard (%s stack)", (stack) => {
  const x = EXPECTED[stack];
  const fn = `orgwarden-${stack}-audit-agent`;
  let run: ProgramRun;
  beforeAll(async () => {
    run = await runStack(stack);
  });
  const body = () =>
    JSON.parse(one(run, "aws:cloudwatch/dashboard:Dashboard", "audit-dashboard-dashboard").inputs.dashboardBody);

  it("is one dashboard in the security account, home region", () => {
    const d = one(run, "aws:cloudwatch/dashboard:Dashboard", "audit-dashboard-dashboard");
    expect(d.provider).toBe(providerUrn(run, "security"));
    expect(d.parent).toBe(urnOf(run, "orgwarden:audit:AuditDashboard", "audit-dashboard"));
    expect(d.inputs.dashboardName).toBe(`orgwarden-${stack}-audit`);
    expect(run.outputs.auditDashboardName).toBe(`orgwarden-${stack}-audit`);
  });

  it("has exactly this body: the metrics over time, beside the agent's and the CIS alarm states", () => {
    const m = (name: string, label: string) => ["orgwarden", name, "Stack", stack, { label }];
    const sev = (kind: string) =>
      ["Critical", "High", "Medium", "Low", "Informational"].map((s) => m(`${kind}${s}`, s.toUpperCase()));
    const graph = (xPos: number, y: number, title: string, metrics: unknown[], extra: object = {}) => ({
      type: "metric",
      x: xPos,
      y,
      width: 8,
      height: 6,
      properties: { title, region: x.home, view: "timeSeries", stat: "Maximum", period: 86_400, metrics, ...extra },
    });
    const alarm = (name: string, account: string) => `arn:aws:cloudwatch:${x.home}:${account}:alarm:${name}`;
    expect(body()).toEqual({
      widgets: [
        {
          type: "text",
          x: 0,
          y: 0,
          width: 24,
          height: 2,
          properties: {
            markdown:
              `## orgwarden audit: stack ${stack}\n\n` +
              `One point per scheduled run (namespace \`orgwarden\`, dimension \`Stack=${stack}\`); a gap is a run that did not report the value, never a zero. ` +
              `The CIS alarms live in the management account ${x.mgmt}: their states show here only when that account shares its CloudWatch data with this one (CloudWatch cross-account observability).`,
          },
        },
        graph(0, 2, "Unwaived FAIL findings by severity", sev("Fail"), { stacked: true }),
        graph(8, 2, "Unwaived ERROR findings by severity (not checked)", sev("Error"), { stacked: true }),
        graph(16, 2, "Waived findings by severity", sev("Waived"), { stacked: true }),
        graph(0, 8, "Accounts audited vs in the organization", [
          m("AccountsAudited", "audited"),
          m("AccountsInOrganization", "in the organization"),
        ]),
        graph(
          8,
          8,
          "Newest CloudTrail delivery age (seconds)",
          [
            m("NewestDeliveryAgeSecondsS3", "S3"),
            m("NewestDeliveryAgeSecondsCloudWatchLogs", "CloudWatchLogs"),
            m("NewestDeliveryAgeSecondsDigest", "Digest"),
            m("StalestAccountDeliveryAgeSeconds", "stalest account (archive)"),
          ],
          { yAxis: { left: { min: 0, label: "seconds" } } },
        ),
        graph(16, 8, "Runs", [
          m("RunCompleted", "run completed"),
          m("RunDurationSeconds", "duration (s)"),
          m("NewOrWorseFindings", "new or worse"),
          m("RunLevelErrors", "run-level errors"),
          m("NotificationFailures", "notifications failed"),
        ]),
        {
          type: "alarm",
          x: 0,
          y: 14,
          width: 8,
          height: 4,
          properties: {
            title: "Audit agent alarms",
            alarms: [
              alarm(`${fn}-errors`, x.securityId),
              alarm(`${fn}-missed-run`, x.securityId),
              alarm(`${fn}-notification-failed`, x.securityId),
            ],
            sortBy: "stateUpdatedTimestamp",
          },
        },
        {
          type: "alarm",
          x: 8,
          y: 14,
          width: 16,
          height: 4,
          properties: {
            title: "CIS monitoring alarms (management account)",
            alarms: CIS_ALARMS.map((a) => alarm(a, x.mgmt)),
            sortBy: "stateUpdatedTimestamp",
          },
        },
      ],
    });
  });

  it("graphs only metrics the agent emits (agent/telemetry.ts), and every one of them", () => {
    const graphed = new Set<string>(
      body()
        .widgets.filter((w: { type: string }) => w.type === "metric")
        .flatMap((w: { properties: { metrics: string[][] } }) => w.properties.metrics.map((mm) => mm[1])),
    );
    expect([...graphed].sort()).toEqual(METRIC_DEFINITIONS.map((d) => d.name).sort());
  });

  it("shows alarms that the program creates: the agent's three and the 15 CIS alarms", () => {
    const names = run.resources
      .filter((r) => r.type === "aws:cloudwatch/metricAlarm:MetricAlarm")
      .map((r) => r.inputs.name as string);
    for (const a of [`${fn}-errors`, `${fn}-missed-run`, `${fn}-notification-failed`, ...CIS_ALARMS])
      expect(names).toContain(a);
  });
});
