/**
 * Starts the guardrails pack under Pulumi's own policy-pack runner — exactly what the CLI's
 * `pulumi-analyzer-policy` plugin runs for `--policy-pack`: TypeScript compiled and type-checked
 * by the runner's ts-node, @pulumi/policy's real gRPC analyzer server — and talks to it as the
 * engine does. Used to prove the pack loads under the CLI and that the in-process harness reaches
 * the same verdicts.
 */
import { ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";

const root = join(__dirname, "../..");
const grpc = require("@grpc/grpc-js");
const pb = require("@pulumi/pulumi/proto/analyzer_pb");
const rpc = require("@pulumi/pulumi/proto/analyzer_grpc_pb");
const { Struct } = require("google-protobuf/google/protobuf/struct_pb");

export interface RealAnalyzer {
  client: any;
  child: ChildProcess;
  stderr: () => string;
  close: () => void;
}

export function startRealAnalyzer(packDir: string): Promise<RealAnalyzer> {
  const runner = join(root, "node_modules/@pulumi/pulumi/cmd/run-policy-pack");
  // argv: <engine-address> <program>; the engine address is unused by a policy pack.
  const child = spawn(process.execPath, [runner, "--pwd", packDir, "127.0.0.1:1", "."], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stderr!.on("data", (d) => (err += d));
  return new Promise((resolve, reject) => {
    child.on("exit", (code) => reject(new Error(`policy pack runner exited ${code}: ${err}`)));
    child.stdout!.on("data", (d) => {
      out += d;
      const m = /^(\d+)\s*$/m.exec(out);
      if (!m) return;
      const client = new rpc.AnalyzerClient(`127.0.0.1:${m[1]}`, grpc.credentials.createInsecure());
      resolve({ client, child, stderr: () => err, close: () => (client.close(), child.kill()) });
    });
  });
}

export function call<T>(client: any, method: string, req: unknown): Promise<T> {
  return new Promise((resolve, reject) => client[method](req, (e: Error | null, r: T) => (e ? reject(e) : resolve(r))));
}

const LEVELS: Record<string, number> = { advisory: 0, mandatory: 1, disabled: 2, remediate: 3 };

export function configureRequest(
  config: Map<string, { enforcementLevel: string; properties: Record<string, unknown> }>,
) {
  const req = new pb.ConfigureAnalyzerRequest();
  for (const [name, c] of config) {
    const pc = new pb.PolicyConfig();
    pc.setEnforcementlevel(LEVELS[c.enforcementLevel]);
    pc.setProperties(Struct.fromJavaScript(c.properties));
    req.getPolicyconfigMap().set(name, pc);
  }
  return req;
}

function options(protect: boolean, parent?: string) {
  const o = new pb.AnalyzerResourceOptions();
  o.setProtect(protect);
  if (parent) o.setParent(parent);
  return o;
}

export function analyzeRequest(r: {
  type: string;
  urn: string;
  name: string;
  props: Record<string, unknown>;
  protect: boolean;
  parent?: string;
}) {
  const req = new pb.AnalyzeRequest();
  req.setType(r.type);
  req.setUrn(r.urn);
  req.setName(r.name);
  req.setProperties(Struct.fromJavaScript(r.props));
  req.setOptions(options(r.protect, r.parent));
  return req;
}

export function analyzeStackRequest(
  list: {
    type: string;
    urn: string;
    name: string;
    props: Record<string, unknown>;
    protect: boolean;
    dependencies: string[];
    propertyDependencies: Record<string, string[]>;
  }[],
) {
  const req = new pb.AnalyzeStackRequest();
  req.setResourcesList(
    list.map((r) => {
      const a = new pb.AnalyzerResource();
      a.setType(r.type);
      a.setUrn(r.urn);
      a.setName(r.name);
      a.setProperties(Struct.fromJavaScript(r.props));
      a.setOptions(options(r.protect));
      a.setDependenciesList(r.dependencies);
      for (const [k, urns] of Object.entries(r.propertyDependencies)) {
        const d = new pb.AnalyzerPropertyDependencies();
        d.setUrnsList(urns);
        a.getPropertydependenciesMap().set(k, d);
      }
      return a;
    }),
  );
  return req;
}

export interface Diag {
  policyName: string;
  urn: string;
  level: string;
  message: string;
}

export function diagnostics(resp: any): Diag[] {
  const names = ["advisory", "mandatory", "disabled", "remediate"];
  return resp.getDiagnosticsList().map((d: any) => ({
    policyName: d.getPolicyname(),
    urn: d.getUrn(),
    level: names[d.getEnforcementlevel()],
    message: d.getMessage(),
  }));
}
