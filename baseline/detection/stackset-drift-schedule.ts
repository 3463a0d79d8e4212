/**
 * Scheduled drift detection of the member-baseline StackSet: an EventBridge Scheduler schedule in
 * the management account (home region) whose universal target calls CloudFormation's
 * DetectStackSetDrift, so that `stackset-drift` judges a recent detection instead of FAILing
 * "drift unknown" on every deployment nobody remembered to check. The audit's read role stays
 * read-only: the schedule's own role starts the detection, and may start nothing else.
 *
 * - Universal target ARN `arn:aws:scheduler:::aws-sdk:<service>:<apiAction>`, input the API's
 *   request parameters in JSON (https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-targets-universal.html).
 * - Execution role trusted by scheduler.amazonaws.com with aws:SourceAccount, as the Scheduler
 *   guide's execution role shows (https://docs.aws.amazon.com/scheduler/latest/UserGuide/setting-up.html#setting-up-execution-role).
 * - DetectStackSetDrift's resource type is stackset `arn:…:cloudformation:<region>:<account>:stackset/<name>:<id>`
 *   (Service Authorization Reference, AWS CloudFormation). For a service-managed StackSet the
 *   detection in each account runs as CloudFormation's service-linked roles, not as the caller, so
 *   the schedule's role needs no read permission on the resources of the stacks.
 *
 * The direct stacks (management account, and the log-archive and security accounts when their OU
 * is not targeted) are not covered: DetectStackDrift reads every resource with the caller's own
 * permissions, which would give a schedule role the union of the template's read permissions.
 */
import { roleArn } from "../arns";
import type { PolicyDocument } from "../policy-types";
import { memberBaselineName } from "../stackset";

export const DETECT_STACKSET_DRIFT_TARGET_ARN = "arn:aws:scheduler:::aws-sdk:cloudformation:detectStackSetDrift";

/** The drift schedule role's one inline policy. */
export const STACKSET_DRIFT_POLICY_NAME = "detect-stackset-drift";

/** The schedule and its role are named after the StackSet: `<stack set>-drift`. */
export function driftScheduleNameOf(stackSetName: string): string {
  return `${stackSetName}-drift`;
}

export function stackSetDriftScheduleName(namePrefix: string): string {
  return driftScheduleNameOf(memberBaselineName(namePrefix));
}

export function stackSetDriftRoleName(namePrefix: string): string {
  return driftScheduleNameOf(memberBaselineName(namePrefix));
}

/**
 * Every half of audit.stackSetDriftMaxAgeHours (whole hours, at least one): the audit then always
 * finds a detection younger than its threshold, even when one run of the schedule failed or was
 * still in progress. A detection across a large organization takes hours, and CloudFormation runs
 * one drift operation per StackSet at a time.
 */
export function stackSetDriftScheduleExpression(maxAgeHours: number): string {
  if (!Number.isInteger(maxAgeHours) || maxAgeHours < 1)
    throw new Error(`stackSetDriftScheduleExpression: maxAgeHours must be a whole number >= 1 (got ${maxAgeHours})`);
  const every = Math.max(1, Math.floor(maxAgeHours / 2));
  return `rate(${every} ${every === 1 ? "hour" : "hours"})`;
}

/** The target's input: DetectStackSetDrift's request, as the management account (CallAs SELF, as infra lays the StackSet). */
export function stackSetDriftInput(namePrefix: string): { StackSetName: string; CallAs: "SELF" } {
  return { StackSetName: memberBaselineName(namePrefix), CallAs: "SELF" };
}

/**
 * What the audit holds the schedule to (stackset-drift-schedule), from the manifest's stackSet area:
 * the same names, target, role and input infra/detection/member-stackset.ts lays it with.
 */
export function driftScheduleIntent(o: { stackSetName: string; managementAccountId: string; maxAgeHours: number }) {
  return {
    name: driftScheduleNameOf(o.stackSetName),
    state: "ENABLED" as const,
    scheduleExpression: stackSetDriftScheduleExpression(o.maxAgeHours),
    targetArn: DETECT_STACKSET_DRIFT_TARGET_ARN,
    roleArn: roleArn(o.managementAccountId, driftScheduleNameOf(o.stackSetName)),
    input: { StackSetName: o.stackSetName, CallAs: "SELF" as const },
  };
}

export function stackSetDriftRoleTrust(managementAccountId: string): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "SchedulerInThisAccount",
        Effect: "Allow",
        Principal: { Service: "scheduler.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": managementAccountId } },
      },
    ],
  };
}

/** Exactly DetectStackSetDrift, on exactly the member-baseline StackSet of this account and home region. */
export function stackSetDriftRolePolicy(o: {
  namePrefix: string;
  homeRegion: string;
  managementAccountId: string;
}): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "DetectMemberBaselineDrift",
        Effect: "Allow",
        Action: "cloudformation:DetectStackSetDrift",
        Resource: `arn:aws:cloudformation:${o.homeRegion}:${o.managementAccountId}:stackset/${memberBaselineName(o.namePrefix)}:*`,
      },
    ],
  };
}
