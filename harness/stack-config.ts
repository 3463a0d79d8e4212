/**
 * Reads a Pulumi project's configuration the way the CLI assembles it: the project's declared
 * defaults (Pulumi.yaml `config:`) overlaid with the stack file (Pulumi.<stack>.yaml). Values come
 * out as the engine hands them to a program: strings, with arrays/objects JSON-encoded.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

export interface ProjectFile {
  name: string;
  main?: string;
  config?: Record<string, unknown>;
}

export class StackConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StackConfigError";
  }
}

export function readProjectFile(projectDir: string): ProjectFile {
  const file = ["Pulumi.yaml", "Pulumi.yml"].map((f) => join(projectDir, f)).find(existsSync);
  if (!file) throw new StackConfigError(`no Pulumi.yaml in ${projectDir}: --program must point at a Pulumi project directory`);
  const doc = parse(readFileSync(file, "utf8")) as ProjectFile;
  if (!doc || typeof doc.name !== "string") throw new StackConfigError(`${file}: "name" is required`);
  return doc;
}

function encode(v: unknown): string {
  return typeof v === "string" ? v : JSON.stringify(v);
}

function qualify(project: string, key: string): string {
  return key.includes(":") ? key : `${project}:${key}`;
}

/** The secure values a stack file holds cannot be decrypted offline; they are replaced and reported. */
export const OFFLINE_SECRET_PLACEHOLDER = "offline-secret-placeholder";

export interface LoadedConfig {
  project: string;
  config: Record<string, string>;
  secretKeys: string[];
}

/** Defaults from Pulumi.yaml, then the given stack file (a path) or Pulumi.<stack>.yaml next to it. */
export function loadStackConfig(projectDir: string, stack: string, stackFile?: string): LoadedConfig {
  const project = readProjectFile(projectDir);
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [key, decl] of Object.entries(project.config ?? {})) {
    const k = qualify(project.name, key);
    if (decl !== null && typeof decl === "object" && !Array.isArray(decl)) {
      const d = decl as { default?: unknown; value?: unknown };
      if (d.value !== undefined) config[k] = encode(d.value);
      else if (d.default !== undefined) config[k] = encode(d.default);
    } else if (decl !== undefined && decl !== null) {
      config[k] = encode(decl);
    }
  }
  const path = stackFile ?? join(projectDir, `Pulumi.${stack}.yaml`);
  if (!existsSync(path)) throw new StackConfigError(`stack config file not found: ${path} (expected Pulumi.${stack}.yaml in ${projectDir})`);
  const doc = (parse(readFileSync(path, "utf8")) ?? {}) as { config?: Record<string, unknown> };
  for (const [key, value] of Object.entries(doc.config ?? {})) {
    const k = qualify(project.name, key);
    if (value !== null && typeof value === "object" && "secure" in (value as object)) {
      config[k] = OFFLINE_SECRET_PLACEHOLDER;
      secretKeys.push(k);
    } else {
      config[k] = encode(value);
    }
  }
  return { project: project.name, config, secretKeys };
}
