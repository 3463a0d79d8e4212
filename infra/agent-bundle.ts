import { buildSync, version as esbuildVersion } from "esbuild";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { dirname, join, resolve } from "node:path";

/** The handler's source; its `handler` export is the function's entry point (index.handler). */
export const AGENT_ENTRY = resolve(__dirname, "../agent/lambda.ts");

/** The repository root: package-lock.json there pins every bundled dependency. */
const ROOT = resolve(__dirname, "..");

/**
 * Where built bundles are kept between program runs: ORGWARDEN_BUILD_DIR, else a per-user directory under the
 * system's temporary directory. A bundle is only reused while every file it was built from is unchanged.
 */
export function agentBuildDir(): string {
  const configured = process.env.ORGWARDEN_BUILD_DIR;
  if (configured !== undefined && configured !== "") return resolve(configured);
  let user: string;
  try {
    user = String(userInfo().uid);
  } catch {
    user = "user";
  }
  return join(tmpdir(), `orgwarden-build-${user}`);
}

/** What a built bundle was made from: a bundle is current while all of it is unchanged. */
interface BundleRecord {
  esbuild: string;
  entry: string;
  /** Every file esbuild read (metafile inputs, relative to the entry's working directory), with its SHA-256. */
  inputs: Record<string, string>;
  /** The .ts/.js file names of each directory an input of this repository lies in: a new file could change resolution. */
  listings: Record<string, string>;
  /** SHA-256 of package-lock.json: a dependency changed without changing a file already read is still seen. */
  lock: string;
  /** The bundle's file name in the build directory (content-addressed). */
  output: string;
}

const sha256 = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");

function fileDigest(path: string): string | undefined {
  try {
    return sha256(readFileSync(path));
  } catch {
    return undefined;
  }
}

function listing(dir: string): string {
  try {
    return sha256(
      readdirSync(dir)
        .filter((n) => /\.(c|m)?[jt]sx?$/.test(n) || n === "package.json")
        .sort()
        .join("\n"),
    );
  } catch {
    return "";
  }
}

/** Writes a file so that a reader (another test worker, a concurrent preview) sees the whole old or the whole new one. */
function writeAtomically(path: string, data: string): void {
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

export interface BundleOptions {
  /** The entry module; default the agent's Lambda handler. */
  entry?: string;
  /** The build directory; default agentBuildDir(). */
  buildDir?: string;
  /** The directory whose package-lock.json pins the dependencies; default the repository root. */
  root?: string;
}

export interface BuiltBundle {
  /** The bundle on disk (what the functions' code archive points to). */
  file: string;
  text: string;
  /** false when the bundle was reused because nothing it was built from changed. */
  built: boolean;
}

function recordIsCurrent(rec: BundleRecord, entry: string, dir: string, root: string): boolean {
  if (rec.esbuild !== esbuildVersion || rec.entry !== entry) return false;
  if (rec.lock !== (fileDigest(join(root, "package-lock.json")) ?? "")) return false;
  if (!existsSync(join(dir, rec.output))) return false;
  for (const [dirName, digest] of Object.entries(rec.listings)) if (listing(dirName) !== digest) return false;
  for (const [file, digest] of Object.entries(rec.inputs)) if (fileDigest(file) !== digest) return false;
  return true;
}

/**
 * Bundles `entry` with esbuild, reusing the previous bundle in the build directory when every input esbuild read
 * (with its contents), the file names beside the repository's inputs, package-lock.json and esbuild's version are
 * unchanged. Building takes about a second and the program runs many times in a test run; the result is the same
 * bytes either way.
 */
export function buildBundle(o: BundleOptions = {}): BuiltBundle {
  const entry = resolve(o.entry ?? AGENT_ENTRY);
  const dir = o.buildDir ?? agentBuildDir();
  const root = o.root ?? ROOT;
  const recordFile = join(dir, `bundle-${sha256(entry).slice(0, 16)}.json`);
  if (existsSync(recordFile)) {
    try {
      const rec = JSON.parse(readFileSync(recordFile, "utf8")) as BundleRecord;
      if (recordIsCurrent(rec, entry, dir, root)) {
        const file = join(dir, rec.output);
        return { file, text: readFileSync(file, "utf8"), built: false };
      }
    } catch {
      // An unreadable record is a cache miss: build again.
    }
  }
  const r = buildSync({
    entryPoints: [entry],
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    write: false,
    logLevel: "silent",
    legalComments: "none",
    metafile: true,
    absWorkingDir: root,
  });
  if (r.outputFiles.length !== 1)
    throw new Error(`bundling ${entry} produced ${r.outputFiles.length} files, expected 1`);
  const text = r.outputFiles[0].text;
  const inputs: Record<string, string> = {};
  const listings: Record<string, string> = {};
  for (const rel of Object.keys(r.metafile.inputs)) {
    const file = resolve(root, rel);
    inputs[file] = fileDigest(file) ?? "";
    if (!file.includes("/node_modules/")) listings[dirname(file)] ??= listing(dirname(file));
  }
  mkdirSync(dir, { recursive: true });
  const output = `agent-${sha256(text).slice(0, 32)}.js`;
  const file = join(dir, output);
  if (!existsSync(file) || statSync(file).size !== Buffer.byteLength(text)) writeAtomically(file, text);
  const rec: BundleRecord = {
    esbuild: esbuildVersion,
    entry,
    inputs,
    listings,
    lock: fileDigest(join(root, "package-lock.json")) ?? "",
    output,
  };
  writeAtomically(recordFile, JSON.stringify(rec));
  return { file, text, built: true };
}

let cached: BuiltBundle | undefined;

/**
 * The scheduled agent as one CommonJS file, built when the program runs. Everything is bundled,
 * the AWS SDK v3 included: the runtime's bundled SDK version is not ours to choose, and the agent
 * is tested against the versions in package-lock.json.
 */
export function bundleAgent(): string {
  return agentBundle().text;
}

/** The agent's bundle on disk and its text, built (or found current) once per program run. */
export function agentBundle(): BuiltBundle {
  cached ??= buildBundle();
  return cached;
}
