/**
 * Waivers: accepted findings, each with a reason, an approver and an expiry, kept in the repository
 * (waivers.yaml) and given to the CLI with --waivers. A waived finding keeps its status and gains
 * `waived`, and no longer counts toward the exit code. An expired waiver waives nothing and is a
 * FAIL of its own (waiver-expired); a waiver that matches no FAIL or ERROR is a FAIL too
 * (waiver-unused, INFORMATIONAL), so a waiver whose drift was fixed is removed rather than left to
 * hide the next one. The YAML file is read in waivers-file.ts, so the Lambda bundle carries no YAML parser.
 */
import { checkWaiversDocument, type WaiverEntry } from "../baseline/waivers";
import { wildcardMatches } from "../baseline/wildcard";
import { finding } from "./checks/common";
import { CHECKS } from "./checks/registry";
import { exitCodeFor, type AuditResult, type CheckMetadata, type Finding } from "./finding";
import { AuditConfigError } from "./options";
import { needsAction } from "./report/summary";

const CHECK_IDS = CHECKS.map((c) => c.metadata.id) as [string, ...string[]];

export type Waiver = Omit<WaiverEntry, "checkId"> & { checkId: string };

/** Validates the parsed content of a waivers file (or the manifest's); every problem is listed, each naming the entry and the key. */
export function checkWaivers(raw: unknown, label: string): Waiver[] {
  try {
    // The one schema infra validates the published file with too (baseline/waivers.ts).
    return checkWaiversDocument(raw, label, CHECK_IDS);
  } catch (err) {
    throw new AuditConfigError((err as Error).message);
  }
}

/** The manifest's waivers (published by infra for the nightly run), narrowed to the registered checks like a file's. */
export function manifestWaivers(entries: unknown[] | undefined, source: string): Waiver[] {
  if (!entries) return [];
  return checkWaivers({ waivers: entries }, source);
}

/** A waiver holds through the whole of its `expires` day (UTC). */
const expired = (w: Waiver, now: Date) => Date.parse(`${w.expires}T23:59:59.999Z`) < now.getTime();

const matches = (w: Waiver, f: Finding) =>
  f.checkId === w.checkId &&
  (w.account === undefined || w.account === f.account) &&
  (w.region === undefined || w.region === f.region) &&
  (w.resource === undefined || wildcardMatches(w.resource, f.resourceArn));

/** Names a waiver by what it matches (not its position, which shifts as entries are added), for ids and messages. */
const waiverName = (w: Waiver) =>
  [w.checkId, w.account ?? "*", w.region ?? "*", w.resource ?? "*"].join(" ").replace(/ \* \* \*$/, "");

function meta(id: string, title: string, severity: CheckMetadata["severity"], fix: string): CheckMetadata {
  return {
    id,
    title,
    area: "organization",
    severity,
    risk: "A waiver outside its terms either hides drift nobody re-approved or stands ready to hide the next one.",
    remediation: { console: fix, cli: fix, pulumi: fix },
    controls: [],
    references: [],
  };
}

const EXPIRED = meta(
  "waiver-expired",
  "Every waiver is within its expiry",
  "MEDIUM",
  "Fix the waived finding, or have the waiver re-approved with a new expires date in the waivers file.",
);
const UNUSED = meta(
  "waiver-unused",
  "Every waiver matches a finding that needs action",
  "INFORMATIONAL",
  "Remove the waiver from the waivers file: what it waived is fixed or no longer reported.",
);

function waiverFinding(m: CheckMetadata, w: Waiver, file: string, index: number, message: string): Finding {
  return finding(
    m,
    { account: "-", region: "global", resourceArn: "", key: waiverName(w) },
    { status: "FAIL", intended: { ...w }, observed: { file, entry: index }, message },
  );
}

/** Applies the waivers to one run's findings (the clock is the run's `now`) and recomputes its exit code. */
export function applyWaivers(result: AuditResult, waivers: Waiver[], file: string): AuditResult {
  const now = new Date(result.now);
  const findings = result.findings.map((f) => ({ ...f }));
  const extra: Finding[] = [];
  waivers.forEach((w, i) => {
    const where = `${file} entry [${i}] (${waiverName(w)}, approved by ${w.approvedBy})`;
    if (expired(w, now)) {
      extra.push(
        waiverFinding(EXPIRED, w, file, i, `The waiver ${where} expired on ${w.expires} and waives nothing any more.`),
      );
      return;
    }
    const hit = findings.filter((f) => needsAction(f) && f.waived === undefined && matches(w, f));
    for (const f of hit) f.waived = { reason: w.reason, expires: w.expires, approvedBy: w.approvedBy };
    if (hit.length === 0)
      extra.push(waiverFinding(UNUSED, w, file, i, `The waiver ${where} matches no FAIL or ERROR finding; remove it.`));
  });
  const all = [...findings, ...extra];
  return { ...result, findings: all, exitCode: exitCodeFor(all, result.incomplete) };
}
