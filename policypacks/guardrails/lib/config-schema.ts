/**
 * A policy's config is a zod object; its `configSchema` (the JSON Schema @pulumi/policy publishes and
 * the engine validates against) is emitted from it with z.toJSONSchema, and the offline harness
 * validates a policy config file with the zod schema itself (harness/policy-schema.ts).
 */
import type { PolicyConfigSchema } from "@pulumi/policy";
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { z } from "zod";

/**
 * Where an emitted configSchema keeps its zod schema. A registered symbol, because the harness and
 * a bundled pack each have their own copy of this module; not enumerable, so the JSON the engine
 * receives is the plain schema.
 */
const ZOD_SCHEMA = Symbol.for("orgwarden.policyConfigZodSchema");

/** JSON Schema of a zod integer carries JavaScript's safe-integer range as bounds; a policy states its own bounds or none. */
function withoutSafeIntegerBounds(ctx: { jsonSchema: Record<string, unknown> }): void {
  if (ctx.jsonSchema.maximum === Number.MAX_SAFE_INTEGER) delete ctx.jsonSchema.maximum;
  if (ctx.jsonSchema.minimum === Number.MIN_SAFE_INTEGER) delete ctx.jsonSchema.minimum;
}

export { z };

/** The policy's configSchema from its zod properties (defaults and descriptions included; a property with a default is not required). */
export function policyConfig(shape: z.ZodRawShape): PolicyConfigSchema {
  const schema = z.object(shape);
  const json = z.toJSONSchema(schema, { io: "input", target: "draft-07", override: withoutSafeIntegerBounds }) as {
    properties: Record<string, PolicyConfigJSONSchema>;
    required?: string[];
  };
  const out: PolicyConfigSchema = {
    properties: json.properties,
    ...(json.required?.length ? { required: json.required } : {}),
  };
  Object.defineProperty(out, ZOD_SCHEMA, { value: schema, enumerable: false });
  return out;
}

/** The zod schema a configSchema was emitted from; for one written by hand (another pack), zod's reading of the JSON Schema. */
export function zodOfConfigSchema(configSchema: PolicyConfigSchema): z.ZodObject {
  const own = (configSchema as unknown as Record<symbol, unknown>)[ZOD_SCHEMA];
  if (own instanceof Object && "shape" in own) return own as z.ZodObject;
  return z.fromJSONSchema({ type: "object", ...configSchema } as Parameters<typeof z.fromJSONSchema>[0]) as z.ZodObject;
}
