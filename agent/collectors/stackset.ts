/**
 * The member-baseline StackSet (management account, home region, CallAs SELF: infra registers no
 * StackSets delegated administrator) and the plain stacks of the same name in the accounts it cannot
 * reach, read through the read role (baseline/stackset.ts stackSetReadStatement). The agent never
 * starts a drift detection: it reads what the last one found (docs/detection.md says why).
 */
import {
  CloudFormationClient,
  DescribeStacksCommand,
  DescribeStackSetCommand,
  paginateListStackInstances,
} from "@aws-sdk/client-cloudformation";
import { GetScheduleCommand, SchedulerClient } from "@aws-sdk/client-scheduler";
import { stackSetTargets, type AuditManifest } from "../../baseline";
import { driftScheduleNameOf } from "../../baseline/detection/stackset-drift-schedule";
import {
  collected,
  failed,
  type CollectError,
  type ObservedBaselineStack,
  type ObservedDriftSchedule,
  type ObservedMemberBaseline,
  type ObservedStackInstance,
  type ObservedStackSet,
} from "../model";
import { attempt, drain, iso, toCollectError, type CallScope } from "./common";
import type { CollectRuntime, Task } from "./index";

export async function collectStackSet(
  cfn: CloudFormationClient,
  account: string,
  region: string,
  name: string,
  regions: string[],
): Promise<ObservedStackSet> {
  const scope: CallScope = { service: "cloudformation", operation: "DescribeStackSet", account, region };
  let stackSet: ObservedStackSet["stackSet"];
  try {
    const r = await cfn.send(new DescribeStackSetCommand({ StackSetName: name, CallAs: "SELF" }));
    const s = r.StackSet;
    const d = s?.StackSetDriftDetectionDetails;
    stackSet = collected({
      arn: s?.StackSetARN,
      status: s?.Status,
      permissionModel: s?.PermissionModel,
      ...(d
        ? {
            drift: {
              driftStatus: d.DriftStatus,
              detectionStatus: d.DriftDetectionStatus,
              lastDriftCheckTimestamp: iso(d.LastDriftCheckTimestamp),
              driftedInstances: d.DriftedStackInstancesCount,
              failedInstances: d.FailedStackInstancesCount,
            },
          }
        : {}),
    });
  } catch (e) {
    if (e instanceof Error && e.name === "StackSetNotFoundException") stackSet = collected(undefined);
    else stackSet = failed(toCollectError(e, scope));
  }
  const base = { name, account, region, stackSet };
  if (!stackSet.ok) return { ...base, instances: failed(stackSet.error) };
  if (stackSet.value === undefined) return { ...base, instances: collected([]) };
  // One listing for every region (a filter per region would cost a call each); regions the manifest does not govern are dropped.
  const instances = await attempt({ ...scope, operation: "ListStackInstances" }, async () => {
    const all = await drain(
      paginateListStackInstances({ client: cfn }, { StackSetName: name, CallAs: "SELF" }),
      (p) => p.Summaries,
    );
    return all
      .filter((i) => i.Region !== undefined && regions.includes(i.Region))
      .map((i): ObservedStackInstance => ({
        account: i.Account ?? "",
        region: i.Region!,
        ...(i.Status ? { status: i.Status } : {}),
        ...(i.StatusReason ? { statusReason: i.StatusReason } : {}),
        ...(i.StackInstanceStatus?.DetailedStatus ? { detailedStatus: i.StackInstanceStatus.DetailedStatus } : {}),
        ...(i.DriftStatus ? { driftStatus: i.DriftStatus } : {}),
        ...(i.LastDriftCheckTimestamp ? { lastDriftCheckTimestamp: iso(i.LastDriftCheckTimestamp) } : {}),
        ...(i.StackId ? { stackId: i.StackId } : {}),
      }));
  });
  return { ...base, instances };
}

/** DescribeStacks answers a stack that does not exist with ValidationError "Stack with id <name> does not exist". */
const NO_SUCH_STACK = /does not exist/;

