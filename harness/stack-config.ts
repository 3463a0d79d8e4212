/**
 * Reads a Pulumi project's configuration the way the CLI assembles it: the project's declared
 * defaults (Pulumi.yaml `config:`) overlaid with the stack file (Pulumi.<stack>.yaml). Values come
 * out as the engine hands them to a program: strings, with arrays/objects JSON-encoded.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseDocument } from "yaml";

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

/** What to do about each YAML mistake people make most, beyond the parser's own words. */
const YAML_HINTS: Record<string, string> = {
  TAB_AS_INDENT: "indent with spaces only",
  DUPLICATE_KEY: "each key may appear once per mapping",
};

/**
 * Parses a YAML file, refusing what the Pulumi CLI refuses: a syntax error, a tab used for
 * indentation, a duplicate key. The error names the file, line and column of the first problem
 * (later ones are usually its consequences).
 */
export function readYamlFile(file: string): unknown {
  const doc = parseDocument(readFileSync(file, "utf8"), { uniqueKeys: true, prettyErrors: true });
  const first = doc.errors[0];
  if (first) {
    const at = first.linePos?.[0];
    const what = first.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
    const hint = YAML_HINTS[first.code];
    throw new StackConfigError(
      `${file}${at ? `:${at.line}:${at.col}` : ""}: invalid YAML: ${what}${hint ? ` (${hint})` : ""}`,
    );
  }
  return doc.toJS();
}

export function readProjectFile(projectDir: string): ProjectFile {
  const file = ["Pulumi.yaml", "Pulumi.yml"].map((f) => join(projectDir, f)).find(existsSync);
  if (!file)
    throw new StackConfigError(`no Pulumi.yaml in ${projectDir}: --program must point at a Pulumi project directory`);
  const doc = readYamlFile(file) as ProjectFile;
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
  /** The stack file read, or null when the project has none for this stack (project defaults only). */
  stackFile: string | null;
  /** Said to the user: what was assumed (e.g. the stack file was absent). */
  notes: string[];
}

/**
 * Defaults from Pulumi.yaml, then the given stack file (a path) or Pulumi.<stack>.yaml next to it.
 * A named file must exist; the default one may be absent, as the Pulumi CLI then runs the stack
 * with empty stack config (its own `pulumi config` creates the file only on the first `set`).
 */
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
  if (!existsSync(path)) {
    if (stackFile) throw new StackConfigError(`--stack-config ${stackFile}: no such file`);
    return {
      project: project.name,
      config,
      secretKeys,
      stackFile: null,
      notes: [
        `no stack file ${path}: stack ${stack} runs with empty stack config (the project's defaults only), as pulumi does`,
      ],
    };
  }
  const doc = (readYamlFile(path) ?? {}) as { config?: Record<string, unknown> };
  for (const [key, value] of Object.entries(doc.config ?? {})) {
    const k = qualify(project.name, key);
    if (value !== null && typeof value === "object" && "secure" in (value as object)) {
      config[k] = OFFLINE_SECRET_PLACEHOLDER;
      secretKeys.push(k);
    } else {
      config[k] = encode(value);
    }
  }
  return { project: project.name, config, secretKeys, stackFile: path, notes: [] };
}
