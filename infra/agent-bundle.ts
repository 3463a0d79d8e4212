import { buildSync } from "esbuild";
import { resolve } from "node:path";

/** The handler's source; its `handler` export is the function's entry point (index.handler). */
export const AGENT_ENTRY = resolve(__dirname, "../agent/lambda.ts");

let cached: string | undefined;

/**
 * The scheduled agent as one CommonJS file, built when the program runs. Everything is bundled,
 * the AWS SDK v3 included: the runtime's bundled SDK version is not ours to choose, and the agent
 * is tested against the versions in package-lock.json.
 */
export function bundleAgent(): string {
  if (cached !== undefined) return cached;
  const r = buildSync({
    entryPoints: [AGENT_ENTRY],
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    write: false,
    logLevel: "silent",
    legalComments: "none",
  });
  if (r.outputFiles.length !== 1)
    throw new Error(`bundling ${AGENT_ENTRY} produced ${r.outputFiles.length} files, expected 1`);
  cached = r.outputFiles[0].text;
  return cached;
}
