/**
 * Policy-pack config files (`--policy-pack-config`): per policy an enforcement level, or an object
 * with `enforcementLevel` and the policy's properties. Validated against each policy's
 * configSchema with the schema's defaults filled in, as the engine does before configuring a pack.
 */
import { existsSync, readFileSync } from "node:fs";
import type { EnforcementLevel } from "@pulumi/policy";
import type { LoadedPolicyPack } from "./policy-pack";
import { z } from "zod";
import { propertyProblems } from "./policy-schema";

export const ENFORCEMENT_LEVELS = [
  "advisory",
  "mandatory",
  "remediate",
  "disabled",
] as const satisfies readonly EnforcementLevel[];
const enforcementLevel = z.enum(ENFORCEMENT_LEVELS);

export interface ResolvedPolicyConfig {
  enforcementLevel: EnforcementLevel;
  /** Config properties (without enforcementLevel), defaults applied. */
  properties: Record<string, unknown>;
}

export class PolicyConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PolicyConfigError";
  }
}

export function readPolicyConfigFile(file: string): Record<string, unknown> {
  if (!existsSync(file)) throw new PolicyConfigError(`policy config file not found: ${file}`);
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new PolicyConfigError(`${file}: not valid JSON (${(e as Error).message})`);
  }
  if (!doc || typeof doc !== "object" || Array.isArray(doc))
    throw new PolicyConfigError(`${file}: must be a JSON object mapping policy names to a level or an object`);
  return doc as Record<string, unknown>;
}

function level(v: unknown, where: string, problems: string[]): EnforcementLevel | undefined {
  if (v === undefined) return undefined;
  const r = enforcementLevel.safeParse(v);
  if (r.success) return r.data;
  problems.push(
    `${where}: enforcement level must be one of ${ENFORCEMENT_LEVELS.join(", ")} (got ${JSON.stringify(v)})`,
  );
  return undefined;
}

/** Resolves every policy's level and properties; throws one error listing every problem. */
export function resolvePolicyConfig(
  pack: LoadedPolicyPack,
  raw: Record<string, unknown> = {},
  source = "policy config",
): Map<string, ResolvedPolicyConfig> {
  const problems: string[] = [];
  const names = new Set(pack.policies.map((p) => p.name));
  for (const key of Object.keys(raw)) {
    if (key !== "all" && !names.has(key))
      problems.push(`${source}: "${key}" is not a policy of ${pack.name} (policies: ${[...names].join(", ")})`);
  }
  // `all` sets the level of every policy, given as a level or as { enforcementLevel } (the engine takes both).
  const all = z.object({ enforcementLevel: z.unknown() }).safeParse(raw.all);
  const allLevel = level(all.success ? all.data.enforcementLevel : raw.all, `${source}: all`, problems);
  const out = new Map<string, ResolvedPolicyConfig>();
  for (const p of pack.policies) {
    const entry = raw[p.name];
    const obj =
      entry !== null && typeof entry === "object" && !Array.isArray(entry) ? (entry as Record<string, unknown>) : {};
    const explicit =
      typeof entry === "string"
        ? level(entry, `${source}: ${p.name}`, problems)
        : level(obj.enforcementLevel, `${source}: ${p.name}.enforcementLevel`, problems);
    const { enforcementLevel: _ignored, ...given } = obj;
    const schema = p.configSchema;
    const props: Record<string, unknown> = {};
    for (const [k, s] of Object.entries(schema?.properties ?? {})) if (s.default !== undefined) props[k] = s.default;
    for (const [k, v] of Object.entries(given)) {
      const s = schema?.properties?.[k];
      if (!s) {
        problems.push(
          `${source}: ${p.name}.${k} is not a config property of this policy (allowed: ${Object.keys(schema?.properties ?? {}).join(", ") || "none"})`,
        );
        continue;
      }
      problems.push(...propertyProblems(schema!, k, v, `${source}: ${p.name}.${k}`));
      props[k] = v;
    }
    for (const req of schema?.required ?? [])
      if (props[req] === undefined) problems.push(`${source}: ${p.name}.${req} is required`);
    out.set(p.name, {
      enforcementLevel: explicit ?? allLevel ?? p.enforcementLevel ?? pack.enforcementLevel,
      properties: props,
    });
  }
  if (problems.length) throw new PolicyConfigError(problems.join("\n"));
  return out;
}
