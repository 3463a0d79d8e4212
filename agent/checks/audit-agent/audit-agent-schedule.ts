/**
 * audit-agent-schedule: the EventBridge rule that starts the nightly audit (security account, home
 * region; infra/audit-agent.ts) exists, is ENABLED, fires on the intended expression, and has the
 * intended target: the state machine (started as the schedule role, with the plan's input) or the
 * single function. Without it no report is written and, until the missed-run alarm fires, nobody
 * is told. A run started another way (the CLI, a manual execution) sees it.
 */
import { isDeepStrictEqual } from "node:util";
import { eventRuleArn, type AuditManifest } from "../../../baseline";
import type { CheckMetadata, Finding } from "../../finding";
import type { ObservedState } from "../../model";
import { agentSubject } from "../audit-agent-scope";
import { blocked, verdict } from "../common";

export const metadata: CheckMetadata = {
  id: "audit-agent-schedule",
  title: "The audit agent's schedule rule is enabled, fires as intended and starts the agent",
  area: "audit-agent",
  severity: "HIGH",
  risk: "A disabled, deleted, rescheduled or retargeted schedule starts no nightly audit: no report is written and drift goes unseen until someone notices the silence (the missed-run alarm is the only one told).",
  remediation: {
    console:
      "Amazon EventBridge console (security account, home region) → Rules (default bus) → <agent-rule>: Enable; Edit → schedule <agent-schedule-expression>; Targets → the one target <agent-target-arn> (for the state machine: execution role <agent-target-role-arn>, constant input {}).",
    cli: "aws events describe-rule --name <agent-rule> --region <home-region>; aws events put-rule --name <agent-rule> --schedule-expression '<agent-schedule-expression>' --state ENABLED --region <home-region>; aws events put-targets --rule <agent-rule> --region <home-region> --targets '<agent-targets-json>'",
    pulumi:
      "Run `pulumi up` on the orgwarden stack: infra/audit-agent.ts lays the rule (audit-agent-schedule) and its target (audit-agent-states-target or audit-agent-target), and restores the state, the expression and the target.",
  },
  controls: [],
  references: [
    "https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_DescribeRule.html",
    "https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_ListTargetsByRule.html",
    "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-rule-schedule.html",
  ],
};

/** A target's input by meaning: the same JSON however it is spaced; absent stays absent. */
function inputOf(input: string | undefined): unknown {
  if (input === undefined) return undefined;
  try {
    return JSON.parse(input);
  } catch {
    return input;
  }
}

export function evaluate(observed: ObservedState, intended: AuditManifest): Finding[] {
  const { subject, findings } = agentSubject(
    metadata,
    observed,
    intended,
    (a, r) => eventRuleArn(r, a, intended.auditAgent?.schedule.ruleName ?? "*"),
    "DescribeRule",
  );
  if (!subject) return findings;
  const want = subject.intent.schedule;
  const scope = {
    account: subject.account,
    region: subject.region,
    resourceArn: eventRuleArn(subject.region, subject.account, want.ruleName),
  };
  const read = subject.observed.schedule;
  const stop = blocked(metadata, observed, scope, want, read.rule, read.targets);
  if (stop) return [stop];
  const rule = read.rule.ok ? read.rule.value : undefined;
  const targets = read.targets.ok ? read.targets.value : [];
  if (!rule)
    return [
      verdict(
        metadata,
        scope,
        want,
        "absent",
        [
          `the rule ${want.ruleName} does not exist on the default bus of ${subject.account} in ${subject.region}, so no scheduled audit runs; run \`pulumi up\``,
        ],
        "",
      ),
    ];
  const problems: string[] = [];
  if (rule.state !== "ENABLED")
    problems.push(`the rule ${want.ruleName} is ${rule.state ?? "in no state"}, not ENABLED, so it starts no audit`);
  if (rule.scheduleExpression !== want.expression)
    problems.push(
      `it fires on ${rule.scheduleExpression ?? "no schedule expression"}, not the intended ${want.expression} (audit.schedule)`,
    );
  const t = want.target;
  const target = targets.find((x) => x.arn === t.arn);
  if (!target)
    problems.push(
      `none of its targets (${targets.map((x) => x.arn ?? x.id).join(", ") || "none"}) is the intended ${t.arn}, so the rule starts no audit`,
    );
  else {
    if (t.roleArn !== undefined && target.roleArn !== t.roleArn)
      problems.push(
        `it starts ${t.arn} as ${target.roleArn ?? "no role"}, not the schedule role ${t.roleArn} (only that role may start the state machine)`,
      );
    if (!isDeepStrictEqual(inputOf(target.input), inputOf(t.input)))
      problems.push(
        `its target's input is ${target.input ?? "the scheduled event"}, not ${t.input ?? "the scheduled event"} (the plan's input decides what the run audits)`,
      );
  }
  const have = { state: rule.state, scheduleExpression: rule.scheduleExpression, targets };
  return [
    verdict(
      metadata,
      scope,
      want,
      have,
      problems,
      `The rule ${want.ruleName} is ENABLED, fires on ${want.expression} and starts ${t.arn}${t.roleArn ? ` as ${t.roleArn}` : ""}.`,
    ),
  ];
}
