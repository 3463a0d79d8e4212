/**
 * The alert pipeline as it is: the two alert topics (attributes and subscriptions), the central
 * bus (its policy) and its rules with their targets, read once by the plan; and the forwarding
 * rules of one account × region, read per batch. Every rule is read by its intended name
 * (DescribeRule), so the read role needs no ListRules and nothing beyond the baseline's resources.
 */
import {
  DescribeEventBusCommand,
  DescribeRuleCommand,
  EventBridgeClient,
  ListTargetsByRuleCommand,
} from "@aws-sdk/client-eventbridge";
import { GetTopicAttributesCommand, paginateListSubscriptionsByTopic, SNSClient } from "@aws-sdk/client-sns";
import type { AuditManifest } from "../../baseline";
import { pipelineIntent, type PipelineIntent, type TopicIntent } from "../../baseline/detection";
import type { CollectRuntime, Task } from "./index";
import { failed, type Collected, type CollectError } from "../model";
import { attempt, attemptOrAbsent, drain } from "./common";

export interface ObservedSubscription {
  subscriptionArn: string;
  protocol?: string;
  endpoint?: string;
}
export interface ObservedTopic {
  role: TopicIntent["role"];
  arn: string;
  account: string;
  region: string;
  /** undefined when no topic of that ARN exists. */
  attributes: Collected<{ kmsMasterKeyId?: string; policy?: string } | undefined>;
  /** Only read when the topic exists. */
  subscriptions: Collected<ObservedSubscription[]>;
}
export interface ObservedTarget {
  id: string;
  arn?: string;
  roleArn?: string;
  /** The target's constant JSON input, when it has one (the audit state machine's plan input). */
  input?: string;
}
export interface ObservedRule {
  name: string;
  /** undefined when no rule of that name exists on the bus. */
  rule: Collected<{ state?: string; eventPattern?: string; arn?: string; scheduleExpression?: string } | undefined>;
  /** Only read when the rule exists. */
  targets: Collected<ObservedTarget[]>;
}
export interface ObservedEventBus {
  name: string;
  account: string;
  region: string;
  /** undefined when the bus does not exist; `policy` undefined when it has none. */
  bus: Collected<{ arn?: string; policy?: string } | undefined>;
  rules: ObservedRule[];
}
export interface ObservedDetectionPipeline {
  topics: ObservedTopic[];
  bus: ObservedEventBus;
}

const SNS_ABSENT = ["NotFoundException", "NotFound"];
const EVENTS_ABSENT = ["ResourceNotFoundException"];

export async function collectTopic(sns: SNSClient, t: TopicIntent): Promise<ObservedTopic> {
  const scope = { service: "sns", account: t.accountId, region: t.region };
  const attributes = await attemptOrAbsent({ ...scope, operation: "GetTopicAttributes" }, SNS_ABSENT, async () => {
    const r = await sns.send(new GetTopicAttributesCommand({ TopicArn: t.arn }));
    const a = r.Attributes ?? {};
    return { kmsMasterKeyId: a.KmsMasterKeyId || undefined, policy: a.Policy || undefined };
  });
  const subscriptions: Collected<ObservedSubscription[]> =
    attributes.ok && attributes.value
      ? await attempt({ ...scope, operation: "ListSubscriptionsByTopic" }, () =>
          drain(paginateListSubscriptionsByTopic({ client: sns }, { TopicArn: t.arn }), (p) =>
            p.Subscriptions?.map((s) => ({
              subscriptionArn: s.SubscriptionArn ?? "",
              protocol: s.Protocol,
              endpoint: s.Endpoint,
            })),
          ),
        )
      : { ok: true, value: [] };
  return { role: t.role, arn: t.arn, account: t.accountId, region: t.region, attributes, subscriptions };
}

async function listTargets(
  ev: EventBridgeClient,
  rule: string,
  busName: string | undefined,
): Promise<ObservedTarget[]> {
  const out: ObservedTarget[] = [];
  let token: string | undefined;
  do {
    const r = await ev.send(new ListTargetsByRuleCommand({ Rule: rule, EventBusName: busName, NextToken: token }));
    for (const t of r.Targets ?? [])
      out.push({
        id: t.Id ?? "",
        arn: t.Arn,
        roleArn: t.RoleArn,
        ...(t.Input !== undefined ? { input: t.Input } : {}),
      });
    token = r.NextToken;
  } while (token);
  return out;
}

