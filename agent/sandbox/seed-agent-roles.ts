/**
 * The security account's roles infra lays beside the agent and Athena, laid as infra does with the
 * stack defaults, from the same baseline/ builders, and published as the manifest's `roles.shared`
 * entries infra publishes:
 *  - the agent role (infra/audit-agent.ts: auditAgentTrustPolicy, auditAgentPolicy), and with the
 *    step-functions engine the state machine's and the schedule's roles (infra/audit-engine.ts:
 *    auditStateMachine*Policy, auditSchedule*Policy); the lambda engine lays no other role;
 *  - the Athena log analyst role (infra/athena/log-analytics.ts: analystTrustPolicy, analystPolicy),
 *    trusting the sandbox's athena.analystPrincipals.
 * None of them has a managed policy attached in infra (the agent writes its own logs through its
 * inline policy, not AWSLambdaBasicExecutionRole), so moto lays them exactly.
 */
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import {
  AUDIT_AGENT_ROLE,
  AUDIT_SCHEDULE_ROLE,
  AUDIT_STATE_MACHINE_ROLE,
  auditAgentPolicy,
  auditAgentTrustPolicy,
  auditSchedulePolicy,
  auditScheduleTrustPolicy,
  auditStateMachinePolicy,
  auditStateMachineTrustPolicy,
  manifestParameterName,
  type PolicyDocument,
} from "../../baseline";
import { ANALYST_ROLE, analystPolicy, analystTrustPolicy, type AthenaManifest } from "../../baseline/athena";
import {
  AUDIT_ENGINE_ROLE_SUFFIXES,
  agentLogGroupNames,
  STEPS,
  stepFunctionName,
} from "../../baseline/audit-agent-deployment";
import { bucketNames, SANDBOX, sandboxAgentFunctionName } from "./layout";
import type { RoleIntent } from "./seed-roles";
import type { SandboxSession } from "./session";

interface Ctx {
  session: SandboxSession;
  stack: string;
  home: string;
  orgId: string;
  accounts: { management: string; security: string };
}

interface LaidRoleSpec {
  entry: { entry: string; purpose: string; policyName: string };
  roleName: string;
  description: string;
  trust: PolicyDocument;
  permissions: PolicyDocument;
  maxSessionDuration?: number;
  /** infra's logical names of the role and its inline policy, for the inventory. */
  resources: [role: string, policy: string];
}

/** One role and its one inline policy in the security account, recorded in infra's terms; returns its `roles.shared` entry. */
async function layRole(c: Ctx, r: LaidRoleSpec): Promise<RoleIntent> {
  const iam = await c.session.client(IAMClient, c.accounts.security, c.home);
  await iam.send(
    new CreateRoleCommand({
      RoleName: r.roleName,
      Description: r.description,
      AssumeRolePolicyDocument: JSON.stringify(r.trust),
      ...(r.maxSessionDuration ? { MaxSessionDuration: r.maxSessionDuration } : {}),
    }),
  );
  c.session.inventory.lay("aws:iam/role:Role", r.resources[0]);
  await iam.send(
    new PutRolePolicyCommand({
      RoleName: r.roleName,
      PolicyName: r.entry.policyName,
      PolicyDocument: JSON.stringify(r.permissions),
    }),
  );
  c.session.inventory.lay("aws:iam/rolePolicy:RolePolicy", r.resources[1]);
  return {
    name: r.entry.entry,
    purpose: r.entry.purpose,
    account: c.accounts.security,
    roleName: r.roleName,
    trustPolicy: r.trust,
    inlinePolicies: { [r.entry.policyName]: r.permissions },
    managedPolicyArns: [],
  };
}

export interface AgentRolesInput {
  /** The security-alerts topic and its key, and the central bus (the agent's notifications, as infra/program.ts passes them). */
  alertTopic: { topicArn: string; keyArn: string };
  eventBusArn: string;
}

/**
 * The agent role as infra/program.ts's auditAgent() configures it with the stack defaults
 * (SANDBOX.auditEngine, audit.securityHub on, notifications to the security-alerts topic and the
 * central bus, the log auditor), then the engine's roles (infra/audit-engine.ts).
 */
