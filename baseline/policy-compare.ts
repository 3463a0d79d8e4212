/**
 * Semantic comparison of IAM policy documents (bucket, key, SCP): two documents that AWS evaluates
 * the same way compare equal, whatever their order, casing or string-vs-array spelling. Pure, so the
 * audit agent and the policy pack judge drift by the same rule.
 */
import { ACCOUNT_ID, accountRoot, parseArn } from "./arns";
import { asArray, PolicyDocument, Principal, Statement } from "./policy-types";

/** Principal type → sorted values. "*" is spelled { AWS: ["*"] }, as IAM treats the two alike. */
export type NormalizedPrincipal = Record<string, string[]>;

export interface NormalizedStatement {
  sid?: string;
  effect: "Allow" | "Deny";
  principal?: NormalizedPrincipal;
  notPrincipal?: NormalizedPrincipal;
  /** Lower-cased: IAM action names are case-insensitive. */
  action?: string[];
  notAction?: string[];
  resource?: string[];
  notResource?: string[];
  /** Operator (as written: operators are distinct names) → lower-cased key (keys are case-insensitive) → sorted string values. */
  condition?: Record<string, Record<string, string[]>>;
}

/** The statement fields a change can touch, named as in the policy grammar. */
export type StatementField =
  "Effect" | "Principal" | "NotPrincipal" | "Action" | "NotAction" | "Resource" | "NotResource" | "Condition";

export interface StatementDrift {
  /** Sid of the statement, or undefined for a Sid-less one. */
  sid?: string;
  /** Principals of the statement as observed (added, changed) or as intended (removed), e.g. "AWS:arn:aws:iam::1:root". */
  principals: string[];
  /** Fields that differ (changed), or every field present (added, removed). */
  fields: StatementField[];
  intended?: NormalizedStatement;
  observed?: NormalizedStatement;
  /** The same statements as written in the documents, for people reading a report. */
  intendedStatement?: Statement;
  observedStatement?: Statement;
  /** Changed statements only: principals present now that the intended statement does not name, and the reverse. */
  principalsAdded?: string[];
  principalsRemoved?: string[];
}

export interface PolicyDiff {
  equal: boolean;
  added: StatementDrift[];
  removed: StatementDrift[];
  changed: StatementDrift[];
}

const sortedUnique = (xs: string[]) => [...new Set(xs)].sort();

/** IAM stores a bare account id in Principal.AWS as that account's root ARN. */
function canonicalAwsPrincipal(p: string): string {
  return ACCOUNT_ID.test(p) ? accountRoot(p) : p;
}

function normalizePrincipal(p: Principal | undefined): NormalizedPrincipal | undefined {
  if (p === undefined) return undefined;
  if (p === "*") return { AWS: ["*"] };
  const out: NormalizedPrincipal = {};
  for (const type of Object.keys(p).sort()) {
    const values = asArray((p as Record<string, string | string[]>)[type]).map(String);
    out[type] = sortedUnique(type === "AWS" ? values.map(canonicalAwsPrincipal) : values);
  }
  return out;
}

const IGNORE_CASE_OPERATOR = /IgnoreCase/;

function normalizeCondition(c: Statement["Condition"]): NormalizedStatement["condition"] {
  if (c === undefined) return undefined;
  const out: Record<string, Record<string, string[]>> = {};
  for (const op of Object.keys(c).sort()) {
    const keys: Record<string, string[]> = {};
    for (const key of Object.keys(c[op])) {
      const values = asArray(c[op][key] as string | string[]).map(String);
      const lk = key.toLowerCase();
      // Two spellings of one key in one operator block are one key to IAM; merge their values.
      keys[lk] = sortedUnique([
        ...(keys[lk] ?? []),
        ...(IGNORE_CASE_OPERATOR.test(op) ? values.map((v) => v.toLowerCase()) : values),
      ]);
    }
    out[op] = Object.fromEntries(
      Object.keys(keys)
        .sort()
        .map((k) => [k, keys[k]]),
    );
  }
  return out;
}

export function normalizeStatement(s: Statement): NormalizedStatement {
  const n: NormalizedStatement = { effect: s.Effect };
  if (s.Sid !== undefined && s.Sid !== "") n.sid = s.Sid;
  if (s.Principal !== undefined) n.principal = normalizePrincipal(s.Principal);
  if (s.NotPrincipal !== undefined) n.notPrincipal = normalizePrincipal(s.NotPrincipal);
  if (s.Action !== undefined) n.action = sortedUnique(asArray(s.Action).map((a) => a.toLowerCase()));
  if (s.NotAction !== undefined) n.notAction = sortedUnique(asArray(s.NotAction).map((a) => a.toLowerCase()));
  if (s.Resource !== undefined) n.resource = sortedUnique(asArray(s.Resource));
  if (s.NotResource !== undefined) n.notResource = sortedUnique(asArray(s.NotResource));
  if (s.Condition !== undefined && Object.keys(s.Condition).length > 0) n.condition = normalizeCondition(s.Condition);
  return n;
}

