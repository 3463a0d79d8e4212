import { existsSync, readFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
  AuditManifest as Manifest,
  AuditManifestInput,
  buildAuditManifest,
  encodeManifestParameter,
  MANIFEST_DIGEST_TAG,
  manifestDigest,
} from "../baseline";
import { parse as parseYaml } from "yaml";
import { AUDIT_CHECK_IDS } from "../baseline/check-ids";
import { checkWaiversDocument, type WaiverEntry } from "../baseline/waivers";
import { requireProvider } from "./providers";

/** The waivers file a project has by default (the CLI's --waivers takes the same file). */
export const DEFAULT_WAIVERS_FILE = "waivers.yaml";

/**
 * The repository's waivers for the nightly run, read at program time and validated with the CLI's
 * schema (baseline/waivers.ts), so a bad file fails `pulumi up` instead of the next night's run.
 * Unset: waivers.yaml when the project has one, else none. A file named in config must exist.
 */
export function publishedWaivers(file: string | undefined, projectDir: string): WaiverEntry[] {
  const name = file ?? DEFAULT_WAIVERS_FILE;
  const key = "orgwarden:audit.waiversFile";
  if (isAbsolute(name)) throw new Error(`${key}: ${name} must be a path relative to the project directory`);
  const path = join(projectDir, name);
  if (file === undefined && !existsSync(path)) return [];
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? (err as Error).name;
    throw new Error(
      `${key}: ${name} cannot be read (${code}); allowed: a waivers YAML file relative to the project directory`,
    );
  }
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (err) {
    throw new Error(`${key}: ${name} is not YAML (${(err as Error).message.split("\n")[0]})`);
  }
  return checkWaiversDocument(raw, `${key}: ${name}`, AUDIT_CHECK_IDS);
}

/** SSM Parameter Store's limit for an Advanced-tier parameter value. */
export const SSM_ADVANCED_MAX_BYTES = 8192;

export class ManifestTooLargeError extends Error {
  constructor(
    readonly parameterName: string,
    readonly size: number,
  ) {
    super(
      `encoded audit manifest is ${size} bytes; the SSM parameter ${parameterName} (Advanced tier) holds at most ${SSM_ADVANCED_MAX_BYTES}. ` +
        `Shorten orgwarden:scp.exemptPrincipalArns, orgwarden:auditorRoleNames or orgwarden:kms.adminRoleNames (the documents the manifest carries grow with them), publish fewer waivers (orgwarden:audit.waiversFile), or set orgwarden:athena.enabled false (its table definitions are the largest optional part).`,
    );
    this.name = "ManifestTooLargeError";
  }
}

/** Encodes the manifest for the parameter (see baseline/manifest-codec.ts), or throws ManifestTooLargeError. */
export function manifestParameterValue(parameterName: string, m: Manifest): string {
  const text = encodeManifestParameter(m);
  const size = Buffer.byteLength(text, "utf8");
  if (size > SSM_ADVANCED_MAX_BYTES) throw new ManifestTooLargeError(parameterName, size);
  return text;
}

/** A value whose leaves (at any depth) may be outputs. */
export type DeepInput<T> = T extends object ? pulumi.Input<{ [K in keyof T]: DeepInput<T[K]> }> : pulumi.Input<T>;

export interface AuditManifestArgs {
  /** Everything the manifest holds; outputs are resolved, then validated by the baseline schema. */
  manifest: DeepInput<AuditManifestInput>;
  /** SSM parameter name in the security account. */
  parameterName: string;
}

/**
 * The intended state the audit agent compares the live organization with: built and validated
 * by the baseline (so infra can never publish a malformed one), exported, and written to SSM in
 * the security account where the scheduled agent reads it.
 */
export class AuditManifest extends pulumi.ComponentResource {
  public readonly manifest: pulumi.Output<Manifest>;
  public readonly parameter: aws.ssm.Parameter;

  constructor(name: string, args: AuditManifestArgs, opts?: pulumi.ComponentResourceOptions) {
    requireProvider("orgwarden:audit:AuditManifest", name, opts);
    super("orgwarden:audit:AuditManifest", name, {}, opts);
    this.manifest = pulumi.output(args.manifest).apply((m) => buildAuditManifest(m as AuditManifestInput));
    this.parameter = new aws.ssm.Parameter(
      `${name}-parameter`,
      {
        name: args.parameterName,
        description: "orgwarden audit manifest: the intended state the drift auditor checks against",
        type: "String",
        tier: "Advanced",
        dataType: "text",
        value: this.manifest.apply((m) => manifestParameterValue(args.parameterName, m)),
        // The agent's audit-manifest-parameter check compares this with the manifest it judges with; PutParameter cannot change it.
        tags: { [MANIFEST_DIGEST_TAG]: this.manifest.apply(manifestDigest) },
      },
      { parent: this },
    );
    this.registerOutputs({ manifest: this.manifest });
  }
}
