/** IAM simulation (@cloud-copilot/iam-simulate) of the detection documents: what each one lets happen, and what it stops. */
import { describe, expect, it } from "vitest";
import {
  alertKeyPolicy,
  alertTopicPolicy,
  auditRoleExtraPolicy,
  auditRoleTrustPolicy,
  centralBusPolicy,
  configBucketPolicy,
} from "../../../baseline/detection";
import { allowAll, ORG, roleCaller, serviceCaller, simulate } from "../../helpers/iam-sim";

const AGENT_ROLE = "orgwarden-audit-agent";
const READ_ROLE = "orgwarden-audit-read";
const trust = auditRoleTrustPolicy({ securityAccountId: ORG.security, agentRoleName: AGENT_ROLE, orgId: ORG.orgId });
const readRoleArn = `arn:aws:iam::${ORG.member}:role/${READ_ROLE}`;

function assume(accountId: string, roleName: string, orgId?: string | null) {
  return simulate({
    caller: roleCaller({ accountId, roleName, identityPolicies: [allowAll("sts:AssumeRole")], orgId }),
    action: "sts:AssumeRole",
    resource: readRoleArn,
    resourceAccount: ORG.member,
    resourcePolicy: trust,
  });
}

describe("audit read role trust", () => {
  it("lets the agent role of the security account assume it", async () => {
    expect((await assume(ORG.security, AGENT_ROLE)).result).toBe("Allowed");
  });

  it.each([
    ["another role of the security account", ORG.security, "Admin"],
    ["a role of the same name in a member account", ORG.member, AGENT_ROLE],
    ["a role of the same name in the management account", ORG.management, AGENT_ROLE],
    ["a role of the same name outside the organization", ORG.outsider, AGENT_ROLE],
  ])("refuses %s", async (_label, account, role) => {
    // No statement of the trust admits them, and there is no Deny: an implicit denial, exactly.
    expect((await assume(account, role, account === ORG.outsider ? null : undefined)).result).toBe("ImplicitlyDenied");
  });
});

describe("controls: the simulation tells a loose document from a tight one", () => {
  it("a trust without the principal ARN condition would admit any role of the security account", async () => {
    const loose = {
      ...trust,
      Statement: [{ ...trust.Statement[0], Condition: { StringEquals: { "aws:PrincipalOrgID": ORG.orgId } } }],
    };
    const r = await simulate({
      caller: roleCaller({
        accountId: ORG.security,
        roleName: "Admin",
        identityPolicies: [allowAll("sts:AssumeRole")],
      }),
      action: "sts:AssumeRole",
      resource: readRoleArn,
      resourceAccount: ORG.member,
      resourcePolicy: loose,
    });
    expect(r.result).toBe("Allowed");
  });

  it("a Config prefix without the ${aws:SourceAccount} variable would let an account write under another's prefix", async () => {
    const bucketName = "orgwarden-prod-config-111111111111";
    const doc = configBucketPolicy({ bucketName, orgId: ORG.orgId });
    const loose = {
      ...doc,
      Statement: doc.Statement.map((st) =>
        st.Sid === "AWSConfigBucketDelivery"
          ? { ...st, Resource: `arn:aws:s3:::${bucketName}/AWSLogs/*/Config/*` }
          : st,
      ),
    };
    const r = await simulate({
      caller: serviceCaller({ service: "config.amazonaws.com", sourceAccount: ORG.member }),
      action: "s3:PutObject",
      resource: `arn:aws:s3:::${bucketName}/AWSLogs/${ORG.security}/Config/x.json.gz`,
      resourceAccount: ORG.logArchive,
      resourcePolicy: loose,
      context: { "aws:SourceOrgID": ORG.orgId, "s3:x-amz-acl": "bucket-owner-full-control" },
    });
    expect(r.result).toBe("Allowed");
  });
});

