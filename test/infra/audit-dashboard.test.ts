import { beforeAll, describe, expect, it } from "vitest";
import type { ProgramRun } from "../../harness/run-program";
import { METRIC_DEFINITIONS } from "../../agent/telemetry";
import { EXPECTED } from "./expected";
import { doc, ofType, one, providerUrn, runStack, STACKS, urnOf } from "./stack";

/** The 15 CIS alarm names, written out as infra/detection/cis-alarms.ts names them (cis-<id>-<metric>), with their metric and title. */
const CIS: [alarm: string, metric: string, label: string, securityHub?: string][] = [
  ["cis-4-1-UnauthorizedAPICalls", "UnauthorizedAPICalls", "4.1 Unauthorized API calls", "CloudWatch.2"],
  [
    "cis-4-2-ConsoleSignInWithoutMfa",
    "ConsoleSignInWithoutMfa",
    "4.2 Management Console sign-in without MFA",
    "CloudWatch.3",
  ],
  ["cis-4-3-RootAccountUsage", "RootAccountUsage", "4.3 Usage of the root user", "CloudWatch.1"],
  ["cis-4-4-IAMPolicyChanges", "IAMPolicyChanges", "4.4 IAM policy changes", "CloudWatch.4"],
  [
    "cis-4-5-CloudTrailConfigChanges",
    "CloudTrailConfigChanges",
    "4.5 CloudTrail configuration changes",
    "CloudWatch.5",
  ],
  [
    "cis-4-6-ConsoleAuthenticationFailures",
    "ConsoleAuthenticationFailures",
    "4.6 Management Console authentication failures",
    "CloudWatch.6",
  ],
  [
    "cis-4-7-DisableOrDeleteCMK",
    "DisableOrDeleteCMK",
    "4.7 Disabling or scheduled deletion of customer managed keys",
    "CloudWatch.7",
  ],
  ["cis-4-8-S3BucketPolicyChanges", "S3BucketPolicyChanges", "4.8 S3 bucket policy changes", "CloudWatch.8"],
  ["cis-4-9-AWSConfigChanges", "AWSConfigChanges", "4.9 AWS Config configuration changes", "CloudWatch.9"],
  ["cis-4-10-SecurityGroupChanges", "SecurityGroupChanges", "4.10 Security group changes", "CloudWatch.10"],
  ["cis-4-11-NACLChanges", "NACLChanges", "4.11 Network ACL changes", "CloudWatch.11"],
  ["cis-4-12-NetworkGatewayChanges", "NetworkGatewayChanges", "4.12 Network gateway changes", "CloudWatch.12"],
  ["cis-4-13-RouteTableChanges", "RouteTableChanges", "4.13 Route table changes", "CloudWatch.13"],
  ["cis-4-14-VPCChanges", "VPCChanges", "4.14 VPC changes", "CloudWatch.14"],
  ["cis-4-15-OrganizationsChanges", "OrganizationsChanges", "4.15 AWS Organizations changes"],
];
const LOG_GROUP = "/orgwarden/cloudtrail";
const SINK = "aws:oam/sink:Sink";
const SINK_POLICY = "aws:oam/sinkPolicy:SinkPolicy";
const LINK = "aws:oam/link:Link";
const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";

