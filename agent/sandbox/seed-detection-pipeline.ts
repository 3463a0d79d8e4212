/**
 * The alert pipeline as infra/detection/ lays it, from baseline/detection/alert-pipeline.ts: each
 * alert topic with its own key, its policy and its e-mail subscription; the central bus in the
 * security account with its policy and its rules to the security-alerts topic; and the member
 * baseline's forwarding rules in every account × governed region. Moto confirms e-mail
 * subscriptions at once (PendingConfirmation is judged in the check's unit test).
 */
import { CreateKeyCommand, KMSClient } from "@aws-sdk/client-kms";
import { CreateTopicCommand, SetTopicAttributesCommand, SNSClient, SubscribeCommand } from "@aws-sdk/client-sns";
import {
  CreateEventBusCommand,
  EventBridgeClient,
  PutPermissionCommand,
  PutRuleCommand,
  PutTargetsCommand,
} from "@aws-sdk/client-eventbridge";
import { minify, roleArn } from "../../baseline";
import {
  alertKeyPolicy,
  detectionPipelineArea,
  pipelineIntent,
  type DetectionPipelineManifest,
  type PipelineAccounts,
  type RuleIntent,
} from "../../baseline/detection";
import type { SandboxSession } from "./session";

export interface PipelineSeedTarget extends PipelineAccounts {
  namePrefix: string;
  agentRoleName: string;
  emails: string[];
  /** Every account the member baseline reaches, and the governed regions. */
  accounts: string[];
  regions: string[];
  /** The topics' keys when already laid (seed-keys.ts lays every baseline key with its alias): none is created then. */
  keyArns?: { "security-alerts": string; "cis-alarms": string };
}

async function putRule(ev: EventBridgeClient, r: RuleIntent, busName?: string): Promise<void> {
  await ev.send(
    new PutRuleCommand({
      Name: r.name,
      EventBusName: busName,
      EventPattern: JSON.stringify(r.pattern),
      State: "ENABLED",
    }),
  );
  await ev.send(
    new PutTargetsCommand({
      Rule: r.name,
      EventBusName: busName,
      Targets: [{ Id: r.targetId, Arn: r.targetArn, ...(r.roleArn ? { RoleArn: r.roleArn } : {}) }],
    }),
  );
}

export async function seedDetectionPipeline(
  session: SandboxSession,
  t: PipelineSeedTarget,
): Promise<DetectionPipelineManifest> {
  const agentRoleArn = roleArn(t.securityAccountId, t.agentRoleName);
  const keyArns: Record<string, string> = { ...t.keyArns };
  for (const [role, account, publishers] of [
    ["security-alerts", t.securityAccountId, [agentRoleArn]],
    ["cis-alarms", t.managementAccountId, []],
  ] as const) {
    if (keyArns[role]) continue;
    const kms = await session.client(KMSClient, account, t.homeRegion);
    const key = await kms.send(
      new CreateKeyCommand({
        Description: `Encrypts the ${t.namePrefix}-${role} alert topic`,
        Policy: minify(
          alertKeyPolicy({ accountId: account, region: t.homeRegion, publisherRoleArns: [...publishers] }),
        ),
      }),
    );
    if (!key.KeyMetadata?.Arn) throw new Error(`CreateKey for the ${role} topic returned no key ARN`);
    keyArns[role] = key.KeyMetadata.Arn;
    session.inventory.lay(
      "aws:kms/key:Key",
      role === "cis-alarms" ? "detection-cis-alarms-topic-key" : "detection-security-alerts-key",
    );
  }
  const base = {
    namePrefix: t.namePrefix,
    agentRoleName: t.agentRoleName,
    keyArns: { "security-alerts": keyArns["security-alerts"], "cis-alarms": keyArns["cis-alarms"] },
    emails: t.emails,
  };
  const i = pipelineIntent(base, t);
  for (const topic of i.topics) {
    const sns = await session.client(SNSClient, topic.accountId, topic.region);
    await sns.send(new CreateTopicCommand({ Name: topic.name }));
    // The CIS topic may exist already (seed-cis.ts): its attributes are set either way.
    await sns.send(
      new SetTopicAttributesCommand({
        TopicArn: topic.arn,
        AttributeName: "KmsMasterKeyId",
        AttributeValue: topic.keyArn,
      }),
    );
    await sns.send(
      new SetTopicAttributesCommand({
        TopicArn: topic.arn,
        AttributeName: "Policy",
        AttributeValue: minify(topic.policy),
      }),
    );
    for (const email of topic.emails)
      await sns.send(new SubscribeCommand({ TopicArn: topic.arn, Protocol: "email", Endpoint: email }));
    // infra's names (infra/detection/detection-baseline.ts): AlertTopic "detection-security-alerts" and "detection-cis-alarms-topic".
    const component = topic.role === "cis-alarms" ? "detection-cis-alarms-topic" : "detection-security-alerts";
    session.inventory.lay("aws:sns/topic:Topic", `${component}-topic`);
    session.inventory.lay("aws:sns/topicPolicy:TopicPolicy", `${component}-policy`);
    if (topic.emails.length > 0)
      session.inventory.lay("aws:sns/topicSubscription:TopicSubscription", `${component}-email-*`);
  }
  const central = await session.client(EventBridgeClient, i.bus.accountId, i.bus.region);
  await central.send(new CreateEventBusCommand({ Name: i.bus.name }));
  session.inventory.lay("aws:cloudwatch/eventBus:EventBus", "detection-central-bus-bus");
  await central.send(new PutPermissionCommand({ EventBusName: i.bus.name, Policy: minify(i.bus.policy) }));
  session.inventory.lay("aws:cloudwatch/eventBusPolicy:EventBusPolicy", "detection-central-bus-policy");
  for (const r of i.centralRules) await putRule(central, r, i.bus.name);
  session.inventory.lay("aws:cloudwatch/eventRule:EventRule", "detection-central-bus-*");
  session.inventory.lay("aws:cloudwatch/eventTarget:EventTarget", "detection-central-bus-*-target");
  for (const account of t.accounts) await seedForwardingRules(session, i, account, t.regions);
  return detectionPipelineArea(base, t);
}

/** The member baseline's forwarding rules in one account, in each region (as the StackSet lays them). */
export async function seedForwardingRules(
  session: SandboxSession,
  i: Pick<ReturnType<typeof pipelineIntent>, "forwardingRules">,
  account: string,
  regions: string[],
): Promise<void> {
  for (const region of regions) {
    const ev = await session.client(EventBridgeClient, account, region);
    for (const r of i.forwardingRules(account)) await putRule(ev, r);
  }
}
