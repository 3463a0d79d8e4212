/**
 * Loads a @pulumi/policy pack in-process. The pack's own entry (index.ts) is run exactly as the
 * CLI's analyzer runs it; `new PolicyPack(...)` would then start the gRPC analyzer server, so the
 * server's `serve` is swapped for a catcher while the entry loads, and the pack's arguments are kept.
 */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { EnforcementLevel, Policies, PolicyPackArgs } from "@pulumi/policy";
import { parse } from "yaml";

export interface LoadedPolicyPack {
  name: string;
  version: string;
  /** The pack-wide default level (PolicyPackArgs.enforcementLevel, else "advisory" as @pulumi/policy does). */
  enforcementLevel: EnforcementLevel;
  policies: Policies;
  dir: string;
}

export class PolicyPackLoadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PolicyPackLoadError";
  }
}

const cache = new Map<string, LoadedPolicyPack>();

export function loadPolicyPack(packDir: string): LoadedPolicyPack {
  const dir = resolve(packDir);
  const hit = cache.get(dir);
  if (hit) return hit;
  if (!existsSync(join(dir, "PulumiPolicy.yaml")))
    throw new PolicyPackLoadError(`--policy-pack ${packDir}: no PulumiPolicy.yaml in ${dir}`);
  const yaml = parse(readFileSync(join(dir, "PulumiPolicy.yaml"), "utf8")) as { runtime?: string | { name?: string } };
  const runtime = typeof yaml?.runtime === "string" ? yaml.runtime : yaml?.runtime?.name;
  if (runtime !== "nodejs")
    throw new PolicyPackLoadError(
      `--policy-pack ${packDir}: runtime "${runtime}" is not supported offline (only nodejs)`,
    );
  // The CLI runs the pack with its directory as cwd, where PolicyPack reads package.json's version.
  const pkgFile = join(dir, "package.json");
  const version = existsSync(pkgFile)
    ? (JSON.parse(readFileSync(pkgFile, "utf8")).version as string | undefined)
    : undefined;
  if (!version)
    throw new PolicyPackLoadError(
      `--policy-pack ${packDir}: package.json must carry a "version" (@pulumi/policy refuses to serve a pack without one)`,
    );

  const server = require("@pulumi/policy/server");
  const realServe = server.serve;
  let caught: { name: string; level: EnforcementLevel; args: PolicyPackArgs } | undefined;
  server.serve = (name: string, _version: string, level: EnforcementLevel, args: PolicyPackArgs) => {
    caught = { name, level, args };
  };
  const cwd = process.cwd();
  try {
    if (!(require as NodeJS.Require).extensions[".ts"]) require("tsx/cjs/api").register();
    process.chdir(dir);
    require(dir);
  } finally {
    process.chdir(cwd);
    server.serve = realServe;
  }
  if (!caught) throw new PolicyPackLoadError(`--policy-pack ${packDir}: loading ${dir} constructed no PolicyPack`);
  const pack = {
    name: caught.name,
    version,
    enforcementLevel: caught.level,
    policies: caught.args.policies ?? [],
    dir,
  };
  cache.set(dir, pack);
  return pack;
}