describe.each(STACKS)("AuditDashboard (%s stack)", (stack) => {
  const x = EXPECTED[stack];
  const fn = `orgwarden-${stack}-audit-agent`;
  const topicArn = `arn:aws:sns:${x.home}:${x.securityId}:orgwarden-security-alerts`;
  /** As the mocks name it (harness/aws-mocks.ts: <type>/<name>); AWS gives sink/<id>. */
  const sinkArn = `arn:aws:oam:${x.home}:${x.securityId}:Sink/orgwarden-${stack}-monitoring`;
  let run: ProgramRun;
  beforeAll(async () => {
    run = await runStack(stack);
  });
  const body = () =>
    JSON.parse(one(run, "aws:cloudwatch/dashboard:Dashboard", "audit-dashboard-dashboard").inputs.dashboardBody);
  const alarmArn = (name: string, account: string) => `arn:aws:cloudwatch:${x.home}:${account}:alarm:${name}`;

  it("is one dashboard in the security account, home region", () => {
    const d = one(run, "aws:cloudwatch/dashboard:Dashboard", "audit-dashboard-dashboard");
    expect(d.provider).toBe(providerUrn(run, "security"));
    expect(d.parent).toBe(urnOf(run, "orgwarden:audit:AuditDashboard", "audit-dashboard"));
    expect(d.inputs.dashboardName).toBe(`orgwarden-${stack}-audit`);
    expect(run.outputs.auditDashboardName).toBe(`orgwarden-${stack}-audit`);
  });

  it("has exactly this body: the metrics over time, beside the agent's alarms and the CIS alarm states", () => {
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
              `The CIS metric filters and their alarms live in the management account ${x.mgmt}; it shares its \`CISBenchmark\` and \`AWS/Logs\` metrics (nothing else) with this account through CloudWatch cross-account observability, and the CIS alarms shown here evaluate them in this account with the same statistic, period and threshold (no actions: the management account's alarms notify). ` +
              `Their OK means something only while \`orgwarden-${stack}-cis-metrics-not-visible\` is OK: it is in ALARM when no trail event has reached the log group the filters read in the last hour, or this account cannot see that account's metrics.`,
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
              alarmArn(`${fn}-errors`, x.securityId),
              alarmArn(`${fn}-missed-run`, x.securityId),
              alarmArn(`${fn}-notification-failed`, x.securityId),
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
            title: "CIS monitoring alarms (management account's metrics, evaluated here)",
            alarms: [
              alarmArn(`orgwarden-${stack}-cis-metrics-not-visible`, x.securityId),
              ...CIS.map(([a]) => alarmArn(`orgwarden-${stack}-${a}`, x.securityId)),
            ],
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
            title: `CIS monitoring events (management account ${x.mgmt}, Sum per 5 minutes)`,
            region: x.home,
            view: "timeSeries",
            stat: "Sum",
            period: 300,
            metrics: [
              ...CIS.map(([, metric, label]) => ["CISBenchmark", metric, { accountId: x.mgmt, label }]),
              [
                "AWS/Logs",
                "IncomingLogEvents",
                "LogGroupName",
                LOG_GROUP,
                { accountId: x.mgmt, label: "trail events the filters read", yAxis: "right" },
              ],
            ],
            annotations: { horizontal: [{ label: "CIS alarm threshold", value: 1 }] },
            yAxis: { left: { min: 0, label: "CIS events" }, right: { min: 0, label: "trail events" } },
          },
        },
      ],
    });
  });

  it("graphs only metrics the agent emits (agent/telemetry.ts), and every one of them, besides the linked CIS ones", () => {
    const graphed = new Set<string>(
      body()
        .widgets.filter((w: { type: string }) => w.type === "metric")
        .flatMap((w: { properties: { metrics: string[][] } }) => w.properties.metrics)
        .filter((mm: string[]) => mm[0] === "orgwarden")
        .map((mm: string[]) => mm[1]),
    );
    expect([...graphed].sort()).toEqual(METRIC_DEFINITIONS.map((d) => d.name).sort());
  });

  it("shows alarms that the program creates: the agent's three, the visibility alarm and the 15 CIS view alarms", () => {
    const names = ofType(run, ALARM).map((r) => r.inputs.name as string);
    const shown = body()
      .widgets.filter((w: { type: string }) => w.type === "alarm")
      .flatMap((w: { properties: { alarms: string[] } }) => w.properties.alarms);
    expect(shown).toHaveLength(19);
    for (const a of shown) expect(names).toContain(a.split(":alarm:")[1]);
    // The management account's own 15 stay where they are.
    for (const [a] of CIS) expect(names).toContain(a);
  });

  it("the security account is the OAM monitoring account: one sink, whose policy admits the management account's metrics only", () => {
    const sink = one(run, SINK, "cis-metrics-sink-sink");
    expect(sink.provider).toBe(providerUrn(run, "security"));
    expect(sink.parent).toBe(urnOf(run, "orgwarden:audit:ObservabilitySink", "cis-metrics-sink"));
    expect(sink.inputs).toEqual({ name: `orgwarden-${stack}-monitoring` });
    const policy = one(run, SINK_POLICY, "cis-metrics-sink-policy");
    expect(policy.provider).toBe(providerUrn(run, "security"));
    expect(policy.inputs.sinkIdentifier).toBe(sinkArn);
    expect(doc(policy.inputs.policy)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "LinkTheManagementAccountsMetrics",
          Effect: "Allow",
          Principal: { AWS: [x.mgmt] },
          Action: ["oam:CreateLink", "oam:UpdateLink"],
          Resource: "*",
          Condition: { "ForAllValues:StringEquals": { "oam:ResourceTypes": ["AWS::CloudWatch::Metric"] } },
        },
      ],
    });
  });

  it("the management account links the CISBenchmark and AWS/Logs metrics, nothing else, after the sink policy admits it", () => {
    const link = one(run, LINK, "cis-metrics-link-link");
    expect(link.provider).toBe(providerUrn(run, "management"));
    expect(link.parent).toBe(urnOf(run, "orgwarden:audit:ObservabilityLink", "cis-metrics-link"));
    expect(link.inputs).toEqual({
      sinkIdentifier: sinkArn,
      labelTemplate: "$AccountName",
      resourceTypes: ["AWS::CloudWatch::Metric"],
      linkConfiguration: { metricConfiguration: { filter: "Namespace IN ('CISBenchmark', 'AWS/Logs')" } },
    });
    expect(link.dependencies).toContain(urnOf(run, SINK_POLICY, "cis-metrics-sink-policy"));
  });

  it("each CIS alarm is evaluated in the security account on the linked metric, as the management account's is, without actions", () => {
    const mgmtAlarm = (a: string) => ofType(run, ALARM).find((r) => r.inputs.name === a)!.inputs;
    CIS.forEach(([a, metric, label, securityHub]) => {
      const id = a.split("-").slice(1, 3).join("-");
      const view = one(run, ALARM, `audit-dashboard-cis-${id}-alarm`);
      expect(view.provider).toBe(providerUrn(run, "security"));
      expect(view.dependencies).toContain(urnOf(run, LINK, "cis-metrics-link-link"));
      const [cisId, ...title] = label.split(" ");
      expect(view.inputs).toEqual({
        name: `orgwarden-${stack}-${a}`,
        alarmDescription: `CIS ${cisId}${securityHub ? ` (${securityHub})` : ""}: ${title.join(" ")}. The management account ${x.mgmt}'s alarm ${a}, evaluated here on its linked metric CISBenchmark/${metric}; no actions (that alarm notifies)`,
        metricQueries: [
          {
            id: "events",
            accountId: x.mgmt,
            returnData: true,
            metric: { namespace: "CISBenchmark", metricName: metric, stat: "Sum", period: 300 },
          },
        ],
        evaluationPeriods: 1,
        threshold: 1,
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        treatMissingData: "notBreaching",
        actionsEnabled: false,
      });
      // The same rule as the management account's alarm on the same metric.
      const m = mgmtAlarm(a);
      expect([m.namespace, m.metricName, m.statistic, m.period, m.evaluationPeriods, m.threshold]).toEqual([
        "CISBenchmark",
        metric,
        "Sum",
        300,
        1,
        1,
      ]);
      expect([m.comparisonOperator, m.treatMissingData]).toEqual([
        view.inputs.comparisonOperator,
        view.inputs.treatMissingData,
      ]);
    });
  });

  it("one alarm says when the CIS view cannot be trusted: no trail event in the log group for an hour, or no metric visible (missing data breaches)", () => {
    const a = one(run, ALARM, "audit-dashboard-cis-visibility-alarm");
    expect(a.provider).toBe(providerUrn(run, "security"));
    expect(a.dependencies).toContain(urnOf(run, LINK, "cis-metrics-link-link"));
    expect(a.inputs).toEqual({
      name: `orgwarden-${stack}-cis-metrics-not-visible`,
      alarmDescription: `orgwarden: no CloudTrail event reached ${LOG_GROUP} (management account ${x.mgmt}) in the last hour, or this account cannot see that account's metrics (CloudWatch cross-account observability link); the CIS alarms of stack ${stack} shown here cannot be trusted while this is in ALARM`,
      metricQueries: [
        {
          id: "events",
          accountId: x.mgmt,
          returnData: true,
          metric: {
            namespace: "AWS/Logs",
            metricName: "IncomingLogEvents",
            dimensions: { LogGroupName: LOG_GROUP },
            stat: "Sum",
            period: 3600,
          },
        },
      ],
      evaluationPeriods: 1,
      threshold: 1,
      comparisonOperator: "LessThanThreshold",
      treatMissingData: "breaching",
      actionsEnabled: true,
      alarmActions: [topicArn],
      okActions: [topicArn],
    });
  });
});

