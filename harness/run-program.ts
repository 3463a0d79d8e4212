/**
 * Runs a Pulumi TypeScript program in-process under Pulumi's mock runtime — as `pulumi preview`
 * would run it — and captures every resource registration with its inputs, its options (protect,
 * provider, parent, dependencies, ignoreChanges, import) and its mocked outputs.
 *
 * Several runs may follow one another in a process (each resets the mocks, config and root stack);
 * they must not overlap.
 */
import { resolve, join, dirname } from "node:path";
import { existsSync, statSync } from "node:fs";
import type { Mocks } from "@pulumi/pulumi/runtime";
import { AwsMocks, DEFAULT_AWS_MOCK_OPTIONS, EchoMocks, AwsMockOptions } from "./aws-mocks";
import { readProjectFile } from "./stack-config";

export interface CapturedResource {
  urn: string;
  type: string;
  name: string;
  custom: boolean;
  inputs: Record<string, any>;
  outputs: Record<string, any>;
  id?: string;
  parent?: string;
  /** URN of the explicit provider, if any (the engine's default provider otherwise). */
  provider?: string;
  protect: boolean;
  ignoreChanges: string[];
  /** URNs of explicit and implicit dependencies. */
  dependencies: string[];
  /** For each input, the URNs of the resources its value came from (the engine hands these to stack policies). */
  propertyDependencies: Record<string, string[]>;
  importId?: string;
  deleteBeforeReplace: boolean;
  retainOnDelete: boolean;
  additionalSecretOutputs: string[];
  replaceOnChanges: string[];
}

export interface ProgramRun {
  project: string;
  stack: string;
  resources: CapturedResource[];
  outputs: Record<string, unknown>;
  /** Invoke tokens the mocks had no answer for (they returned {}). */
  unmockedCalls: string[];
}

export interface RunProgramOptions {
  /** A Pulumi project directory (with Pulumi.yaml and `main`) or the program's entry file. */
  program: string;
  stack: string;
  project?: string;
  /** Fully-qualified config ("project:key" → string value), e.g. from loadStackConfig. */
  config: Record<string, string>;
  secretKeys?: string[];
  /** Run as a preview (default) or as an update. */
  preview?: boolean;
  /** "aws" (default) for AWS-aware mocks, "echo" for purely generic ones, or your own. */
  mocks?: "aws" | "echo" | Mocks;
  awsMockOptions?: Partial<AwsMockOptions>;
}

/** Resolves the program's entry module from a project dir (Pulumi.yaml `main`, else package.json `main`, else index.ts). */
export function resolveEntry(program: string): { entry: string; project?: string } {
  const p = resolve(program);
  if (existsSync(p) && statSync(p).isFile()) return { entry: p };
  let project: string | undefined;
  let main = ".";
  if (existsSync(join(p, "Pulumi.yaml")) || existsSync(join(p, "Pulumi.yml"))) {
    const pf = readProjectFile(p);
    project = pf.name;
    main = pf.main ?? ".";
  }
  const base = resolve(p, main);
  const candidates =
    existsSync(base) && statSync(base).isFile() ? [base] : ["index.ts", "index.js"].map((f) => join(base, f));
  const entry = candidates.find(existsSync);
  if (!entry) throw new Error(`cannot find the program entry: looked for ${candidates.join(", ")}`);
  return { entry, project };
}

function str(v: unknown): string {
  return typeof v === "string" ? v : "";
}

