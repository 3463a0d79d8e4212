/**
 * The alert pipeline's names and intended documents, written once: the two alert topics (security
 * account: security alerts; management account: CIS alarms), the central EventBridge bus in the
 * security account with its policy and its rules to the security-alerts topic, and the member
 * accounts' forwarding rules to that bus. infra lays them from these functions, and the audit
 * manifest's `detectionPipeline` area carries only what these functions cannot know (the key ARNs,
 * the agent role's name, the e-mail subscribers) plus a digest of what they rebuild, so the agent
 * judges exactly what was laid and says so when its own baseline rebuilds something else.
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import { eventBusArn, roleArn, topicArn } from "../arns";
import type { PolicyDocument } from "../policy-types";
import { alertTopicPolicy, centralBusPolicy } from "./documents";
import {
  cisEventsPatterns,
  findingsForwardPattern,
  guardDutyHighSeverityPattern,
  securityHubHighSeverityPattern,
  type EventPattern,
} from "./event-patterns";

export type AlertTopicRole = "security-alerts" | "cis-alarms";
export const ALERT_TOPIC_ROLES = ["security-alerts", "cis-alarms"] as const satisfies readonly AlertTopicRole[];

/** The member baseline's EventBridge forwarding rules are named <this><suffix>; the SCP protects them by this prefix. */
export function forwardingRuleNamePrefix(namePrefix: string): string {
  return `${namePrefix}-forward-`;
}

/** The role the forwarding rules use to put events on the central bus. */
export function eventForwarderRoleName(namePrefix: string): string {
  return `${namePrefix}-event-forwarder`;
}

export function alertTopicName(namePrefix: string, role: AlertTopicRole): string {
  return `${namePrefix}-${role}`;
}

export function centralBusName(namePrefix: string): string {
  return `${namePrefix}-security`;
}

/** Target ids: the central rules' target is the security-alerts topic, the forwarding rules' the central bus. */
export const CENTRAL_RULE_TARGET_ID = "alert-topic";
export const FORWARDING_RULE_TARGET_ID = "central-bus";

export interface EventRoute {
  /** Rule name (and Pulumi name) suffix. */
  suffix: string;
  description: string;
  pattern: EventPattern;
}

/** The central bus's rules, each sending what needs a human to the security-alerts topic. */
export function centralBusRoutes(): EventRoute[] {
  return [
    {
      suffix: "guardduty-high",
      description: "GuardDuty findings of severity HIGH or CRITICAL",
      pattern: guardDutyHighSeverityPattern(),
    },
    {
      suffix: "securityhub-high",
      description: "Security Hub findings labelled HIGH or CRITICAL (GuardDuty's excluded: routed once)",
      pattern: securityHubHighSeverityPattern(),
    },
    ...cisEventsPatterns().map((pattern, n) => ({
      suffix: `cis-events-${n + 1}`,
      description: "CIS-monitored management events",
      pattern,
    })),
  ];
}

export function centralBusRuleName(busName: string, suffix: string): string {
  return `${busName}-${suffix}`;
}

export interface ForwardingRule {
  /** CloudFormation logical id in the member template. */
  logicalId: string;
  name: string;
  description: string;
  pattern: EventPattern;
}

/** The member template's forwarding rules (default bus of every member account × governed region). */
export function memberForwardingRules(namePrefix: string): ForwardingRule[] {
  return [
    {
      logicalId: "ForwardFindingsRule",
      name: `${forwardingRuleNamePrefix(namePrefix)}findings`,
      description: "GuardDuty and Security Hub findings to the security account's central bus",
      pattern: findingsForwardPattern(),
    },
    ...cisEventsPatterns().map((pattern, n) => ({
      logicalId: `ForwardCisEventsRule${n + 1}`,
      name: `${forwardingRuleNamePrefix(namePrefix)}cis-events-${n + 1}`,
      description: "CIS-monitored management events to the security account's central bus",
      pattern,
    })),
  ];
}

export function forwardingRuleNames(namePrefix: string): string[] {
  return memberForwardingRules(namePrefix).map((r) => r.name);
}

const KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[\w-]+$/;
const keyArn = z.string().regex(KEY_ARN, "must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)");

/** The manifest's `detectionPipeline` area: the inputs the baseline functions above need, and the digest of what they build. */
export const detectionPipelineManifestSchema = z.strictObject({
  /** infra's detection.namePrefix: the topics, the bus, the rules and the forwarder role are named from it. */
  namePrefix: z.string().min(1),
  /** The audit agent's role (security account): publishes to the security-alerts topic, the only one that puts orgwarden.audit events. */
  agentRoleName: z.string().min(1),
  /** Each topic's own customer key (KmsMasterKeyId). */
  keyArns: z.strictObject({ "security-alerts": keyArn, "cis-alarms": keyArn }),
  /** E-mail subscribers of both topics (detection.alerts.emails). */
  emails: z.array(z.string().min(3)),
  /**
   * The first 16 hex digits of the SHA-256 of the documents pipelineIntent() builds, as infra built
   * them: it tells the agent whether its own baseline rebuilds the same documents (a release check,
   * not an integrity control: the manifest itself is pinned by its parameter's digest tag).
   */
  digest: z.string().regex(/^[0-9a-f]{16}$/, "must be 16 hex digits (the start of a SHA-256)"),
});
export type DetectionPipelineManifest = z.infer<typeof detectionPipelineManifestSchema>;

