/**
 * The agent's Security Hub, SNS, KMS and EventBridge permissions under IAM simulation
 * (@cloud-copilot/iam-simulate): allowed exactly where intended, refused on other products, hubs,
 * topics, keys, buses and events.
 */
import { describe, expect, it } from "vitest";
import { auditAgentPolicy, securityHubProductArn, type AuditAgentPolicyInput } from "../../baseline";
import { alertKeyPolicy, alertTopicPolicy, centralBusPolicy } from "../../baseline/detection";
import { allowAll, ORG, roleCaller, simulate } from "../helpers/iam-sim";

const AGENT_ROLE = "orgwarden-audit-agent";
const AGENT_ROLE_ARN = `arn:aws:iam::${ORG.security}:role/${AGENT_ROLE}`;
const TOPIC = `arn:aws:sns:us-east-1:${ORG.security}:orgwarden-security-alerts`;
const KEY = `arn:aws:kms:us-east-1:${ORG.security}:key/11111111-2222-3333-4444-555555555555`;
const BUS = `arn:aws:events:us-east-1:${ORG.security}:event-bus/orgwarden-security`;
const INPUT: AuditAgentPolicyInput = {
  securityAccountId: ORG.security,
  orgId: ORG.orgId,
  region: ORG.region,
  readRoleName: "orgwarden-audit-read",
  manifestParameterName: "/orgwarden/prod/audit-manifest",
  reportBucketName: "orgwarden-prod-audit-reports-111111111111",
  reportPrefix: "orgwarden-audit",
  logGroupName: "/aws/lambda/orgwarden-prod-audit-agent",
  securityHub: true,
  alertTopic: { topicArn: TOPIC, keyArn: KEY },
  eventBusArn: BUS,
};
const agent = (input: AuditAgentPolicyInput = INPUT) =>
  roleCaller({ accountId: ORG.security, roleName: AGENT_ROLE, identityPolicies: [auditAgentPolicy(input)] });
const otherRole = roleCaller({ accountId: ORG.security, roleName: "Admin", identityPolicies: [allowAll()] });
const topicPolicy = alertTopicPolicy({
  topicArn: TOPIC,
  accountId: ORG.security,
  region: ORG.region,
  publisherRoleArns: [AGENT_ROLE_ARN],
});
const keyPolicy = alertKeyPolicy({ accountId: ORG.security, region: ORG.region, publisherRoleArns: [AGENT_ROLE_ARN] });
const VIA_SNS = { "kms:ViaService": "sns.us-east-1.amazonaws.com" };

describe("agent role: Security Hub", () => {
  it("imports under the security account's own product in the home region, and nowhere else", async () => {
    const at = (resource: string, account: string = ORG.security) =>
      simulate({ caller: agent(), action: "securityhub:BatchImportFindings", resource, resourceAccount: account });
    expect((await at(securityHubProductArn("us-east-1", ORG.security))).result).toBe("Allowed");
    expect(securityHubProductArn("us-east-1", ORG.security)).toBe(
      `arn:aws:securityhub:us-east-1:${ORG.security}:product/${ORG.security}/default`,
    );
    for (const other of [
      securityHubProductArn("eu-west-1", ORG.security),
      `arn:aws:securityhub:us-east-1:${ORG.security}:product/aws/guardduty`,
      securityHubProductArn("us-east-1", ORG.member),
    ])
      expect((await at(other, other.split(":")[4])).result, other).not.toBe("Allowed");
  });

  it("reads findings from the home region's hub only, and may not update them otherwise", async () => {
    const hub = (region: string) => `arn:aws:securityhub:${region}:${ORG.security}:hub/default`;
    const call = (action: string, resource: string) =>
      simulate({ caller: agent(), action, resource, resourceAccount: ORG.security });
    expect((await call("securityhub:GetFindings", hub("us-east-1"))).result).toBe("Allowed");
    expect((await call("securityhub:GetFindings", hub("eu-west-1"))).result).not.toBe("Allowed");
    expect((await call("securityhub:BatchUpdateFindings", hub("us-east-1"))).result).not.toBe("Allowed");
  });

  it("without securityHub the role holds no Security Hub permission", async () => {
    const r = await simulate({
      caller: agent({ ...INPUT, securityHub: false }),
      action: "securityhub:BatchImportFindings",
      resource: securityHubProductArn("us-east-1", ORG.security),
      resourceAccount: ORG.security,
    });
    expect(r.result).not.toBe("Allowed");
  });
});

