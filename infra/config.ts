import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import { assemble, configFields, ConfigValidationError, PROJECT, validateFields } from "./config-field";
import { FOUNDATION_SCHEMA } from "./config-schema";
import { crossFieldProblems } from "./config-rules";
import { namespaceProblems, unknownKeyProblem } from "./config-suggest";
import { DETECTION_CONFIG_KEYS, detectionProblems, DETECTION_SCHEMA, type DetectionConfig } from "./detection/config";
import { scpExemptionProblems } from "./logging-scp";

export { ConfigValidationError } from "./config-field";

export type LockMode = OrgwardenConfig["logArchive"]["lockMode"];

/** The validated stack configuration (foundation section); every component reads from this, never from pulumi.Config. */
export type OrgwardenConfig = { stack: string } & z.output<typeof FOUNDATION_SCHEMA>;

const FOUNDATION_FIELDS = configFields(FOUNDATION_SCHEMA);

/** The foundation section's problems, in the order they are reported: namespaces, unknown keys, values, rules across keys. */
function foundationProblems(
  raw: Record<string, string | undefined>,
  stack: string,
  otherKnownKeys: string[],
  otherNamespaceKeys: string[],
) {
  const knownKeys = [...FOUNDATION_FIELDS.map((f) => f.key), ...otherKnownKeys];
  const unknownKeys = Object.keys(raw).filter((k) => !knownKeys.includes(k));
  const { values, problems } = validateFields(FOUNDATION_FIELDS, raw);
  problems.unshift(
    ...namespaceProblems(otherNamespaceKeys, knownKeys),
    ...unknownKeys.map((k) => unknownKeyProblem(k, knownKeys)),
  );
  problems.push(...crossFieldProblems(values, stack));
  return { values, problems };
}

/**
 * Parses and validates raw config values (bare key → Pulumi's string form). Throws
 * ConfigValidationError listing every problem. `otherKnownKeys` are keys another config section
 * (e.g. infra/detection) validates itself; they are not reported as unknown. `otherNamespaceKeys`
 * are the stack's full keys outside the project namespace; those of no namespace the program
 * uses are reported (a misspelt `orgwardn:` would otherwise be ignored).
 */
export function parseConfig(
  raw: Record<string, string | undefined>,
  stack: string,
  otherKnownKeys: string[] = [],
  otherNamespaceKeys: string[] = [],
): OrgwardenConfig {
  const { values, problems } = foundationProblems(raw, stack, otherKnownKeys, otherNamespaceKeys);
  if (problems.length > 0) throw new ConfigValidationError(problems);
  return { stack, ...assemble(FOUNDATION_SCHEMA, values) };
}

/** Detection keys that depend on foundation keys. */
export function detectionCrossProblems(
  cfg: Pick<OrgwardenConfig, "organization" | "managementAccountId" | "logArchive" | "security">,
  detection: Pick<DetectionConfig, "stackSet">,
): string[] {
  const problems: string[] = [];
  const unknown = detection.stackSet.targetOus.filter((ou) => !cfg.organization.ous.includes(ou));
  if (unknown.length > 0)
    problems.push(
      `${PROJECT}:stackSet.targetOus names ${unknown.join(", ")}, which ${PROJECT}:organization.ous does not list (${cfg.organization.ous.join(", ")})`,
    );
  // The baseline's own accounts carry what the audit reads; the management account is never a StackSet target.
  const own: [string | undefined, string][] = [
    [cfg.managementAccountId, `the management account (${PROJECT}:managementAccountId)`],
    [cfg.logArchive.accountId, `the log-archive account (${PROJECT}:logArchive.accountId)`],
    [cfg.security.accountId, `the security account (${PROJECT}:security.accountId)`],
  ];
  for (const [id, what] of own)
    if (id && detection.stackSet.excludeAccounts.includes(id))
      problems.push(
        `${PROJECT}:stackSet.excludeAccounts names ${id}, ${what}; the baseline's own accounts cannot be excluded`,
      );
  return problems;
}

/** Both sections of the stack config, validated together so that one error lists every problem of the stack. */
export function parseStackConfig(
  raw: Record<string, string | undefined>,
  stack: string,
  otherNamespaceKeys: string[] = [],
): { cfg: OrgwardenConfig; detection: DetectionConfig } {
  const foundation = foundationProblems(
    raw,
    stack,
    DETECTION_CONFIG_KEYS.map((k) => k.key),
    otherNamespaceKeys,
  );
  const det = detectionProblems(raw);
  // The SCP exemption rule needs only the foundation section: said together with any detection problem.
  const exemption =
    foundation.problems.length === 0
      ? scpExemptionProblems(assemble(FOUNDATION_SCHEMA, foundation.values).scp.exemptPrincipalArns)
      : [];
  const problems = [...foundation.problems, ...exemption, ...det.problems];
  if (problems.length > 0) throw new ConfigValidationError(problems);
  const cfg: OrgwardenConfig = { stack, ...assemble(FOUNDATION_SCHEMA, foundation.values) };
  const detection = assemble(DETECTION_SCHEMA, det.values);
  const cross = detectionCrossProblems(cfg, detection);
  if (cross.length > 0) throw new ConfigValidationError(cross);
  return { cfg, detection };
}

/**
 * Reads every declared key of the current stack once. Keys in the orgwarden namespace that no
 * section declares are reported too, since they are usually typos, and so are keys of a namespace
 * the program does not use; here, not in a wrapper, so that a real `pulumi up` refuses them as the
 * offline preview does.
 */
export function loadStackConfig(): { cfg: OrgwardenConfig; detection: DetectionConfig } {
  const cfg = new pulumi.Config(PROJECT);
  const raw: Record<string, string | undefined> = {};
  for (const spec of [...FOUNDATION_FIELDS, ...DETECTION_CONFIG_KEYS]) raw[spec.key] = cfg.get(spec.key);
  const prefix = `${PROJECT}:`;
  const otherNamespaceKeys: string[] = [];
  for (const [k, v] of Object.entries(pulumi.runtime.allConfig())) {
    if (!k.startsWith(prefix)) otherNamespaceKeys.push(k);
    else if (!(k.slice(prefix.length) in raw)) raw[k.slice(prefix.length)] = v;
  }
  return parseStackConfig(raw, pulumi.getStack(), otherNamespaceKeys);
}
