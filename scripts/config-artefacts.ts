/**
 * Regenerates what the stack config schema defines beyond the program: Pulumi.yaml's `config:` block
 * and the key tables of docs/infra.md and docs/detection.md (then the README, which includes the docs:
 * npx tsx scripts/readme.ts). test/infra/program.test.ts keeps the committed files equal to these.
 *
 *   npx tsx scripts/config-artefacts.ts          rewrite the files
 *   npx tsx scripts/config-artefacts.ts --check  exit 1 (naming the files) if any is stale
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CONFIG_ARTEFACTS } from "./lib/config-artefacts";

const ROOT = join(__dirname, "..");

function main(): number {
  const stale: string[] = [];
  for (const [path, render] of Object.entries(CONFIG_ARTEFACTS)) {
    const current = readFileSync(join(ROOT, path), "utf8");
    const next = render(current);
    if (next === current) continue;
    stale.push(path);
    if (!process.argv.includes("--check")) writeFileSync(join(ROOT, path), next);
  }
  if (stale.length > 0 && process.argv.includes("--check")) {
    process.stderr.write(`stale: ${stale.join(", ")}; run npx tsx scripts/config-artefacts.ts\n`);
    return 1;
  }
  return 0;
}

if (require.main === module) process.exit(main());
