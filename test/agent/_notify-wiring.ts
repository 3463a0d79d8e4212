/** The receiving end of the notifications in moto: an SQS queue subscribed to the topic, and one targeted by a rule on the bus. */
import {
  CreateEventBusCommand,
  EventBridgeClient,
  PutRuleCommand,
  PutTargetsCommand,
} from "@aws-sdk/client-eventbridge";
import { CreateTopicCommand, SNSClient, SubscribeCommand } from "@aws-sdk/client-sns";
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { EVENT_DETAIL_TYPE, EVENT_SOURCE } from "../../agent/notify";
import { MOTO_CREDENTIALS } from "../helpers/moto";
import { REGION } from "./collectors/_clients";

/** A topic with an SQS subscription and a bus whose rule (source + detail-type) targets another queue. */
export async function wireNotifications(endpoint: string) {
  const cfg = () => ({ endpoint, region: REGION, credentials: { ...MOTO_CREDENTIALS } });
  const sns = new SNSClient(cfg());
  const sqs = new SQSClient(cfg());
  const events = new EventBridgeClient(cfg());
  const queue = async (name: string) => {
    const url = (await sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
    const arn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["QueueArn"] })))
      .Attributes!.QueueArn!;
    return { url, arn };
  };
  const topicArn = (await sns.send(new CreateTopicCommand({ Name: "orgwarden-security-alerts" }))).TopicArn!;
  const alerts = await queue("alerts");
  await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: "sqs", Endpoint: alerts.arn }));
  const busArn = (await events.send(new CreateEventBusCommand({ Name: "orgwarden-security" }))).EventBusArn!;
  const audits = await queue("audit-events");
  await events.send(
    new PutRuleCommand({
      Name: "audit-completed",
      EventBusName: "orgwarden-security",
      EventPattern: JSON.stringify({ source: [EVENT_SOURCE], "detail-type": [EVENT_DETAIL_TYPE] }),
      State: "ENABLED",
    }),
  );
  await events.send(
    new PutTargetsCommand({
      Rule: "audit-completed",
      EventBusName: "orgwarden-security",
      Targets: [{ Id: "queue", Arn: audits.arn }],
    }),
  );
  const receive = async (url: string) =>
    (await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 })))
      .Messages ?? [];
  return {
    topicArn,
    busArn,
    alertMessages: () => receive(alerts.url),
    auditEvents: () => receive(audits.url),
    destroy: () => [sns, sqs, events].forEach((c) => c.destroy()),
  };
}
