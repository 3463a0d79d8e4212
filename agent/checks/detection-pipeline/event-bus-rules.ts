import type { AuditManifest } from "../../../baseline";
import type { CheckMetadata, Finding } from "../../finding";
import type { ObservedState } from "../../model";
import { blocked, errorFinding, verdict, type CheckContext } from "../common";
import { isFinding, judgeRule, pipelineIntentOrFinding } from "../alert-pipeline-intent";

export const metadata: CheckMetadata = {
  id: "event-bus-rules",
  title:
    "The central bus's rules are ENABLED, match the baseline's event patterns and send to the security-alerts topic",
  area: "detection-pipeline",
  severity: "HIGH",
  risk: "These rules turn the organization's HIGH and CRITICAL findings and CIS-monitored changes into alerts: a disabled rule, a narrowed pattern or a changed target silences exactly the alerts that need a human, while the findings still arrive on the bus.",
  remediation: {
    console:
      "Amazon EventBridge console (security account <account>, region <region>) → Rules, event bus <central-bus> → <rule>: Enable; event pattern and target (SNS topic <security-alerts-topic-arn>) as the baseline's.",
    cli: "aws events enable-rule --region <region> --event-bus-name <central-bus> --name <rule>; aws events list-targets-by-rule --region <region> --event-bus-name <central-bus> --rule <rule>; aws events put-targets --region <region> --event-bus-name <central-bus> --rule <rule> --targets Id=alert-topic,Arn=<security-alerts-topic-arn>",
    pulumi:
      "infra/detection/central-bus.ts lays the rules (aws.cloudwatch.EventRule) and their targets from baseline/detection/alert-pipeline.ts centralBusRoutes(); run `pulumi up` on stack <stack>.",
  },
  controls: [],
  references: [
    "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html",
    "https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_DescribeRule.html",
    "https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_ListTargetsByRule.html",
  ],
};

export function evaluate(observed: ObservedState, intended: AuditManifest, _ctx: CheckContext): Finding[] {
  const i = pipelineIntentOrFinding(metadata, intended);
  if (isFinding(i)) return [i];
  const b = observed.detectionPipeline?.bus;
  return i.centralRules.map((want) => {
    const scope = { account: i.bus.accountId, region: i.bus.region, resourceArn: i.bus.arn, key: `rule:${want.name}` };
    const o = b?.rules.find((r) => r.name === want.name);
    if (!b || !o)
      return errorFinding(
        metadata,
        scope,
        {
          name: "NotCollected",
          operation: "DescribeRule",
          service: "events",
          message: `the observed state holds no reading of the rule ${want.name}`,
        },
        want,
      );
    const stop = blocked(metadata, observed, scope, want, b.bus, o.rule, o.targets);
    if (stop) return stop;
    if (b.bus.ok && !b.bus.value)
      return verdict(
        metadata,
        scope,
        want,
        null,
        [`the central bus ${i.bus.arn} does not exist, so neither does its rule ${want.name}`],
        "",
      );
    const v = judgeRule(o, want, `rule ${want.name} on the central bus`);
    const f = verdict(
      metadata,
      scope,
      want,
      { rule: o.rule.ok ? o.rule.value : undefined, targets: o.targets.ok ? o.targets.value : [] },
      v.problems,
      `Rule ${want.name} on the central bus is ENABLED, matches the baseline's pattern and sends to ${want.targetArn} only.`,
    );
    return v.retargeted && f.status === "FAIL" ? { ...f, severity: "CRITICAL" } : f;
  });
}
