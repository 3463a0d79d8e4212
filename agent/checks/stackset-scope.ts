/**
 * What the stackset-* checks share: which accounts × regions must carry the member baseline and
 * how (a StackSet instance, or a direct stack where the StackSet cannot reach), and the ERROR
 * findings for a manifest without a stackSet area, a state without the reads, or an unreadable
 * account list. One cell per audited account × audited region, so a scope never shrinks silently.
 */
import {
  baselineStackArn,
  organizationArn,
  stackSetArn,
  type AuditManifest,
  stackSetTargets,
  type StackSetTargets,
} from "../../baseline";
import type { CheckMetadata, Finding } from "../finding";
import { failed, type ObservedMemberBaseline, type ObservedState, type OrgAccount } from "../model";
import { errorFinding, finding, type Scope } from "./common";
import { auditedAccounts, auditedRegions } from "./scope";

/**
 * - instance: under a target OU and not excluded: the StackSet must have a CURRENT, SUCCEEDED instance;
 * - direct: a plain stack of the same name (the management account; log-archive and security when their OU is not targeted);
 * - excluded: listed in stackSet.excludeAccounts;
 * - uncovered: under no target OU and given no direct stack: nothing lays the baseline there.
 */
export type Coverage =
  { kind: "instance"; ou: string } | { kind: "direct" } | { kind: "excluded" } | { kind: "uncovered"; parent?: string };

export interface Cell {
  account: string;
  region: string;
  coverage: Coverage;
}

export interface StackSetSubject {
  intent: StackSetTargets;
  observed: ObservedMemberBaseline;
  /** The StackSet's own finding scope (management account, home region). */
  setScope: Scope;
  cells: Cell[];
}

export function ouName(m: AuditManifest, id: string | undefined): string {
  if (!id) return "an unknown parent";
  const ou = m.organization.governedOus.find((o) => o.id === id);
  return ou ? `${ou.name} (${id})` : id;
}

export function targetOusText(m: AuditManifest, intent: StackSetTargets): string {
  return intent.targetOuIds.map((id) => ouName(m, id)).join(", ");
}

function coverageOf(account: string, intent: StackSetTargets, org?: OrgAccount): Coverage {
  if (intent.directAccounts.includes(account)) return { kind: "direct" };
  if (intent.excludeAccounts.includes(account)) return { kind: "excluded" };
  const ou = org?.parentPath.find((p) => intent.targetOuIds.includes(p));
  return ou ? { kind: "instance", ou } : { kind: "uncovered", parent: org?.parentPath[0] };
}

/** The cells to judge, or the findings that say why nothing can be judged. */
export function stackSetSubject(
  meta: CheckMetadata,
  o: ObservedState,
  m: AuditManifest,
): { subject?: StackSetSubject; findings: Finding[] } {
  const mgmt = m.organization.managementAccountId;
  const home = m.regions.home;
  const intent = m.stackSet ? stackSetTargets(m.stackSet, mgmt) : undefined;
  const setScope = { account: mgmt, region: home, resourceArn: stackSetArn(home, mgmt, intent?.name ?? "*") };
  if (!intent)
    return {
      findings: [
        finding(meta, setScope, {
          status: "ERROR",
          intended: "the member-baseline StackSet as the manifest's stackSet area names it",
          observed: "not evaluated: the manifest has no stackSet area",
          message: `${meta.title}: not evaluated, because the audit manifest has no stackSet area (it was published by an orgwarden that did not describe its StackSet). Run \`pulumi up\` on the stack to republish the manifest.`,
        }),
      ],
    };
  const read = o.memberBaseline;
  if (!read)
    return {
      findings: [
        errorFinding(
          meta,
          setScope,
          {
            name: "NotCollected",
            operation: "DescribeStackSet",
            message: `the StackSet ${intent.name} and its direct stacks were not collected`,
          },
          intent,
        ),
      ],
    };
  const observed = enteredOnly(read, o.unreachableAccounts);
  const findings: Finding[] = [];
  const accounts = auditedAccounts(o);
  let listed: OrgAccount[] = [];
  let wanted: string[];
  if (accounts.ok) {
    wanted = accounts.value;
    listed = o.organization.accounts.ok ? o.organization.accounts.value : [];
  } else {
    // Without the account list only the direct stacks' accounts are known; every other account is this ERROR.
    findings.push(
      errorFinding(
        meta,
        { account: "-", region: "global", resourceArn: organizationArn(m.organization) },
        accounts.error,
        `every account under ${targetOusText(m, intent)} has a stack instance of ${intent.name}`,
      ),
    );
    wanted = intent.directAccounts.filter((a) => !o.scope?.accounts || o.scope.accounts.includes(a));
  }
  const regions = auditedRegions(o, m);
  const cells = wanted.flatMap((account) => {
    const coverage = coverageOf(
      account,
      intent,
      listed.find((a) => a.id === account),
    );
    return regions.map((region) => ({ account, region, coverage }));
  });
  return { subject: { intent, observed, setScope, cells }, findings };
}

/** A read made in an account that could not be entered is that failure, whatever the state says. */
function enteredOnly(
  b: ObservedMemberBaseline,
  unreachable: ObservedState["unreachableAccounts"],
): ObservedMemberBaseline {
  const mgmt = unreachable[b.stackSet.account];
  return {
    stackSet: mgmt ? { ...b.stackSet, stackSet: failed(mgmt), instances: failed(mgmt) } : b.stackSet,
    directStacks: b.directStacks.map((d) =>
      unreachable[d.account] ? { ...d, stack: failed(unreachable[d.account]) } : d,
    ),
  };
}

export function cellScope(s: StackSetSubject, c: Cell): Scope {
  const resourceArn =
    c.coverage.kind === "direct"
      ? baselineStackArn(c.region, c.account, s.intent.name)
      : stackSetArn(s.setScope.region, s.setScope.account, s.intent.name);
  return { account: c.account, region: c.region, resourceArn };
}

/** NOT_APPLICABLE for an excluded account, saying why; undefined for any other cell. */
export function notApplicable(meta: CheckMetadata, s: StackSetSubject, c: Cell, extra = ""): Finding | undefined {
  const scope = cellScope(s, c);
  if (c.coverage.kind === "excluded")
    return finding(meta, scope, {
      status: "NOT_APPLICABLE",
      intended: { excluded: true, by: "stackSet.excludeAccounts" },
      observed: { excluded: true },
      message: `Account ${c.account} is excluded by stackSet.excludeAccounts: the StackSet ${s.intent.name} is not meant to deploy to it in ${c.region}, so it carries no orgwarden member baseline (no Config recorder, no audit read role, no SSM agent associations, no finding forwarding from this stack).${extra}`,
    });
  return undefined;
}

/** How old a timestamp is against the threshold, for the drift messages. */
export function staleBy(iso: string | undefined, now: Date, maxAgeHours: number): boolean {
  if (!iso) return true;
  const t = Date.parse(iso);
  return Number.isNaN(t) || now.getTime() - t > maxAgeHours * 3_600_000;
}
