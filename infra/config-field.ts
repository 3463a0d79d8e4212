/**
 * The stack config is one zod schema, nested as the typed config is (`logArchive: { retentionDays, … }`).
 * Each leaf is a field: the zod schema of one value once coerced from Pulumi's string form, carrying
 * its flat key (`logArchive.retentionDays`, what the user sets), its Pulumi.yaml type, its default and
 * its description. The key table, Pulumi.yaml's `config:` block and the docs' tables are read off the
 * leaves, and the typed config is the schema's output, so none of them can drift from the others.
 */
import { z } from "zod";

export const PROJECT = "orgwarden";

/** Pulumi.yaml config declarations know only these types, so every key is flat and of one of them. */
export type ConfigKeyType = "string" | "integer" | "boolean" | "array";

export interface ConfigKeySpec {
  key: string;
  type: ConfigKeyType;
  default: string | number | boolean | string[];
  description: string;
}

/** A leaf of the schema with where it sits in the typed config. */
export interface ConfigField extends ConfigKeySpec {
  schema: z.ZodType;
  path: string[];
}

const FIELDS = z.registry<ConfigKeySpec>();

/** Marks `schema` as the leaf for `spec.key`; a copy, so one schema (e.g. a role name) can serve several keys. */
export function field<T extends z.ZodType>(spec: ConfigKeySpec, schema: T): T {
  const leaf = schema.clone() as T;
  (leaf as z.ZodType).register(FIELDS, spec);
  return leaf;
}

/** Every leaf under `schema`, in declaration order (the order of the key table and of the problems). */
export function configFields(schema: z.ZodType, path: string[] = []): ConfigField[] {
  const spec = FIELDS.get(schema);
  if (spec) return [{ ...spec, schema, path }];
  // A section's or a leaf's transform (e.g. "" → undefined) wraps the schema it reads.
  if (schema instanceof z.ZodPipe) return configFields(schema.in as z.ZodType, path);
  if (schema instanceof z.ZodObject) {
    return Object.entries(schema.shape).flatMap(([k, s]) => configFields(s as z.ZodType, [...path, k]));
  }
  throw new Error(`config schema node at ${path.join(".") || "(root)"} is neither a field nor a section`);
}

/** The key table rows of `schema`'s leaves. */
export function keyTable(schema: z.ZodType): ConfigKeySpec[] {
  return configFields(schema).map(({ key, type, default: d, description }) => ({ key, type, default: d, description }));
}

/** An integer key within [min, max]; one message says the range (no upper bound is named when there is none). */
export function intInRange(min: number, max: number): z.ZodNumber {
  const msg = `must be an integer ≥ ${min}` + (max < Number.MAX_SAFE_INTEGER ? ` and ≤ ${max}` : "");
  return z.number({ error: msg }).int({ error: msg }).min(min, { error: msg }).max(max, { error: msg });
}

/** Pulumi hands every value over as a string (arrays JSON-encoded); turn it into the declared type, leaving garbage for zod to reject. */
export function coerce(spec: ConfigKeySpec, raw: string | undefined): unknown {
  if (raw === undefined) return spec.default;
  switch (spec.type) {
    case "string":
      return raw;
    case "integer":
      return /^\s*-?\d+(\.\d+)?\s*$/.test(raw) ? Number(raw) : raw;
    case "boolean":
      return raw === "true" ? true : raw === "false" ? false : raw;
    case "array":
      try {
        return JSON.parse(raw);
      } catch {
        return raw; // not JSON: the schema rejects it with its own message
      }
  }
}

function issuePath(path: PropertyKey[]): string {
  return path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("");
}

/**
 * Validates every field against `raw` (bare key → Pulumi's string form). Returns the values that
 * parsed, by flat key (what the cross-key rules read), and one problem per bad value naming `<project>:<key>`.
 */
export function validateFields(
  fields: ConfigField[],
  raw: Record<string, string | undefined>,
): { values: Record<string, unknown>; problems: string[] } {
  const values: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const f of fields) {
    const r = f.schema.safeParse(coerce(f, raw[f.key]));
    if (r.success) {
      values[f.key] = r.data;
      continue;
    }
    for (const line of new Set(r.error.issues.map((i) => `${PROJECT}:${f.key}${issuePath(i.path)} ${i.message}`))) {
      problems.push(line);
    }
  }
  return { values, problems };
}

/** The typed config: the flat values put where the fields sit, then through the schema's transforms. */
export function assemble<S extends z.ZodType>(schema: S, values: Record<string, unknown>): z.output<S> {
  const nested: Record<string, unknown> = {};
  for (const f of configFields(schema)) {
    let node = nested;
    for (const k of f.path.slice(0, -1)) node = (node[k] ??= {}) as Record<string, unknown>;
    node[f.path[f.path.length - 1]] = values[f.key];
  }
  return schema.parse(nested);
}

/** One error for a bad stack configuration, listing every problem with its full key. */
export class ConfigValidationError extends Error {
  constructor(
    readonly problems: string[],
    /** Which configuration: "stack" for the whole stack, "detection" when only that section was parsed. */
    what = "stack",
  ) {
    const n = problems.length;
    super(
      `invalid ${what} configuration (${n} problem${n === 1 ? "" : "s"}):\n${problems.map((p) => `  - ${p}`).join("\n")}`,
    );
    this.name = "ConfigValidationError";
  }
}
