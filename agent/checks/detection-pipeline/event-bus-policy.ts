import type { AuditManifest } from "../../../baseline";
import type { CheckMetadata, Finding } from "../../finding";
import type { ObservedState } from "../../model";
import { blocked, errorFinding, finding, verdict, type CheckContext } from "../common";
import { policyDriftFindings, trustedPrincipals } from "../policy-drift";
import { isFinding, parsedPolicy, pipelineIntentOrFinding } from "../alert-pipeline-intent";

export const metadata: CheckMetadata = {
  id: "event-bus-policy",
  title:
    "The central event bus exists and only the organization may put events on it (only the audit agent as orgwarden.audit)",
  area: "detection-pipeline",
  severity: "HIGH",
  risk: "Every member account forwards its findings and CIS events to this bus: without it (or without its policy) the forwarded events are refused and the central alerts go silent; a policy wider than the organization lets anyone inject forged findings or bury real ones in noise, and without the audit-source deny any principal of the organization can pose as the audit.",
  remediation: {
    console:
      "Amazon EventBridge console (security account <account>, region <region>) → Event buses → <central-bus> → Permissions: the baseline's resource-based policy (the intended document).",
    cli: "aws events put-permission --region <region> --event-bus-name <central-bus> --policy file://<intended-file>; aws events describe-event-bus --region <region> --name <central-bus>",
    pulumi:
      "infra/detection/central-bus.ts lays the bus and its policy (aws.cloudwatch.EventBusPolicy) in the security account; run `pulumi up` on stack <stack>.",
    document: "event-bus-policy",
  },
  controls: [],
  references: [
    "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-bus-perms.html",
    "https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_DescribeEventBus.html",
  ],
};

export function evaluate(observed: ObservedState, intended: AuditManifest, _ctx: CheckContext): Finding[] {
  const i = pipelineIntentOrFinding(metadata, intended);
  if (isFinding(i)) return [i];
  const scope = { account: i.bus.accountId, region: i.bus.region, resourceArn: i.bus.arn };
  const b = observed.detectionPipeline?.bus;
  if (!b || b.name !== i.bus.name)
    return [
      errorFinding(
        metadata,
        scope,
        {
          name: "NotCollected",
          operation: "DescribeEventBus",
          service: "events",
          message: `the observed state holds no reading of the bus ${i.bus.name}`,
        },
        i.bus.policy,
      ),
    ];
  const stop = blocked(metadata, observed, scope, i.bus.policy, b.bus);
  if (stop) return [stop];
  const bus = b.bus.ok ? b.bus.value : undefined;
  if (!bus)
    return [
      verdict(
        metadata,
        scope,
        i.bus.policy,
        null,
        [`the central bus ${i.bus.arn} does not exist: every account's forwarded findings and CIS events are lost`],
        "",
      ),
    ];
  const doc = parsedPolicy(bus.policy);
  if (typeof doc === "string")
    return [
      finding(metadata, scope, {
        status: "FAIL",
        intended: i.bus.policy,
        observed: bus.policy ?? null,
        message: `The central bus ${i.bus.arn} ${doc}: no member account can put events on it, so their forwarded findings and CIS events are refused. Restore the baseline's policy.`,
      }),
    ];
  return policyDriftFindings(
    metadata,
    scope,
    `The policy of the central bus ${i.bus.arn}`,
    i.bus.policy,
    doc,
    trustedPrincipals(observed, intended),
  );
}
