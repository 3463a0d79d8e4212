/**
 * The run-to-run diff: what changed since the previous report of the same stack, by finding id.
 * "Failing" means needs action (FAIL or ERROR): an ERROR is never a pass, so ERROR → PASS resolves
 * and PASS → ERROR is new. Waivers do not enter here — a waived FAIL is still failing.
 */
import { SEVERITY_ORDER, type AuditResult, type Finding, type FindingStatus, type Severity } from "../finding";
import { needsAction } from "./summary";

export interface ChangeState {
  status: FindingStatus;
  severity: Severity;
}

export interface Change {
  id: string;
  checkId: string;
  account: string;
  region: string;
  resourceArn: string;
  /** This run's status and severity; null when this run no longer emits the finding. */
  now: ChangeState | null;
  /** The previous run's; null when the previous run had no such finding. */
  before: ChangeState | null;
  /** This run's message, or the previous one when the finding is gone. */
  message: string;
  /** On new and stillFailing: the `now` of the first run in which it was failing without a break. */
  firstSeen?: string;
}

export interface RunChanges {
  /** null: there was no previous report, so every list is empty (a first run is not "everything new"). */
  previousRunId: string | null;
  /** The previous run's clock (its `now`), null on a first run. */
  previousNow: string | null;
  /** Failing now, not failing (or absent) before. */
  new: Change[];
  /** Failing before, not failing (or absent) now. */
  resolved: Change[];
  /** Failing in both runs. */
  stillFailing: Change[];
  /** In both runs with another status or severity, except the entries of new and resolved (FAIL → ERROR, HIGH → CRITICAL, PASS → NOT_APPLICABLE). */
  changed: Change[];
}

const state = (f: Finding | undefined): ChangeState | null => (f ? { status: f.status, severity: f.severity } : null);

function change(id: string, now: Finding | undefined, before: Finding | undefined): Change {
  const f = (now ?? before)!;
  return {
    id,
    checkId: f.checkId,
    account: f.account,
    region: f.region,
    resourceArn: f.resourceArn,
    now: state(now),
    before: state(before),
    message: f.message,
  };
}

/** Worst first (severity of this run, else of the previous one), then by id: the order never depends on the checks' order. */
function ordered(changes: Change[]): Change[] {
  const rank = (c: Change) => SEVERITY_ORDER.indexOf(changeSeverity(c));
  return [...changes].sort((a, b) => rank(a) - rank(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** When a still-failing finding was first seen: carried from the previous report, else the previous run is the first known. */
function firstSeenBefore(previous: AuditResult, id: string): string {
  const p = previous.changes;
  const carried = p?.stillFailing.find((c) => c.id === id) ?? p?.new.find((c) => c.id === id);
  return carried?.firstSeen ?? previous.now;
}

export function diffRuns(previous: AuditResult | undefined, current: AuditResult): RunChanges {
  if (!previous)
    return { previousRunId: null, previousNow: null, new: [], resolved: [], stillFailing: [], changed: [] };
  if (previous.stack !== current.stack)
    throw new Error(`the previous report is of stack ${previous.stack}, this run is of stack ${current.stack}`);
  const before = new Map(previous.findings.map((f) => [f.id, f]));
  const now = new Map(current.findings.map((f) => [f.id, f]));
  const out: RunChanges = {
    previousRunId: previous.runId,
    previousNow: previous.now,
    new: [],
    resolved: [],
    stillFailing: [],
    changed: [],
  };
  for (const id of new Set([...before.keys(), ...now.keys()])) {
    const b = before.get(id);
    const n = now.get(id);
    const failingBefore = b !== undefined && needsAction(b);
    const failingNow = n !== undefined && needsAction(n);
    const c = change(id, n, b);
    if (failingNow && !failingBefore) out.new.push({ ...c, firstSeen: current.now });
    else if (failingBefore && !failingNow) out.resolved.push(c);
    if (failingNow && failingBefore) out.stillFailing.push({ ...c, firstSeen: firstSeenBefore(previous, id) });
    const moved = b && n && (b.status !== n.status || b.severity !== n.severity);
    if (moved && failingNow === failingBefore) out.changed.push(c);
  }
  return {
    ...out,
    new: ordered(out.new),
    resolved: ordered(out.resolved),
    stillFailing: ordered(out.stillFailing),
    changed: ordered(out.changed),
  };
}

const stateText = (s: ChangeState | null, withSeverity: boolean) =>
  s === null ? "absent" : withSeverity ? `${s.status} ${s.severity}` : s.status;

/** "PASS → FAIL", "absent → FAIL", "FAIL → absent", "PASS LOW → PASS MEDIUM": the same words in every format. */
export function transition(c: Change): string {
  const withSeverity = c.before !== null && c.now !== null && c.before.severity !== c.now.severity;
  return `${stateText(c.before, withSeverity)} → ${stateText(c.now, withSeverity)}`;
}

/** The severity a change is ranked and shown by: this run's, else the previous run's. */
export const changeSeverity = (c: Change): Severity => (c.now ?? c.before)!.severity;

/** "since run <id> of <clock>", or why there is nothing to compare. */
export function comparedWith(c: RunChanges): string {
  return c.previousRunId === null
    ? "first run: no previous report to compare with"
    : `since run ${c.previousRunId} of ${c.previousNow}`;
}

export function changeCounts(c: RunChanges): string {
  return `${c.new.length} new · ${c.resolved.length} resolved · ${c.stillFailing.length} still failing · ${c.changed.length} changed`;
}

/** What the diff says of one finding of this run, for the per-finding formats (ASFF, OCSF). */
export interface FindingChange {
  kind: "new" | "resolved" | "changed" | "still failing";
  /** When it was first seen failing (new and still failing). */
  firstSeen?: string;
}

const changeIndexes = new WeakMap<RunChanges, Map<string, FindingChange>>();

/**
 * The change of a finding id in these changes, undefined when it did not change or there was no
 * previous run. A finding both still failing and changed (FAIL → ERROR) is "changed", with its
 * first-seen time.
 */
export function changeOf(changes: RunChanges | undefined, id: string): FindingChange | undefined {
  if (!changes || changes.previousRunId === null) return undefined;
  let index = changeIndexes.get(changes);
  if (!index) {
    index = new Map();
    for (const c of changes.stillFailing) index.set(c.id, { kind: "still failing", firstSeen: c.firstSeen });
    for (const c of changes.changed) index.set(c.id, { ...index.get(c.id), kind: "changed" });
    for (const c of changes.resolved) index.set(c.id, { kind: "resolved" });
    for (const c of changes.new) index.set(c.id, { kind: "new", firstSeen: c.firstSeen });
    changeIndexes.set(changes, index);
  }
  return index.get(id);
}
