import { describe, expect, it } from "vitest";
import type { PolicyConfigSchema } from "@pulumi/policy";
import { propertyProblems } from "../../harness/policy-schema";
import { policyConfig, z, zodOfConfigSchema } from "../../policypacks/guardrails/lib/config-schema";
import { loadPolicyPack } from "../../harness/policy-pack";
import { join } from "node:path";

const pack = loadPolicyPack(join(__dirname, "../../policypacks/guardrails"));

describe("policy config schemas: zod, emitted as JSON Schema", () => {
  it("every policy's configSchema is emitted from its zod schema, which the harness validates with", () => {
    const withConfig = pack.policies.filter((p) => p.configSchema);
    expect(withConfig.length).toBeGreaterThan(10);
    for (const p of withConfig) {
      const zod = zodOfConfigSchema(p.configSchema!);
      expect(policyConfig(zod.shape), p.name).toEqual(p.configSchema);
      // Only JSON: the engine receives the plain schema, nothing of zod.
      expect(JSON.parse(JSON.stringify(p.configSchema)), p.name).toEqual(p.configSchema);
    }
  });

  it("emits draft-07 properties with defaults and descriptions, no safe-integer bounds, and required only without a default", () => {
    const schema = policyConfig({
      days: z.int().min(1).default(365).describe("Days."),
      modes: z
        .array(z.enum(["A", "B"]))
        .min(1)
        .default(["A"])
        .describe("Modes."),
      name: z.string().regex(/^[a-z]+$/),
    });
    expect(schema).toEqual({
      properties: {
        days: { type: "integer", minimum: 1, default: 365, description: "Days." },
        modes: {
          type: "array",
          items: { type: "string", enum: ["A", "B"] },
          minItems: 1,
          default: ["A"],
          description: "Modes.",
        },
        name: { type: "string", pattern: "^[a-z]+$" },
      },
      required: ["name"],
    });
  });

  const schema = policyConfig({
    days: z.int().min(90).max(2560).default(365),
    modes: z
      .array(z.enum(["COMPLIANCE", "GOVERNANCE"]))
      .min(1)
      .default(["COMPLIANCE"]),
    actions: z.array(z.string().regex(/^[a-z0-9-]+:[A-Za-z0-9]+$/)).default([]),
    flag: z.boolean().default(true),
  });
  const handWritten: PolicyConfigSchema = JSON.parse(JSON.stringify(schema));
  it.each<[string, unknown, string[]]>([
    ["days", 30, ["x.days must be >= 90 (got 30)"]],
    ["days", 3000, ["x.days must be <= 2560 (got 3000)"]],
    ["days", 1.5, ["x.days must be of type integer (got number 1.5)"]],
    ["days", "ten", ['x.days must be of type integer (got string "ten")']],
    ["modes", ["STRICT"], ['x.modes[0] must be one of "COMPLIANCE", "GOVERNANCE" (got "STRICT")']],
    ["modes", [], ["x.modes must have at least 1 item(s)"]],
    ["modes", "COMPLIANCE", ['x.modes must be of type array (got string "COMPLIANCE")']],
    ["actions", ["cloudtrail:StopLogging", "nope"], ['x.actions[1] must match ^[a-z0-9-]+:[A-Za-z0-9]+$ (got "nope")']],
    ["flag", "yes", ['x.flag must be of type boolean (got string "yes")']],
    ["flag", false, []],
  ])(
    "%s = %j → %j, with the policy's zod schema and with zod's reading of a hand-written JSON Schema alike",
    (key, value, expected) => {
      expect(propertyProblems(schema, key, value, "x." + key)).toEqual(expected);
      expect(propertyProblems(handWritten, key, value, "x." + key)).toEqual(expected);
    },
  );
});
