import { builtinModules } from "node:module";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { agentBundle, buildBundle, bundleAgent } from "../../infra/agent-bundle";
import { runProcess } from "../helpers/run";

const dir = mkdtempSync(join(tmpdir(), "orgwarden-bundle-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs a script in a plain node process (no tsx, no node_modules next to the bundle), as Lambda loads index.js. */
async function node(script: string, env: Record<string, string> = {}) {
  const r = await runProcess(process.execPath, ["-e", script], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? "", ...env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("bundleAgent (the function's index.js)", () => {
  const code = bundleAgent();
  writeFileSync(join(dir, "index.js"), code);

  it("is a self-contained CommonJS module exporting the handler and the three Step Functions steps, loadable without node_modules", async () => {
    const r = await node(
      `const m = require("./index.js"); console.log(JSON.stringify(Object.fromEntries(["handler", "runScheduledAudit", "plan", "collect", "evaluate"].map((k) => [k, typeof m[k]]))));`,
    );
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout)).toEqual({
      handler: "function",
      runScheduledAudit: "function",
      plan: "function",
      collect: "function",
      evaluate: "function",
    });
  });

  it("runs the plan step: an execution input with an unknown key is refused naming it, before any AWS call", async () => {
    const r = await node(
      `require("./index.js").plan({ runID: "x" }).then(() => console.log("resolved"), (e) => console.log(e.name + ": " + e.message));`,
      { AWS_REGION: "eu-west-1" },
    );
    expect(r.stdout.trim()).toBe('AuditConfigError: plan step input: (input): Unrecognized key: "runID"');
  });

  it("bundles every dependency, the AWS SDK v3 included: it requires only node built-ins", () => {
    const required = [...new Set([...code.matchAll(/require\("([^".][^"]*)"\)/g)].map((m) => m[1]))];
    // Node built-ins, with or without the node: prefix (client-route53resolver's older @smithy packages write "buffer", "stream").
    const external = required.filter((m) => !m.startsWith("node:") && !builtinModules.includes(m));
    // The one other match is text: the SDK's SigV4a error message tells users to require the CRT signer.
    expect(external).toEqual(["@aws-sdk/signature-v4-crt"]);
    const count = (text: string) => code.split(text).length - 1;
    expect(count('require("@aws-sdk/signature-v4-crt")')).toBeGreaterThan(0);
    expect(count('register the package by calling [require("@aws-sdk/signature-v4-crt");]')).toBe(
      count('require("@aws-sdk/signature-v4-crt")'),
    );
    expect(code).toContain("GetParametersCommand");
  });

  it("runs: invoked without its configuration it rejects with the configuration error naming the variable", async () => {
    const r = await node(
      `require("./index.js").handler().then(() => console.log("resolved"), (e) => console.log(e.name + ": " + e.message));`,
      { AWS_REGION: "eu-west-1" },
    );
    expect(r.stdout.trim()).toBe(
      "AuditConfigError: ORGWARDEN_MANIFEST_PARAMETER must name the SSM parameter that holds the audit manifest",
    );
  });

  it("is built once per program run (the same text on every call)", () => {
    expect(bundleAgent()).toBe(code);
  });
});

describe("buildBundle: a bundle is reused only while everything it was built from is unchanged", () => {
  const project = join(dir, "project");
  const build = join(dir, "build");
  mkdirSync(join(project, "src"), { recursive: true });
  const entry = join(project, "src", "main.ts");
  const lock = join(project, "package-lock.json");
  writeFileSync(lock, "{}");
  writeFileSync(entry, 'import { word } from "./dep";\nexport const said = word;\n');
  writeFileSync(join(project, "src", "dep.js"), 'exports.word = "first";\n');
  const run = () => buildBundle({ entry, buildDir: build, root: project });

  it("builds once, then returns the same bytes from the same file without building", () => {
    const a = run();
    const b = run();
    expect(a.built).toBe(true);
    expect(b).toEqual({ ...a, built: false });
    expect(a.text).toContain('"first"');
  });

  it("builds again when an input's contents change", () => {
    writeFileSync(join(project, "src", "dep.js"), 'exports.word = "second";\n');
    const r = run();
    expect(r.built).toBe(true);
    expect(r.text).toContain('"second"');
    expect(run().built).toBe(false);
  });

  it("builds again when a new file beside an input could change what an import resolves to", () => {
    // esbuild tries .ts before .js: the new dep.ts shadows dep.js without any input having changed.
    writeFileSync(join(project, "src", "dep.ts"), 'export const word = "shadowing";\n');
    const r = run();
    expect(r.built).toBe(true);
    expect(r.text).toContain('"shadowing"');
  });

  it("builds again when package-lock.json changes (a dependency updated in place)", () => {
    expect(run().built).toBe(false);
    writeFileSync(lock, '{"lockfileVersion": 3}');
    expect(run().built).toBe(true);
  });

  it("the agent's reused bundle is byte for byte what a fresh build in an empty directory produces", () => {
    const fresh = buildBundle({ buildDir: join(dir, "fresh") });
    expect(fresh.built).toBe(true);
    expect(agentBundle().text).toBe(fresh.text);
    expect(bundleAgent()).toBe(fresh.text);
  });
});
