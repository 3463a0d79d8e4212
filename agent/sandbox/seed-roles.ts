/**
 * The baseline roles the sandbox lays in one account each, as the manifest's `roles.shared`: the
 * trail's CloudWatch Logs role (laid by seedRoles, seed-org.ts), the log auditor role (laid here,
 * once the log key exists) and the StackSet drift schedule's role (laid here), from the same
 * baseline/ documents and infra's names. The agent's roles and the Athena analyst role are laid by
 * seed-agent-roles.ts, once the topics, the bus and the keys their policies name exist.
 */
import { IAMClient } from "@aws-sdk/client-iam";
import { logAuditorPolicy, logAuditorTrustPolicy, type AuditManifest } from "../../baseline";
import {
  STACKSET_DRIFT_POLICY_NAME,
  stackSetDriftRoleName,
  stackSetDriftRolePolicy,
  stackSetDriftRoleTrust,
} from "../../baseline/detection";
import { bucketNames, SANDBOX, sandboxTrailArn, trailRoleDocuments, type SandboxAccounts } from "./layout";
import { createRole } from "./seed-org";
import type { SandboxSession } from "./session";

export type RoleIntent = NonNullable<AuditManifest["roles"]>["shared"][number];

export const LOG_AUDITOR_POLICY_NAME = "orgwarden-log-auditor";

interface Ctx {
  session: SandboxSession;
  stack: string;
  home: string;
  orgId: string;
  accounts: SandboxAccounts;
  controlTower?: boolean;
}

/**
 * The StackSet drift schedule's role (management account), as infra/detection/member-stackset.ts
 * lays it; the schedule itself is not laid (moto has no drift detection to start).
 */
async function seedDriftRole(c: Ctx): Promise<RoleIntent> {
  const input = { namePrefix: SANDBOX.namePrefix, homeRegion: c.home, managementAccountId: c.accounts.management };
  const roleName = stackSetDriftRoleName(SANDBOX.namePrefix);
  const trust = stackSetDriftRoleTrust(c.accounts.management);
  const permissions = stackSetDriftRolePolicy(input);
  await createRole(
    await c.session.client(IAMClient, c.accounts.management, c.home),
    roleName,
    trust,
    permissions,
    STACKSET_DRIFT_POLICY_NAME,
  );
  c.session.inventory.lay("aws:iam/role:Role", "detection-member-baseline-drift-role");
  c.session.inventory.lay("aws:iam/rolePolicy:RolePolicy", "detection-member-baseline-drift-role-policy");
  return {
    name: "stackset-drift-role",
    purpose: "the StackSet drift schedule's role",
    account: c.accounts.management,
    roleName,
    trustPolicy: trust,
    inlinePolicies: { [STACKSET_DRIFT_POLICY_NAME]: permissions },
    managedPolicyArns: [],
  };
}

/**
 * Under controlTower infra lays neither the trail's role nor a log auditor (the trail is Control
 * Tower's): only the drift schedule's role is listed, which infra lays in both modes.
 */
export async function seedBaselineRoles(c: Ctx, logKeyArn: string): Promise<RoleIntent[]> {
  const drift = await seedDriftRole(c);
  if (c.controlTower) return [drift];
  const trail = trailRoleDocuments({ stack: c.stack, homeRegion: c.home, orgId: c.orgId, accounts: c.accounts });
  const auditorTrust = logAuditorTrustPolicy({
    securityAccountId: c.accounts.security,
    orgId: c.orgId,
    agentRoleName: SANDBOX.agentRoleName,
  });
  const auditorPolicy = logAuditorPolicy({
    archiveBucketName: bucketNames(c.stack, c.accounts.management).archive,
    orgId: c.orgId,
    keyArn: logKeyArn,
    trailArn: sandboxTrailArn({ homeRegion: c.home, accounts: c.accounts }),
    region: c.home,
  });
  await createRole(
    await c.session.client(IAMClient, c.accounts.security, c.home),
    SANDBOX.auditorRoleName,
    auditorTrust,
    auditorPolicy,
    LOG_AUDITOR_POLICY_NAME,
  );
  c.session.inventory.lay("aws:iam/role:Role", "log-auditor-role");
  c.session.inventory.lay("aws:iam/rolePolicy:RolePolicy", "log-auditor-policy");
  return [
    {
      name: "trail-logs-role",
      purpose: "the organization trail's CloudWatch Logs delivery role",
      account: c.accounts.management,
      roleName: SANDBOX.trailLogsRoleName,
      trustPolicy: trail.trust,
      inlinePolicies: { [SANDBOX.trailLogsPolicyName]: trail.permissions },
      managedPolicyArns: [],
    },
    {
      name: "log-auditor-role",
      purpose: "the log auditor role",
      account: c.accounts.security,
      roleName: SANDBOX.auditorRoleName,
      trustPolicy: auditorTrust,
      inlinePolicies: { [LOG_AUDITOR_POLICY_NAME]: auditorPolicy },
      managedPolicyArns: [],
    },
    drift,
  ];
}