export interface PipelineAccounts {
  orgId: string;
  homeRegion: string;
  managementAccountId: string;
  securityAccountId: string;
}

export interface TopicIntent {
  role: AlertTopicRole;
  name: string;
  arn: string;
  accountId: string;
  region: string;
  keyArn: string;
  policy: PolicyDocument;
  emails: string[];
}

export interface RuleIntent {
  name: string;
  pattern: EventPattern;
  targetId: string;
  targetArn: string;
  /** The role EventBridge assumes to deliver (forwarding rules only). */
  roleArn?: string;
}

export interface PipelineIntent {
  topics: TopicIntent[];
  bus: { name: string; arn: string; accountId: string; region: string; policy: PolicyDocument };
  centralRules: RuleIntent[];
  /** Per member account (roleArn names the account's forwarder role). */
  forwardingRules(accountId: string): RuleIntent[];
  forwarderRoleName: string;
}

/** Everything the pipeline's checks compare against, rebuilt from the area and the organization's ids. */
export function pipelineIntent(area: Omit<DetectionPipelineManifest, "digest">, ids: PipelineAccounts): PipelineIntent {
  const p = area.namePrefix;
  const agentRoleArn = roleArn(ids.securityAccountId, area.agentRoleName);
  const topic = (role: AlertTopicRole, accountId: string, publisherRoleArns: string[]): TopicIntent => {
    const name = alertTopicName(p, role);
    const arn = topicArn(ids.homeRegion, accountId, name);
    return {
      role,
      name,
      arn,
      accountId,
      region: ids.homeRegion,
      keyArn: area.keyArns[role],
      policy: alertTopicPolicy({ topicArn: arn, accountId, region: ids.homeRegion, publisherRoleArns }),
      emails: area.emails,
    };
  };
  const topics = [
    topic("security-alerts", ids.securityAccountId, [agentRoleArn]),
    topic("cis-alarms", ids.managementAccountId, []),
  ];
  const busName = centralBusName(p);
  const busArn = eventBusArn(ids.homeRegion, ids.securityAccountId, busName);
  const forwarderRoleName = eventForwarderRoleName(p);
  return {
    topics,
    bus: {
      name: busName,
      arn: busArn,
      accountId: ids.securityAccountId,
      region: ids.homeRegion,
      policy: centralBusPolicy({ busArn, orgId: ids.orgId, auditEventRoleArn: agentRoleArn }),
    },
    centralRules: centralBusRoutes().map((r) => ({
      name: centralBusRuleName(busName, r.suffix),
      pattern: r.pattern,
      targetId: CENTRAL_RULE_TARGET_ID,
      targetArn: topics[0].arn,
    })),
    forwardingRules: (accountId) =>
      memberForwardingRules(p).map((r) => ({
        name: r.name,
        pattern: r.pattern,
        targetId: FORWARDING_RULE_TARGET_ID,
        targetArn: busArn,
        roleArn: roleArn(accountId, forwarderRoleName),
      })),
    forwarderRoleName,
  };
}

/** JSON with object keys sorted at every level (arrays keep their order). */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(",")}]`;
  if (v !== null && typeof v === "object")
    return `{${Object.keys(v as Record<string, unknown>)
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  return JSON.stringify(v);
}

/** Digest of every document the intent holds (a placeholder account stands for "each member account"). */
export function pipelineDigest(i: PipelineIntent): string {
  const docs = {
    topics: i.topics,
    bus: i.bus,
    centralRules: i.centralRules,
    forwardingRules: i.forwardingRules("${AWS::AccountId}"),
  };
  return createHash("sha256").update(canonicalJson(docs), "utf8").digest("hex").slice(0, 16);
}

/** The manifest area infra publishes. */
export function detectionPipelineArea(
  area: Omit<DetectionPipelineManifest, "digest">,
  ids: PipelineAccounts,
): DetectionPipelineManifest {
  return { ...area, digest: pipelineDigest(pipelineIntent(area, ids)) };
}

/**
 * An event pattern with its arrays as sets: EventBridge matches any value of an array, in any
 * order, and `$or` lists alternatives. Only a `numeric` operand list is ordered ([">=", 7, "<", 9]).
 */
export function canonicalEventPattern(v: unknown, ordered = false): unknown {
  if (Array.isArray(v)) {
    const items = v.map((x) => canonicalEventPattern(x));
    if (ordered) return items;
    return items
      .map((x) => [canonicalJson(x), x] as const)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, x]) => x);
  }
  if (v !== null && typeof v === "object")
    return Object.fromEntries(
      Object.keys(v as Record<string, unknown>)
        .sort()
        .map((k) => [k, canonicalEventPattern((v as Record<string, unknown>)[k], k === "numeric")]),
    );
  return v;
}

/** True when two event patterns match the same events by their structure (value order aside). */
export function sameEventPattern(a: unknown, b: unknown): boolean {
  return canonicalJson(canonicalEventPattern(a)) === canonicalJson(canonicalEventPattern(b));
}