export function normalizePolicy(doc: PolicyDocument): NormalizedStatement[] {
  return doc.Statement.map(normalizeStatement);
}

const FIELD_KEYS: [StatementField, keyof NormalizedStatement][] = [
  ["Effect", "effect"],
  ["Principal", "principal"],
  ["NotPrincipal", "notPrincipal"],
  ["Action", "action"],
  ["NotAction", "notAction"],
  ["Resource", "resource"],
  ["NotResource", "notResource"],
  ["Condition", "condition"],
];

/** Field-wise comparison; the Sid is a label, not part of a statement's meaning. */
function differingFields(a: NormalizedStatement, b: NormalizedStatement): StatementField[] {
  return FIELD_KEYS.filter(([, k]) => JSON.stringify(a[k]) !== JSON.stringify(b[k])).map(([f]) => f);
}

function presentFields(s: NormalizedStatement): StatementField[] {
  return FIELD_KEYS.filter(([, k]) => s[k] !== undefined).map(([f]) => f);
}

/** "AWS:arn:…", "Service:cloudtrail.amazonaws.com", "AWS:*"; NotPrincipal entries are prefixed "Not". */
export function principalsOf(s: NormalizedStatement): string[] {
  const list = (p: NormalizedPrincipal | undefined, prefix: string) =>
    p ? Object.entries(p).flatMap(([type, values]) => values.map((v) => `${prefix}${type}:${v}`)) : [];
  return [...list(s.principal, ""), ...list(s.notPrincipal, "Not")];
}

const contentKey = (s: NormalizedStatement) => JSON.stringify({ ...s, sid: undefined });

/**
 * Matches statements by Sid first (so a principal slipped into a named statement reads as a change of
 * that statement), then the rest by meaning; whatever is left over was added or removed.
 */
export function comparePolicies(intended: PolicyDocument, observed: PolicyDocument): PolicyDiff {
  const want = normalizePolicy(intended);
  const have = normalizePolicy(observed);
  const used = new Set<number>();
  const changed: StatementDrift[] = [];
  const unmatched: NormalizedStatement[] = [];

  for (const w of want) {
    const i = w.sid === undefined ? -1 : have.findIndex((h, j) => !used.has(j) && h.sid === w.sid);
    if (i < 0) {
      unmatched.push(w);
      continue;
    }
    used.add(i);
    const fields = differingFields(w, have[i]);
    if (fields.length > 0)
      changed.push({
        ...changeOf(w, have[i], fields),
        intendedStatement: intended.Statement[want.indexOf(w)],
        observedStatement: observed.Statement[i],
      });
  }
  const removed: StatementDrift[] = [];
  for (const w of unmatched) {
    const i = have.findIndex((h, j) => !used.has(j) && contentKey(h) === contentKey(w));
    if (i >= 0) used.add(i);
    else
      removed.push({
        sid: w.sid,
        principals: principalsOf(w),
        fields: presentFields(w),
        intended: w,
        intendedStatement: intended.Statement[want.indexOf(w)],
      });
  }
  const added = have
    .map((h, j): [NormalizedStatement, number] => [h, j])
    .filter(([, j]) => !used.has(j))
    .map(([h, j]): StatementDrift => ({
      sid: h.sid,
      principals: principalsOf(h),
      fields: presentFields(h),
      observed: h,
      observedStatement: observed.Statement[j],
    }));
  return { equal: added.length + removed.length + changed.length === 0, added, removed, changed };
}

function changeOf(w: NormalizedStatement, h: NormalizedStatement, fields: StatementField[]): StatementDrift {
  const before = principalsOf(w);
  const after = principalsOf(h);
  return {
    sid: h.sid,
    principals: after,
    fields,
    intended: w,
    observed: h,
    principalsAdded: after.filter((p) => !before.includes(p)),
    principalsRemoved: before.filter((p) => !after.includes(p)),
  };
}