export async function collectBaselineStack(
  cfn: CloudFormationClient,
  account: string,
  region: string,
  name: string,
): Promise<ObservedBaselineStack> {
  const scope: CallScope = { service: "cloudformation", operation: "DescribeStacks", account, region };
  try {
    const r = await cfn.send(new DescribeStacksCommand({ StackName: name }));
    const s = (r.Stacks ?? []).find((x) => x.StackName === name);
    if (!s) return { account, region, stack: collected(undefined) };
    const d = s.DriftInformation;
    return {
      account,
      region,
      stack: collected({
        ...(s.StackId ? { stackId: s.StackId } : {}),
        ...(s.StackStatus ? { status: s.StackStatus } : {}),
        ...(s.StackStatusReason ? { statusReason: s.StackStatusReason } : {}),
        ...(d?.StackDriftStatus ? { driftStatus: d.StackDriftStatus } : {}),
        ...(d?.LastCheckTimestamp ? { lastDriftCheckTimestamp: iso(d.LastCheckTimestamp) } : {}),
      }),
    };
  } catch (e) {
    if (e instanceof Error && e.name === "ValidationError" && NO_SUCH_STACK.test(e.message))
      return { account, region, stack: collected(undefined) };
    return { account, region, stack: failed(toCollectError(e, scope)) };
  }
}

/** GetSchedule (default group); a schedule that does not exist is ResourceNotFoundException. */
export async function collectDriftSchedule(
  scheduler: SchedulerClient,
  account: string,
  region: string,
  name: string,
): Promise<ObservedDriftSchedule> {
  const scope: CallScope = { service: "scheduler", operation: "GetSchedule", account, region };
  try {
    const s = await scheduler.send(new GetScheduleCommand({ Name: name }));
    return {
      name,
      account,
      region,
      schedule: collected({
        ...(s.State ? { state: s.State } : {}),
        ...(s.ScheduleExpression ? { scheduleExpression: s.ScheduleExpression } : {}),
        ...(s.Target?.Arn ? { targetArn: s.Target.Arn } : {}),
        ...(s.Target?.RoleArn ? { roleArn: s.Target.RoleArn } : {}),
        ...(s.Target?.Input !== undefined ? { input: s.Target.Input } : {}),
        ...(s.EndDate ? { endDate: iso(s.EndDate) } : {}),
      }),
    };
  } catch (e) {
    if (e instanceof Error && e.name === "ResourceNotFoundException")
      return { name, account, region, schedule: collected(undefined) };
    return { name, account, region, schedule: failed(toCollectError(e, scope)) };
  }
}

export function unreadableStackSet(name: string, account: string, region: string, e: CollectError): ObservedStackSet {
  return { name, account, region, stackSet: failed(e), instances: failed(e) };
}

export function unreadableBaselineStack(account: string, region: string, e: CollectError): ObservedBaselineStack {
  return { account, region, stack: failed(e) };
}

/**
 * The shared collection's hook (agent/collectors/index.ts stays a few lines): the StackSet once
 * (its instances in every governed region: the checks keep the run's), and each direct stack of an
 * account in scope in each of the run's regions, when the manifest has a stackSet area.
 */
export async function memberBaselineTask(
  m: AuditManifest,
  rt: CollectRuntime,
  exec: <T>(t: Task<T>) => Promise<T>,
  accounts: string[],
  regions: string[],
): Promise<ObservedMemberBaseline | undefined> {
  if (!m.stackSet) return undefined;
  const mgmt = m.organization.managementAccountId;
  const s = stackSetTargets(m.stackSet, mgmt);
  const home = m.regions.home;
  const governed = m.regions.governed;
  const direct = s.directAccounts.filter((a) => accounts.includes(a));
  rt.progress?.add(2 + direct.length * regions.length);
  const cfn = (account: string, region: string) => rt.clients.get(CloudFormationClient, account, region);
  const scheduleName = driftScheduleNameOf(s.name);
  const [stackSet, directStacks, driftSchedule] = await Promise.all([
    exec({
      account: mgmt,
      region: home,
      service: "cloudformation",
      run: () => collectStackSet(cfn(mgmt, home), mgmt, home, s.name, governed),
      unreadable: (e) => unreadableStackSet(s.name, mgmt, home, e),
    }),
    Promise.all(
      direct.flatMap((account) =>
        regions.map((region) =>
          exec({
            account,
            region,
            service: "cloudformation",
            run: () => collectBaselineStack(cfn(account, region), account, region, s.name),
            unreadable: (e) => unreadableBaselineStack(account, region, e),
          }),
        ),
      ),
    ),
    exec<ObservedDriftSchedule>({
      account: mgmt,
      region: home,
      service: "scheduler",
      run: () => collectDriftSchedule(rt.clients.get(SchedulerClient, mgmt, home), mgmt, home, scheduleName),
      unreadable: (e) => ({ name: scheduleName, account: mgmt, region: home, schedule: failed(e) }),
    }),
  ]);
  return { stackSet, directStacks, driftSchedule };
}
