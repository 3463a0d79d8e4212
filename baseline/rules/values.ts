/**
 * How the rules see values that are not known yet (a first `pulumi preview`): as the UNKNOWN marker.
 * The rules never guess. Doctrine, applied by every rule:
 * - a reference to another resource (an ARN, id or name filled in by the engine) that is unknown
 *   counts as set: the engine will fill it, and a missing reference is `undefined`, not unknown;
 * - a setting (flag, number, mode) that is unknown is a violation: a baseline setting comes from
 *   a literal or stack config, so an unknown one cannot be verified and must not pass silently;
 * - a policy document that is unknown cannot be judged at all: the rule says so (notApplicable),
 *   after reporting whatever else it could judge.
 */
import { wildcardMatches } from "../wildcard";

export const UNKNOWN: unique symbol = Symbol.for("orgwarden.unknown");
export type Unknown = typeof UNKNOWN;

export function isUnknown(v: unknown): v is Unknown {
  return v === UNKNOWN;
}

/** True if any value inside v (deeply) is unknown. */
export function containsUnknown(v: unknown): boolean {
  if (isUnknown(v)) return true;
  if (Array.isArray(v)) return v.some(containsUnknown);
  if (v && typeof v === "object") return Object.values(v as Record<string, unknown>).some(containsUnknown);
  return false;
}

export interface ResourceVerdict {
  violations: string[];
  /** Set when the rule could not judge (a document it needs is unknown); the reason says what. */
  notApplicable?: string;
}

export interface StackViolation {
  message: string;
  /** The resource at fault, when there is one. */
  urn?: string;
}

export interface StackVerdict {
  violations: StackViolation[];
  notApplicable?: string;
}

export function setting(name: string): string {
  return `${name} is unknown at preview, so this guardrail cannot verify it; set it from a literal or stack config`;
}

export function asRecord(v: unknown): Record<string, unknown> | undefined {
  return v && typeof v === "object" && !Array.isArray(v) && !isUnknown(v) ? (v as Record<string, unknown>) : undefined;
}

export function asList(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** Policy documents arrive as JSON text (or as an object from typed inputs). */
export function parseDocument(v: unknown): { doc?: Record<string, unknown>; error?: string } {
  if (typeof v === "string") {
    try {
      const d = JSON.parse(v);
      return asRecord(d) ? { doc: d } : { error: "is not a JSON object" };
    } catch (e) {
      return { error: `is not valid JSON (${(e as Error).message})` };
    }
  }
  const r = asRecord(v);
  return r ? { doc: r } : { error: "is missing" };
}

/** IAM-style wildcard match (`*` any run, `?` one character); the rules pass ignoreCase per operator, hence the flag. */
export function wildcardMatch(pattern: string, value: string, ignoreCase = false): boolean {
  return wildcardMatches(pattern, value, { ignoreCase });
}