/** One line per drifted statement, for messages: `changed statement "AuditorRead" (Principal, Condition): principal added AWS:…`. */
export function describeDrift(kind: "added" | "removed" | "changed", d: StatementDrift): string {
  const name = d.sid === undefined ? "Sid-less statement" : `statement "${d.sid}"`;
  const who = d.principals.length > 0 ? d.principals.join(", ") : "no principal";
  if (kind === "added") return `added ${name} for ${who}`;
  if (kind === "removed") return `removed ${name} for ${who}`;
  const parts = [`changed ${name} (${d.fields.join(", ")})`];
  if (d.principalsAdded && d.principalsAdded.length > 0) parts.push(`principal added ${d.principalsAdded.join(", ")}`);
  if (d.principalsRemoved && d.principalsRemoved.length > 0)
    parts.push(`principal removed ${d.principalsRemoved.join(", ")}`);
  return parts.join(": ");
}

export interface TrustedPrincipals {
  /** Accounts of the organization (management, log archive, security, and any member known to the caller). */
  accountIds: string[];
  orgId: string;
}

export interface ForeignPrincipal {
  sid?: string;
  /** As in principalsOf(), e.g. "AWS:arn:aws:iam::999999999999:root" or "AWS:*". */
  principal: string;
  reason: string;
}

/** Keys that, compared positively, tie a request to the caller's own organization, account or resource. */
const LIMITING_KEYS = [
  "aws:principalorgid",
  "aws:sourceorgid",
  "aws:principalaccount",
  "aws:sourceaccount",
  "aws:principalarn",
  "aws:sourcearn",
];
const POSITIVE_OPERATOR = /^(ForAnyValue:|ForAllValues:)?(StringEquals|StringLike|ArnEquals|ArnLike)$/;

function accountOfArn(arn: string): string | undefined {
  const a = parseArn(arn);
  return a && (a.service === "iam" || a.service === "sts") && a.region === "" && ACCOUNT_ID.test(a.account)
    ? a.account
    : undefined;
}

/** True when every value of a limiting key points inside the trusted set (a wildcard account is not inside). */
function limitsToTrusted(key: string, values: string[], t: TrustedPrincipals): boolean {
  if (key.endsWith("orgid")) return values.every((v) => v === t.orgId);
  if (key.endsWith("account")) return values.every((v) => t.accountIds.includes(v));
  return values.every((v) => {
    const acct = parseArn(v)?.account;
    return acct !== undefined && ACCOUNT_ID.test(acct) && t.accountIds.includes(acct);
  });
}

function hasLimitingCondition(s: NormalizedStatement, t: TrustedPrincipals): boolean {
  return Object.entries(s.condition ?? {}).some(
    ([op, keys]) =>
      POSITIVE_OPERATOR.test(op) &&
      Object.entries(keys).some(([k, v]) => LIMITING_KEYS.includes(k) && limitsToTrusted(k, v, t)),
  );
}

function foreignReason(type: string, value: string, s: NormalizedStatement, t: TrustedPrincipals): string | undefined {
  if (type === "Service") return undefined;
  if (type === "AWS" && value === "*") {
    return hasLimitingCondition(s, t)
      ? undefined
      : "anyone (*) without a condition limiting it to the organization (aws:PrincipalOrgID, aws:SourceArn, aws:PrincipalArn, aws:SourceAccount)";
  }
  if (type === "CanonicalUser") return "a canonical user id cannot be tied to an account of the organization";
  const acct = accountOfArn(value);
  if (acct === undefined) return `${type} principal is not an IAM ARN of a known account`;
  return t.accountIds.includes(acct) ? undefined : `account ${acct} is not an account of organization ${t.orgId}`;
}

/**
 * Principals an Allow statement grants to that are outside the organization. Deny statements grant
 * nothing, so a "*" there is harmless; NotPrincipal in an Allow grants to everyone else and is always foreign.
 */
export function foreignPrincipals(doc: PolicyDocument, trusted: TrustedPrincipals): ForeignPrincipal[] {
  return normalizePolicy(doc).flatMap((s) => foreignPrincipalsOfStatement(s, trusted));
}

export function foreignPrincipalsOfStatement(s: NormalizedStatement, trusted: TrustedPrincipals): ForeignPrincipal[] {
  if (s.effect !== "Allow") return [];
  const out: ForeignPrincipal[] = [];
  for (const [type, values] of Object.entries(s.principal ?? {})) {
    for (const v of values) {
      const reason = foreignReason(type, v, s, trusted);
      if (reason) out.push({ sid: s.sid, principal: `${type}:${v}`, reason });
    }
  }
  for (const p of principalsOf({ ...s, principal: undefined })) {
    out.push({
      sid: s.sid,
      principal: p,
      reason: "NotPrincipal in an Allow statement grants to every other principal",
    });
  }
  return out;
}
