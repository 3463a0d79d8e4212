import type { AuditManifest } from "../../../baseline";
import type { CheckMetadata, Finding } from "../../finding";
import type { ObservedState } from "../../model";
import { errorFinding, finding, formatAge, verdict, type CheckContext, type Scope } from "../common";
import { cellScope, notApplicable, stackSetSubject, staleBy, type Cell, type StackSetSubject } from "../stackset-scope";

export const metadata: CheckMetadata = {
  id: "stackset-drift",
  title: "The member baseline's stacks are IN_SYNC with their template, as a recent drift detection found",
  area: "stackset",
  severity: "MEDIUM",
  controls: [],
  risk: "A stack instance can be CURRENT while someone has changed what it laid (the read role's policy, a forwarding rule, the Config recorder's settings) outside CloudFormation. Only a drift detection sees that, and only as of when it ran: a drift status never checked, or checked long ago, says nothing about today.",
  remediation: {
    console:
      "CloudFormation console (management account, home region) → StackSets → <stack-set> → Actions → Detect drifts; then Stack instances → the account and region named → Drift status, and the stack's Drift details (in that account) for what changed. For the management account's stack: Stacks → <stack-set> → Stack actions → Detect drift.",
    cli: "aws cloudformation detect-stack-set-drift --stack-set-name <stack-set> --call-as SELF --region <home-region> (then describe-stack-set-operation with the returned --operation-id until it is SUCCEEDED); aws cloudformation describe-stack-instance --stack-set-name <stack-set> --stack-instance-account <account> --stack-instance-region <region> --call-as SELF --region <home-region>; the management account's stack: aws cloudformation detect-stack-drift --stack-name <stack-set> --region <region>, then describe-stack-resource-drifts --stack-name <stack-set> --region <region>",
    pulumi:
      "The drifted resources belong to the member template (baseline/detection/stackset-template.ts): find who changed them (CloudTrail), then re-apply the template with `aws cloudformation update-stack-instances` for the account and region (a StackSet update with no template change does not repair drift in a stack whose template did not change: revert the change, or update the resource through the template). Once the stacks are back in line, `pulumi up` needs no change; the schedule <stack-set>-drift (EventBridge Scheduler, management account, home region) that `pulumi up` lays detects the StackSet's drift every half of audit.stackSetDriftMaxAgeHours: a detection older than that means it is disabled, deleted or failing (see its role <stack-set>-drift), and `pulumi up` restores it. The direct stacks are not scheduled: run detect-stack-drift on them more often than the threshold.",
  },
  references: [
    "https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DetectStackSetDrift.html",
    "https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_StackSetDriftDetectionDetails.html",
    "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-drift.html",
    "https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_StackDriftInformation.html",
  ],
};

/**
 * One finding for the StackSet's last drift detection, and one per audited account × region for
 * its instance's (or direct stack's) drift status. IN_SYNC with a check no older than
 * stackSet.driftMaxAgeHours is PASS; DRIFTED is FAIL; NOT_CHECKED, UNKNOWN, no status or an old
 * check is FAIL as drift unknown. The agent reads the last detection and never starts one.
 */
export function evaluate(observed: ObservedState, intended: AuditManifest, ctx: CheckContext): Finding[] {
  const { subject, findings } = stackSetSubject(metadata, observed, intended);
  if (!subject) return findings;
  return [...findings, setFinding(subject, ctx.now), ...subject.cells.map((c) => cellFinding(subject, c, ctx.now))];
}

interface DriftFacts {
  what: string;
  driftStatus?: string;
  lastCheck?: string;
}

/** The problems of one drift status: DRIFTED, or drift unknown (never checked, not determinable, or too old). */
function driftProblems(f: DriftFacts, now: Date, maxAgeHours: number): string[] {
  const last = f.lastCheck
    ? `last checked ${f.lastCheck} (${formatAge(now.getTime() - Date.parse(f.lastCheck))} ago)`
    : "never checked";
  if (f.driftStatus === "DRIFTED") return [`${f.what} has DRIFTED from its template (${last})`];
  if (f.driftStatus !== "IN_SYNC")
    return [
      `${f.what}: drift unknown, the drift status is ${f.driftStatus ?? "not reported"} (${last}); run a drift detection`,
    ];
  if (staleBy(f.lastCheck, now, maxAgeHours))
    return [
      `${f.what}: drift unknown, it was IN_SYNC when ${last}, longer ago than stackSet.driftMaxAgeHours (${maxAgeHours} h); run a drift detection`,
    ];
  return [];
}

