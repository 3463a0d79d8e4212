/**
 * The member-baseline StackSet as infra/detection/member-stackset.ts lays it (service-managed,
 * auto-deployment on, one instance set per governed region over the target OUs), and the
 * management account's direct stack in every governed region as infra/detection/direct-baseline.ts
 * lays it, so the stackset-* checks read in moto what a fresh `pulumi up` leaves.
 *
 * The template is a one-resource stand-in, not the member template: moto would create the
 * template's roles, recorder and rules in every account a second time (the seeder lays them
 * directly, seed-org.ts and seed-detection.ts), and the checks read status and drift, never the
 * template. moto fills no DriftStatus, keeps no AutoDeployment and ignores AccountFilterType
 * (stackSet.excludeAccounts): see MOTO_GAP_CHECKS and deleteStackInstance.
 */
import { CreateScheduleCommand, SchedulerClient } from "@aws-sdk/client-scheduler";
import { driftScheduleIntent } from "../../baseline/detection/stackset-drift-schedule";
import {
  CloudFormationClient,
  CreateStackCommand,
  CreateStackInstancesCommand,
  CreateStackSetCommand,
  DeleteStackInstancesCommand,
} from "@aws-sdk/client-cloudformation";
import { stackSetTargets, type StackSetIntent } from "../../baseline";
import type { SandboxSession } from "./session";

export const SANDBOX_STACK_TEMPLATE = JSON.stringify({
  AWSTemplateFormatVersion: "2010-09-09",
  Description: "orgwarden sandbox stand-in for the member baseline (agent/sandbox/seed-stackset.ts)",
  Resources: { Baseline: { Type: "AWS::CloudFormation::WaitConditionHandle", Properties: {} } },
});

export interface StackSetSeed {
  session: SandboxSession;
  management: string;
  home: string;
  /** Governed regions, home first (the StackSet's region order). */
  regions: string[];
  intent: StackSetIntent;
}

export async function seedStackSet(seed: StackSetSeed): Promise<void> {
  const s = { ...seed, intent: stackSetTargets(seed.intent, seed.management) };
  const cfn = await s.session.client(CloudFormationClient, s.management, s.home);
  await cfn.send(
    new CreateStackSetCommand({
      StackSetName: s.intent.name,
      Description: "orgwarden member baseline: Config, audit read role, SSM agents, finding forwarding",
      TemplateBody: SANDBOX_STACK_TEMPLATE,
      PermissionModel: "SERVICE_MANAGED",
      AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
      Capabilities: ["CAPABILITY_NAMED_IAM"],
      ManagedExecution: { Active: true },
      CallAs: "SELF",
    }),
  );
  s.session.inventory.lay("aws:cloudformation/stackSet:StackSet", "detection-member-baseline-stackset");
  // The drift schedule, as infra/detection/member-stackset.ts lays it (moto holds it; it starts nothing).
  const drift = driftScheduleIntent({
    stackSetName: s.intent.name,
    managementAccountId: s.management,
    maxAgeHours: s.intent.driftMaxAgeHours,
  });
  await (
    await s.session.client(SchedulerClient, s.management, s.home)
  ).send(
    new CreateScheduleCommand({
      Name: drift.name,
      ScheduleExpression: drift.scheduleExpression,
      FlexibleTimeWindow: { Mode: "OFF" },
      State: drift.state,
      Target: {
        Arn: drift.targetArn,
        RoleArn: drift.roleArn,
        Input: JSON.stringify(drift.input),
        RetryPolicy: { MaximumRetryAttempts: 0 },
      },
    }),
  );
  s.session.inventory.lay("aws:scheduler/schedule:Schedule", "detection-member-baseline-drift-schedule");
  await cfn.send(
    new CreateStackInstancesCommand({
      StackSetName: s.intent.name,
      DeploymentTargets: {
        OrganizationalUnitIds: s.intent.targetOuIds,
        ...(s.intent.excludeAccounts.length > 0
          ? { AccountFilterType: "DIFFERENCE", Accounts: s.intent.excludeAccounts }
          : {}),
      },
      Regions: s.regions,
      CallAs: "SELF",
    }),
  );
  s.session.inventory.lay("aws:cloudformation/stackSetInstance:StackSetInstance", "detection-member-baseline-*");
  // moto ignores AccountFilterType: take the excluded accounts' instances away again, as AWS would never have made them.
  if (s.intent.excludeAccounts.length > 0)
    await cfn.send(
      new DeleteStackInstancesCommand({
        StackSetName: s.intent.name,
        Accounts: s.intent.excludeAccounts,
        Regions: s.regions,
        RetainStacks: false,
        CallAs: "SELF",
      }),
    );
  for (const account of s.intent.directAccounts) {
    for (const region of s.regions) {
      const direct = await s.session.client(CloudFormationClient, account, region);
      await direct.send(
        new CreateStackCommand({
          StackName: s.intent.name,
          TemplateBody: SANDBOX_STACK_TEMPLATE,
          Capabilities: ["CAPABILITY_NAMED_IAM"],
          OnFailure: "ROLLBACK",
        }),
      );
      s.session.inventory.lay("aws:cloudformation/stack:Stack", "detection-management-baseline-*");
    }
  }
}

/** Drift: one account's instance in one region removed (what an operator's DeleteStackInstances, or a failed auto-deployment, leaves). */
export async function deleteStackInstance(
  session: SandboxSession,
  s: { management: string; home: string; name: string },
  account: string,
  region: string,
): Promise<void> {
  const cfn = await session.client(CloudFormationClient, s.management, s.home);
  await cfn.send(
    new DeleteStackInstancesCommand({
      StackSetName: s.name,
      Accounts: [account],
      Regions: [region],
      RetainStacks: false,
      CallAs: "SELF",
    }),
  );
}
