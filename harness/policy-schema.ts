/**
 * Validates one policy config property with the policy's own zod schema (the one its configSchema
 * was emitted from, policypacks/guardrails/lib/config-schema.ts), worded as JSON Schema problems:
 * what the engine checks is the emitted JSON Schema, so the message names its terms (type,
 * minimum, enum, pattern, items).
 */
import type { PolicyConfigSchema } from "@pulumi/policy";
import type { PolicyConfigJSONSchema, PolicyConfigJSONSchemaDefinition } from "@pulumi/policy/schema";
import type { z } from "zod";
import { zodOfConfigSchema } from "../policypacks/guardrails/lib/config-schema";

function typeOf(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeof v;
}

/** The JSON Schema node an issue path points at (array entries are `items`, object keys `properties`). */
function nodeAt(schema: PolicyConfigJSONSchemaDefinition | undefined, path: PropertyKey[]): PolicyConfigJSONSchema {
  let node = schema;
  for (const p of path) {
    const s = typeof node === "object" ? node : undefined;
    node = typeof p === "number" ? (Array.isArray(s?.items) ? undefined : s?.items) : s?.properties?.[String(p)];
  }
  return typeof node === "object" ? node : {};
}

function words(i: z.core.$ZodIssue, node: PolicyConfigJSONSchema, at: string): string {
  const input = (i as { input?: unknown }).input;
  switch (i.code) {
    case "invalid_type":
      return `${at} must be of type ${[node.type ?? i.expected].flat().join(" or ")} (got ${typeOf(input)} ${JSON.stringify(input)})`;
    case "invalid_value":
      return `${at} must be one of ${i.values.map((e) => JSON.stringify(e)).join(", ")} (got ${JSON.stringify(input)})`;
    case "too_small":
      return i.origin === "array"
        ? `${at} must have at least ${i.minimum} item(s)`
        : `${at} must be >= ${i.minimum} (got ${String(input)})`;
    case "too_big":
      return i.origin === "array"
        ? `${at} must have at most ${i.maximum} item(s)`
        : `${at} must be <= ${i.maximum} (got ${String(input)})`;
    case "invalid_format":
      return `${at} must match ${node.pattern ?? i.format} (got ${JSON.stringify(input)})`;
    default:
      return `${at} ${i.message}`;
  }
}

/** Human-readable problems with property `key` = `value` of a policy's config, each starting with `where`. */
export function propertyProblems(
  configSchema: PolicyConfigSchema,
  key: string,
  value: unknown,
  where: string,
): string[] {
  const property = zodOfConfigSchema(configSchema).shape[key] as z.ZodType;
  const r = property.safeParse(value, { reportInput: true });
  if (r.success) return [];
  const at = (path: PropertyKey[]) =>
    where + path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("");
  return [...new Set(r.error.issues.map((i) => words(i, nodeAt(configSchema.properties[key], i.path), at(i.path))))];
}
