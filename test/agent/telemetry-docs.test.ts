import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { METRIC_DEFINITIONS } from "../../agent/telemetry";

const doc = readFileSync(join(__dirname, "../../docs/notifications.md"), "utf8");

describe("docs/notifications.md", () => {
  it("documents every metric the agent emits, with its unit and meaning, in emission order", () => {
    const rows = doc
      .split("\n")
      .filter((l) => /^\| `[A-Za-z0-9]+` \| (Count|Seconds) \|/.test(l))
      .map((l) => l.split(" | ").map((c) => c.replace(/^\| |`| \|$/g, "")));
    expect(rows).toEqual(METRIC_DEFINITIONS.map((d) => [d.name, d.unit, d.description]));
  });
});
