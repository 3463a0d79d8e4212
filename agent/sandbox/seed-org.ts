/** Organization, OUs, accounts, the logging SCP, and the IAM roles the baseline relies on. */
import {
  AttachPolicyCommand,
  CreateAccountCommand,
  CreateOrganizationalUnitCommand,
  CreateOrganizationCommand,
  CreatePolicyCommand,
  EnablePolicyTypeCommand,
  ListRootsCommand,
  MoveAccountCommand,
  OrganizationsClient,
} from "@aws-sdk/client-organizations";
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import { assertScpSize, eventBusArn, policy, STACKSET_READ_ACTIONS, type PolicyDocument } from "../../baseline";
import { centralBusName, memberRoles, type MemberRolesInput } from "../../baseline/detection";
import { SANDBOX, sandboxScps, trailRoleDocuments, type SandboxAccounts, type SandboxOus } from "./layout";
import type { SandboxSession } from "./session";

export interface SeededOrganization {
  orgId: string;
  rootId: string;
  ous: SandboxOus;
  accounts: SandboxAccounts;
}

/** Creates an account and returns its id. Moto finishes CreateAccount synchronously (State SUCCEEDED). */
export async function createAccount(org: OrganizationsClient, name: string, email: string): Promise<string> {
  const r = await org.send(new CreateAccountCommand({ AccountName: name, Email: email }));
  const s = r.CreateAccountStatus;
  if (s?.State !== "SUCCEEDED" || !s.AccountId)
    throw new Error(`CreateAccount ${name} did not succeed: ${JSON.stringify(s)}`);
  return s.AccountId;
}

export async function seedOrganization(
  session: SandboxSession,
  home: string,
  stack: string,
): Promise<SeededOrganization> {
  const org = await session.client(OrganizationsClient, session.managementAccountId, home);
  const created = await org.send(new CreateOrganizationCommand({ FeatureSet: "ALL" }));
  const orgId = created.Organization?.Id;
  if (!orgId) throw new Error("CreateOrganization returned no organization id");
  session.inventory.lay("aws:organizations/organization:Organization", "org-organization");
  const rootId = (await org.send(new ListRootsCommand({}))).Roots?.[0]?.Id;
  if (!rootId) throw new Error("ListRoots returned no root");

  const ou = async (Name: string) => {
    const r = await org.send(new CreateOrganizationalUnitCommand({ ParentId: rootId, Name }));
    session.inventory.lay("aws:organizations/organizationalUnit:OrganizationalUnit", `org-ou-${Name.toLowerCase()}`);
    return r.OrganizationalUnit!.Id!;
  };
  const ous: SandboxOus = { security: await ou("Security"), workloads: await ou("Workloads") };
  const logArchive = await createAccount(org, "Log Archive", `log-archive+${stack}@example.com`);
  const security = await createAccount(org, "Security", `security+${stack}@example.com`);
  session.inventory.lay("aws:organizations/account:Account", "org-log-archive");
  session.inventory.lay("aws:organizations/account:Account", "org-security");
  const members = [
    await createAccount(org, "Workload A", `workload-a+${stack}@example.com`),
    await createAccount(org, "Workload B", `workload-b+${stack}@example.com`),
  ];
  const move = (AccountId: string, DestinationParentId: string) =>
    org.send(new MoveAccountCommand({ AccountId, SourceParentId: rootId, DestinationParentId }));
  await move(logArchive, ous.security);
  await move(security, ous.security);
  for (const m of members) await move(m, ous.workloads);
  // The management account stays at the root, as in every real organization: SCPs never bind it.
  return { orgId, rootId, ous, accounts: { management: session.managementAccountId, logArchive, security, members } };
}

