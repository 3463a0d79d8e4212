import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { AUDIT_EXTRA_READ_ACTIONS } from "../../../baseline/detection";
import { DETECTION_CONFIG_KEYS } from "../../../infra/detection";
import { CONFIG_ARTEFACTS, keyTableMarkdown } from "../../../scripts/lib/config-artefacts";

const text = readFileSync(join(__dirname, "../../../docs/detection.md"), "utf8");
const rows = text.split("\n");

describe("docs/detection.md", () => {
  it("documents every detection config key with its type and description", () => {
    for (const k of DETECTION_CONFIG_KEYS) {
      const row = rows.find((l) => l.startsWith(`| \`orgwarden:${k.key}\` |`));
      expect(row, k.key).toBeDefined();
      const cells = row!.split(" | ");
      expect(cells[1], k.key).toBe(k.type);
      expect(row!.endsWith(`${k.description} |`), k.key).toBe(true);
    }
  });

  it("holds the key table generated from the schema, byte for byte (npx tsx scripts/config-artefacts.ts)", () => {
    expect(text).toContain(`${keyTableMarkdown(DETECTION_CONFIG_KEYS)}\n`);
    expect(CONFIG_ARTEFACTS["docs/detection.md"](text)).toBe(text);
  });

  it("documents every extra read action of the audit role with its reason", () => {
    for (const a of AUDIT_EXTRA_READ_ACTIONS) expect(rows, a.action).toContain(`  | \`${a.action}\` | ${a.why} |`);
  });
});