function setFinding(s: StackSetSubject, now: Date): Finding {
  const name = s.intent.name;
  const hours = s.intent.driftMaxAgeHours;
  const want = { driftStatus: "IN_SYNC", detectionStatus: "COMPLETED", lastDriftCheckWithinHours: hours };
  const read = s.observed.stackSet.stackSet;
  if (!read.ok) return errorFinding(metadata, s.setScope, read.error, want);
  if (!read.value)
    return finding(metadata, s.setScope, {
      status: "NOT_APPLICABLE",
      intended: want,
      observed: { exists: false },
      message: `The StackSet ${name} does not exist, so it has no drift to detect; stackset-instances reports it missing (FAIL).`,
    });
  const d = read.value.drift;
  const problems = driftProblems(
    { what: `the StackSet ${name}`, driftStatus: d?.driftStatus, lastCheck: d?.lastDriftCheckTimestamp },
    now,
    hours,
  );
  if (d?.detectionStatus === "FAILED" || d?.detectionStatus === "PARTIAL_SUCCESS")
    problems.push(
      `its last drift detection ended ${d.detectionStatus} (${d.failedInstances ?? "some"} instance(s) failed it): their drift is unknown`,
    );
  if (d?.driftStatus === "DRIFTED" && d.driftedInstances !== undefined)
    problems.push(`${d.driftedInstances} stack instance(s) drifted`);
  return verdict(
    metadata,
    s.setScope,
    want,
    d ?? { drift: "never detected" },
    problems,
    `The StackSet ${name}'s last drift detection (${d?.lastDriftCheckTimestamp}) completed and found every stack instance IN_SYNC.`,
  );
}

function cellFinding(s: StackSetSubject, c: Cell, now: Date): Finding {
  const na = notApplicable(metadata, s, c);
  if (na) return na;
  const scope = cellScope(s, c);
  const name = s.intent.name;
  const hours = s.intent.driftMaxAgeHours;
  const want = { account: c.account, region: c.region, driftStatus: "IN_SYNC", lastDriftCheckWithinHours: hours };
  if (c.coverage.kind === "uncovered")
    return noStack(scope, want, `nothing lays the member baseline in account ${c.account}`);
  if (c.coverage.kind === "direct") {
    const entry = s.observed.directStacks.find((d) => d.account === c.account && d.region === c.region);
    if (!entry)
      return errorFinding(
        metadata,
        scope,
        {
          name: "NotCollected",
          operation: "DescribeStacks",
          message: `the stack ${name} of account ${c.account} in ${c.region} was not collected`,
        },
        want,
      );
    if (!entry.stack.ok) return errorFinding(metadata, scope, entry.stack.error, want);
    const st = entry.stack.value;
    if (!st) return noStack(scope, want, `account ${c.account} has no stack ${name} in ${c.region}`);
    return judged(
      scope,
      want,
      {
        what: `the stack ${name} of account ${c.account} in ${c.region}`,
        driftStatus: st.driftStatus,
        lastCheck: st.lastDriftCheckTimestamp,
      },
      now,
      hours,
    );
  }
  const instances = s.observed.stackSet.instances;
  if (!instances.ok) return errorFinding(metadata, scope, instances.error, want);
  const i = instances.value.find((x) => x.account === c.account && x.region === c.region);
  if (!i) return noStack(scope, want, `account ${c.account} has no stack instance of ${name} in ${c.region}`);
  return judged(
    scope,
    want,
    {
      what: `the stack instance of ${name} in account ${c.account}, ${c.region}`,
      driftStatus: i.driftStatus,
      lastCheck: i.lastDriftCheckTimestamp,
    },
    now,
    hours,
  );
}

function judged(scope: Scope, want: unknown, f: DriftFacts, now: Date, hours: number): Finding {
  return verdict(
    metadata,
    scope,
    want,
    { driftStatus: f.driftStatus ?? null, lastDriftCheckTimestamp: f.lastCheck ?? null },
    driftProblems(f, now, hours),
    `${f.what[0].toUpperCase()}${f.what.slice(1)} was IN_SYNC at its last drift check (${f.lastCheck}), within ${hours} h.`,
  );
}

function noStack(scope: Scope, want: unknown, why: string): Finding {
  return finding(metadata, scope, {
    status: "NOT_APPLICABLE",
    intended: want,
    observed: { exists: false },
    message: `No drift to judge: ${why}; stackset-instances reports that (FAIL).`,
  });
}
