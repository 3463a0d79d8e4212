/** The CLI's waivers file (--waivers waivers.yaml): read and parsed here, validated by checkWaivers (agent/waivers.ts). */
import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { AuditConfigError } from "./options";
import { checkWaivers, type Waiver } from "./waivers";

/** Parses a waivers file; every problem is listed, each naming the file, the entry and the key. */
export function parseWaivers(text: string, file: string): Waiver[] {
  const label = `--waivers ${file}`;
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (err) {
    throw new AuditConfigError(`${label}: is not YAML (${(err as Error).message.split("\n")[0]})`);
  }
  return checkWaivers(raw, label);
}

export interface LoadedWaivers {
  file: string;
  waivers: Waiver[];
}

export function loadWaivers(file: string): LoadedWaivers {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? (err as Error).name;
    throw new AuditConfigError(`--waivers ${file}: cannot be read (${code}); allowed: a waivers YAML file`);
  }
  return { file, waivers: parseWaivers(text, file) };
}
