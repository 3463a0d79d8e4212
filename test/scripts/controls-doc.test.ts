import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CONTROLS_DOC, renderControlsDoc } from "../../scripts/controls-doc";

describe("docs/controls.md", () => {
  it("is exactly what the controls' metadata and the declarations of the pack and the agent generate (run npx tsx scripts/controls-doc.ts)", () => {
    expect(readFileSync(CONTROLS_DOC, "utf8")).toBe(renderControlsDoc());
  });

  it("maps a control to its CIS id, FSBP id, pack policy and agent check on one row", () => {
    expect(renderControlsDoc().split("\n")).toContain(
      "| `s3-public-access-block` | Log buckets block all public access (all four public access block settings on) | critical | v3.0.0 2.1.4 | S3.8 | `s3-log-bucket-public-access`, `s3-flow-log-bucket`, `athena-workgroup`, `route53-resolver-query-logging` | `archive-public-access`, `flow-log-bucket-encryption`, `log-bucket-public-access` |",
    );
  });
});
