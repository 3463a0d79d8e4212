/**
 * CloudTrail event selectors by meaning. Every selector — advanced, or basic translated to its
 * advanced equivalent — is a predicate over event records: a selector is the AND of its field
 * selectors, the trail records the OR of its selectors. Within one field selector the positive
 * operators (Equals, StartsWith, EndsWith) are ORed, the negative ones (NotEquals, NotStartsWith,
 * NotEndsWith) are ANDed, and both groups must hold (CloudTrail API reference, AdvancedFieldSelector).
 *
 * `selectorGaps(intended, observed)` answers "does the observed union record everything the
 * intended union records?" exactly, not by looking for `eventCategory = Management`: the only
 * atoms are equality, prefix and suffix tests against the literals the selectors name, so a
 * finite set of witness values per field meets every combination of atoms a real value can meet
 * (each literal itself, and prefix + a character no literal contains + suffix for every named
 * prefix and suffix, empty included). An intended witness event no observed selector matches is a
 * gap; the gaps are merged into cubes ("any eventName") so a message names what is excluded.
 */
import { bucketArn, PARTITION } from "./arns";

export const SELECTOR_OPERATORS = [
  "equals",
  "startsWith",
  "endsWith",
  "notEquals",
  "notStartsWith",
  "notEndsWith",
] as const;
export type SelectorOperator = (typeof SELECTOR_OPERATORS)[number];

/** One AdvancedFieldSelector, with the operator names of the SDK in camelCase. */
export type FieldSelector = { field: string } & Partial<Record<SelectorOperator, readonly string[]>>;

export interface EventSelectorModel {
  name?: string;
  fieldSelectors: readonly FieldSelector[];
}

/** An advanced selector in the API's own shape (the SDK, `aws cloudtrail put-event-selectors --advanced-event-selectors`). */
export interface ApiAdvancedEventSelector {
  Name?: string;
  FieldSelectors: ({ Field: string } & Partial<
    Record<"Equals" | "StartsWith" | "EndsWith" | "NotEquals" | "NotStartsWith" | "NotEndsWith", string[]>
  >)[];
}

const API_NAMES: Record<SelectorOperator, keyof ApiAdvancedEventSelector["FieldSelectors"][number]> = {
  equals: "Equals",
  startsWith: "StartsWith",
  endsWith: "EndsWith",
  notEquals: "NotEquals",
  notStartsWith: "NotStartsWith",
  notEndsWith: "NotEndsWith",
};

/** The model in the API's shape; only the operators a field selector uses are written. */
export function toApiSelectors(selectors: readonly EventSelectorModel[]): ApiAdvancedEventSelector[] {
  return selectors.map((s) => ({
    ...(s.name ? { Name: s.name } : {}),
    FieldSelectors: s.fieldSelectors.map((f) => {
      const out: ApiAdvancedEventSelector["FieldSelectors"][number] = { Field: f.field };
      for (const op of SELECTOR_OPERATORS) {
        const v = f[op];
        if (v) (out as Record<string, unknown>)[API_NAMES[op]] = [...v];
      }
      return out;
    }),
  }));
}

/** One basic EventSelector as CloudTrail returns it (GetEventSelectors EventSelectors). */
export interface BasicEventSelector {
  readWriteType?: string;
  includeManagementEvents?: boolean;
  excludeManagementEventSources?: readonly string[];
  dataResources?: readonly { type?: string; values?: readonly string[] }[];
}

/** What a value of `readOnly` can be; every other field is an open string. */
const CLOSED_DOMAINS: Record<string, readonly string[]> = { readOnly: ["true", "false"] };

/**
 * What every ARN of a data-event resource type starts with: an event of that type with another ARN
 * cannot happen, so it is no gap (a basic selector's "arn:aws:s3" records every object).
 */
const RESOURCE_ARN_PREFIX: Record<string, string> = {
  "AWS::S3::Object": `arn:${PARTITION}:s3:::`,
  "AWS::Lambda::Function": `arn:${PARTITION}:lambda:`,
};

function possible(e: Event): boolean {
  const prefix = RESOURCE_ARN_PREFIX[e["resources.type"] ?? ""];
  return prefix === undefined || (e["resources.ARN"] ?? "").startsWith(prefix);
}

/** A character no CloudTrail literal contains: it makes a witness that equals no literal. */
const FRESH = "\u0000";

/** Above this many witness events the question is not answered (a FAIL that says so), never guessed. */
export const MAX_WITNESSES = 200_000;

/**
 * The selectors the baseline lays (infra/org-trail.ts maps them to the Pulumi provider's shape):
 * every management event, read and write, from every event source; plus S3 object data events
 * outside the log buckets, and Lambda invoke data events, when the stack asks for them.
 */
