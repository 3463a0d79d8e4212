import {
  COMPLETE_STACK_STATUSES,
  HEALTHY_DETAILED_STATUS,
  HEALTHY_INSTANCE_STATUS,
  type AuditManifest,
} from "../../../baseline";
import type { CheckMetadata, Finding } from "../../finding";
import type { ObservedState } from "../../model";
import { errorFinding, finding, verdict, type CheckContext } from "../common";
import {
  cellScope,
  notApplicable,
  ouName,
  stackSetSubject,
  targetOusText,
  type Cell,
  type StackSetSubject,
} from "../stackset-scope";

export const metadata: CheckMetadata = {
  id: "stackset-instances",
  title:
    "The member-baseline StackSet is ACTIVE and every governed account and region has a current, succeeded stack instance",
  area: "stackset",
  severity: "HIGH",
  // No shared control: the pack sees the StackSet resource infra declares, never the instances CloudFormation deploys.
  controls: [],
  risk: "The StackSet is what lays the Config recorder and delivery channel, the audit read role, the SSM agent associations and the finding forwarding in every member account. An account or region whose instance is missing, OUTDATED (the last operation did not reach it), INOPERABLE or FAILED runs without part of the baseline or with an old version of it, and a StackSet that is gone or not ACTIVE reaches no new account.",
  remediation: {
    console:
      "CloudFormation console (management account, home region) → StackSets → <stack-set> → Stack instances: open the instance of the account and region named, read its Status reason; fix the cause (an SCP, a missing role, a resource conflict) and run Actions → Edit StackSet details / Add stacks to StackSet for that account and region. For the management account's own stack: Stacks → <stack-set> in that region → Events.",
    cli: `aws cloudformation describe-stack-instance --stack-set-name <stack-set> --stack-instance-account <account> --stack-instance-region <region> --call-as SELF --region <home-region>; an OUTDATED or FAILED instance: aws cloudformation update-stack-instances --stack-set-name <stack-set> --deployment-targets '{"OrganizationalUnitIds":<target-ous-json>,"Accounts":["<account>"],"AccountFilterType":"INTERSECTION"}' --regions <region> --call-as SELF --region <home-region>; a missing one: aws cloudformation create-stack-instances with the same --deployment-targets and --regions; the management account's stack: aws cloudformation describe-stack-events --stack-name <stack-set> --region <region>`,
    pulumi:
      "infra/detection/member-stackset.ts lays the StackSet and one StackSetInstance per region over stackSet.targetOus (minus stackSet.excludeAccounts); infra/detection/direct-baseline.ts lays the management account's stacks. After fixing the cause, `pulumi up` on the orgwarden stack re-applies them (`pulumi up --refresh` when Pulumi's state still says the instance is fine).",
  },
  references: [
    "https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_StackInstanceSummary.html",
    "https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_StackInstanceComprehensiveStatus.html",
    "https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DescribeStackSet.html",
    "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-orgs-manage-auto-deployment.html",
  ],
};

const COMPLETE: readonly string[] = COMPLETE_STACK_STATUSES;

/**
 * One finding for the StackSet itself, and one per audited account × audited region: its stack
 * instance (CURRENT and SUCCEEDED), its direct stack (a *_COMPLETE status), NOT_APPLICABLE for an
 * excluded account, FAIL for an account nothing lays the baseline in.
 */
export function evaluate(observed: ObservedState, intended: AuditManifest, _ctx: CheckContext): Finding[] {
  const { subject, findings } = stackSetSubject(metadata, observed, intended);
  if (!subject) return findings;
  return [...findings, stackSetFinding(subject), ...subject.cells.map((c) => cellFinding(subject, c, intended))];
}

function stackSetFinding(s: StackSetSubject): Finding {
  const name = s.intent.name;
  const want = { name, status: "ACTIVE", permissionModel: "SERVICE_MANAGED" };
  const read = s.observed.stackSet.stackSet;
  if (!read.ok) return errorFinding(metadata, s.setScope, read.error, want);
  const set = read.value;
  const where = `the management account ${s.setScope.account} (${s.setScope.region})`;
  if (!set)
    return finding(metadata, s.setScope, {
      status: "FAIL",
      intended: want,
      observed: { exists: false },
      message: `The StackSet ${name} does not exist in ${where}: no member account gets the baseline, and accounts that join get none; run \`pulumi up\`.`,
    });
  const seen = { name, arn: set.arn, status: set.status, permissionModel: set.permissionModel };
  const problems: string[] = [];
  if (set.status !== "ACTIVE")
    problems.push(`the StackSet ${name} in ${where} is ${set.status ?? "of unknown status"}, not ACTIVE`);
  if (set.permissionModel !== "SERVICE_MANAGED")
    problems.push(
      `the StackSet ${name} is ${set.permissionModel ?? "of unknown permission model"}, not SERVICE_MANAGED: it does not deploy to the organization's OUs nor to accounts that join them`,
    );
  return verdict(
    metadata,
    s.setScope,
    want,
    seen,
    problems,
    `The StackSet ${name} in ${where} is ACTIVE and SERVICE_MANAGED.`,
  );
}

