/**
 * Per-resource exemptions, applied to every policy in one place (define.ts wraps each policy's
 * report with `exempt`). The list lives in the config of the `exemptions` policy
 * (`"exemptions": { "entries": [ … ] }`): the engine hands a policy only its own config, so that
 * policy loads the list on every resource it sees — it runs first in the pack, before any other
 * policy judges the resource — and `exemptions-in-use`, the pack's last policy, reports what was
 * exempted and what matched nothing, then forgets the run.
 *
 * State is this module's, i.e. the pack process's: one analyzer process serves one preview.
 */
import { wildcardMatches } from "../../../baseline/wildcard";
import { z } from "./config-schema";

/** Today's date for expiry, overridable for tests and reproducible runs (it is printed wherever it decides anything). */
export const NOW_VARIABLE = "ORGWARDEN_POLICY_NOW";

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function isIsoDate(v: string): boolean {
  if (!ISO_DATE.test(v)) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
}

/** The zod schema of one exemption; `policies` are the names an exemption may name. */
export function exemptionEntrySchema(policies: readonly [string, ...string[]]) {
  return z
    .strictObject({
      policy: z.enum(policies).describe("The policy whose violations are exempted."),
      urn: z
        .string()
        .min(1)
        .optional()
        .describe("Pattern matched against the resource's URN (* any run of characters, ? one character)."),
      name: z.string().min(1).optional().describe("Pattern matched against the resource's Pulumi name."),
      reason: z
        .string()
        .refine((s) => s.trim() !== "", { message: "must say why the violation is accepted" })
        // What the engine's JSON Schema check can say of it; the refinement words it for the offline gate.
        .meta({ minLength: 1 })
        .describe("Why it is accepted."),
      expires: z
        .string()
        .refine(isIsoDate, {
          error: (i) =>
            `must be an ISO date YYYY-MM-DD, the last day the exemption holds (got ${JSON.stringify(i.input)})`,
        })
        .meta({ pattern: ISO_DATE.source })
        .describe("The last day (UTC) the exemption holds, YYYY-MM-DD."),
      approvedBy: z.string().min(1).optional().describe("Who accepted it."),
    })
    .refine((e) => (e.urn === undefined) !== (e.name === undefined), {
      message: "must give exactly one of urn or name",
    });
}

export interface Exemption {
  policy: string;
  urn?: string;
  name?: string;
  reason: string;
  expires: string;
  approvedBy?: string;
}

interface Applied {
  index: number;
  urn: string;
  messages: string[];
}

interface RunState {
  entries: Exemption[];
  applied: Applied[];
  /** Indices of expired exemptions that matched a violation (which was reported). */
  expiredMatched: Set<number>;
}

let state: RunState | undefined;

/**
 * Where a process serves several previews (the in-process harness runs many in one test process),
 * what one preview loaded must not exempt anything in the next: a preview that ends before
 * `exemptions-in-use` (an error, or a pack filtered to a few policies) would otherwise leave its
 * list in force. Each such host calls every function in this registered set before a preview, as a
 * fresh analyzer process would start empty (harness/policy-runner.ts does).
 */
export const BEGIN_PREVIEW = Symbol.for("orgwarden.policyPack.beginPreview");
const hooks = ((globalThis as Record<symbol, unknown>)[BEGIN_PREVIEW] ??= new Set<() => void>()) as Set<() => void>;
hooks.add(() => {
  state = undefined;
});

/** Today's UTC date, from ORGWARDEN_POLICY_NOW when set (an ISO date or date-time). */
export function today(): { date: string; source: string } {
  const given = process.env[NOW_VARIABLE];
  if (given === undefined || given === "") return { date: new Date().toISOString().slice(0, 10), source: "clock" };
  const d = new Date(ISO_DATE.test(given) ? `${given}T00:00:00Z` : given);
  if (Number.isNaN(d.getTime()))
    throw new Error(`${NOW_VARIABLE}=${JSON.stringify(given)} is not an ISO date or date-time (e.g. 2026-06-30)`);
  return { date: d.toISOString().slice(0, 10), source: NOW_VARIABLE };
}

export function isExpired(e: Exemption, date: string): boolean {
  return date > e.expires;
}

/** Called by the `exemptions` policy with its validated config: the list every later policy applies. */
export function loadExemptions(entries: Exemption[]): void {
  if (state && JSON.stringify(state.entries) === JSON.stringify(entries)) return;
  state = { entries, applied: [], expiredMatched: new Set() };
}

/** The loaded list and what it did, and a fresh start for the next run (called by `exemptions-in-use`). */
export function takeRun(): RunState | undefined {
  const s = state;
  state = undefined;
  return s;
}

function matches(e: Exemption, urn: string, name: string): boolean {
  return e.urn !== undefined ? wildcardMatches(e.urn, urn) : wildcardMatches(e.name!, name);
}

/** A short label naming an exemption in messages: `#2 (urn "…")`. */
export function label(e: Exemption, index: number): string {
  return `exemption #${index} (${e.urn !== undefined ? `urn "${e.urn}"` : `name "${e.name}"`})`;
}

/**
 * The messages a policy still reports for one resource: all of them unless a current exemption of
 * that policy matches the resource, in which case none (they are recorded for `exemptions-in-use`).
 * An expired exemption exempts nothing; the messages then say so.
 */
export function exempt(
  policy: string,
  urn: string | undefined,
  name: string | undefined,
  messages: string[],
): string[] {
  if (!state || messages.length === 0 || urn === undefined) return messages;
  const mine = state.entries.map((e, i) => [e, i] as const).filter(([e]) => e.policy === policy);
  const hits = mine.filter(([e]) => matches(e, urn, name ?? urn.split("::").pop()!));
  if (hits.length === 0) return messages;
  const { date } = today();
  const current = hits.find(([e]) => !isExpired(e, date));
  if (current) {
    state.applied.push({ index: current[1], urn, messages });
    return [];
  }
  for (const [, i] of hits) state.expiredMatched.add(i);
  const why = hits.map(([e, i]) => `${label(e, i)} expired on ${e.expires}`).join("; ");
  return messages.map((m) => `${m} (not exempted: ${why})`);
}
