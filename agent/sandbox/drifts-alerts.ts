/** Drifts of the alert pipeline (topics, central bus, forwarding rules), for the scenario tests. */
import {
  DisableRuleCommand,
  EventBridgeClient,
  PutPermissionCommand,
  PutRuleCommand,
  PutTargetsCommand,
} from "@aws-sdk/client-eventbridge";
import { SetTopicAttributesCommand, SNSClient } from "@aws-sdk/client-sns";
import { minify } from "../../baseline";
import type { PolicyDocument } from "../../baseline";
import { pipelineIntentOf } from "../collectors/detection-pipeline";
import { SANDBOX } from "./layout";
import type { Sandbox } from "./seed";

export type AlertDrift =
  /** The security-alerts topic's policy also lets anyone publish and subscribe. */
  | { kind: "alert-topic-public" }
  /** The central bus's policy lets anyone put events (no aws:PrincipalOrgID). */
  | { kind: "event-bus-public" }
  /** The central GuardDuty rule matches CRITICAL findings only (severity ≥ 9). */
  | { kind: "central-rule-narrowed" }
  | { kind: "forwarding-rule-disabled"; account: string; region: string }
  /** The findings rule sends to a bus of an account outside the organization. */
  | { kind: "forwarding-rule-retargeted"; account: string; region: string };

function intentOf(sb: Sandbox) {
  const i = pipelineIntentOf(sb.manifest);
  if (!i)
    throw new Error("the sandbox manifest has no detectionPipeline: it was not seeded by seedSandboxOrganization");
  return i;
}

const withStatement = (doc: PolicyDocument, s: PolicyDocument["Statement"][number]) =>
  minify({ ...doc, Statement: [...doc.Statement, s] });

export async function applyAlertDrift(sb: Sandbox, d: AlertDrift): Promise<void> {
  const i = intentOf(sb);
  switch (d.kind) {
    case "alert-topic-public": {
      const t = i.topics[0];
      const sns = await sb.session.client(SNSClient, t.accountId, t.region);
      const open = {
        Sid: "Everyone",
        Effect: "Allow" as const,
        Principal: "*" as const,
        Action: ["sns:Publish", "sns:Subscribe"],
        Resource: t.arn,
      };
      await sns.send(
        new SetTopicAttributesCommand({
          TopicArn: t.arn,
          AttributeName: "Policy",
          AttributeValue: withStatement(t.policy, open),
        }),
      );
      return;
    }
    case "event-bus-public": {
      const ev = await sb.session.client(EventBridgeClient, i.bus.accountId, i.bus.region);
      const open = {
        Sid: "AnyonePutEvents",
        Effect: "Allow" as const,
        Principal: "*" as const,
        Action: "events:PutEvents",
        Resource: i.bus.arn,
      };
      await ev.send(new PutPermissionCommand({ EventBusName: i.bus.name, Policy: withStatement(i.bus.policy, open) }));
      return;
    }
    case "central-rule-narrowed": {
      const r = i.centralRules[0];
      const ev = await sb.session.client(EventBridgeClient, i.bus.accountId, i.bus.region);
      const narrowed = { ...r.pattern, detail: { severity: [{ numeric: [">=", 9] }] } };
      await ev.send(
        new PutRuleCommand({
          Name: r.name,
          EventBusName: i.bus.name,
          EventPattern: JSON.stringify(narrowed),
          State: "ENABLED",
        }),
      );
      return;
    }
    case "forwarding-rule-disabled": {
      const ev = await sb.session.client(EventBridgeClient, d.account, d.region);
      await ev.send(new DisableRuleCommand({ Name: i.forwardingRules(d.account)[0].name }));
      return;
    }
    case "forwarding-rule-retargeted": {
      const r = i.forwardingRules(d.account)[0];
      const ev = await sb.session.client(EventBridgeClient, d.account, d.region);
      const foreign = `arn:aws:events:${i.bus.region}:${SANDBOX.outsiderAccount}:event-bus/collector`;
      await ev.send(
        new PutTargetsCommand({ Rule: r.name, Targets: [{ Id: r.targetId, Arn: foreign, RoleArn: r.roleArn }] }),
      );
      return;
    }
  }
}
