import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { demote, renderReadme } from "../../scripts/readme";

const ROOT = join(__dirname, "../..");
const read = (p: string) => readFileSync(join(ROOT, p), "utf8");

describe("README", () => {
  it("holds every docs/ reference section exactly as the docs are (run npx tsx scripts/readme.ts)", () => {
    const readme = read("README.md");
    expect(renderReadme(readme, read)).toBe(readme);
  });

  it("has a quick start of exactly two commands, the second being the one .ci/run calls", () => {
    const readme = read("README.md");
    const quick = readme.split("## Quick start")[1].split("```bash\n")[1].split("```")[0].trim().split("\n");
    expect(quick).toEqual(["npm ci && npm run demo", "npm test"]);
    expect(
      read(".ci/run")
        .split("\n")
        .filter((l) => /^\s*npm test\s*$/.test(l)),
    ).toHaveLength(1);
  });

  it("demotes headings outside code fences only", () => {
    expect(demote("# A\n```\n# not a heading\n```\n## B")).toBe("## A\n```\n# not a heading\n```\n### B");
  });
});