describe("audit read role permissions", () => {
  // allowAll stands in for SecurityAudit at its worst: whatever it grants, the explicit deny must still win.
  const reader = roleCaller({
    accountId: ORG.member,
    roleName: READ_ROLE,
    identityPolicies: [allowAll("*"), auditRoleExtraPolicy("orgwarden", "orgwarden-audit-read")],
  });
  const onlyExtra = roleCaller({
    accountId: ORG.member,
    roleName: READ_ROLE,
    identityPolicies: [auditRoleExtraPolicy("orgwarden", "orgwarden-audit-read")],
  });
  const cases: Array<[string, string]> = [
    ["s3:PutObject", "arn:aws:s3:::orgwarden-prod-cloudtrail-111111111111/AWSLogs/x.json.gz"],
    ["cloudtrail:StopLogging", `arn:aws:cloudtrail:us-east-1:${ORG.member}:trail/orgwarden-organization-trail`],
    ["kms:Decrypt", `arn:aws:kms:us-east-1:${ORG.member}:key/11111111-2222-3333-4444-555555555555`],
    ["iam:CreateUser", `arn:aws:iam::${ORG.member}:user/mallory`],
    ["iam:AttachRolePolicy", readRoleArn],
    ["iam:PutRolePolicy", readRoleArn],
    ["iam:UpdateAssumeRolePolicy", readRoleArn],
    ["iam:PassRole", readRoleArn],
  ];

  it.each(cases)("denies %s explicitly, even if SecurityAudit granted it", async (action, resource) => {
    const r = await simulate({ caller: reader, action, resource, resourceAccount: ORG.member });
    expect(r.result).toBe("ExplicitlyDenied");
    expect(r.explicitDenials).toEqual(["identity:DenyDataAccessAndWrites"]);
  });

  it.each([
    ["s3:ListBucket", "arn:aws:s3:::orgwarden-prod-cloudtrail-111111111111"],
    ["s3:GetObjectRetention", "arn:aws:s3:::orgwarden-prod-cloudtrail-111111111111/AWSLogs/x.json.gz"],
    ["ssm:ListAssociations", "*"],
    [
      "ssm:DescribeAssociationExecutions",
      `arn:aws:ssm:us-east-1:${ORG.member}:association/0a1b2c3d-0000-4000-8000-000000000000`,
    ],
    ["inspector2:BatchGetAccountStatus", "*"],
    ["logs:DescribeLogStreams", `arn:aws:logs:us-east-1:${ORG.member}:log-group:/orgwarden/cloudtrail`],
    ["ssm:DescribeParameters", "*"],
    ["ssm:ListTagsForResource", `arn:aws:ssm:us-east-1:${ORG.member}:parameter/orgwarden/prod/audit-manifest`],
    ["config:DescribeDeliveryChannels", "*"],
    ["config:DescribeDeliveryChannelStatus", "*"],
    ["config:DescribeConfigurationAggregators", "*"],
    [
      "config:DescribeConfigurationAggregatorSourcesStatus",
      `arn:aws:config:us-east-1:${ORG.member}:config-aggregator/config-aggregator-a1b2c3d4`,
    ],
    ["route53resolver:ListResolverQueryLogConfigs", "*"],
    ["route53resolver:ListResolverQueryLogConfigAssociations", "*"],
    [
      "scheduler:GetSchedule",
      `arn:aws:scheduler:us-east-1:${ORG.member}:schedule/default/orgwarden-member-baseline-drift`,
    ],
    ["ram:GetResourceShareAssociations", "*"],
    ["ram:GetResourceShares", "*"],
    ["athena:GetWorkGroup", `arn:aws:athena:us-east-1:${ORG.member}:workgroup/orgwarden-prod-logs`],
    // No resource type in IAM (the simulator's service data: it takes "*" only).
    ["guardduty:DescribeOrganizationConfiguration", "*"],
    ["inspector2:ListDelegatedAdminAccounts", "*"],
    ["inspector2:DescribeOrganizationConfiguration", "*"],
    ["inspector2:ListMembers", "*"],
    ["securityhub:ListOrganizationAdminAccounts", `arn:aws:securityhub:us-east-1:${ORG.member}:hub/default`],
    ["securityhub:DescribeOrganizationConfiguration", `arn:aws:securityhub:us-east-1:${ORG.member}:hub/default`],
    ["securityhub:ListConfigurationPolicies", "*"],
    [
      "securityhub:GetConfigurationPolicy",
      `arn:aws:securityhub:us-east-1:${ORG.member}:configuration-policy/a1b2c3d4-5678-90ab-cdef-111122223333`,
    ],
    ["securityhub:GetConfigurationPolicyAssociation", "*"],
    ["securityhub:ListFindingAggregators", "*"],
    [
      "securityhub:GetFindingAggregator",
      `arn:aws:securityhub:us-east-1:${ORG.member}:finding-aggregator/b2c3d4e5-6789-4abc-8def-222233334444`,
    ],
    ["securityhub:GetEnabledStandards", `arn:aws:securityhub:us-east-1:${ORG.member}:hub/default`],
  ])("allows the extra read %s", async (action, resource) => {
    const r = await simulate({ caller: onlyExtra, action, resource, resourceAccount: ORG.member });
    expect(r.result).toBe("Allowed");
  });

  // stackset-instances / stackset-drift: the management account's read role on the baseline's StackSet and stacks, nothing else.
  const stackSet = (name: string) =>
    `arn:aws:cloudformation:us-east-1:${ORG.management}:stackset/${name}:0f1e2d3c-4b5a-4697-8877-665544332211`;
  const stack = (name: string, region = "eu-west-1") =>
    `arn:aws:cloudformation:${region}:${ORG.management}:stack/${name}/5e6f7a8b-0000-4000-8000-000000000000`;
  const mgmtReader = roleCaller({
    accountId: ORG.management,
    roleName: READ_ROLE,
    identityPolicies: [auditRoleExtraPolicy("orgwarden", "orgwarden-audit-read")],
  });
  it.each([
    ["cloudformation:DescribeStackSet", stackSet("orgwarden-member-baseline"), "Allowed"],
    ["cloudformation:ListStackInstances", stackSet("orgwarden-member-baseline"), "Allowed"],
    ["cloudformation:DescribeStacks", stack("orgwarden-member-baseline"), "Allowed"],
    ["cloudformation:DescribeStacks", stack("orgwarden-member-baseline", "us-east-1"), "Allowed"],
    ["cloudformation:DescribeStackSet", stackSet("payments-baseline"), "ImplicitlyDenied"],
    ["cloudformation:ListStackInstances", stackSet("orgwarden-member-baseline-extra"), "ImplicitlyDenied"],
    ["cloudformation:DescribeStacks", stack("payments-app"), "ImplicitlyDenied"],
    ["cloudformation:DetectStackSetDrift", stackSet("orgwarden-member-baseline"), "ImplicitlyDenied"],
    ["cloudformation:UpdateStackInstances", stackSet("orgwarden-member-baseline"), "ImplicitlyDenied"],
  ])("the StackSet reads: %s on %s is %s", async (action, resource, result) => {
    const r = await simulate({ caller: mgmtReader, action, resource, resourceAccount: ORG.management });
    expect(r.result).toBe(result);
  });
});