/** Creates the security-baseline SCPs from baseline/ and attaches each to the root; returns their policy ids in order. */
export async function seedScps(
  session: SandboxSession,
  home: string,
  stack: string,
  rootId: string,
  controlTower?: { logArchive: string; homeRegion: string },
): Promise<string[]> {
  const org = await session.client(OrganizationsClient, session.managementAccountId, home);
  // Moto reports SCPs as available on CreateOrganization; real AWS needs the policy type enabled on the root.
  await org.send(new EnablePolicyTypeCommand({ RootId: rootId, PolicyType: "SERVICE_CONTROL_POLICY" }));
  const ids: string[] = [];
  for (const scp of sandboxScps(stack, session.managementAccountId, controlTower)) {
    const content = assertScpSize(scp.name, scp.document);
    const r = await org.send(
      new CreatePolicyCommand({
        Name: scp.name,
        Description: "orgwarden: nobody but exempt roles may switch off security logging",
        Type: "SERVICE_CONTROL_POLICY",
        Content: content,
      }),
    );
    const id = r.Policy?.PolicySummary?.Id;
    if (!id) throw new Error(`CreatePolicy returned no policy id for ${scp.name}`);
    await org.send(new AttachPolicyCommand({ PolicyId: id, TargetId: rootId }));
    // infra/logging-scp.ts: logging-scp-policy, logging-scp-<part>-policy, and their attachments.
    session.inventory.lay("aws:organizations/policy:Policy", "logging-scp-*policy");
    session.inventory.lay("aws:organizations/policyAttachment:PolicyAttachment", "logging-scp-*attachment");
    ids.push(id);
  }
  return ids;
}

/** What moto's IAM enforcement lets the read role do, standing in for SecurityAudit (see seedRoles). */
const AUDIT_READ_PERMISSIONS: PolicyDocument = policy([
  {
    Sid: "OrgwardenAuditRead",
    Effect: "Allow",
    Action: [
      "organizations:Describe*",
      "organizations:List*",
      "cloudtrail:Describe*",
      "cloudtrail:Get*",
      "cloudtrail:List*",
      "s3:GetBucket*",
      "s3:GetObjectLockConfiguration",
      "s3:GetEncryptionConfiguration",
      "s3:GetBucketPublicAccessBlock",
      // The log-bucket reads the baseline's extra read policy grants (baseline/log-buckets.ts LOG_BUCKET_READ_ACTIONS).
      "s3:GetLifecycleConfiguration",
      "s3:ListBucket",
      "kms:DescribeKey",
      "kms:GetKeyPolicy",
      "kms:GetKeyRotationStatus",
      "kms:ListGrants",
      "kms:ListAliases",
      "iam:GetRole",
      "iam:ListRolePolicies",
      "iam:GetRolePolicy",
      "iam:ListAttachedRolePolicies",
      "config:Describe*",
      "guardduty:Get*",
      "guardduty:List*",
      "guardduty:DescribeOrganizationConfiguration",
      "securityhub:DescribeHub",
      // The securityhub-* organization checks (audit-extra-read; moto serves DescribeOrganizationConfiguration only).
      "securityhub:ListOrganizationAdminAccounts",
      "securityhub:DescribeOrganizationConfiguration",
      "securityhub:ListConfigurationPolicies",
      "securityhub:GetConfigurationPolicy",
      "securityhub:GetConfigurationPolicyAssociation",
      "securityhub:ListFindingAggregators",
      "securityhub:GetFindingAggregator",
      "securityhub:GetEnabledStandards",
      "inspector2:BatchGetAccountStatus",
      "inspector2:ListDelegatedAdminAccounts",
      "inspector2:DescribeOrganizationConfiguration",
      "inspector2:ListMembers",
      "ssm:ListAssociations",
      "ssm:DescribeAssociation*",
      "ssm:DescribeParameters",
      "ssm:ListTagsForResource",
      "glue:GetDatabase",
      "glue:GetTables",
      "athena:GetWorkGroup",
      "route53resolver:ListResolverQueryLogConfigs",
      "route53resolver:ListResolverQueryLogConfigAssociations",
      "scheduler:GetSchedule",
      "ram:GetResourceShareAssociations",
      "ram:GetResourceShares",
      // SecurityAudit's ec2:Describe* (vpc-flow-logs, dns-query-log-associations).
      "ec2:DescribeVpcs",
      "ec2:DescribeFlowLogs",
      "logs:Describe*",
      "cloudwatch:DescribeAlarms",
      // moto's IAM enforcement names an action by the signing name, which is "monitoring" for CloudWatch.
      "monitoring:DescribeAlarms",
      // The alert pipeline (baseline/detection/documents.ts DETECTION_PIPELINE_READ_ACTIONS, there on exactly its resources).
      "sns:GetTopicAttributes",
      "sns:ListSubscriptionsByTopic",
      "events:DescribeEventBus",
      "events:DescribeRule",
      "events:ListTargetsByRule",
    ],
    Resource: "*",
  },
  // The stackset-* reads. The member template grants them on the baseline's StackSet and stacks only
  // (stackSetReadStatement, proven with iam-simulate); moto's IAM enforcement authorizes CloudFormation
  // calls against resource "*" (it builds no CloudFormation ARN), so here they cannot be scoped.
  { Sid: "MemberBaselineStackRead", Effect: "Allow", Action: [...STACKSET_READ_ACTIONS], Resource: "*" },
]);

