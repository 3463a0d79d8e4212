/**
 * What needs action, as people read it: unwaived FAIL and ERROR findings, where ERRORs that are the
 * same failure in many places — same check, same failed call, same error name and kind, same error
 * message once the finding's own account id and region are taken out — become one entry listing
 * their account × region pairs. Used by HTML, Markdown and the console summary; report.json keeps
 * every finding as it is.
 */
import type { Finding } from "../finding";
import { needsAction, sortFindings } from "./summary";

export interface ErrorGroup {
  checkId: string;
  severity: Finding["severity"];
  operation: string;
  name: string;
  kind?: string;
  /** The error message with the account id as `<account>` and the region as `<region>`. */
  message: string;
  /** The first finding's message, generalised the same way. */
  summary: string;
  /** Two or more, in report order. */
  findings: Finding[];
}

export type ActionItem = { kind: "finding"; finding: Finding } | { kind: "group"; group: ErrorGroup };

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** A finding's text with its own account id and region generalised, so the same failure elsewhere reads the same. */
export function generalise(text: string, f: Pick<Finding, "account" | "region">): string {
  let out = text;
  if (/^\d{12}$/.test(f.account)) out = out.replace(new RegExp(escapeRegExp(f.account), "g"), "<account>");
  if (f.region !== "global")
    out = out.replace(new RegExp(`(?<![a-z0-9-])${escapeRegExp(f.region)}(?![a-z0-9-])`, "g"), "<region>");
  return out;
}

function groupKey(f: Finding): string | undefined {
  if (f.status !== "ERROR" || !f.error) return undefined;
  const e = f.error;
  return JSON.stringify([f.checkId, f.severity, e.operation, e.name, e.kind ?? null, generalise(e.message, f)]);
}

/** Needs action (unwaived FAIL and ERROR), worst first; identical ERRORs folded into one group at the place of the first. */
export function actionItems(findings: Finding[]): ActionItem[] {
  const action = sortFindings(findings).filter((f) => needsAction(f) && !f.waived);
  const byKey = new Map<string, Finding[]>();
  for (const f of action) {
    const k = groupKey(f);
    if (k !== undefined) byKey.set(k, [...(byKey.get(k) ?? []), f]);
  }
  const out: ActionItem[] = [];
  const emitted = new Set<string>();
  for (const f of action) {
    const k = groupKey(f);
    const members = k === undefined ? [] : byKey.get(k)!;
    if (members.length < 2) {
      out.push({ kind: "finding", finding: f });
      continue;
    }
    if (emitted.has(k!)) continue;
    emitted.add(k!);
    const e = f.error!;
    out.push({
      kind: "group",
      group: {
        checkId: f.checkId,
        severity: f.severity,
        operation: e.operation,
        name: e.name,
        ...(e.kind !== undefined ? { kind: e.kind } : {}),
        message: generalise(e.message, f),
        summary: generalise(f.message, f),
        findings: members,
      },
    });
  }
  return out;
}

/** "ListAssociations failed in 10 account × region pairs" */
export function groupTitle(g: ErrorGroup): string {
  return `${g.operation} failed in ${g.findings.length} account × region pairs`;
}

/** Number of findings an item stands for. */
export const itemSize = (i: ActionItem) => (i.kind === "group" ? i.group.findings.length : 1);
