/**
 * A JSON Schema (draft-07) of one ASFF finding, derived from AWS's own Security Hub service model:
 * botocore's data/securityhub/2018-10-26/service-2.json(.gz), the model the AWS SDKs and the CLI are
 * generated from (installed here with moto, in .venv). AWS publishes no JSON Schema of ASFF; this
 * one is the model's `AwsSecurityFinding` shape and every shape it reaches, with what the model
 * states: required members, enums, patterns, list bounds, and the "Length Constraints" AWS writes
 * into a member's documentation (the ASFF syntax page's limits, e.g. Title ≤ 256).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";

interface Member {
  shape: string;
  documentation?: string;
}
interface Shape {
  type: string;
  members?: Record<string, Member>;
  required?: string[];
  member?: Member;
  value?: Member;
  enum?: string[];
  pattern?: string;
  min?: number;
  max?: number;
}

const ROOT = join(__dirname, "..", "..");

/** The botocore model file in the project's .venv (moto depends on botocore). */
export function securityHubModelPath(): string {
  const lib = join(ROOT, ".venv", "lib");
  for (const py of existsSync(lib) ? readdirSync(lib) : []) {
    const dir = join(lib, py, "site-packages", "botocore", "data", "securityhub", "2018-10-26");
    for (const f of ["service-2.json.gz", "service-2.json"]) if (existsSync(join(dir, f))) return join(dir, f);
  }
  throw new Error(`botocore's Security Hub model not found under ${lib}: run bash scripts/setup-python.sh`);
}

export function loadSecurityHubModel(): { metadata: { apiVersion: string }; shapes: Record<string, Shape> } {
  const path = securityHubModelPath();
  const raw = readFileSync(path);
  return JSON.parse((path.endsWith(".gz") ? gunzipSync(raw) : raw).toString("utf8"));
}

function lengthsFromDoc(doc: string | undefined): Record<string, number> {
  const min = doc?.match(/Minimum length of (\d+)/);
  const max = doc?.match(/Maximum length of (\d+)/);
  return { ...(min ? { minLength: Number(min[1]) } : {}), ...(max ? { maxLength: Number(max[1]) } : {}) };
}

function memberSchema(m: Member): Record<string, unknown> {
  const ref = { $ref: `#/definitions/${m.shape}` };
  const lengths = lengthsFromDoc(m.documentation);
  return Object.keys(lengths).length > 0 ? { allOf: [ref, lengths] } : ref;
}

function shapeSchema(s: Shape): Record<string, unknown> {
  switch (s.type) {
    case "structure":
      return {
        type: "object",
        properties: Object.fromEntries(Object.entries(s.members ?? {}).map(([k, m]) => [k, memberSchema(m)])),
        ...(s.required?.length ? { required: s.required } : {}),
        // Unknown keys are refused, so a misspelt member is caught.
        additionalProperties: false,
      };
    case "list":
      return {
        type: "array",
        items: memberSchema(s.member!),
        ...(s.min !== undefined ? { minItems: s.min } : {}),
        ...(s.max !== undefined ? { maxItems: s.max } : {}),
      };
    case "map":
      return { type: "object", additionalProperties: memberSchema(s.value!) };
    case "string":
      return {
        type: "string",
        ...(s.enum ? { enum: s.enum } : {}),
        ...(s.pattern ? { pattern: s.pattern } : {}),
        ...(s.min !== undefined ? { minLength: s.min } : {}),
        ...(s.max !== undefined ? { maxLength: s.max } : {}),
      };
    case "integer":
    case "long":
      return { type: "integer" };
    case "double":
    case "float":
      return { type: "number" };
    case "boolean":
      return { type: "boolean" };
    case "timestamp":
      return { type: "string" };
    default:
      throw new Error(`asff-schema: shape type ${s.type} is not handled`);
  }
}

/** The schema of `root` (default AwsSecurityFinding) with a definition for every shape it reaches. */
export function asffJsonSchema(root = "AwsSecurityFinding"): Record<string, unknown> {
  const { shapes, metadata } = loadSecurityHubModel();
  const definitions: Record<string, unknown> = {};
  const todo = [root];
  while (todo.length > 0) {
    const name = todo.pop()!;
    if (name in definitions) continue;
    const s = shapes[name];
    if (!s) throw new Error(`asff-schema: shape ${name} is not in the model`);
    definitions[name] = shapeSchema(s);
    const refs = [...Object.values(s.members ?? {}), s.member, s.value].filter((m): m is Member => !!m);
    todo.push(...refs.map((m) => m.shape));
  }
  return {
    $schema: "http://json-schema.org/draft-07/schema#",
    title: `${root} (Security Hub API ${metadata.apiVersion}, from botocore's service model)`,
    $ref: `#/definitions/${root}`,
    definitions,
  };
}