export async function createRole(
  iam: IAMClient,
  RoleName: string,
  trust: PolicyDocument,
  permissions: PolicyDocument,
  PolicyName = `${RoleName}-policy`,
  MaxSessionDuration?: number,
): Promise<void> {
  await iam.send(
    new CreateRoleCommand({
      RoleName,
      AssumeRolePolicyDocument: JSON.stringify(trust),
      ...(MaxSessionDuration ? { MaxSessionDuration } : {}),
    }),
  );
  await iam.send(
    new PutRolePolicyCommand({
      RoleName,
      PolicyName,
      PolicyDocument: JSON.stringify(permissions),
    }),
  );
}

/** The member roles' inputs as infra derives them for the sandbox (baseline/detection/member-roles.ts). */
export function sandboxMemberRolesInput(home: string, orgId: string, accounts: SandboxAccounts): MemberRolesInput {
  return {
    orgId,
    securityAccountId: accounts.security,
    auditReadRoleName: SANDBOX.readRoleName,
    auditAgentRoleName: SANDBOX.agentRoleName,
    namePrefix: SANDBOX.namePrefix,
    centralBusArn: eventBusArn(home, accounts.security, centralBusName(SANDBOX.namePrefix)),
  };
}

/**
 * The member baseline's two roles in every account (baseline/detection/member-roles.ts), and the
 * trail's CloudWatch Logs role. The forwarder role is laid exactly. The read role has its trust, its
 * session limit and its audit-extra-read exactly, but moto cannot attach the AWS managed SecurityAudit
 * (it loads AWS managed policies only when started with MOTO_IAM_LOAD_MANAGED_POLICIES, every one of
 * them into every account), so AUDIT_READ_PERMISSIONS stands in for it as an inline policy: what
 * moto's IAM enforcement lets the read role do in the tests that switch it on. iam-role-permissions
 * therefore FAILs on the sandbox's read role (the manifest the sandbox publishes has no roles.perAccount;
 * test/agent/scenarios/keys-and-roles.test.ts publishes one and asserts exactly that gap).
 */
export async function seedRoles(
  session: SandboxSession,
  home: string,
  stack: string,
  orgId: string,
  accounts: SandboxAccounts,
  all: string[],
): Promise<void> {
  const input = sandboxMemberRolesInput(home, orgId, accounts);
  for (const account of all) {
    const iam = await session.client(IAMClient, account, home);
    const [read, forwarder] = memberRoles(input, account);
    await createRole(iam, read.roleName, read.trustPolicy, AUDIT_READ_PERMISSIONS, undefined, read.maxSessionDuration);
    for (const [PolicyName, doc] of Object.entries(read.inlinePolicies))
      await iam.send(
        new PutRolePolicyCommand({ RoleName: read.roleName, PolicyName, PolicyDocument: JSON.stringify(doc) }),
      );
    const [[PolicyName, doc]] = Object.entries(forwarder.inlinePolicies);
    await createRole(iam, forwarder.roleName, forwarder.trustPolicy, doc, PolicyName);
  }
  const docs = trailRoleDocuments({ stack, homeRegion: home, orgId, accounts });
  await createRole(
    await session.client(IAMClient, accounts.management, home),
    SANDBOX.trailLogsRoleName,
    docs.trust,
    docs.permissions,
    SANDBOX.trailLogsPolicyName,
  );
  session.inventory.lay("aws:iam/role:Role", "org-trail-logs-role");
  session.inventory.lay("aws:iam/rolePolicy:RolePolicy", "org-trail-logs-role-policy");
}
