/**
 * Where the benchmark's organization lives. `responder` (default): moto's recorded answers to the
 * sandbox audit, served for N accounts by the loopback responder in its own process. `moto`, for
 * reference: the same organization seeded into moto (N − 5 more members, each with the sandbox
 * members' detection), audited through the fault proxy with the same latency and rate table.
 */
import { seedNetwork } from "../../agent/sandbox/seed-network";
import { fork, type ChildProcess } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { MoveAccountCommand, OrganizationsClient } from "@aws-sdk/client-organizations";
import { spawnMoto, type MotoServer } from "../../agent/sandbox/moto-server";
import { seedDetection } from "../../agent/sandbox/seed-detection";
import { createAccount } from "../../agent/sandbox/seed-org";
import { seedSandboxOrganization, type Sandbox } from "../../agent/sandbox/seed";
import { FaultProxy } from "../../test/support/fault-proxy";
import { errorAnswer, requestId } from "../../test/support/fault-wire";
import { recordedAnswers } from "../../test/agent/faults/_harness";
import { ServerLimits, type SlowestBucket } from "./bench-limits";
import { recordSandbox } from "./bench-record";
import { benchAccounts } from "./bench-responder";
import type { FromResponder } from "./bench-responder-process";

export interface BackendStats {
  requests: number;
  calls: number;
  throttles: number;
  unrecorded: number;
  unrecordedExamples: string[];
  peakInFlight: number;
  byFamily: Record<string, number>;
  slowest: SlowestBucket;
  /** The backend's own process (responder) or undefined (moto: the proxy runs in the benchmark's process). */
  peakRssMb?: number;
}

export interface Backend {
  endpoint: string;
  sandbox: Sandbox;
  /** Every account of the organization, the sandbox's first. */
  accounts: string[];
  seedSeconds: number;
  stats(): Promise<BackendStats>;
  close(): Promise<void>;
}

export interface BackendOptions {
  accounts: number;
  regions: string[];
  latencyMs: number;
  now: Date;
  tmp: string;
}

const sandboxAccounts = (sb: Sandbox) => [
  sb.accounts.management,
  sb.accounts.logArchive,
  sb.accounts.security,
  ...sb.accounts.members,
];

/** A forked TypeScript module (through tsx), and the next message it sends that satisfies `pick`. */
export function forkTs(file: string, args: string[]): ChildProcess {
  // BENCH_CPU_PROFILE=<dir>: every child writes a V8 CPU profile there (where a worker spends its CPU).
  const profile = process.env.BENCH_CPU_PROFILE
    ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILE}`]
    : [];
  return fork(file, args, {
    execArgv: ["--import", "tsx", ...profile],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
}

export function nextMessage<T>(child: ChildProcess, pick: (m: T) => boolean): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: T) => {
      if (!pick(m)) return;
      cleanup();
      resolve(m);
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`child ${child.pid} exited (${code}) before answering`));
    };
    const cleanup = () => {
      child.off("message", onMessage);
      child.off("exit", onExit);
    };
    child.on("message", onMessage);
    child.on("exit", onExit);
  });
}

async function seeded(moto: MotoServer, o: BackendOptions): Promise<Sandbox> {
  return seedSandboxOrganization({ endpoint: moto.endpoint, governedRegions: o.regions });
}

export async function responderBackend(o: BackendOptions): Promise<Backend> {
  const start = performance.now();
  const moto = await spawnMoto();
  let sb: Sandbox;
  let recording;
  try {
    sb = await seeded(moto, o);
    recording = await recordSandbox(sb, o.now);
  } finally {
    await moto.stop();
  }
  const extras = benchAccounts(o.accounts - sandboxAccounts(sb).length, o.regions);
  const optionsFile = join(o.tmp, "responder.json");
  writeFileSync(optionsFile, JSON.stringify({ recording, accounts: extras, latencyMs: o.latencyMs }));
  const child = forkTs(join(__dirname, "bench-responder-process.ts"), ["--bench-responder", optionsFile]);
  const ready = await nextMessage<FromResponder>(child, (m) => m.type === "ready");
  const sandbox = sb;
  return {
    endpoint: (ready as Extract<FromResponder, { type: "ready" }>).endpoint,
    sandbox,
    accounts: [...sandboxAccounts(sandbox), ...extras.map((a) => a.id)],
    seedSeconds: (performance.now() - start) / 1000,
    async stats() {
      const answer = nextMessage<FromResponder>(child, (m) => m.type === "stats");
      child.send({ type: "stats" });
      return ((await answer) as Extract<FromResponder, { type: "stats" }>).stats;
    },
    async close() {
      const exited = new Promise((r) => child.once("exit", r));
      child.send({ type: "close" });
      await exited;
    },
  };
}

/** N − 5 more members in the Workloads OU, each seeded as the sandbox's members are. */
async function addMembers(sb: Sandbox, count: number): Promise<string[]> {
  const org = await sb.session.client(OrganizationsClient, sb.accounts.management, sb.region);
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = await createAccount(org, `Bench ${i}`, `bench-${i}@example.com`);
    await org.send(
      new MoveAccountCommand({ AccountId: id, SourceParentId: sb.rootId, DestinationParentId: sb.ous.workloads }),
    );
    for (const region of sb.governedRegions)
      await seedDetection(sb.session, {
        account: id,
        region,
        isHome: region === sb.region,
        deliveryChannel: sb.manifest.pipeline!.config!.deliveryChannel,
        guardDuty: sb.manifest.guardDuty!,
      });
    // And what its network automation leaves: the flow log on its default VPC in every region.
    await seedNetwork({
      session: sb.session,
      governed: sb.governedRegions,
      accounts: [id],
      logArchive: sb.accounts.logArchive,
      flowLogBucket: sb.manifest.flowLogs!.bucketName,
      dnsConfigName: sb.manifest.dnsQueryLogs!.configName,
    });
    ids.push(id);
  }
  return ids;
}

export async function motoBackend(o: BackendOptions): Promise<Backend> {
  const start = performance.now();
  const moto = await spawnMoto();
  const sb = await seeded(moto, o);
  const extras = await addMembers(sb, o.accounts - sandboxAccounts(sb).length);
  const limits = new ServerLimits();
  const lacking = recordedAnswers(o.now, sb.manifest);
  const flight = { now: 0, peak: 0 };
  const proxy = await FaultProxy.start({
    target: moto.endpoint,
    seed: "bench",
    intercept: async (info, forward) => {
      flight.peak = Math.max(flight.peak, ++flight.now);
      try {
        if (o.latencyMs > 0) await new Promise((r) => setTimeout(r, o.latencyMs));
        if (!limits.admit(info.service, info.operation, info.account, info.region))
          return errorAnswer("throttle", info, requestId(`bench|${limits.throttles}`));
        return (await lacking(info, forward)) ?? (await forward());
      } finally {
        flight.now--;
      }
    },
  });
  return {
    endpoint: proxy.endpoint,
    sandbox: sb,
    accounts: [...sandboxAccounts(sb), ...extras],
    seedSeconds: (performance.now() - start) / 1000,
    stats() {
      const s = proxy.stats();
      return Promise.resolve({
        requests: s.requests,
        calls: Object.values(s.operations).reduce((n, op) => n + op.invocations, 0),
        throttles: limits.throttles,
        unrecorded: 0,
        unrecordedExamples: [],
        peakInFlight: flight.peak,
        byFamily: limits.byFamily(),
        slowest: limits.slowest(),
      });
    },
    async close() {
      await proxy.close();
      await moto.stop();
    },
  };
}
