import * as pulumi from "@pulumi/pulumi";
import { CONFIG_KEYS, PROJECT } from "./config-keys";
import { validateKeys } from "./config-parse";
import { FIELD_SCHEMAS } from "./config-fields";
import { crossFieldProblems } from "./config-rules";
import { namespaceProblems, unknownKeyProblem } from "./config-suggest";

export type LockMode = "COMPLIANCE" | "GOVERNANCE";

/** The validated stack configuration; every component reads from this, never from pulumi.Config. */
export interface OrgwardenConfig {
  stack: string;
  homeRegion: string;
  governedRegions: string[];
  managementAccountId: string;
  organization: {
    mode: "create" | "adopt";
    /** Set in adopt mode only. */
    id?: string;
    rootId?: string;
    ous: string[];
    securityOu: string;
    /** OU name → existing OU id to import (adopt mode). */
    existingOuIds: Record<string, string>;
  };
  logArchive: MemberAccountConfig & {
    retentionDays: number;
    lockMode: LockMode;
    transitionDays: number;
    /** Already resolved: never shorter than retentionDays. */
    noncurrentExpirationDays: number;
    accessLogRetentionDays: number;
    bucketPrefix: string;
  };
  security: MemberAccountConfig;
  deployRoleName: string;
  trail: { name: string; s3DataEvents: boolean; lambdaDataEvents: boolean; logGroupName: string; logGroupRetentionDays: number };
  auditorRoleNames: string[];
  kms: { adminRoleNames: string[]; aliasName: string; logGroupKeyAdminArns: string[] };
  scp: { exemptPrincipalArns: string[] };
  audit: {
    readRoleName: string;
    agentRoleName: string;
    deliveryMaxAgeMinutes: number;
    /** EventBridge schedule expression of the scheduled agent. */
    schedule: string;
    reportRetentionDays: number;
    concurrency: number;
  };
  tags: Record<string, string>;
}

export interface MemberAccountConfig {
  accountName: string;
  email: string;
  /** Set when the account already exists and is adopted (imported). */
  accountId?: string;
}

/** One error for a bad stack configuration, listing every problem with its full key. */
export class ConfigValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid stack configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigValidationError";
  }
}

export const fullKey = (key: string) => `${PROJECT}:${key}`;

/**
 * Parses and validates raw config values (bare key → Pulumi's string form). Throws
 * ConfigValidationError listing every problem. `otherKnownKeys` are keys another config section
 * (e.g. infra/detection) validates itself; they are not reported as unknown. `otherNamespaceKeys`
 * are the stack's full keys outside the project namespace; those of no namespace the program
 * uses are reported (a misspelt `orgwardn:` would otherwise be ignored).
 */
export function parseConfig(raw: Record<string, string | undefined>, stack: string, otherKnownKeys: string[] = [], otherNamespaceKeys: string[] = []): OrgwardenConfig {
  const knownKeys = [...CONFIG_KEYS.map((s) => s.key), ...otherKnownKeys];
  const unknownKeys = Object.keys(raw).filter((k) => !knownKeys.includes(k));
  const { values, problems } = validateKeys(CONFIG_KEYS, FIELD_SCHEMAS, raw, PROJECT);
  problems.unshift(...namespaceProblems(otherNamespaceKeys, knownKeys), ...unknownKeys.map((k) => unknownKeyProblem(k, knownKeys)));
  problems.push(...crossFieldProblems(values, stack));
  if (problems.length > 0) throw new ConfigValidationError(problems);
  return toTyped(values, stack);
}

function toTyped(v: Record<string, unknown>, stack: string): OrgwardenConfig {
  const s = (k: string) => v[k] as string;
  const n = (k: string) => v[k] as number;
  const a = (k: string) => v[k] as string[];
  const opt = (k: string) => (s(k) === "" ? undefined : s(k));
  const pairs = (k: string) => Object.fromEntries(a(k).map((e) => [e.slice(0, e.indexOf("=")), e.slice(e.indexOf("=") + 1)]));
  const retention = n("logArchive.retentionDays");
  return {
    stack,
    homeRegion: s("homeRegion"),
    governedRegions: a("governedRegions"),
    managementAccountId: s("managementAccountId"),
    organization: {
      mode: s("organization.mode") as "create" | "adopt",
      id: opt("organization.id"),
      rootId: opt("organization.rootId"),
      ous: a("organization.ous"),
      securityOu: s("organization.securityOu"),
      existingOuIds: pairs("organization.existingOuIds"),
    },
    logArchive: {
      accountName: s("logArchive.accountName"),
      email: s("logArchive.email"),
      accountId: opt("logArchive.accountId"),
      retentionDays: retention,
      lockMode: s("logArchive.lockMode") as LockMode,
      transitionDays: n("logArchive.transitionDays"),
      noncurrentExpirationDays: n("logArchive.noncurrentExpirationDays") || retention,
      accessLogRetentionDays: n("logArchive.accessLogRetentionDays"),
      bucketPrefix: s("logArchive.bucketPrefix"),
    },
    security: { accountName: s("security.accountName"), email: s("security.email"), accountId: opt("security.accountId") },
    deployRoleName: s("deployRoleName"),
    trail: {
      name: s("trail.name"),
      s3DataEvents: v["trail.s3DataEvents"] as boolean,
      lambdaDataEvents: v["trail.lambdaDataEvents"] as boolean,
      logGroupName: s("trail.logGroupName"),
      logGroupRetentionDays: n("trail.logGroupRetentionDays"),
    },
    auditorRoleNames: a("auditorRoleNames"),
    kms: { adminRoleNames: a("kms.adminRoleNames"), aliasName: s("kms.aliasName"), logGroupKeyAdminArns: a("kms.logGroupKeyAdminArns") },
    scp: { exemptPrincipalArns: a("scp.exemptPrincipalArns") },
    audit: {
      readRoleName: s("audit.readRoleName"),
      agentRoleName: s("audit.agentRoleName"),
      deliveryMaxAgeMinutes: n("audit.deliveryMaxAgeMinutes"),
      schedule: s("audit.schedule"),
      reportRetentionDays: n("audit.reportRetentionDays"),
      concurrency: n("audit.concurrency"),
    },
    tags: pairs("tags"),
  };
}

/**
 * Reads every declared key of the current stack once. Keys in the orgwarden namespace that
 * neither this section nor `otherKnownKeys` declares are reported too, since they are usually typos,
 * and so are keys of a namespace the program does not use; here, not in a wrapper, so that a real
 * `pulumi up` refuses them as the offline preview does.
 */
export function loadConfig(otherKnownKeys: string[] = []): OrgwardenConfig {
  const cfg = new pulumi.Config(PROJECT);
  const raw: Record<string, string | undefined> = {};
  for (const spec of CONFIG_KEYS) raw[spec.key] = cfg.get(spec.key);
  const prefix = `${PROJECT}:`;
  const otherNamespaceKeys: string[] = [];
  for (const [k, v] of Object.entries(pulumi.runtime.allConfig())) {
    if (!k.startsWith(prefix)) otherNamespaceKeys.push(k);
    else if (!(k.slice(prefix.length) in raw)) raw[k.slice(prefix.length)] = v;
  }
  return parseConfig(raw, pulumi.getStack(), otherKnownKeys, otherNamespaceKeys);
}
