import type { AuditManifest } from "../../../baseline";
import type { CheckMetadata, Finding } from "../../finding";
import type { ObservedState } from "../../model";
import { blocked, errorFinding, verdict, type CheckContext, type Scope } from "../common";
import { evaluateCells, type DetectionCell } from "../scope";
import { isFinding, judgeRule, pipelineIntentOrFinding } from "../alert-pipeline-intent";

export const metadata: CheckMetadata = {
  id: "event-forwarding-rules",
  title:
    "In every account and governed region the forwarding rules are ENABLED, match the baseline's patterns and send to the central bus as the forwarder role",
  area: "detection-pipeline",
  severity: "HIGH",
  risk: "Each account's findings and CIS-monitored changes reach the security account only through these rules: a disabled, narrowed or deleted rule blinds the central alerts for that account and region, and a rule sent elsewhere hands its findings to someone else.",
  remediation: {
    console:
      "Amazon EventBridge console (account <account>, region <region>) → Rules, default bus → <rule>: Enable; event pattern as the baseline's; target the event bus <central-bus-arn> with the role <forwarder-role-arn>.",
    cli: "aws events enable-rule --region <region> --name <rule>; aws events put-targets --region <region> --rule <rule> --targets Id=central-bus,Arn=<central-bus-arn>,RoleArn=<forwarder-role-arn>; or update the StackSet's stack instance of <account>/<region>: aws cloudformation update-stack-instances --region <home-region> --stack-set-name <stack-set> --accounts <account> --regions <region>",
    pulumi:
      "The rules are the member baseline's AWS::Events::Rule resources (the member-baseline StackSet, or the direct stack in the management account); run `pulumi up` on stack <stack>, and update the stack instance of <account>/<region> if it has drifted.",
  },
  controls: [],
  references: [
    "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cross-account.html",
    "https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_DescribeRule.html",
    "https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_ListTargetsByRule.html",
  ],
};

type Intent = Exclude<ReturnType<typeof pipelineIntentOrFinding>, Finding>;
type WantedRule = ReturnType<Intent["forwardingRules"]>[number];

function notCollected(scope: Scope, want: WantedRule, message: string): Finding {
  return errorFinding(
    metadata,
    scope,
    { name: "NotCollected", operation: "DescribeRule", service: "events", message },
    want,
  );
}

/** One forwarding rule of one account × region against the baseline's. */
function judgeForwardingRule(observed: ObservedState, cell: DetectionCell, want: WantedRule): Finding {
  const scope = {
    account: cell.account,
    region: cell.region,
    resourceArn: `arn:aws:events:${cell.region}:${cell.account}:rule/${want.name}`,
    key: `rule:${want.name}`,
  };
  const rules = cell.entry.forwardingRules;
  if (!rules)
    return notCollected(scope, want, `the forwarding rules of ${cell.account}/${cell.region} were not collected`);
  const stop = blocked(metadata, observed, scope, want, rules);
  if (stop) return stop;
  const o = (rules.ok ? rules.value : []).find((r) => r.name === want.name);
  if (!o) return notCollected(scope, want, `the rule ${want.name} of ${cell.account}/${cell.region} was not collected`);
  const stop2 = blocked(metadata, observed, scope, want, o.rule, o.targets);
  if (stop2) return stop2;
  const where = `forwarding rule ${want.name} of account ${cell.account} in ${cell.region}`;
  const v = judgeRule(o, want, where);
  const f = verdict(
    metadata,
    scope,
    want,
    { rule: o.rule.ok ? o.rule.value : undefined, targets: o.targets.ok ? o.targets.value : [] },
    v.problems,
    `Forwarding rule ${want.name} of account ${cell.account} in ${cell.region} is ENABLED, matches the baseline's pattern and sends to ${want.targetArn} as ${want.roleArn}.`,
  );
  return v.retargeted && f.status === "FAIL" ? { ...f, severity: "CRITICAL" } : f;
}

export function evaluate(observed: ObservedState, intended: AuditManifest, _ctx: CheckContext): Finding[] {
  const i = pipelineIntentOrFinding(metadata, intended);
  if (isFinding(i)) return [i];
  const summary = { centralBusArn: i.bus.arn, rules: i.forwardingRules("<account>").map((r) => r.name) };
  return evaluateCells(
    metadata,
    observed,
    intended,
    summary,
    (cell) => i.forwardingRules(cell.account).map((want) => judgeForwardingRule(observed, cell, want)),
    { memberBaseline: "its forwarding rules" },
  );
}
