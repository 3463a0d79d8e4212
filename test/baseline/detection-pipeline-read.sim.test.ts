/**
 * IAM simulation (@cloud-copilot/iam-simulate): the audit read role's extra policy alone (not what
 * SecurityAudit holds) allows exactly the alert-pipeline collector's reads, on exactly the
 * baseline's topics, bus and rules, under the topics' and the bus's own policies (which therefore do
 * not block them); and it allows no write and no read of another topic or rule.
 */
import { describe, expect, it } from "vitest";
import { DETECTION_PIPELINE_READ_ACTIONS, auditRoleExtraPolicy, pipelineIntent } from "../../baseline/detection";
import { allowAll, ORG, roleCaller, simulate } from "../helpers/iam-sim";

const READ_ROLE = "orgwarden-audit-read";
const KEY = `arn:aws:kms:${ORG.region}:${ORG.security}:key/00000000-1111-2222-3333-444444444444`;
const i = pipelineIntent(
  {
    namePrefix: "orgwarden",
    agentRoleName: "orgwarden-audit-agent",
    keyArns: { "security-alerts": KEY, "cis-alarms": KEY },
    emails: [],
  },
  { orgId: ORG.orgId, homeRegion: ORG.region, managementAccountId: ORG.management, securityAccountId: ORG.security },
);
const extra = auditRoleExtraPolicy("orgwarden", "orgwarden-audit-read");
const reader = (accountId: string, policies = [extra]) =>
  roleCaller({ accountId, roleName: READ_ROLE, identityPolicies: policies });
const ruleArn = (account: string, path: string) => `arn:aws:events:${ORG.region}:${account}:rule/${path}`;

const READS = [
  ...i.topics.flatMap((t) =>
    DETECTION_PIPELINE_READ_ACTIONS.topics.map(
      (action) => [action, t.arn, t.accountId, t.policy, "AlertTopicsRead"] as const,
    ),
  ),
  ["events:DescribeEventBus", i.bus.arn, ORG.security, i.bus.policy, "CentralBusRead"] as const,
  ...i.centralRules.flatMap((r) =>
    DETECTION_PIPELINE_READ_ACTIONS.rules.map(
      (action) =>
        [action, ruleArn(ORG.security, `${i.bus.name}/${r.name}`), ORG.security, undefined, "AlertRulesRead"] as const,
    ),
  ),
  ...i
    .forwardingRules(ORG.member)
    .flatMap((r) =>
      DETECTION_PIPELINE_READ_ACTIONS.rules.map(
        (action) => [action, ruleArn(ORG.member, r.name), ORG.member, undefined, "AlertRulesRead"] as const,
      ),
    ),
];

describe("audit read role on the alert pipeline", () => {
  it.each(READS)(
    "%s on %s is allowed by the extra policy, under the resource's policy",
    async (action, resource, account, policy, sid) => {
      const r = await simulate({
        caller: reader(account),
        action,
        resource,
        resourceAccount: account,
        ...(policy ? { resourcePolicy: policy } : {}),
      });
      expect(r.result).toBe("Allowed");
      expect(r.grants).toEqual([`identity:${sid}`]);
    },
  );

  it.each([
    ["sns:GetTopicAttributes", `arn:aws:sns:${ORG.region}:${ORG.security}:someone-elses-topic`, ORG.security],
    ["events:DescribeRule", ruleArn(ORG.member, "someone-elses-rule"), ORG.member],
    ["events:DescribeEventBus", `arn:aws:events:${ORG.region}:${ORG.security}:event-bus/default`, ORG.security],
    ["sns:SetTopicAttributes", i.topics[0].arn, ORG.security],
    ["sns:Subscribe", i.topics[0].arn, ORG.security],
    ["events:DisableRule", ruleArn(ORG.member, i.forwardingRules(ORG.member)[0].name), ORG.member],
    ["events:PutTargets", ruleArn(ORG.member, i.forwardingRules(ORG.member)[0].name), ORG.member],
    ["events:PutPermission", "*", ORG.security],
  ] as const)("%s on %s is not allowed by the extra policy", async (action, resource, account) => {
    const r = await simulate({ caller: reader(account), action, resource, resourceAccount: account });
    expect(r.result).not.toBe("Allowed");
  });

  it("with another namePrefix the extra policy grants none of this pipeline's reads (the statements name the prefix)", async () => {
    const r = await simulate({
      caller: reader(ORG.security, [auditRoleExtraPolicy("another", "another-audit-read")]),
      action: "sns:GetTopicAttributes",
      resource: i.topics[0].arn,
      resourceAccount: ORG.security,
      resourcePolicy: i.topics[0].policy,
    });
    expect(r.result).not.toBe("Allowed");
  });

  it("the topic's policy denies the read role's Publish even if its identity policy allowed everything", async () => {
    const r = await simulate({
      caller: reader(ORG.security, [allowAll("*")]),
      action: "sns:Publish",
      resource: i.topics[0].arn,
      resourceAccount: ORG.security,
      resourcePolicy: i.topics[0].policy,
    });
    expect(r.result).toBe("ExplicitlyDenied");
  });
});
