import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { runProgram } from "../../harness/run-program";
import { loadStackConfig, OFFLINE_SECRET_PLACEHOLDER } from "../../harness/stack-config";
import { planJson, planText } from "../../harness/plan";
import { runProcess } from "../helpers/run";

const tiny = join(__dirname, "fixtures/tiny");
const broken = join(__dirname, "fixtures/broken");

describe("loadStackConfig", () => {
  it("merges Pulumi.yaml defaults with the stack file, qualified by project", () => {
    expect(loadStackConfig(tiny, "dev")).toEqual({
      project: "tiny",
      config: { "tiny:bucketName": "tiny-bucket", "tiny:region": "us-west-2" },
      secretKeys: [],
      stackFile: join(tiny, "Pulumi.dev.yaml"),
      notes: [],
    });
  });
  it("replaces secure values it cannot decrypt and reports their keys", () => {
    expect(loadStackConfig(broken, "dev")).toEqual({
      project: "broken",
      config: { "broken:secretThing": OFFLINE_SECRET_PLACEHOLDER },
      secretKeys: ["broken:secretThing"],
      stackFile: join(broken, "Pulumi.dev.yaml"),
      notes: [],
    });
  });
  it("runs a stack without a stack file on the project defaults, as pulumi does, and says so", () => {
    expect(loadStackConfig(tiny, "prod")).toEqual({
      project: "tiny",
      config: { "tiny:bucketName": "tiny-bucket" },
      secretKeys: [],
      stackFile: null,
      notes: [
        `no stack file ${join(tiny, "Pulumi.prod.yaml")}: stack prod runs with empty stack config (the project's defaults only), as pulumi does`,
      ],
    });
  });
  it("names an explicitly given stack file that does not exist", () => {
    expect(() => loadStackConfig(tiny, "prod", join(tiny, "Pulumi.prod.yaml"))).toThrow(
      `--stack-config ${join(tiny, "Pulumi.prod.yaml")}: no such file`,
    );
  });
});

describe("runProgram", () => {
  it("captures inputs, options, providers and outputs of a program's resources", async () => {
    const run = await runProgram({ program: tiny, stack: "dev", config: loadStackConfig(tiny, "dev").config });
    const provider = run.resources.find((r) => r.type === "pulumi:providers:aws")!;
    const bucket = run.resources.find((r) => r.type === "aws:s3/bucket:Bucket")!;
    const key = run.resources.find((r) => r.type === "aws:kms/key:Key")!;
    expect(provider.inputs.region).toBe("us-west-2");
    expect(bucket.inputs).toEqual({ bucket: "tiny-bucket" });
    expect(bucket.protect).toBe(true);
    expect(key.protect).toBe(false);
    expect(bucket.provider).toBe(provider.urn);
    // Inputs that came from no other resource carry no property dependencies.
    expect(bucket.propertyDependencies).toEqual({ bucket: [] });
    expect(key.outputs.arn).toMatch(/^arn:aws:kms:us-west-2:222222222222:key\/[0-9a-f-]{36}$/);
    expect(run.outputs.bucketArn).toBe("arn:aws:s3:::tiny-bucket");
  });

  it("runs the same program again in one process with other config", async () => {
    const config = { ...loadStackConfig(tiny, "dev").config, "tiny:bucketName": "second-bucket" };
    const run = await runProgram({ program: tiny, stack: "other", config });
    expect(run.resources.find((r) => r.type === "aws:s3/bucket:Bucket")!.inputs.bucket).toBe("second-bucket");
    expect(run.resources.every((r) => r.urn.startsWith("urn:pulumi:other::tiny::"))).toBe(true);
  });

  it("fails when the program throws inside an apply, as a preview would (CLI, own process)", async () => {
    // Its own process: the rejection is process-wide, and vitest would also count it against this file.
    const r = await runProcess("npx", ["tsx", "scripts/preview-offline.ts", "--program", broken, "--stack", "dev"], {
      cwd: join(__dirname, "../.."),
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("preview failed: late failure for arn");
  });

  it("echo mocks give ids and echo inputs for any program", async () => {
    const run = await runProgram({
      program: tiny,
      stack: "dev",
      config: loadStackConfig(tiny, "dev").config,
      mocks: "echo",
    });
    const bucket = run.resources.find((r) => r.type === "aws:s3/bucket:Bucket")!;
    expect(bucket.outputs).toEqual({ bucket: "tiny-bucket" });
    expect(bucket.id).toBe("b-id");
  });
});

describe("plan rendering", () => {
  it("groups resources under their provider with account and region", async () => {
    const run = await runProgram({ program: tiny, stack: "dev", config: loadStackConfig(tiny, "dev").config });
    expect(planText(run)).toBe(
      [
        "Plan for tiny/dev: 2 resources",
        "",
        "== logs: account 222222222222, region us-west-2 (2)",
        "  + aws:kms/key:Key  k",
        "      description: k",
        "      enableKeyRotation: true",
        "  + aws:s3/bucket:Bucket  b  [protect]",
        "      bucket: tiny-bucket",
      ].join("\n"),
    );
    expect(planJson(run).map((r) => [r.type, r.name])).toEqual([
      ["pulumi:providers:aws", "logs"],
      ["aws:kms/key:Key", "k"],
      ["aws:s3/bucket:Bucket", "b"],
    ]);
  });
});
