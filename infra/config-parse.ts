/**
 * The one mechanism both config sections (foundation and detection) validate with: coerce each
 * key from Pulumi's string form to its declared type, run its zod schema, and report every problem
 * as one line naming the full key.
 */
import { z } from "zod";
import type { ConfigKeySpec } from "./config-keys";

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

/** Validates every key of `specs` in `raw` (bare key → string); returns the typed values and the problems, each naming `<project>:<key>`. */
export function validateKeys(
  specs: ConfigKeySpec[],
  schemas: Record<string, z.ZodType>,
  raw: Record<string, string | undefined>,
  project: string,
): { values: Record<string, unknown>; problems: string[] } {
  const values: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const spec of specs) {
    const r = schemas[spec.key].safeParse(coerce(spec, raw[spec.key]));
    if (r.success) {
      values[spec.key] = r.data;
      continue;
    }
    for (const line of new Set(r.error.issues.map((i) => `${project}:${spec.key}${issuePath(i.path)} ${i.message}`))) problems.push(line);
  }
  return { values, problems };
}