describe("central bus policy", () => {
  const busArn = `arn:aws:events:us-east-1:${ORG.security}:event-bus/orgwarden-security`;
  const put = (accountId: string, orgId?: string | null) =>
    simulate({
      caller: roleCaller({
        accountId,
        roleName: "orgwarden-event-forwarder",
        identityPolicies: [allowAll("events:PutEvents")],
        orgId,
      }),
      action: "events:PutEvents",
      resource: busArn,
      resourceAccount: ORG.security,
      resourcePolicy: centralBusPolicy({ busArn, orgId: ORG.orgId }),
    });

  it("lets a member account of the organization put events", async () => {
    expect((await put(ORG.member)).result).toBe("Allowed");
    expect((await put(ORG.management)).result).toBe("Allowed");
  });

  it("refuses an account outside the organization", async () => {
    expect((await put(ORG.outsider, null)).result).not.toBe("Allowed");
  });

  it("refuses an account of another organization", async () => {
    expect((await put(ORG.outsider, "o-zzzzzzzzzz")).result).not.toBe("Allowed");
  });
});

describe("Config bucket policy", () => {
  const bucketName = "orgwarden-prod-config-111111111111";
  const doc = configBucketPolicy({ bucketName, orgId: ORG.orgId });
  const configFrom = (account: string, orgId: string) => ({
    caller: serviceCaller({ service: "config.amazonaws.com", sourceAccount: account }),
    context: { "aws:SourceOrgID": orgId, "s3:x-amz-acl": "bucket-owner-full-control" },
  });
  const put = (c: ReturnType<typeof configFrom>, key: string) =>
    simulate({
      caller: c.caller,
      action: "s3:PutObject",
      resource: `arn:aws:s3:::${bucketName}/${key}`,
      resourceAccount: ORG.logArchive,
      resourcePolicy: doc,
      context: c.context,
    });

  it("lets Config of an organization account write under its own AWSLogs/<account>/Config/ prefix", async () => {
    const r = await put(
      configFrom(ORG.member, ORG.orgId),
      `AWSLogs/${ORG.member}/Config/us-east-1/2026/11/20/ConfigHistory/x.json.gz`,
    );
    expect(r.result).toBe("Allowed");
    expect(r.grants).toEqual(["resource:AWSConfigBucketDelivery"]);
  });

  it("refuses Config writing under another account's prefix", async () => {
    expect((await put(configFrom(ORG.member, ORG.orgId), `AWSLogs/${ORG.security}/Config/x.json.gz`)).result).not.toBe(
      "Allowed",
    );
  });

  it("refuses Config writing outside the Config prefix", async () => {
    expect(
      (await put(configFrom(ORG.member, ORG.orgId), `AWSLogs/${ORG.member}/CloudTrail/x.json.gz`)).result,
    ).not.toBe("Allowed");
  });

  it("refuses Config acting for an account of another organization", async () => {
    expect(
      (await put(configFrom(ORG.outsider, "o-zzzzzzzzzz"), `AWSLogs/${ORG.outsider}/Config/x.json.gz`)).result,
    ).not.toBe("Allowed");
  });

  it("refuses the log-archive account's own administrator, explicitly", async () => {
    const admin = roleCaller({
      accountId: ORG.logArchive,
      roleName: "OrganizationAccountAccessRole",
      identityPolicies: [allowAll("*")],
    });
    const r = await simulate({
      caller: admin,
      action: "s3:PutObject",
      resource: `arn:aws:s3:::${bucketName}/AWSLogs/${ORG.logArchive}/Config/x.json.gz`,
      resourceAccount: ORG.logArchive,
      resourcePolicy: doc,
    });
    expect(r.result).toBe("ExplicitlyDenied");
    expect(r.explicitDenials).toEqual(["resource:DenyObjectWritesExceptConfig"]);
  });

  it.each(["s3:DeleteObject", "s3:DeleteObjectVersion"])(
    "refuses %s to the log-archive account's own administrator, explicitly (lifecycle expiry is S3's, not a request)",
    async (action) => {
      const admin = roleCaller({
        accountId: ORG.logArchive,
        roleName: "OrganizationAccountAccessRole",
        identityPolicies: [allowAll("*")],
      });
      const r = await simulate({
        caller: admin,
        action,
        resource: `arn:aws:s3:::${bucketName}/AWSLogs/${ORG.member}/Config/x.json.gz`,
        resourceAccount: ORG.logArchive,
        resourcePolicy: doc,
      });
      expect(r.result).toBe("ExplicitlyDenied");
      expect(r.explicitDenials).toEqual(["resource:DenyObjectDeletion"]);
    },
  );

  it("lets Config check the bucket ACL and existence", async () => {
    const c = configFrom(ORG.member, ORG.orgId);
    for (const action of ["s3:GetBucketAcl", "s3:ListBucket"]) {
      const r = await simulate({
        caller: c.caller,
        action,
        resource: `arn:aws:s3:::${bucketName}`,
        resourceAccount: ORG.logArchive,
        resourcePolicy: doc,
        context: { "aws:SourceOrgID": ORG.orgId },
      });
      expect(r.result, action).toBe("Allowed");
    }
  });
});