export function intendedTrailSelectors(a: {
  s3DataEvents?: boolean;
  lambdaDataEvents?: boolean;
  /** Excluded from S3 data events: logging the log buckets' own writes would feed back into themselves. */
  logBucketNames: readonly string[];
}): EventSelectorModel[] {
  const out: EventSelectorModel[] = [
    { name: "Management events", fieldSelectors: [{ field: "eventCategory", equals: ["Management"] }] },
  ];
  if (a.s3DataEvents)
    out.push({
      name: "S3 data events except the log buckets",
      fieldSelectors: [
        { field: "eventCategory", equals: ["Data"] },
        { field: "resources.type", equals: ["AWS::S3::Object"] },
        { field: "resources.ARN", notStartsWith: a.logBucketNames.map((b) => `${bucketArn(b)}/`) },
      ],
    });
  if (a.lambdaDataEvents)
    out.push({
      name: "Lambda data events",
      fieldSelectors: [
        { field: "eventCategory", equals: ["Data"] },
        { field: "resources.type", equals: ["AWS::Lambda::Function"] },
      ],
    });
  return out;
}

/**
 * A basic selector as the advanced selector that records the same events: management events with
 * their read/write type minus the excluded event sources (KMS, RDS Data API), and one data selector
 * per data resource (its values are ARN prefixes; "arn:aws:s3" is every object).
 */
export function basicToAdvanced(basic: readonly BasicEventSelector[]): EventSelectorModel[] {
  return basic.flatMap((s) => {
    const rw = s.readWriteType ?? "All";
    const readOnly: FieldSelector[] =
      rw === "ReadOnly"
        ? [{ field: "readOnly", equals: ["true"] }]
        : rw === "WriteOnly"
          ? [{ field: "readOnly", equals: ["false"] }]
          : [];
    const out: EventSelectorModel[] = [];
    if (s.includeManagementEvents !== false) {
      const excluded = s.excludeManagementEventSources ?? [];
      out.push({
        fieldSelectors: [
          { field: "eventCategory", equals: ["Management"] },
          ...readOnly,
          ...(excluded.length > 0 ? [{ field: "eventSource", notEquals: excluded }] : []),
        ],
      });
    }
    for (const d of s.dataResources ?? [])
      out.push({
        fieldSelectors: [
          { field: "eventCategory", equals: ["Data"] },
          { field: "resources.type", equals: [d.type ?? ""] },
          { field: "resources.ARN", startsWith: d.values ?? [] },
          ...readOnly,
        ],
      });
    return out;
  });
}

type Event = Record<string, string>;

function fieldMatches(f: FieldSelector, v: string): boolean {
  const positive = [...(f.equals ?? []), ...(f.startsWith ?? []), ...(f.endsWith ?? [])].length > 0;
  const pos =
    !positive ||
    (f.equals ?? []).includes(v) ||
    (f.startsWith ?? []).some((p) => v.startsWith(p)) ||
    (f.endsWith ?? []).some((s) => v.endsWith(s));
  const neg =
    !(f.notEquals ?? []).includes(v) &&
    !(f.notStartsWith ?? []).some((p) => v.startsWith(p)) &&
    !(f.notEndsWith ?? []).some((s) => v.endsWith(s));
  return pos && neg;
}

/** Whether one selector records the event: every field selector holds. */
export function selectorMatches(s: EventSelectorModel, e: Event): boolean {
  return s.fieldSelectors.every((f) => fieldMatches(f, e[f.field] ?? ""));
}

/** A witness value of a field: a literal, or a value described by its prefix and suffix. */
interface Witness {
  value: string;
  literal?: string;
  prefix?: string;
  suffix?: string;
}

function witnesses(field: string, all: readonly EventSelectorModel[]): Witness[] {
  const closed = CLOSED_DOMAINS[field];
  if (closed) return closed.map((v) => ({ value: v, literal: v }));
  const fs = all.flatMap((s) => s.fieldSelectors.filter((f) => f.field === field));
  const lits = new Set(fs.flatMap((f) => [...(f.equals ?? []), ...(f.notEquals ?? [])]));
  const prefixes = new Set([
    "",
    ...(field === "resources.ARN" ? Object.values(RESOURCE_ARN_PREFIX) : []),
    ...fs.flatMap((f) => [...(f.startsWith ?? []), ...(f.notStartsWith ?? [])]),
  ]);
  const suffixes = new Set(["", ...fs.flatMap((f) => [...(f.endsWith ?? []), ...(f.notEndsWith ?? [])])]);
  const out: Witness[] = [...lits].map((v) => ({ value: v, literal: v }));
  for (const p of prefixes)
    for (const s of suffixes) out.push({ value: `${p}${FRESH}${s}`, prefix: p || undefined, suffix: s || undefined });
  return out;
}

/** One set of events the intended selectors record and the observed ones do not: field → witness, absent = any value. */
export type SelectorGapCube = Record<string, Witness>;

export interface SelectorGaps {
  /** The excluded events, merged; empty when the observed selectors record everything intended. */
  cubes: SelectorGapCube[];
  /** Set when the selectors name too many values to enumerate: the question is unanswered. */
  tooComplex?: number;
  /** The literals each field's "any other value" stands apart from, for the words. */
  literals: Record<string, string[]>;
}

