import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  assemble,
  configFields,
  ConfigValidationError,
  field,
  keyTable,
  validateFields,
} from "../../infra/config-field";
import { FOUNDATION_SCHEMA } from "../../infra/config-schema";
import { DETECTION_SCHEMA } from "../../infra/detection/config";

const ALL = [...configFields(FOUNDATION_SCHEMA), ...configFields(DETECTION_SCHEMA)];
const typeOf = (v: unknown) => (Array.isArray(v) ? "array" : typeof v === "number" ? "integer" : typeof v);

describe("the config schema's fields", () => {
  it("name every key once", () => {
    expect(new Set(ALL.map((f) => f.key)).size).toBe(ALL.length);
  });

  it("declare a default of their Pulumi.yaml type", () => {
    for (const f of ALL) expect(typeOf(f.default), f.key).toBe(f.type);
  });

  it("accept their default, except the keys the description says are required", () => {
    const refused = ALL.filter((f) => !f.schema.safeParse(f.default).success).map((f) => f.key);
    expect(refused).toEqual(["managementAccountId", "security.email", "logArchive.email"]);
    for (const key of refused) expect(ALL.find((f) => f.key === key)!.description, key).toMatch(/^Required\. /);
  });
});

describe("field, configFields, assemble", () => {
  const schema = z.object({
    a: field({ key: "x.a", type: "integer", default: 1, description: "A." }, z.number()),
    s: z.object({
      b: field({ key: "y.b", type: "string", default: "", description: "B." }, z.string()).transform(
        (v) => v || undefined,
      ),
    }),
  });

  it("walk the leaves through sections and transforms, with their place in the typed config", () => {
    expect(configFields(schema).map((f) => [f.key, f.path])).toEqual([
      ["x.a", ["a"]],
      ["y.b", ["s", "b"]],
    ]);
    expect(keyTable(schema)).toEqual([
      { key: "x.a", type: "integer", default: 1, description: "A." },
      { key: "y.b", type: "string", default: "", description: "B." },
    ]);
  });

  it("validate flat keys from Pulumi's string forms and assemble the typed config", () => {
    const { values, problems } = validateFields(configFields(schema), { "x.a": "7" });
    expect(problems).toEqual([]);
    expect(assemble(schema, values)).toEqual({ a: 7, s: { b: undefined } });
    expect(validateFields(configFields(schema), { "x.a": "seven" }).problems).toEqual([
      "orgwarden:x.a Invalid input: expected number, received string",
    ]);
  });

  it("one error class, worded for the configuration it read", () => {
    expect(new ConfigValidationError(["p"]).message).toBe("invalid stack configuration (1 problem):\n  - p");
    expect(new ConfigValidationError(["p", "q"], "detection").message).toBe(
      "invalid detection configuration (2 problems):\n  - p\n  - q",
    );
  });
});
