import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { runProcess } from "../helpers/run";

const ROOT = join(__dirname, "../..");

describe("preview:offline --json through a pipe", () => {
  it("delivers the whole document (prod is > 64 KiB), not what fit in the pipe before exit", async () => {
    const r = await runProcess("npx", ["tsx", "scripts/preview-offline.ts", "--stack", "prod", "--json"], {
      cwd: ROOT,
    });
    expect(r.status).toBe(0);
    expect(r.stdout.length).toBeGreaterThan(65536);
    const doc = JSON.parse(r.stdout) as { plan: { type: string }[]; violations: unknown[] };
    expect(doc.violations).toEqual([]);
    expect(doc.plan.filter((p) => p.type === "aws:cloudtrail/trail:Trail")).toHaveLength(1);
    expect(
      doc.plan.filter((p) => p.type === "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration"),
    ).toHaveLength(1);
  });
});
