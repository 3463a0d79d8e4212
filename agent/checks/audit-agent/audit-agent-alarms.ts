/**
 * audit-agent-alarms: each alarm infra lays on the agent's runs (failed invocation, unfinished
 * executions, missed run, failed notification; infra/audit-agent.ts, infra/audit-run-alarms.ts)
 * exists in the security account's home region, has its actions enabled and notifies the intended
 * topic, and watches the intended metric the way it was laid (metric, namespace, dimensions,
 * statistic and period, or the metric math; threshold, comparison, evaluation periods, missing data).
 */
import { isDeepStrictEqual } from "node:util";
import type { AgentAlarm, AuditManifest } from "../../../baseline";
import type { ObservedAlarm } from "../../collectors/audit-agent";
import type { CheckMetadata, Finding } from "../../finding";
import type { ObservedState } from "../../model";
import { agentSubject } from "../audit-agent-scope";
import { blocked, verdict } from "../common";

export const metadata: CheckMetadata = {
  id: "audit-agent-alarms",
  title:
    "The audit agent's alarms exist, have their actions enabled, notify the intended topic and watch what was laid",
  area: "audit-agent",
  severity: "MEDIUM",
  risk: "An alarm that is deleted, has its actions disabled, notifies another topic or watches another metric, threshold or period stays silent when a run fails, is cut off or sends nothing: the audit stops and nobody is told.",
  remediation: {
    console:
      "CloudWatch console (security account, home region) → Alarms → <alarm-name>: Actions → Enable actions; Edit → the metric, statistic, period and conditions as laid, notification to <agent-alarm-topic-arn>.",
    cli: "aws cloudwatch describe-alarms --alarm-names <alarm-name> --region <home-region>; aws cloudwatch enable-alarm-actions --alarm-names <alarm-name> --region <home-region>; the metric, threshold or action: run `pulumi up` (put-metric-alarm replaces every setting at once)",
    pulumi:
      "Run `pulumi up` on the orgwarden stack: infra/audit-agent.ts and infra/audit-run-alarms.ts lay the alarms (audit-agent-errors-alarm, audit-agent-executions-alarm, audit-agent-missed-run-alarm, audit-agent-notification-alarm) from baseline/audit-agent-deployment.ts and restore every setting.",
  },
  controls: [],
  references: [
    "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DescribeAlarms.html",
    "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html",
    "https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html",
  ],
};

export function alarmArn(region: string, account: string, name: string): string {
  return `arn:aws:cloudwatch:${region}:${account}:alarm:${name}`;
}

const text = (v: unknown) => (v === undefined ? "none" : typeof v === "object" ? JSON.stringify(v) : String(v));

function differs(problems: string[], what: string, have: unknown, want: unknown): void {
  if (!isDeepStrictEqual(have, want)) problems.push(`its ${what} is ${text(have)}, not ${text(want)}`);
}

/** The metric math by meaning: each intended metric under its id (the expression names them by id), and the expression it returns. */
function mathProblems(want: AgentAlarm, have: ObservedAlarm, problems: string[]): void {
  for (const m of want.metrics ?? []) {
    const q = have.metrics.find((x) => x.id === m.id && x.expression === undefined);
    if (!q) {
      problems.push(`it has no metric ${m.id} (${m.namespace} ${m.metricName})`);
      continue;
    }
    const seen = {
      namespace: q.namespace,
      metricName: q.metricName,
      dimensions: q.dimensions,
      period: q.period,
      stat: q.stat,
    };
    differs(problems, `metric ${m.id}`, seen, {
      namespace: m.namespace,
      metricName: m.metricName,
      dimensions: m.dimensions,
      period: m.period,
      stat: m.stat,
    });
  }
  const e = want.expression;
  if (!e) return;
  const q = have.metrics.find((x) => x.id === e.id);
  if (!q || q.expression !== e.expression || q.returnData === false)
    problems.push(
      `it does not return the expression ${e.id} = ${e.expression}${q?.expression ? ` (it has ${q.expression})` : ""}`,
    );
}

export function alarmProblems(want: AgentAlarm, have: ObservedAlarm): string[] {
  const problems: string[] = [];
  if (have.actionsEnabled !== true) problems.push("its actions are disabled, so it notifies nobody when it fires");
  const missing = want.alarmActions.filter((a) => !have.alarmActions.includes(a));
  if (missing.length > 0)
    problems.push(
      `it does not notify ${missing.join(", ")} in ALARM (its alarm actions: ${have.alarmActions.join(", ") || "none"})`,
    );
  const ok = (want.okActions ?? []).filter((a) => !have.okActions.includes(a));
  if (ok.length > 0)
    problems.push(
      `it does not notify ${ok.join(", ")} when it returns to OK (its OK actions: ${have.okActions.join(", ") || "none"})`,
    );
  if (want.metricName !== undefined) {
    differs(problems, "namespace", have.namespace, want.namespace);
    differs(problems, "metric", have.metricName, want.metricName);
    differs(problems, "dimensions", have.dimensions, want.dimensions);
    differs(problems, "statistic", have.statistic, want.statistic);
    differs(problems, "period", have.period, want.period);
  } else mathProblems(want, have, problems);
  differs(problems, "threshold", have.threshold, want.threshold);
  differs(problems, "comparison", have.comparisonOperator, want.comparisonOperator);
  differs(problems, "evaluation periods", have.evaluationPeriods, want.evaluationPeriods);
  // CloudWatch's default for an alarm laid without TreatMissingData is "missing".
  differs(problems, "missing-data treatment", have.treatMissingData ?? "missing", want.treatMissingData);
  return problems;
}

export function evaluate(observed: ObservedState, intended: AuditManifest): Finding[] {
  const { subject, findings } = agentSubject(
    metadata,
    observed,
    intended,
    (a, r) => alarmArn(r, a, "*"),
    "DescribeAlarms",
  );
  if (!subject) return findings;
  const { account, region } = subject;
  return subject.intent.alarms.map((want) => {
    const scope = { account, region, resourceArn: alarmArn(region, account, want.name) };
    const stop = blocked(metadata, observed, scope, want, subject.observed.alarms);
    if (stop) return stop;
    const have = subject.observed.alarms.ok
      ? subject.observed.alarms.value.find((a) => a.name === want.name)
      : undefined;
    if (!have)
      return verdict(
        metadata,
        scope,
        want,
        "absent",
        [
          `the alarm ${want.name} does not exist in ${account}/${region}, so what it watches alarms nobody; run \`pulumi up\``,
        ],
        "",
      );
    return verdict(
      metadata,
      scope,
      want,
      have,
      ((p) => (p.length > 0 ? [`alarm ${want.name}: ${p.join("; ")}`] : []))(alarmProblems(want, have)),
      `The alarm ${want.name} has its actions enabled, notifies ${want.alarmActions.join(", ")} and watches what was laid.`,
    );
  });
}
