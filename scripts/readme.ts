/**
 * Keeps the README's reference sections equal to docs/*.md, which the tests of each area keep
 * equal to the code (config keys, policies, report schema). Between
 *   <!-- BEGIN include docs/x.md -->  and  <!-- END include docs/x.md -->
 * the README holds that file with every heading one level deeper.
 *
 *   npx tsx scripts/readme.ts          rewrite README.md
 *   npx tsx scripts/readme.ts --check  exit 1 (naming the file) if README.md is stale
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(__dirname, "..");
const BLOCK = /<!-- BEGIN include (\S+) -->\n[\s\S]*?<!-- END include \1 -->/g;

export function demote(markdown: string): string {
  let fenced = false;
  return markdown
    .split("\n")
    .map((line) => {
      if (line.startsWith("```")) fenced = !fenced;
      return !fenced && /^#{1,5} /.test(line) ? `#${line}` : line;
    })
    .join("\n");
}

export function renderReadme(readme: string, read: (path: string) => string): string {
  return readme.replace(
    BLOCK,
    (_m, path: string) =>
      `<!-- BEGIN include ${path} -->\n${demote(read(path).trimEnd())}\n<!-- END include ${path} -->`,
  );
}

function main(): number {
  const path = join(ROOT, "README.md");
  const current = readFileSync(path, "utf8");
  const next = renderReadme(current, (p) => readFileSync(join(ROOT, p), "utf8"));
  if (process.argv.includes("--check")) {
    if (next !== current) {
      const stale = [...current.matchAll(BLOCK)]
        .map((m) => m[1])
        .filter((p) => !current.includes(demote(readFileSync(join(ROOT, p), "utf8").trimEnd())));
      process.stderr.write(
        `README.md is stale for: ${stale.join(", ") || "(block layout)"}; run npx tsx scripts/readme.ts\n`,
      );
      return 1;
    }
    return 0;
  }
  writeFileSync(path, next);
  return 0;
}

if (require.main === module) process.exit(main());