export async function runProgram(opts: RunProgramOptions): Promise<ProgramRun> {
  const { entry, project: declared } = resolveEntry(opts.program);
  const project = opts.project ?? declared ?? "project";
  const pulumi = require("@pulumi/pulumi") as typeof import("@pulumi/pulumi");
  const runtime = pulumi.runtime;
  const settings = require("@pulumi/pulumi/runtime/settings");
  const rpc = require("@pulumi/pulumi/runtime/rpc");

  const mgmt = opts.config[`${project}:managementAccountId`];
  const region = opts.config[`${project}:homeRegion`];
  const awsOpts: AwsMockOptions = {
    ...DEFAULT_AWS_MOCK_OPTIONS,
    ...(/^\d{12}$/.test(mgmt ?? "") ? { defaultAccountId: mgmt } : {}),
    ...(region ? { defaultRegion: region } : {}),
    ...(opts.config[`${project}:organization.id`] ? { organizationId: opts.config[`${project}:organization.id`] } : {}),
    ...(opts.config[`${project}:organization.rootId`] ? { rootId: opts.config[`${project}:organization.rootId`] } : {}),
    ...opts.awsMockOptions,
  };
  const mocks: Mocks =
    opts.mocks === "echo"
      ? new EchoMocks()
      : opts.mocks === "aws" || opts.mocks === undefined
        ? new AwsMocks(awsOpts)
        : opts.mocks;

  runtime.setAllConfig(opts.config, opts.secretKeys ?? []);
  await runtime.setMocks(mocks, project, opts.stack, opts.preview ?? true);

  const captured = new Map<string, CapturedResource>();
  const monitor = settings.getMonitor();
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req: any, callback: (err: any, resp: any) => void) => {
    register(req, (err: any, resp: any) => {
      if (!err && resp) {
        // Pulumi's runtime logs every response with a template literal (runtime/resource.js, log.debug of
        // `resp: ${innerResponse}`), evaluated whatever the log level: protobuf's toString walks the whole
        // message, the functions' 6.6 MB code archive included. The text is never shown here.
        resp.toString = () => `RegisterResourceResponse(${resp.getUrn()})`;
        const urn: string = resp.getUrn();
        const type: string = req.getType();
        const inputs = rpc.deserializeProperties(req.getObject());
        const providerRef = str(req.getProvider());
        const outputs = rpc.deserializeProperties(resp.getObject());
        if (type.startsWith("pulumi:providers:aws") && mocks instanceof AwsMocks) mocks.bindProvider(urn, inputs);
        captured.set(urn, {
          urn,
          type,
          name: req.getName(),
          custom: req.getCustom(),
          inputs,
          outputs,
          id: resp.getId() || undefined,
          parent: str(req.getParent()) || undefined,
          provider: providerRef ? providerRef.slice(0, providerRef.lastIndexOf("::")) : undefined,
          protect: req.getProtect() === true,
          ignoreChanges: req.getIgnorechangesList(),
          dependencies: req.getDependenciesList(),
          propertyDependencies: propertyDependenciesOf(req),
          importId: str(req.getImportid()) || undefined,
          deleteBeforeReplace: req.getDeletebeforereplace() === true,
          retainOnDelete: req.getRetainondelete() === true,
          additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
          replaceOnChanges: req.getReplaceonchangesList(),
        });
      }
      callback(err, resp);
    });
  };

  // Errors thrown inside apply() callbacks surface as unhandled rejections; a preview would fail on them, so must we.
  // The first one ends the run at once, as the language host's handler ends the program: a resource whose
  // inputs failed to serialize never resolves its URN, so a resource that depends on it would wait forever
  // (its registration, and waitForRPCs with it, never finish). Registrations that do not depend on it may still be
  // in flight when such a run rejects: a program expected to fail runs in its own process (test/infra/stack.ts
  // previewFailing), as vitest, which counts an unhandled rejection against the test file, requires anyway.
  const asyncErrors: unknown[] = [];
  let failRun: (e: unknown) => void = () => undefined;
  const failed = new Promise<never>((_, reject) => (failRun = reject));
  failed.catch(() => undefined);
  const onRejection = (e: unknown) => {
    asyncErrors.push(e);
    failRun(e);
  };
  process.on("unhandledRejection", onRejection);
  let outputs: Record<string, unknown> | undefined;
  // Pulumi's runtime captures a stack trace for every promise and resource it creates (runtime/debuggable.js,
  // for its leak report; resource.js, for source positions an engine would show). Under vitest each capture is
  // source-mapped: with the default 10 frames that was 70% of a program run (1.16 s → 0.35 s for dev with 1).
  // Nothing here reads those traces; an error the program throws keeps its message and its first frame.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 1;
  try {
    outputs = (await race(
      failed,
      runtime.runInPulumiStack(async () => {
        // A program with top-level code registers its resources when first loaded: drop it (not its
        // dependencies in node_modules) from the module cache so a second run in this process runs it again.
        const programDir = dirname(entry);
        for (const k of Object.keys(require.cache))
          if (k.startsWith(programDir) && !k.includes("node_modules")) delete require.cache[k];
        ensureTypeScriptRequire(entry);
        const mod = require(entry);
        const exp = mod && mod.__esModule && "default" in mod ? mod.default : mod;
        return typeof exp === "function" ? await exp() : await exp;
      }),
    )) as Record<string, unknown> | undefined;
    await race(failed, settings.waitForRPCs());
    await new Promise((r) => setImmediate(r));
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
    process.off("unhandledRejection", onRejection);
  }
  if (asyncErrors.length > 0) throw asyncErrors[0];

  // Stack outputs arrive as Outputs; unwrap them to plain values (unknowns stay undefined).
  const plain: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(outputs ?? {})) plain[k] = await unwrap(v);

  const resources = [...captured.values()].filter((r) => r.type !== "pulumi:pulumi:Stack");
  return {
    project,
    stack: opts.stack,
    resources,
    outputs: plain,
    unmockedCalls: (mocks as { unmockedCalls?: string[] }).unmockedCalls ?? [],
  };
}

function race<T>(failed: Promise<never>, work: Promise<T>): Promise<T> {
  return Promise.race([failed, work]);
}

function propertyDependenciesOf(req: any): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  req.getPropertydependenciesMap().forEach((v: any, k: string) => {
    out[k] = v.getUrnsList();
  });
  return out;
}

/** Under vitest (or plain node) `require` cannot load .ts; register tsx's CommonJS loader once, as ts-node is under `pulumi up`. */
function ensureTypeScriptRequire(entry: string): void {
  if (!entry.endsWith(".ts") || (require as NodeJS.Require).extensions[".ts"]) return;
  require("tsx/cjs/api").register();
}

async function unwrap(v: unknown): Promise<unknown> {
  const pulumi = require("@pulumi/pulumi") as typeof import("@pulumi/pulumi");
  if (!pulumi.Output.isInstance(v)) return v;
  const out = v as any;
  if (!(await out.isKnown)) return undefined;
  return out.promise();
}