function cellFinding(s: StackSetSubject, c: Cell, m: AuditManifest): Finding {
  const scope = cellScope(s, c);
  const name = s.intent.name;
  const instances = s.observed.stackSet.instances;
  const present = instances.ok
    ? instances.value.find((i) => i.account === c.account && i.region === c.region)
    : undefined;
  const na = notApplicable(
    metadata,
    s,
    c,
    present
      ? ` An instance still exists there (${present.status ?? "?"}): the exclusion has not been applied yet.`
      : "",
  );
  const cov = c.coverage;
  if (na || cov.kind === "excluded") return na!;
  if (cov.kind === "direct") return directFinding(s, c);
  if (cov.kind === "uncovered")
    return finding(metadata, scope, {
      status: "FAIL",
      intended: { targetOus: s.intent.targetOuIds },
      observed: { parent: cov.parent ?? null },
      message: `Account ${c.account} sits under ${ouName(m, cov.parent)}, outside the StackSet's target OUs (${targetOusText(m, s.intent)}), is not listed in stackSet.excludeAccounts and gets no direct stack: nothing lays the member baseline in it (${c.region}). Move it under a target OU, add its OU to stackSet.targetOus, or exclude it explicitly.`,
    });
  const want = {
    account: c.account,
    region: c.region,
    status: HEALTHY_INSTANCE_STATUS,
    detailedStatus: HEALTHY_DETAILED_STATUS,
  };
  if (!instances.ok) return errorFinding(metadata, scope, instances.error, want);
  const setMissing = s.observed.stackSet.stackSet.ok && s.observed.stackSet.stackSet.value === undefined;
  if (!present)
    return finding(metadata, scope, {
      status: "FAIL",
      intended: want,
      observed: { exists: false },
      message: `Account ${c.account} (under ${ouName(m, cov.ou)}) has no stack instance of ${name} in ${c.region}${setMissing ? ": the StackSet itself does not exist" : ""}: the member baseline is not laid there. Auto-deployment should have added it; create it (create-stack-instances) and find out why it is missing.`,
    });
  const seen = {
    account: c.account,
    region: c.region,
    status: present.status ?? null,
    detailedStatus: present.detailedStatus ?? null,
    statusReason: present.statusReason ?? null,
  };
  const problems: string[] = [];
  const reason = present.statusReason ? ` (${present.statusReason})` : "";
  if (present.status !== HEALTHY_INSTANCE_STATUS || present.detailedStatus !== HEALTHY_DETAILED_STATUS)
    problems.push(
      `the stack instance of ${name} in account ${c.account}, ${c.region} is ${present.status ?? "of unknown status"} / ${present.detailedStatus ?? "no detailed status"}${reason}, not ${HEALTHY_INSTANCE_STATUS} / ${HEALTHY_DETAILED_STATUS}: ${advice(present.status, present.detailedStatus)}`,
    );
  return verdict(
    metadata,
    scope,
    want,
    seen,
    problems,
    `Account ${c.account} has a ${HEALTHY_INSTANCE_STATUS}, ${HEALTHY_DETAILED_STATUS} stack instance of ${name} in ${c.region}.`,
  );
}

function advice(status: string | undefined, detailed: string | undefined): string {
  if (status === "INOPERABLE" || detailed === "INOPERABLE")
    return "a DeleteStackInstances with RetainStacks left it detached; CloudFormation no longer manages that stack";
  if (detailed === "FAILED" || detailed === "CANCELLED" || detailed === "FAILED_IMPORT")
    return "the last StackSet operation did not complete there, so the account runs an old version of the baseline or none";
  if (detailed === "SKIPPED_SUSPENDED_ACCOUNT") return "the account was suspended when the operation ran";
  if (detailed === "PENDING" || detailed === "RUNNING")
    return "an operation is still running there; if it stays so, the operation is stuck";
  return "the instance does not run the StackSet's current template";
}

function directFinding(s: StackSetSubject, c: Cell): Finding {
  const scope = cellScope(s, c);
  const name = s.intent.name;
  const want = { stackName: name, status: COMPLETE.join(" or ") };
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
  if (!st)
    return finding(metadata, scope, {
      status: "FAIL",
      intended: want,
      observed: { exists: false },
      message: `Account ${c.account}, which the StackSet cannot reach, has no stack ${name} in ${c.region}: the member baseline is not laid there; run \`pulumi up\`.`,
    });
  const seen = {
    stackName: name,
    stackId: st.stackId ?? null,
    status: st.status ?? null,
    statusReason: st.statusReason ?? null,
  };
  const ok = st.status !== undefined && COMPLETE.includes(st.status);
  const reason = st.statusReason ? ` (${st.statusReason})` : "";
  return verdict(
    metadata,
    scope,
    want,
    seen,
    ok
      ? []
      : [
          `the stack ${name} of account ${c.account} in ${c.region} is ${st.status ?? "of unknown status"}${reason}, not ${COMPLETE.join(", ")}: its last create or update ${st.status?.endsWith("_IN_PROGRESS") ? "has not finished" : "failed or was rolled back"}`,
        ],
    `The stack ${name} of account ${c.account} in ${c.region} is ${st.status}.`,
  );
}