describe("alert topic policy", () => {
  const topicArn = `arn:aws:sns:us-east-1:${ORG.management}:orgwarden-alerts`;
  const doc = alertTopicPolicy({ topicArn, accountId: ORG.management, region: "us-east-1" });
  const publish = (caller: Parameters<typeof simulate>[0]["caller"]) =>
    simulate({
      caller,
      action: "sns:Publish",
      resource: topicArn,
      resourceAccount: ORG.management,
      resourcePolicy: doc,
    });

  it("lets a CloudWatch alarm of the account publish", async () => {
    const r = await publish(
      serviceCaller({
        service: "cloudwatch.amazonaws.com",
        sourceAccount: ORG.management,
        sourceArn: `arn:aws:cloudwatch:us-east-1:${ORG.management}:alarm:cis-4-3-RootAccountUsage`,
      }),
    );
    expect(r.result).toBe("Allowed");
  });

  it("lets an EventBridge rule of the account publish", async () => {
    const r = await publish(
      serviceCaller({
        service: "events.amazonaws.com",
        sourceAccount: ORG.management,
        sourceArn: `arn:aws:events:us-east-1:${ORG.management}:rule/orgwarden-security/high-findings`,
      }),
    );
    expect(r.result).toBe("Allowed");
  });

  it("refuses an alarm of another account", async () => {
    const r = await publish(
      serviceCaller({
        service: "cloudwatch.amazonaws.com",
        sourceAccount: ORG.outsider,
        sourceArn: `arn:aws:cloudwatch:us-east-1:${ORG.outsider}:alarm:x`,
      }),
    );
    expect(r.result).not.toBe("Allowed");
  });

  it("refuses the account's own administrator, explicitly", async () => {
    const r = await publish(
      roleCaller({ accountId: ORG.management, roleName: "Admin", identityPolicies: [allowAll("*")] }),
    );
    expect(r.result).toBe("ExplicitlyDenied");
    expect(r.explicitDenials).toEqual(["resource:DenyPublishExceptAlarmsAndEventBridge"]);
  });

  it("refuses another AWS service", async () => {
    const r = await publish(
      serviceCaller({
        service: "s3.amazonaws.com",
        sourceAccount: ORG.management,
        sourceArn: "arn:aws:s3:::some-bucket",
      }),
    );
    expect(r.result).not.toBe("Allowed");
  });
});