describe("agent role: the alert topic and its key", () => {
  const publish = (caller = agent(), resource = TOPIC, resourcePolicy = topicPolicy) =>
    simulate({ caller, action: "sns:Publish", resource, resourceAccount: ORG.security, resourcePolicy });

  it("publishes to the security-alerts topic", async () => {
    expect((await publish()).result).toBe("Allowed");
  });

  it("publishes to no other topic", async () => {
    const other = `arn:aws:sns:us-east-1:${ORG.security}:other-topic`;
    expect((await publish(agent(), other, undefined as never)).result).not.toBe("Allowed");
  });

  it("the topic policy still refuses every other IAM principal, even one allowed everything", async () => {
    const r = await publish(otherRole);
    expect(r.result).toBe("ExplicitlyDenied");
    expect(r.explicitDenials).toEqual(["resource:DenyPublishExceptAlarmsAndEventBridge"]);
  });

  it("without the exemption the topic policy's deny would stop the agent too", async () => {
    const closed = alertTopicPolicy({ topicArn: TOPIC, accountId: ORG.security, region: ORG.region });
    expect((await publish(agent(), TOPIC, closed)).result).toBe("ExplicitlyDenied");
  });

  const useKey = (
    caller: ReturnType<typeof agent>,
    action: string,
    context: Record<string, string> = VIA_SNS,
    key = KEY,
  ) => simulate({ caller, action, resource: key, resourceAccount: ORG.security, resourcePolicy: keyPolicy, context });

  it("may use the topic's key through SNS in the home region: GenerateDataKey and Decrypt", async () => {
    expect((await useKey(agent(), "kms:GenerateDataKey")).result).toBe("Allowed");
    expect((await useKey(agent(), "kms:Decrypt")).result).toBe("Allowed");
  });

  it("may not use the key directly, through another service, or for anything else", async () => {
    expect((await useKey(agent(), "kms:GenerateDataKey", {})).result).not.toBe("Allowed");
    expect((await useKey(agent(), "kms:Decrypt", { "kms:ViaService": "s3.us-east-1.amazonaws.com" })).result).not.toBe(
      "Allowed",
    );
    expect((await useKey(agent(), "kms:Encrypt")).result).not.toBe("Allowed");
  });

  it("may not use another key of the account", async () => {
    const other = `arn:aws:kms:us-east-1:${ORG.security}:key/99999999-2222-3333-4444-555555555555`;
    expect((await useKey(agent(), "kms:GenerateDataKey", VIA_SNS, other)).result).not.toBe("Allowed");
  });

  it("the key's delegation names the agent role only: another role of the account, allowed everything by IAM, cannot use it", async () => {
    expect((await useKey(otherRole, "kms:GenerateDataKey")).result).not.toBe("Allowed");
  });

  it("the role's IAM policy alone is not enough: a key policy without the delegation refuses it", async () => {
    const r = await simulate({
      caller: agent(),
      action: "kms:GenerateDataKey",
      resource: KEY,
      resourceAccount: ORG.security,
      resourcePolicy: alertKeyPolicy({ accountId: ORG.security }),
      context: VIA_SNS,
    });
    expect(r.result).not.toBe("Allowed");
  });
});

