import { describe, expect, it } from "vitest";
import { cpSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { previewOffline } from "../../scripts/lib/preview-offline";
import { loadStackConfig, StackConfigError } from "../../harness/stack-config";
import { runProcess } from "../helpers/run";

const ROOT = join(__dirname, "../..");
const tiny = join(ROOT, "test/harness/fixtures/tiny");
const guarded = join(ROOT, "test/harness/fixtures/guarded");
const noStackFile = join(ROOT, "test/harness/fixtures/no-stack-file");
const PACK = join(ROOT, "policypacks/guardrails");

/** A copy of a fixture project whose files can be broken one at a time. */
function copyOf(fixture: string): string {
  const dir = mkdtempSync(join(tmpdir(), "badinput-"));
  cpSync(fixture, dir, { recursive: true });
  return dir;
}

async function preview(args: string[]) {
  let out = "";
  let err = "";
  const status = await previewOffline(args, { out: (s) => (out += s), err: (s) => (err += s) });
  return { status, out, err };
}

describe("a stack or project file that is not valid YAML is one error naming the file and line", () => {
  const cases: [string, string, string, string][] = [
    [
      "an unclosed bracket",
      "Pulumi.dev.yaml",
      "config:\n  tiny:region: [us-west-2\n  tiny:bucketName: b\n",
      "3:3: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]",
    ],
    [
      "a duplicate key",
      "Pulumi.dev.yaml",
      "config:\n  tiny:region: us-west-2\n  tiny:region: us-east-1\n",
      "3:3: invalid YAML: Map keys must be unique (each key may appear once per mapping)",
    ],
    [
      "a tab used for indentation",
      "Pulumi.dev.yaml",
      "config:\n\ttiny:region: us-west-2\n",
      "2:1: invalid YAML: Tabs are not allowed as indentation (indent with spaces only)",
    ],
    [
      "a duplicate key in Pulumi.yaml",
      "Pulumi.yaml",
      "name: tiny\nruntime: nodejs\nname: other\n",
      "3:1: invalid YAML: Map keys must be unique (each key may appear once per mapping)",
    ],
  ];
  it.each(cases)("%s", (_what, file, text, where) => {
    const dir = copyOf(tiny);
    writeFileSync(join(dir, file), text);
    let message: string | undefined;
    try {
      loadStackConfig(dir, "dev");
    } catch (e) {
      expect(e).toBeInstanceOf(StackConfigError);
      message = (e as Error).message;
    }
    expect(message).toBe(`${join(dir, file)}:${where}`);
  });

  it("preview:offline prints only that line on stderr and exits 2 (own process)", async () => {
    const dir = copyOf(tiny);
    writeFileSync(join(dir, "Pulumi.dev.yaml"), "config:\n\ttiny:region: us-west-2\n");
    const r = await runProcess(
      join(ROOT, "node_modules/.bin/tsx"),
      ["scripts/preview-offline.ts", "--program", dir, "--stack", "dev"],
      { cwd: ROOT },
    );
    expect({ status: r.status, stdout: r.stdout, stderr: r.stderr }).toEqual({
      status: 2,
      stdout: "",
      stderr: `${join(dir, "Pulumi.dev.yaml")}:2:1: invalid YAML: Tabs are not allowed as indentation (indent with spaces only)\n`,
    });
  });
});

describe("preview:offline says which stack and policy config it used", () => {
  const NOTE = `note: no stack file ${join(noStackFile, "Pulumi.qa.yaml")}: stack qa runs with empty stack config (the project's defaults only), as pulumi does`;

  it("a project without Pulumi.<stack>.yaml runs on the project defaults, with a note", async () => {
    const r = await preview(["--program", noStackFile, "--stack", "qa", "--no-policies"]);
    expect({ status: r.status, err: r.err, first: r.out.split("\n")[0] }).toEqual({ status: 0, err: "", first: NOTE });
  });

  it("with --json the note goes to stderr and stdout stays one JSON document", async () => {
    const r = await preview(["--program", noStackFile, "--stack", "qa", "--json", "--no-policies"]);
    expect(r.status).toBe(0);
    expect(
      JSON.parse(r.out).plan.map((p: { name: string; inputs: { bucket: string } }) => [p.name, p.inputs.bucket]),
    ).toEqual([["b", "nostack-bucket"]]);
    expect(r.err).toBe(`${NOTE}\n`);
  });

  it("--stack-config naming a missing file is a usage error naming it (exit 2)", async () => {
    const r = await preview(["--program", tiny, "--stack-config", join(tiny, "Pulumi.nope.yaml")]);
    expect(r).toEqual({ status: 2, out: "", err: `--stack-config ${join(tiny, "Pulumi.nope.yaml")}: no such file\n` });
  });

  it("a stack without a policy config file is told that each policy's defaults apply", async () => {
    const r = await preview([
      "--program",
      guarded,
      "--stack",
      "qa",
      "--stack-config",
      join(guarded, "Pulumi.dev.yaml"),
    ]);
    expect({ status: r.status, err: r.err }).toEqual({ status: 3, err: "" });
    expect(r.out).toContain(
      `\nnote: no policy config file for stack qa (looked for ${join(PACK, "config/qa.json")}): each policy's defaults\nPolicies:\n`,
    );
  });

  it("a stack with one is told which file it was: the pack's own for the stack, or the one named", async () => {
    const own = await preview(["--program", guarded, "--stack", "dev"]);
    expect(own.out).toContain(`\npolicy config: ${join(PACK, "config/dev.json")}\nPolicies:\n`);
    const named = await preview([
      "--program",
      guarded,
      "--stack",
      "dev",
      "--policy-config",
      join(guarded, "advisory.json"),
    ]);
    expect(named.status).toBe(0);
    expect(named.out).toContain(`\npolicy config: ${join(guarded, "advisory.json")}\nPolicies:\n`);
  });
});
