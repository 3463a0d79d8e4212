/**
 * The shape every control shares: tri-state facts in, a verdict with structured gaps out, and the
 * control's metadata carried once. The pack and the agent each turn their own world (Pulumi props
 * at preview, API state in the audit) into facts, call the same control, and word the gaps.
 */

/**
 * One observed field. `unknown` is a value the engine fills in later (a first `pulumi preview`);
 * `absent` is a field that is not set at all, which is not the same as a known `false`.
 */
export type Fact<T> =
  { readonly kind: "known"; readonly value: T } | { readonly kind: "unknown" } | { readonly kind: "absent" };

export const known = <T>(value: T): Fact<T> => ({ kind: "known", value });
export const UNKNOWN: Fact<never> = Object.freeze({ kind: "unknown" });
export const ABSENT: Fact<never> = Object.freeze({ kind: "absent" });

/** A plain value as a fact: undefined and null are absent. */
export function factOf<T>(v: T | undefined | null): Fact<T> {
  return v === undefined || v === null ? ABSENT : known(v);
}

/** The value when known, else undefined. */
export function valueOf<T>(f: Fact<T>): T | undefined {
  return f.kind === "known" ? f.value : undefined;
}

/** What AWS (and the provider) does with a field left unset: the default stands in for `absent`. */
export function withDefault<T>(f: Fact<T>, fallback: T): Fact<T> {
  return f.kind === "absent" ? known(fallback) : f;
}

/** One thing that keeps a control from passing: which field, what it should be, what it is. */
export interface Gap<F extends string = string, R extends string = string> {
  field: F;
  /** What the control expects, for people and reports ("true", "aws:kms or aws:kms:dsse", "≥ 365"). */
  expected: string;
  found: Fact<unknown>;
  /** Why, when the field's value alone does not say (e.g. "aws-managed-key"). */
  reason?: R;
}

export interface Verdict<F extends string = string, R extends string = string> {
  control: string;
  passed: boolean;
  gaps: Gap<F, R>[];
}

export type ControlSeverity = "critical" | "high" | "medium" | "low";

export interface FrameworkRef {
  /** Benchmark version the id is numbered in, e.g. "3.0.0". */
  version: string;
  id: string;
}

export interface ControlMeta {
  /** kebab-case, equals the file name. */
  id: string;
  title: string;
  severity: ControlSeverity;
  risk: string;
  /** CIS Amazon Web Services Foundations Benchmark recommendations. */
  cis: FrameworkRef[];
  /** AWS Security Hub control ids, e.g. "S3.8": Foundational Security Best Practices where it has one, else the Security Hub control of another standard that judges the same. */
  fsbp: string[];
  references: string[];
}

export interface Control<F, P = void, G extends string = string, R extends string = string> {
  readonly meta: ControlMeta;
  /** Pure: the same facts and parameters give the same verdict. Called as a method, so a test can record calls. */
  judge(facts: F, params: P): Verdict<G, R>;
}

/** Builds a control; `gaps` lists what fails, the verdict is derived from it. */
export function defineControl<F, P = void, G extends string = string, R extends string = string>(
  meta: ControlMeta,
  gaps: (facts: F, params: P) => Gap<G, R>[],
): Control<F, P, G, R> {
  return {
    meta,
    judge(facts, params) {
      const g = gaps(facts, params);
      return { control: meta.id, passed: g.length === 0, gaps: g };
    },
  };
}

/**
 * A boolean setting that must be true. Unknown is a gap (a setting is never assumed), absent takes
 * AWS's default.
 */
export function mustBeTrue<F extends string>(field: F, f: Fact<boolean>, awsDefault: boolean): Gap<F>[] {
  const v = withDefault(f, awsDefault);
  return v.kind === "known" && v.value === true ? [] : [{ field, expected: "true", found: f }];
}

/**
 * A reference (ARN, id, name) that must be set. Unknown counts as set: the engine fills it in, and
 * a missing reference is absent, not unknown.
 */
export function mustBeSet<F extends string>(field: F, f: Fact<string>, expected: string): Gap<F>[] {
  return f.kind === "unknown" || (f.kind === "known" && f.value !== "")
    ? []
    : [{ field, expected, found: f, reason: "missing" }];
}

/** The first gap of a field, for renderers. */
export function gapOf<F extends string, R extends string>(v: Verdict<F, R>, field: F): Gap<F, R> | undefined {
  return v.gaps.find((g) => g.field === field);
}