export async function seedAgentRoles(c: Ctx, i: AgentRolesInput): Promise<RoleIntent[]> {
  const securityAccountId = c.accounts.security;
  const functionName = sandboxAgentFunctionName(c.stack);
  const groups = agentLogGroupNames(functionName, SANDBOX.auditEngine);
  const stepGroups = STEPS.flatMap((s) => (groups[s] ? [groups[s]] : []));
  const agent = await layRole(c, {
    entry: AUDIT_AGENT_ROLE,
    roleName: SANDBOX.agentRoleName,
    description: "orgwarden: the scheduled audit agent (Lambda)",
    trust: auditAgentTrustPolicy({ securityAccountId }),
    permissions: auditAgentPolicy({
      securityAccountId,
      orgId: c.orgId,
      region: c.home,
      readRoleName: SANDBOX.readRoleName,
      logAuditorRoleName: SANDBOX.auditorRoleName,
      manifestParameterName: manifestParameterName(c.stack),
      reportBucketName: bucketNames(c.stack, c.accounts.management).reports,
      reportPrefix: SANDBOX.reportPrefix,
      logGroupName: groups.single,
      ...(stepGroups.length > 0 ? { steps: { logGroupNames: stepGroups } } : {}),
      securityHub: SANDBOX.auditSecurityHub,
      alertTopic: i.alertTopic,
      eventBusArn: i.eventBusArn,
    }),
    resources: ["audit-agent-role", "audit-agent-policy"],
  });
  if (SANDBOX.auditEngine === "lambda") return [agent];
  const ref = { accountId: securityAccountId, region: c.home, stateMachineName: functionName };
  const states = await layRole(c, {
    entry: AUDIT_STATE_MACHINE_ROLE,
    roleName: `${SANDBOX.agentRoleName}${AUDIT_ENGINE_ROLE_SUFFIXES.stateMachine}`,
    description: "orgwarden: the nightly audit's state machine (Step Functions)",
    trust: auditStateMachineTrustPolicy(ref),
    permissions: auditStateMachinePolicy({
      ...ref,
      functionNames: STEPS.map((s) => stepFunctionName(functionName, s)),
      tracing: false,
    }),
    resources: ["audit-agent-states-role", "audit-agent-states-policy"],
  });
  const schedule = await layRole(c, {
    entry: AUDIT_SCHEDULE_ROLE,
    roleName: `${SANDBOX.agentRoleName}${AUDIT_ENGINE_ROLE_SUFFIXES.schedule}`,
    description: "orgwarden: lets the nightly audit's EventBridge rule start its state machine",
    // The rule is named after the function, as infra's is (seed-audit-agent.ts lays it).
    trust: auditScheduleTrustPolicy({ ...ref, ruleName: functionName }),
    permissions: auditSchedulePolicy(ref),
    resources: ["audit-agent-schedule-role", "audit-agent-schedule-policy"],
  });
  return [agent, states, schedule];
}

export interface AnalystRoleInput {
  /** The log catalogue and workgroup seed-athena.ts laid. */
  athena: Pick<AthenaManifest, "databaseName" | "workgroupName">;
  archive: { bucketName: string; keyArn: string };
  flowLogs: { bucketName: string; keyArn: string };
  results: { bucketName: string; keyArn: string };
}

/** The log analyst role as infra/athena/log-analytics.ts lays it, trusting SANDBOX.analystPrincipals of the security account. */
export async function seedAnalystRole(c: Ctx, i: AnalystRoleInput): Promise<RoleIntent> {
  const securityAccountId = c.accounts.security;
  return layRole(c, {
    entry: ANALYST_ROLE,
    roleName: SANDBOX.analystRoleName,
    description: "orgwarden: the only principal Athena reads the CloudTrail archive and the flow logs as",
    trust: analystTrustPolicy(securityAccountId, SANDBOX.analystPrincipals),
    permissions: analystPolicy({
      region: c.home,
      securityAccountId,
      orgId: c.orgId,
      workgroupName: i.athena.workgroupName,
      databaseName: i.athena.databaseName,
      archiveBucketName: i.archive.bucketName,
      logKeyArn: i.archive.keyArn,
      flowLogs: i.flowLogs,
      resultsBucketName: i.results.bucketName,
      resultsKeyArn: i.results.keyArn,
    }),
    maxSessionDuration: 3600,
    resources: ["athena-analyst-role", "athena-analyst-policy"],
  });
}