export function selectorGaps(
  intended: readonly EventSelectorModel[],
  observed: readonly EventSelectorModel[],
): SelectorGaps {
  const all = [...intended, ...observed];
  // resources.type and resources.ARN always: an event's type constrains its ARN (possible()), even where no selector names the ARN.
  const fields = [
    ...new Set([
      "eventCategory",
      "readOnly",
      "resources.type",
      "resources.ARN",
      ...all.flatMap((s) => s.fieldSelectors.map((f) => f.field)),
    ]),
  ];
  const domains = fields.map((f) => witnesses(f, all));
  const literals = Object.fromEntries(
    fields.map((f, i) => [f, domains[i].flatMap((w) => (w.literal === undefined ? [] : [w.literal]))]),
  );
  const size = domains.reduce((n, d) => n * d.length, 1);
  if (size > MAX_WITNESSES) return { cubes: [], tooComplex: size, literals };
  const missed: number[][] = [];
  const idx = fields.map(() => 0);
  for (let n = 0; n < size; n++) {
    let rest = n;
    for (let i = fields.length - 1; i >= 0; i--) {
      idx[i] = rest % domains[i].length;
      rest = Math.floor(rest / domains[i].length);
    }
    const e: Event = Object.fromEntries(fields.map((f, i) => [f, domains[i][idx[i]].value]));
    if (possible(e) && intended.some((s) => selectorMatches(s, e)) && !observed.some((s) => selectorMatches(s, e)))
      missed.push([...idx]);
  }
  const typeAt = fields.indexOf("resources.type");
  const arnAt = fields.indexOf("resources.ARN");
  // Only a cube that fixes both the type and the ARN can be impossible as a whole.
  const impossible = (c: number[]) =>
    typeAt >= 0 &&
    arnAt >= 0 &&
    c[typeAt] !== ANY &&
    c[arnAt] !== ANY &&
    !possible({ "resources.type": domains[typeAt][c[typeAt]].value, "resources.ARN": domains[arnAt][c[arnAt]].value });
  return { cubes: merge(missed, domains, impossible).map((c) => toCube(c, fields, domains)), literals };
}

const ANY = -1;

/**
 * Collapses a field to "any value" wherever every value of it is missed (or impossible) with the
 * other fields equal, pass after pass until nothing merges.
 */
function merge(missed: number[][], domains: Witness[][], impossible: (c: number[]) => boolean): number[][] {
  let cubes = missed;
  for (let changed = true; changed;) {
    changed = false;
    for (let i = 0; i < domains.length; i++) {
      const groups = new Map<string, number[][]>();
      for (const c of cubes) {
        const key = c.map((v, j) => (j === i ? "_" : v)).join(",");
        groups.set(key, [...(groups.get(key) ?? []), c]);
      }
      cubes = [...groups.values()].flatMap((g) => {
        const seen = new Set(g.map((c) => c[i]));
        if (seen.has(ANY)) return [g[0]];
        const at = (v: number) => g[0].map((x, j) => (j === i ? v : x));
        if (!domains[i].every((_, v) => seen.has(v) || impossible(at(v)))) return g;
        changed = true;
        return [at(ANY)];
      });
    }
  }
  return cubes;
}

function toCube(c: number[], fields: string[], domains: Witness[][]): SelectorGapCube {
  return Object.fromEntries(c.flatMap((v, i) => (v === ANY ? [] : [[fields[i], domains[i][v]]])));
}

function describeValue(field: string, w: Witness, literals: readonly string[]): string {
  if (w.literal !== undefined) return `${field} = ${w.literal}`;
  const parts = [w.prefix ? `starts with "${w.prefix}"` : "", w.suffix ? `ends with "${w.suffix}"` : ""].filter(
    Boolean,
  );
  if (parts.length > 0) return `${field} ${parts.join(" and ")}`;
  return literals.length > 0 ? `${field} other than ${literals.join(", ")}` : `any ${field}`;
}

/** One cube in words: "write management events (readOnly = false) with eventSource = kms.amazonaws.com". */
export function describeGapCube(cube: SelectorGapCube, literals: Record<string, string[]>): string {
  const cat = cube.eventCategory?.literal;
  const what = cat === "Management" ? "management events" : cat === "Data" ? "data events" : "events";
  const rw = cube.readOnly?.literal === "true" ? "read " : cube.readOnly?.literal === "false" ? "write " : "";
  const rest = Object.entries(cube)
    .filter(([f]) => f !== "eventCategory" && f !== "readOnly")
    .map(([f, w]) => describeValue(f, w, literals[f] ?? []));
  const base = `${rw}${what}${cube.readOnly ? ` (readOnly = ${cube.readOnly.literal})` : ""}`;
  return rest.length > 0 ? `${base} with ${rest.join(", ")}` : base;
}

/** All gaps in words, at most `max` named. */
export function describeSelectorGaps(g: SelectorGaps, max = 6): string[] {
  if (g.tooComplex !== undefined)
    return [
      `the selectors name too many values to judge by meaning (${g.tooComplex} combinations, limit ${MAX_WITNESSES}); nothing is proven recorded`,
    ];
  const words = g.cubes.map((c) => describeGapCube(c, g.literals));
  return words.length > max ? [...words.slice(0, max), `and ${words.length - max} more`] : words;
}