/** Each named rule of a bus (busName undefined: the account's default bus) and its targets. */
export async function collectRules(
  ev: EventBridgeClient,
  account: string,
  region: string,
  busName: string | undefined,
  names: string[],
): Promise<ObservedRule[]> {
  const scope = { service: "events", account, region };
  return Promise.all(
    names.map(async (name): Promise<ObservedRule> => {
      const rule = await attemptOrAbsent({ ...scope, operation: "DescribeRule" }, EVENTS_ABSENT, async () => {
        const r = await ev.send(new DescribeRuleCommand({ Name: name, EventBusName: busName }));
        return {
          state: r.State,
          eventPattern: r.EventPattern,
          arn: r.Arn,
          // A scheduled rule (the audit agent's) has an expression instead of a pattern.
          ...(r.ScheduleExpression ? { scheduleExpression: r.ScheduleExpression } : {}),
        };
      });
      const targets: Collected<ObservedTarget[]> =
        rule.ok && rule.value
          ? await attempt({ ...scope, operation: "ListTargetsByRule" }, () => listTargets(ev, name, busName))
          : { ok: true, value: [] };
      return { name, rule, targets };
    }),
  );
}

export async function collectCentralBus(ev: EventBridgeClient, i: PipelineIntent): Promise<ObservedEventBus> {
  const b = i.bus;
  const bus = await attemptOrAbsent(
    { service: "events", operation: "DescribeEventBus", account: b.accountId, region: b.region },
    EVENTS_ABSENT,
    async () => {
      const r = await ev.send(new DescribeEventBusCommand({ Name: b.name }));
      return { arn: r.Arn, policy: r.Policy || undefined };
    },
  );
  const rules =
    bus.ok && bus.value
      ? await collectRules(
          ev,
          b.accountId,
          b.region,
          b.name,
          i.centralRules.map((r) => r.name),
        )
      : i.centralRules.map((r) => ({
          name: r.name,
          rule: bus.ok ? { ok: true as const, value: undefined } : bus,
          targets: { ok: true as const, value: [] },
        }));
  return { name: b.name, account: b.accountId, region: b.region, bus, rules };
}

export function unreadableTopic(t: TopicIntent, e: CollectError): ObservedTopic {
  return {
    role: t.role,
    arn: t.arn,
    account: t.accountId,
    region: t.region,
    attributes: failed(e),
    subscriptions: failed(e),
  };
}

export function unreadableBus(i: PipelineIntent, e: CollectError): ObservedEventBus {
  const b = i.bus;
  return {
    name: b.name,
    account: b.accountId,
    region: b.region,
    bus: failed(e),
    rules: i.centralRules.map((r) => ({ name: r.name, rule: failed(e), targets: failed(e) })),
  };
}

export function unreadableRules(names: string[], e: CollectError): ObservedRule[] {
  return names.map((name) => ({ name, rule: failed(e), targets: failed(e) }));
}

/** The pipeline's intent from the manifest's detectionPipeline area, or undefined when the manifest has none. */
export function pipelineIntentOf(m: AuditManifest): PipelineIntent | undefined {
  const area = m.detectionPipeline;
  if (!area) return undefined;
  const o = m.organization;
  return pipelineIntent(area, {
    orgId: o.id,
    homeRegion: m.regions.home,
    managementAccountId: o.managementAccountId,
    securityAccountId: o.securityAccountId,
  });
}

type Exec = <T>(t: Task<T>) => Promise<T>;

/** The plan's reads: each topic in its account, the bus and its rules in the security account. */
export async function detectionPipelineTask(
  rt: CollectRuntime,
  exec: Exec,
  m: AuditManifest,
): Promise<ObservedDetectionPipeline | undefined> {
  const i = pipelineIntentOf(m);
  if (!i) return undefined;
  rt.progress?.add(i.topics.length + 1);
  const topics = i.topics.map((t) =>
    exec({
      account: t.accountId,
      region: t.region,
      service: "sns",
      run: () => collectTopic(rt.clients.get(SNSClient, t.accountId, t.region), t),
      unreadable: (e) => unreadableTopic(t, e),
    }),
  );
  const bus = exec({
    account: i.bus.accountId,
    region: i.bus.region,
    service: "events",
    run: () => collectCentralBus(rt.clients.get(EventBridgeClient, i.bus.accountId, i.bus.region), i),
    unreadable: (e) => unreadableBus(i, e),
  });
  return { topics: await Promise.all(topics), bus: await bus };
}
