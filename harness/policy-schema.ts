/** The JSON Schema subset policy config schemas use (type, enum, bounds, pattern, items, properties). */
import type { PolicyConfigJSONSchema, PolicyConfigJSONSchemaDefinition } from "@pulumi/policy/schema";

function typeOf(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeof v;
}

function typeMatches(want: string, v: unknown): boolean {
  const t = typeOf(v);
  return t === want || (want === "number" && t === "integer");
}

/** Human-readable problems with `value` against `schema`, each starting with `where`. */
export function schemaErrors(schema: PolicyConfigJSONSchemaDefinition, value: unknown, where: string): string[] {
  if (schema === true) return [];
  if (schema === false) return [`${where} is not allowed`];
  const s = schema as PolicyConfigJSONSchema;
  const out: string[] = [];
  if (s.type !== undefined) {
    const types = [s.type].flat();
    if (!types.some((t) => typeMatches(t, value))) return [`${where} must be of type ${types.join(" or ")} (got ${typeOf(value)} ${JSON.stringify(value)})`];
  }
  if (s.enum && !s.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) out.push(`${where} must be one of ${s.enum.map((e) => JSON.stringify(e)).join(", ")} (got ${JSON.stringify(value)})`);
  if (typeof value === "number") {
    if (s.minimum !== undefined && value < s.minimum) out.push(`${where} must be >= ${s.minimum} (got ${value})`);
    if (s.maximum !== undefined && value > s.maximum) out.push(`${where} must be <= ${s.maximum} (got ${value})`);
  }
  if (typeof value === "string" && s.pattern && !new RegExp(s.pattern).test(value)) out.push(`${where} must match ${s.pattern} (got ${JSON.stringify(value)})`);
  if (Array.isArray(value)) {
    if (s.minItems !== undefined && value.length < s.minItems) out.push(`${where} must have at least ${s.minItems} item(s)`);
    if (s.maxItems !== undefined && value.length > s.maxItems) out.push(`${where} must have at most ${s.maxItems} item(s)`);
    if (s.items && !Array.isArray(s.items)) value.forEach((v, i) => out.push(...schemaErrors(s.items as PolicyConfigJSONSchemaDefinition, v, `${where}[${i}]`)));
  }
  if (typeOf(value) === "object" && s.properties) {
    const obj = value as Record<string, unknown>;
    for (const [k, sub] of Object.entries(s.properties)) if (obj[k] !== undefined) out.push(...schemaErrors(sub, obj[k], `${where}.${k}`));
    for (const r of s.required ?? []) if (obj[r] === undefined) out.push(`${where}.${r} is required`);
  }
  return out;
}
