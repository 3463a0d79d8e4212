import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { requireProvider } from "../providers";
import type { LaidRole } from "../laid-key";
import {
  DETECT_STACKSET_DRIFT_TARGET_ARN,
  STACKSET_DRIFT_POLICY_NAME,
  stackSetDriftInput,
  stackSetDriftRoleName,
  stackSetDriftRolePolicy,
  stackSetDriftRoleTrust,
  stackSetDriftScheduleExpression,
  stackSetDriftScheduleName,
} from "../../baseline/detection";

export interface StackSetOperationPreferences {
  maxConcurrentPercentage: number;
  failureTolerancePercentage: number;
  regionConcurrencyType: "SEQUENTIAL" | "PARALLEL";
}

export interface MemberBaselineStackSetArgs {
  stackSetName: string;
  templateBody: pulumi.Input<string>;
  /** OUs whose accounts, present and future, get the baseline. */
  targetOuIds: pulumi.Input<string>[];
  /** Accounts of those OUs that must not get the baseline (stackSet.excludeAccounts). Default: none. */
  excludeAccounts?: string[];
  /** Governed regions, home region first. */
  regions: string[];
  operationPreferences: StackSetOperationPreferences;
  /** Resources the stacks need at creation (the Config bucket policy, the central bus policy). */
  waitFor?: pulumi.Input<pulumi.Resource>[];
  /**
   * Scheduled drift detection (baseline/detection/stackset-drift-schedule.ts): an EventBridge
   * Scheduler schedule in this provider's account and region that starts DetectStackSetDrift every
   * half of `maxAgeHours` (audit.stackSetDriftMaxAgeHours), as its own role.
   */
  driftDetection: { namePrefix: string; homeRegion: string; managementAccountId: string; maxAgeHours: number };
}

/**
 * Service-managed StackSet (management account): CloudFormation itself deploys the member baseline
 * to every account of the target OUs, including accounts created later, and removes it from
 * accounts that leave. It never reaches the management account.
 */
export class MemberBaselineStackSet extends pulumi.ComponentResource {
  public readonly stackSet: aws.cloudformation.StackSet;
  public readonly instances: aws.cloudformation.StackSetInstance[];
  public readonly driftSchedule: aws.scheduler.Schedule;
  /** The drift schedule's role as the manifest's `roles.shared` entry `stackset-drift-role`. */
  public readonly driftRole: LaidRole;

  constructor(name: string, args: MemberBaselineStackSetArgs, opts?: pulumi.ComponentResourceOptions) {
    requireProvider("orgwarden:detection:MemberBaselineStackSet", name, opts);
    super("orgwarden:detection:MemberBaselineStackSet", name, {}, opts);
    if (args.regions.length === 0)
      throw new Error(`MemberBaselineStackSet "${name}": args.regions must name at least one region`);
    const prefs = { ...args.operationPreferences, regionOrders: args.regions };
    const exclude = [...(args.excludeAccounts ?? [])];
    this.stackSet = new aws.cloudformation.StackSet(
      `${name}-stackset`,
      {
        name: args.stackSetName,
        description: "orgwarden member baseline: Config, audit read role, SSM agents, finding forwarding",
        permissionModel: "SERVICE_MANAGED",
        autoDeployment: { enabled: true, retainStacksOnAccountRemoval: false },
        callAs: "SELF",
        capabilities: ["CAPABILITY_NAMED_IAM"],
        templateBody: args.templateBody,
        // Queues operations instead of failing with OperationInProgressException when two overlap.
        managedExecution: { active: true },
        operationPreferences: prefs,
      },
      // AWS fills administrationRoleArn for service-managed StackSets; without this every preview shows a diff.
      // A service-managed StackSet can only be created once trusted access for StackSets is on (waitFor).
      { parent: this, ignoreChanges: ["administrationRoleArn"], dependsOn: args.waitFor ?? [] },
    );
    let previous: pulumi.Resource[] = [...((args.waitFor ?? []) as pulumi.Resource[])];
    this.instances = args.regions.map((region) => {
      const instance = new aws.cloudformation.StackSetInstance(
        `${name}-${region}`,
        {
          stackSetName: this.stackSet.name,
          stackSetInstanceRegion: region,
          callAs: "SELF",
          deploymentTargets: {
            organizationalUnitIds: args.targetOuIds,
            // DIFFERENCE: the OUs' accounts minus these (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DeploymentTargets.html).
            ...(exclude.length > 0 ? { accountFilterType: "DIFFERENCE", accounts: exclude } : {}),
          },
          operationPreferences: prefs,
          retainStack: false,
        },
        // One region after the other, home first: global IAM roles exist before other regions refer to them.
        { parent: this, dependsOn: previous },
      );
      previous = [instance];
      return instance;
    });
    const d = args.driftDetection;
    const driftTrust = stackSetDriftRoleTrust(d.managementAccountId);
    const driftRole = new aws.iam.Role(
      `${name}-drift-role`,
      {
        name: stackSetDriftRoleName(d.namePrefix),
        description: "EventBridge Scheduler: starts drift detection of the orgwarden member-baseline StackSet",
        assumeRolePolicy: JSON.stringify(driftTrust),
      },
      { parent: this },
    );
    const driftPermissions = stackSetDriftRolePolicy(d);
    const driftPolicy = new aws.iam.RolePolicy(
      `${name}-drift-role-policy`,
      { role: driftRole.name, name: STACKSET_DRIFT_POLICY_NAME, policy: JSON.stringify(driftPermissions) },
      { parent: this },
    );
    this.driftRole = {
      name: "stackset-drift-role",
      purpose: "the StackSet drift schedule's role",
      account: d.managementAccountId,
      roleName: stackSetDriftRoleName(d.namePrefix),
      trustPolicy: driftTrust,
      inlinePolicies: { [STACKSET_DRIFT_POLICY_NAME]: driftPermissions },
      managedPolicyArns: [],
    };
    this.driftSchedule = new aws.scheduler.Schedule(
      `${name}-drift-schedule`,
      {
        name: stackSetDriftScheduleName(d.namePrefix),
        description: `Detects drift of the StackSet ${args.stackSetName}, so that the audit's stackset-drift judges a recent detection`,
        scheduleExpression: stackSetDriftScheduleExpression(d.maxAgeHours),
        flexibleTimeWindow: { mode: "OFF" },
        state: "ENABLED",
        target: {
          arn: DETECT_STACKSET_DRIFT_TARGET_ARN,
          roleArn: driftRole.arn,
          input: JSON.stringify(stackSetDriftInput(d.namePrefix)),
          // A detection already running (one per StackSet at a time) fails the call: the next run retries.
          retryPolicy: { maximumRetryAttempts: 0 },
        },
      },
      // After every instance exists: a detection during the first deployment would only conflict with it.
      { parent: this, dependsOn: [driftPolicy, this.stackSet, ...this.instances] },
    );
    this.registerOutputs({ stackSetName: this.stackSet.name, driftScheduleArn: this.driftSchedule.arn });
  }
}