describe("AuditDashboard: audit.dashboard.crossAccount=false", () => {
  let run: ProgramRun;
  beforeAll(async () => {
    run = await runStack("dev", { "audit.dashboard.crossAccount": "false" });
  });

  it("lays no sink, link or CIS view alarm, and the dashboard draws no CIS widget but says why", () => {
    const x = EXPECTED.dev;
    expect([...ofType(run, SINK), ...ofType(run, SINK_POLICY), ...ofType(run, LINK)]).toEqual([]);
    expect(ofType(run, ALARM).filter((r) => r.name.startsWith("audit-dashboard-"))).toEqual([]);
    const body = JSON.parse(
      one(run, "aws:cloudwatch/dashboard:Dashboard", "audit-dashboard-dashboard").inputs.dashboardBody,
    );
    expect(body.widgets.map((w: { properties: { title?: string } }) => w.properties.title ?? "text")).toEqual([
      "text",
      "Unwaived FAIL findings by severity",
      "Unwaived ERROR findings by severity (not checked)",
      "Waived findings by severity",
      "Accounts audited vs in the organization",
      "Newest CloudTrail delivery age (seconds)",
      "Runs",
      "Audit agent alarms",
    ]);
    expect(body.widgets[0].properties.markdown).toContain(
      `The CIS metric filters and their alarms live in the management account ${x.mgmt} and are not shown here: orgwarden:audit.dashboard.crossAccount is false, so that account shares no metrics with this one.`,
    );
  });
});