describe("agent role: the central bus", () => {
  const bus = centralBusPolicy({ busArn: BUS, orgId: ORG.orgId, auditEventRoleArn: AGENT_ROLE_ARN });
  const put = (source: string, detailType: string, resource = BUS, caller = agent()) =>
    simulate({
      caller,
      action: "events:PutEvents",
      resource,
      resourceAccount: ORG.security,
      resourcePolicy: resource === BUS ? bus : undefined,
      context: { "events:source": [source], "events:detail-type": [detailType] },
    });

  it("puts its own event (orgwarden.audit / Audit Completed) on the central bus of its own account", async () => {
    expect((await put("orgwarden.audit", "Audit Completed")).result).toBe("Allowed");
  });

  it("its own policy allows only that event; the bus itself lets every principal of the organization put others (same account: either policy suffices)", async () => {
    const alone = (source: string, detailType: string) =>
      simulate({
        caller: agent(),
        action: "events:PutEvents",
        resource: BUS,
        resourceAccount: ORG.security,
        context: { "events:source": [source], "events:detail-type": [detailType] },
      });
    expect((await alone("orgwarden.audit", "Audit Completed")).result).toBe("Allowed");
    expect((await alone("aws.guardduty", "GuardDuty Finding")).result).not.toBe("Allowed");
    expect((await alone("orgwarden.audit", "Something Else")).result).not.toBe("Allowed");
    // One call carrying the audit's event and another.
    const mixed = await simulate({
      caller: agent(),
      action: "events:PutEvents",
      resource: BUS,
      resourceAccount: ORG.security,
      context: { "events:source": ["orgwarden.audit", "aws.guardduty"], "events:detail-type": ["Audit Completed"] },
    });
    expect(mixed.result).not.toBe("Allowed");
    // The bus policy's organization-wide grant is the forwarding path of every member account.
    expect((await put("aws.guardduty", "GuardDuty Finding")).result).toBe("Allowed");
  });

  it("no other principal of the organization may pose as the audit on the bus", async () => {
    const member = roleCaller({ accountId: ORG.member, roleName: "Dev", identityPolicies: [allowAll()] });
    const r = await put("orgwarden.audit", "Audit Completed", BUS, member);
    expect(r.result).toBe("ExplicitlyDenied");
    expect(r.explicitDenials).toEqual(["resource:OnlyTheAuditAgentPutsAuditEvents"]);
    const sameAccount = await put("orgwarden.audit", "Audit Completed", BUS, otherRole);
    expect(sameAccount.result).toBe("ExplicitlyDenied");
    expect((await put("aws.guardduty", "GuardDuty Finding", BUS, member)).result).toBe("Allowed");
  });

  it("puts nothing on another bus", async () => {
    const other = `arn:aws:events:us-east-1:${ORG.security}:event-bus/default`;
    expect((await put("orgwarden.audit", "Audit Completed", other)).result).not.toBe("Allowed");
  });
});

describe("auditAgentPolicy: refuses notification targets outside the security account and home region", () => {
  it.each([
    ["alertTopic.topicArn", { alertTopic: { topicArn: `arn:aws:sns:us-east-1:${ORG.member}:t`, keyArn: KEY } }],
    ["alertTopic.keyArn", { alertTopic: { topicArn: TOPIC, keyArn: "arn:aws:kms:eu-west-1:333333333333:key/x" } }],
    ["eventBusArn", { eventBusArn: `arn:aws:events:us-east-1:${ORG.security}:event-bus/*` }],
  ])("%s", (what, change) => {
    expect(() => auditAgentPolicy({ ...INPUT, ...change })).toThrow(
      new RegExp(
        `^auditAgentPolicy: ${what.replace(".", "\\.")} must be a (sns|kms|events) ARN of the security account ${ORG.security} in us-east-1`,
      ),
    );
  });
});

describe("auditAgentPolicy: the notification and Security Hub statements, exactly", () => {
  it("adds two Security Hub, one SNS, one KMS and one EventBridge statement after the base six", () => {
    const base = auditAgentPolicy({ ...INPUT, securityHub: undefined, alertTopic: undefined, eventBusArn: undefined });
    const full = auditAgentPolicy(INPUT);
    expect(full.Statement.slice(0, base.Statement.length)).toEqual(base.Statement);
    expect(full.Statement.slice(base.Statement.length)).toEqual([
      {
        Sid: "ImportFindingsAsTheSecurityAccountsProduct",
        Effect: "Allow",
        Action: "securityhub:BatchImportFindings",
        Resource: `arn:aws:securityhub:us-east-1:${ORG.security}:product/${ORG.security}/default`,
      },
      {
        Sid: "ReadFindingsToArchiveResolvedOnes",
        Effect: "Allow",
        Action: "securityhub:GetFindings",
        Resource: `arn:aws:securityhub:us-east-1:${ORG.security}:hub/default`,
      },
      { Sid: "PublishTheRunsMessage", Effect: "Allow", Action: "sns:Publish", Resource: TOPIC },
      {
        Sid: "EncryptTheMessageThroughSns",
        Effect: "Allow",
        Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
        Resource: KEY,
        Condition: { StringEquals: { "kms:ViaService": "sns.us-east-1.amazonaws.com" } },
      },
      {
        Sid: "PutTheAuditCompletedEvent",
        Effect: "Allow",
        Action: "events:PutEvents",
        Resource: BUS,
        Condition: {
          "ForAllValues:StringEquals": { "events:source": "orgwarden.audit", "events:detail-type": "Audit Completed" },
          Null: { "events:source": "false", "events:detail-type": "false" },
        },
      },
    ]);
  });
});
