/**
 * The artefacts generated from the stack config schema (infra/config-schema.ts and
 * infra/detection/config.ts): Pulumi.yaml's `config:` block and the key tables of docs/infra.md and
 * docs/detection.md. Pure text → text, so the test and scripts/config-artefacts.ts render the same.
 */
import { stringify } from "yaml";
import type { ConfigKeySpec } from "../../infra/config-field";
import { CONFIG_KEYS, PROJECT } from "../../infra/config-keys";
import { DETECTION_CONFIG_KEYS } from "../../infra/detection/config";

/** Pulumi.yaml declarations: arrays need their item type, which is always string here. */
export function pulumiConfigDeclarations(
  specs: ConfigKeySpec[] = [...CONFIG_KEYS, ...DETECTION_CONFIG_KEYS],
): Record<string, unknown> {
  return Object.fromEntries(
    specs.map((k) => [
      k.key,
      k.type === "array"
        ? { type: "array", items: { type: "string" }, description: k.description, default: k.default }
        : { type: k.type, description: k.description, default: k.default },
    ]),
  );
}

/** Pulumi.yaml with its `config:` block (the file's last) rendered from the key tables. */
export function renderPulumiYaml(current: string): string {
  const at = current.search(/^config:$/m);
  if (at < 0) throw new Error("Pulumi.yaml has no top-level config: block");
  return current.slice(0, at) + stringify({ config: pulumiConfigDeclarations() }, { lineWidth: 0 });
}

function defaultCell(d: ConfigKeySpec["default"]): string {
  if (Array.isArray(d)) return d.length === 0 ? "`[]`" : d.map((x) => `\`${x}\``).join(", ");
  return d === "" ? '`""`' : `\`${String(d)}\``;
}

/** The markdown key table of a section. */
export function keyTableMarkdown(specs: ConfigKeySpec[]): string {
  const rows = specs.map(
    (k) => `| \`${PROJECT}:${k.key}\` | ${k.type} | ${defaultCell(k.default)} | ${k.description} |`,
  );
  return ["| Key | Type | Default | Meaning |", "|---|---|---|---|", ...rows].join("\n");
}

const TABLE = /^\| Key \| Type \| Default \| Meaning \|\n\|---\|---\|---\|---\|\n(?:\|.*\|\n?)*/m;

/** `doc` with its key table replaced by the one rendered from `specs`. */
export function renderKeyTable(doc: string, specs: ConfigKeySpec[]): string {
  if (!TABLE.test(doc)) throw new Error("no | Key | Type | Default | Meaning | table found");
  return doc.replace(TABLE, (m) => keyTableMarkdown(specs) + (m.endsWith("\n") ? "\n" : ""));
}

/** Every generated file: path → render(current text). */
export const CONFIG_ARTEFACTS: Record<string, (current: string) => string> = {
  "Pulumi.yaml": renderPulumiYaml,
  "docs/infra.md": (t) => renderKeyTable(t, CONFIG_KEYS),
  "docs/detection.md": (t) => renderKeyTable(t, DETECTION_CONFIG_KEYS),
};