describe("alert key policy", () => {
  const keyArn = `arn:aws:kms:us-east-1:${ORG.management}:key/11111111-2222-3333-4444-555555555555`;
  const doc = alertKeyPolicy({ accountId: ORG.management });

  it("lets CloudWatch of the account generate data keys and refuses it for another account", async () => {
    const ok = await simulate({
      caller: serviceCaller({ service: "cloudwatch.amazonaws.com", sourceAccount: ORG.management }),
      action: "kms:GenerateDataKey",
      resource: keyArn,
      resourceAccount: ORG.management,
      resourcePolicy: doc,
    });
    expect(ok.result).toBe("Allowed");
    const other = await simulate({
      caller: serviceCaller({ service: "cloudwatch.amazonaws.com", sourceAccount: ORG.outsider }),
      action: "kms:GenerateDataKey",
      resource: keyArn,
      resourceAccount: ORG.management,
      resourcePolicy: doc,
    });
    expect(other.result).not.toBe("Allowed");
  });

  it("still lets CloudWatch use the key when the request carries no source account", async () => {
    const r = await simulate({
      caller: serviceCaller({ service: "cloudwatch.amazonaws.com" }),
      action: "kms:GenerateDataKey",
      resource: keyArn,
      resourceAccount: ORG.management,
      resourcePolicy: doc,
    });
    expect(r.result).toBe("Allowed");
  });

  it("gives the account's administrators no decrypt through the key policy", async () => {
    const admin = roleCaller({ accountId: ORG.management, roleName: "Admin", identityPolicies: [allowAll("*")] });
    const r = await simulate({
      caller: admin,
      action: "kms:Decrypt",
      resource: keyArn,
      resourceAccount: ORG.management,
      resourcePolicy: doc,
    });
    expect(r.result).not.toBe("Allowed");
  });
});
