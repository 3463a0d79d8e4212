/**
 * stackset-drift-schedule: the EventBridge Scheduler schedule that starts DetectStackSetDrift on the
 * member-baseline StackSet (management account, home region; baseline/detection/stackset-drift-schedule.ts)
 * exists, is ENABLED, has not ended, targets the universal DetectStackSetDrift target as its own
 * role with the StackSet's input, and runs at least as often as intended (every half of
 * audit.stackSetDriftMaxAgeHours). stackset-drift judges its effect, the last detection; this
 * check names the cause before that detection ages out.
 */
import { isDeepStrictEqual } from "node:util";
import { stackSetTargets, type AuditManifest } from "../../../baseline";
import { driftScheduleIntent } from "../../../baseline/detection/stackset-drift-schedule";
import type { CheckMetadata, Finding } from "../../finding";
import type { ObservedState } from "../../model";
import { blocked, errorFinding, finding, verdict, type CheckContext, type Scope } from "../common";

export const metadata: CheckMetadata = {
  id: "stackset-drift-schedule",
  title:
    "The member-baseline StackSet's drift detection schedule is enabled, targets the StackSet and runs often enough",
  area: "stackset",
  severity: "MEDIUM",
  risk: "Without the schedule (deleted, disabled, ended, retargeted, run as another role or less often), no new drift detection runs: the StackSet's stacks can be changed in member accounts unseen until stackset-drift reports the last detection as too old.",
  remediation: {
    console:
      'EventBridge Scheduler console (management account, home region) → Schedules → <drift-schedule>: enable it; target the universal target CloudFormation DetectStackSetDrift with input {"StackSetName": "<stack-set>", "CallAs": "SELF"}, execution role <drift-role-arn>, schedule <drift-schedule-expression>.',
    cli: 'aws scheduler get-schedule --name <drift-schedule> --region <home-region>; aws scheduler update-schedule --name <drift-schedule> --region <home-region> --state ENABLED --schedule-expression \'<drift-schedule-expression>\' --flexible-time-window Mode=OFF --target \'{"Arn":"arn:aws:scheduler:::aws-sdk:cloudformation:detectStackSetDrift","RoleArn":"<drift-role-arn>","Input":"{\\"StackSetName\\":\\"<stack-set>\\",\\"CallAs\\":\\"SELF\\"}","RetryPolicy":{"MaximumRetryAttempts":0}}\'',
    pulumi:
      "Run `pulumi up` on the orgwarden stack: infra/detection/member-stackset.ts lays the schedule and its role (<stack-set>-drift), and restores every setting or lays it again if it was deleted.",
  },
  controls: [],
  references: [
    "https://docs.aws.amazon.com/scheduler/latest/APIReference/API_GetSchedule.html",
    "https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-targets-universal.html",
    "https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DetectStackSetDrift.html",
  ],
};

const HOURS: Record<string, number> = { minute: 1 / 60, minutes: 1 / 60, hour: 1, hours: 1, day: 24, days: 24 };

/** The period of a rate(...) expression in hours; undefined for cron(...), at(...) or anything else. */
export function ratePeriodHours(expression: string | undefined): number | undefined {
  const m = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression ?? "");
  return m ? Number(m[1]) * HOURS[m[2]] : undefined;
}

export function evaluate(observed: ObservedState, intended: AuditManifest, ctx: CheckContext): Finding[] {
  const mgmt = intended.organization.managementAccountId;
  const region = intended.regions.home;
  if (!intended.stackSet)
    return [
      finding(
        metadata,
        { account: mgmt, region, resourceArn: `arn:aws:scheduler:${region}:${mgmt}:schedule/default/*` },
        {
          status: "NOT_APPLICABLE",
          intended: "no member-baseline StackSet in the manifest",
          observed: null,
          message: `${metadata.title}: not applicable, the audit manifest has no stackSet area (a manifest published before it).`,
        },
      ),
    ];
  const s = stackSetTargets(intended.stackSet, mgmt);
  const want = driftScheduleIntent({
    stackSetName: s.name,
    managementAccountId: mgmt,
    maxAgeHours: s.driftMaxAgeHours,
  });
  const scope: Scope = {
    account: mgmt,
    region,
    resourceArn: `arn:aws:scheduler:${region}:${mgmt}:schedule/default/${want.name}`,
  };
  const read = observed.memberBaseline?.driftSchedule;
  if (!read || read.name !== want.name)
    return [
      errorFinding(
        metadata,
        scope,
        {
          name: "NotCollected",
          operation: "GetSchedule",
          message: `the observed state holds no reading of the schedule ${want.name}`,
        },
        want,
      ),
    ];
  const stop = blocked(metadata, observed, scope, want, read.schedule);
  if (stop) return [stop];
  const have = read.schedule.ok ? read.schedule.value : undefined;
  if (!have)
    return [
      verdict(
        metadata,
        scope,
        want,
        "absent",
        [
          `the schedule ${want.name} does not exist in the management account's default group in ${region}, so no drift detection of ${s.name} is started; run \`pulumi up\``,
        ],
        "",
      ),
    ];
  const problems: string[] = [];
  if (have.state !== "ENABLED")
    problems.push(`the schedule ${want.name} is ${have.state ?? "in no state"}, not ENABLED`);
  if (have.endDate && Date.parse(have.endDate) <= ctx.now.getTime())
    problems.push(`the schedule ${want.name} ended at ${have.endDate} and starts nothing more`);
  if (have.targetArn !== want.targetArn)
    problems.push(`it targets ${have.targetArn ?? "nothing"}, not ${want.targetArn}`);
  if (have.roleArn !== want.roleArn) problems.push(`it runs as ${have.roleArn ?? "no role"}, not ${want.roleArn}`);
  let input: unknown;
  try {
    input = have.input === undefined ? undefined : JSON.parse(have.input);
  } catch {
    input = have.input;
  }
  if (!isDeepStrictEqual(input, want.input))
    problems.push(`its input is ${have.input ?? "empty"}, not ${JSON.stringify(want.input)}`);
  const period = ratePeriodHours(have.scheduleExpression);
  const wanted = ratePeriodHours(want.scheduleExpression)!;
  if (period === undefined)
    problems.push(
      `its expression ${have.scheduleExpression ?? "(none)"} is not a rate(...) the audit can compare with the intended ${want.scheduleExpression}`,
    );
  else if (period > wanted)
    problems.push(
      `it runs every ${have.scheduleExpression}, less often than the intended ${want.scheduleExpression} (half of audit.stackSetDriftMaxAgeHours, ${s.driftMaxAgeHours} h)`,
    );
  return [
    verdict(
      metadata,
      scope,
      want,
      have,
      problems,
      `The schedule ${want.name} is ENABLED and starts DetectStackSetDrift on ${s.name} as ${want.roleArn} every ${have.scheduleExpression} (intended at least ${want.scheduleExpression}).`,
    ),
  ];
}
