import { existsSync, readFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
  AuditManifest as Manifest,
  AuditManifestInput,
  buildAuditManifest,
  encodeManifestParameters,
  MANIFEST_DIGEST_TAG,
  manifestCapacity,
  manifestData,
  manifestDigest,
  manifestParameterNames,
  SSM_ADVANCED_MAX_BYTES,
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

export { SSM_ADVANCED_MAX_BYTES } from "../baseline";

export class ManifestTooLargeError extends Error {
  constructor(
    readonly parameterNames: string[],
    readonly size: number,
    readonly capacity: number,
  ) {
    super(
      `encoded audit manifest is ${size} bytes; its ${parameterNames.length} SSM parameters ${parameterNames[0]} and ${parameterNames[0]}/part-2 … /part-${parameterNames.length} (Advanced tier, ${SSM_ADVANCED_MAX_BYTES} bytes each, envelopes counted) hold at most ${capacity}. ` +
        `Shorten orgwarden:scp.exemptPrincipalArns, orgwarden:auditorRoleNames or orgwarden:kms.adminRoleNames (the documents the manifest carries grow with them), publish fewer waivers (orgwarden:audit.waiversFile), or set orgwarden:athena.enabled false (its table definitions are the largest optional part).`,
    );
    this.name = "ManifestTooLargeError";
  }
}

/**
 * The values of the manifest's MANIFEST_PARTS parameters, head first (see baseline/manifest-codec.ts),
 * or throws ManifestTooLargeError naming the parameters and their capacity.
 */
export function manifestParameterValues(headName: string, m: Manifest): string[] {
  const data = manifestData(m);
  const capacity = manifestCapacity(m.schemaVersion);
  if (data.length > capacity) throw new ManifestTooLargeError(manifestParameterNames(headName), data.length, capacity);
  return encodeManifestParameters(m.schemaVersion, data);
}

/** A value whose leaves (at any depth) may be outputs. */
export type DeepInput<T> = T extends object ? pulumi.Input<{ [K in keyof T]: DeepInput<T[K]> }> : pulumi.Input<T>;

export interface AuditManifestArgs {
  /** Everything the manifest holds; outputs are resolved, then validated by the baseline schema. */
  manifest: DeepInput<AuditManifestInput>;
  /** SSM parameter name in the security account: the head; its parts are `<name>/part-2` … (manifestParameterNames). */
  parameterName: string;
}

/**
 * The intended state the audit agent compares the live organization with: built and validated
 * by the baseline (so infra can never publish a malformed one), exported, and written to SSM in
 * the security account where the scheduled agent reads it: MANIFEST_PARTS parameters, always all
 * of them, so that the preview shows the same resources whatever size the manifest resolves to.
 */
export class AuditManifest extends pulumi.ComponentResource {
  public readonly manifest: pulumi.Output<Manifest>;
  /** The head, `parameterName`: the name the agent is given (ORGWARDEN_MANIFEST_PARAMETER). */
  public readonly parameter: aws.ssm.Parameter;
  /** Parts 2..MANIFEST_PARTS, in order. */
  public readonly parts: aws.ssm.Parameter[];

  constructor(name: string, args: AuditManifestArgs, opts?: pulumi.ComponentResourceOptions) {
    requireProvider("orgwarden:audit:AuditManifest", name, opts);
    super("orgwarden:audit:AuditManifest", name, {}, opts);
    this.manifest = pulumi.output(args.manifest).apply((m) => buildAuditManifest(m as AuditManifestInput));
    // The size error is raised by the head's value alone: Pulumi prefixes "error serializing property" to the
    // same Error once per property that awaits it, and the parts (dependsOn the head) never register without it.
    const encoded = this.manifest.apply((m): { values: string[] } | { error: ManifestTooLargeError } => {
      try {
        return { values: manifestParameterValues(args.parameterName, m) };
      } catch (e) {
        if (e instanceof ManifestTooLargeError) return { error: e };
        throw e;
      }
    });
    const valueOf = (i: number) =>
      encoded.apply((r) => {
        if ("values" in r) return r.values[i];
        if (i === 0) throw r.error;
        return "";
      });
    const names = manifestParameterNames(args.parameterName);
    // Every parameter carries the manifest's digest: a part left from another write, or re-tagged, is named by the
    // audit-manifest-parameter check. The tag is the anchor because PutParameter cannot change it.
    const tags = { [MANIFEST_DIGEST_TAG]: this.manifest.apply(manifestDigest) };
    const parameter = (i: number, resourceName: string, description: string, dependsOn: pulumi.Resource[] = []) =>
      new aws.ssm.Parameter(
        resourceName,
        {
          name: names[i],
          description,
          type: "String",
          tier: "Advanced",
          dataType: "text",
          value: valueOf(i),
          tags,
        },
        { parent: this, dependsOn },
      );
    // The head keeps its resource name: renaming it would replace the parameter the agent reads.
    this.parameter = parameter(
      0,
      `${name}-parameter`,
      "orgwarden audit manifest: the intended state the drift auditor checks against",
    );
    this.parts = names.slice(1).map((_, k) =>
      parameter(
        k + 1,
        `${name}-part-${k + 2}`,
        `orgwarden audit manifest, part ${k + 2} of ${names.length} (the head ${names[0]} says how to join them)`,
        // After the head: any order leaves a moment where head and parts are of different writes (readers refuse
        // that set by its digest), and this one keeps a manifest that does not fit from registering any part.
        [this.parameter],
      ),
    );
    this.registerOutputs({ manifest: this.manifest });
  }
}
