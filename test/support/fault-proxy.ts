/**
 * A deterministic fault-injecting HTTP proxy between the AWS SDK and moto server: point the agent's
 * `endpointUrl` at `proxy.endpoint` and it forwards to moto, except when it decides to throttle,
 * fail (500/503), reset the connection, delay, or never answer.
 *
 * Determinism: every decision is a hash of (seed, service, operation, the request's stable identity
 * — account, region, method, path, query and body, never the access key, signature or date headers
 * — and the SDK's attempt number from `amz-sdk-request`). Arrival order and concurrency cannot change which request fails, so a run
 * with a given seed is reproducible and two runs over the same state see the same faults.
 *
 * Accounts: moto maps any unknown access key to its default account (the sandbox's management
 * account, 123456789012); an assumed role's key is learnt by watching STS AssumeRole: the request's
 * RoleArn names the account, moto's answer names the new AccessKeyId.
 */
import { createHash } from "node:crypto";
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import type { Socket } from "node:net";
import { errorAnswer, requestId, shapeOf, type Answer, type ErrorFault, type RequestShape } from "./fault-wire";

export type { Answer, RequestShape } from "./fault-wire";

/** Probabilities per attempt (0..1); the error faults together must not exceed 1. */
export interface FaultRates {
  throttle?: number;
  serverError?: number;
  unavailable?: number;
  /** The socket is destroyed once the request has arrived: the SDK sees ECONNRESET. */
  reset?: number;
  /** The request is held and never answered (until the client gives up or the proxy closes). */
  hang?: number;
  /** Added delay before an answer, with its own probability (decided independently of the error faults). */
  latencyMs?: number;
  latencyRate?: number;
}

export interface FaultRule {
  /** Every given field must match; the first matching rule's rates replace the default rates. */
  match: { service?: string; operation?: string; account?: string; attempt?: number };
  rates: FaultRates;
}

export interface RequestInfo extends RequestShape {
  account: string;
  method: string;
  path: string;
  /** From `amz-sdk-request: attempt=N; max=M`; 1 and undefined when the header is absent. */
  attempt: number;
  maxAttempts?: number;
  invocationId?: string;
  /** The request body as sent (the benchmark's recorder keys moto's answers by it). */
  body: string;
}

/**
 * Answers what moto lacks (return an answer), or adjusts moto's answer (call forward()); undefined
 * leaves the request alone. Runs only for requests the proxy did not fault.
 */
export type Interceptor = (info: RequestInfo, forward: () => Promise<Answer>) => Promise<Answer> | undefined;

export interface FaultProxyOptions {
  /** moto's endpoint, e.g. http://127.0.0.1:5123 */
  target: string;
  seed: string | number;
  rates?: FaultRates;
  rules?: FaultRule[];
  intercept?: Interceptor;
}

export type FaultKind = ErrorFault | "reset" | "hang" | "latency";

export interface OperationStats {
  requests: number;
  invocations: number;
  /** Most requests any one invocation (amz-sdk-invocation-id) of this operation made. */
  maxAttempts: number;
}

export interface ProxyStats {
  requests: number;
  /** Keyed "<service> <operation>". */
  operations: Record<string, OperationStats>;
  /** Most requests any one invocation made, over all operations. */
  maxAttemptsPerInvocation: number;
  /** Invocations whose last request was faulted, i.e. the SDK gave up on a fault, keyed "<service> <operation>". */
  failedInvocations: Record<string, number>;
  faults: Record<FaultKind, number>;
}

export const DEFAULT_ACCOUNT = "123456789012";

/** A number in [0, 1) from the hash of the parts. */
export function unitHash(...parts: (string | number)[]): number {
  return createHash("sha256").update(parts.join("\u0000")).digest().readUInt32BE(0) / 2 ** 32;
}

const readBody = (req: IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });

function attemptHeader(v: string | string[] | undefined): { attempt: number; max?: number } {
  const m = /attempt=(\d+)(?:;\s*max=(\d+))?/.exec(String(v ?? ""));
  return m ? { attempt: Number(m[1]), max: m[2] ? Number(m[2]) : undefined } : { attempt: 1 };
}

export class FaultProxy {
  private server?: Server;
  private port = 0;
  private readonly keys = new Map<string, string>();
  private readonly sockets = new Set<Socket>();
  private readonly invocations = new Map<string, { op: string; count: number; lastFaulted: boolean }>();
  private counters = FaultProxy.emptyStats();

  constructor(private readonly options: FaultProxyOptions) {
    const o = options.rates ?? {};
    if ((o.throttle ?? 0) + (o.serverError ?? 0) + (o.unavailable ?? 0) + (o.reset ?? 0) + (o.hang ?? 0) > 1)
      throw new Error("FaultProxy: the fault rates add up to more than 1");
  }

  static async start(options: FaultProxyOptions): Promise<FaultProxy> {
    const p = new FaultProxy(options);
    await p.listen();
    return p;
  }

  get endpoint(): string {
    if (!this.port) throw new Error("FaultProxy: endpoint read before start()");
    return `http://127.0.0.1:${this.port}`;
  }

  /** The account an access key acts in, as moto will resolve it. */
  accountOf(accessKeyId: string): string {
    return this.keys.get(accessKeyId) ?? DEFAULT_ACCOUNT;
  }

  stats(): ProxyStats {
    const failedInvocations: Record<string, number> = {};
    for (const inv of this.invocations.values())
      if (inv.lastFaulted) failedInvocations[inv.op] = (failedInvocations[inv.op] ?? 0) + 1;
    return { ...structuredClone(this.counters), failedInvocations };
  }

  resetStats(): void {
    this.counters = FaultProxy.emptyStats();
    this.invocations.clear();
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve, reject) =>
      this.server ? this.server.close((e) => (e ? reject(e) : resolve())) : resolve(),
    );
  }

  private static emptyStats(): ProxyStats {
    return {
      requests: 0,
      operations: {},
      maxAttemptsPerInvocation: 0,
      failedInvocations: {},
      faults: { throttle: 0, serverError: 0, unavailable: 0, reset: 0, hang: 0, latency: 0 },
    };
  }

  private listen(): Promise<void> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        // A bug of the proxy must be loud in the test, never look like an AWS answer.
        console.error("FaultProxy:", err);
        if (!res.headersSent) res.writeHead(599, { "content-type": "text/plain" });
        res.end(`fault proxy failure: ${String(err)}`);
      });
    });
    this.server.on("connection", (s: Socket) => {
      this.sockets.add(s);
      s.on("close", () => this.sockets.delete(s));
    });
    return new Promise((resolve) =>
      this.server!.listen(0, "127.0.0.1", () => {
        const a = this.server!.address();
        this.port = typeof a === "object" && a ? a.port : 0;
        resolve();
      }),
    );
  }

  private rulesFor(info: RequestInfo): FaultRates {
    const rule = (this.options.rules ?? []).find(
      (r) =>
        (!r.match.service || r.match.service === info.service) &&
        (!r.match.operation || r.match.operation === info.operation) &&
        (!r.match.account || r.match.account === info.account) &&
        (r.match.attempt === undefined || r.match.attempt === info.attempt),
    );
    return rule?.rates ?? this.options.rates ?? {};
  }

  /** Which error fault (if any) this attempt gets, from one hash compared with the cumulative rates. */
  private decide(info: RequestInfo, identity: string): { fault?: ErrorFault | "reset" | "hang"; latency: number } {
    const r = this.rulesFor(info);
    const { seed } = this.options;
    const u = unitHash(seed, info.service, info.operation, identity, info.attempt);
    let edge = 0;
    let fault: ErrorFault | "reset" | "hang" | undefined;
    for (const [kind, rate] of [
      ["throttle", r.throttle],
      ["serverError", r.serverError],
      ["unavailable", r.unavailable],
      ["reset", r.reset],
      ["hang", r.hang],
    ] as const) {
      edge += rate ?? 0;
      if (!fault && u < edge) fault = kind;
    }
    const slow =
      (r.latencyMs ?? 0) > 0 &&
      unitHash(seed, "latency", info.service, info.operation, identity, info.attempt) < (r.latencyRate ?? 1);
    return { fault, latency: slow ? r.latencyMs! : 0 };
  }

  private count(info: RequestInfo): { lastFaulted: boolean } {
    const key = `${info.service} ${info.operation}`;
    const op = (this.counters.operations[key] ??= { requests: 0, invocations: 0, maxAttempts: 0 });
    this.counters.requests++;
    op.requests++;
    const id = info.invocationId ?? `no-invocation-id-${this.counters.requests}`;
    let inv = this.invocations.get(id);
    if (!inv) {
      inv = { op: key, count: 0, lastFaulted: false };
      this.invocations.set(id, inv);
      op.invocations++;
    }
    inv.count++;
    op.maxAttempts = Math.max(op.maxAttempts, inv.count);
    this.counters.maxAttemptsPerInvocation = Math.max(this.counters.maxAttemptsPerInvocation, inv.count);
    return inv;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const url = new URL(req.url ?? "/", "http://proxy");
    const shape = shapeOf(req.method ?? "GET", url, req.headers, body.toString("utf8"));
    if (!shape) return this.send(res, await this.forward(req, body)); // unsigned: moto's own API (reset)
    const { attempt, max } = attemptHeader(req.headers["amz-sdk-request"]);
    const info: RequestInfo = {
      ...shape,
      account: this.accountOf(shape.accessKeyId),
      method: req.method ?? "GET",
      path: url.pathname + url.search,
      attempt,
      maxAttempts: max,
      invocationId: req.headers["amz-sdk-invocation-id"] as string | undefined,
      body: body.toString("utf8"),
    };
    const invocation = this.count(info);
    // Account and region belong to the identity: on AWS they are different endpoints and principals,
    // and without them the same call in every account would share one fate.
    const identity = `${info.account} ${info.region} ${info.method} ${info.path}\n${body.toString("utf8")}`;
    const { fault, latency } = this.decide(info, identity);
    if (latency > 0) {
      this.counters.faults.latency++;
      await new Promise((r) => setTimeout(r, latency));
    }
    invocation.lastFaulted = fault !== undefined;
    if (fault) this.counters.faults[fault]++;
    if (fault === "hang") return; // held until the client's request timeout destroys the socket, or close()
    if (fault === "reset") return void req.socket.destroy();
    if (fault)
      return this.send(res, errorAnswer(fault, info, requestId(`${this.options.seed}|${identity}|${attempt}`)));
    const forward = () => this.forward(req, body);
    const answer = (await this.options.intercept?.(info, forward)) ?? (await forward());
    if (info.service === "sts" && info.operation === "AssumeRole" && answer.status === 200)
      this.learnKey(body, answer.body);
    this.send(res, answer);
  }

  private learnKey(request: Buffer, response: Buffer): void {
    const account = /^arn:aws:iam::(\d{12}):/.exec(
      new URLSearchParams(request.toString("utf8")).get("RoleArn") ?? "",
    )?.[1];
    const key = /<AccessKeyId>([^<]+)<\/AccessKeyId>/.exec(response.toString("utf8"))?.[1];
    if (account && key) this.keys.set(key, account);
  }

  private forward(req: IncomingMessage, body: Buffer): Promise<Answer> {
    const target = new URL(this.options.target);
    const headers = { ...req.headers, host: target.host, "content-length": String(body.length) };
    delete headers["transfer-encoding"];
    return new Promise((resolve, reject) => {
      const up = httpRequest(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers },
        (r) => {
          readBody(r).then((b) => {
            const h: Record<string, string> = {};
            for (const [k, v] of Object.entries(r.headers))
              if (v !== undefined && !["transfer-encoding", "connection", "content-length", "keep-alive"].includes(k))
                h[k] = String(v);
            resolve({ status: r.statusCode ?? 502, headers: h, body: b });
          }, reject);
        },
      );
      up.on("error", reject);
      up.end(body);
    });
  }

  private send(res: ServerResponse, a: Answer): void {
    if (res.destroyed) return; // the client gave up (its request timeout) while the answer was on its way
    res.writeHead(a.status, { ...a.headers, "content-length": String(a.body.length) });
    res.end(a.body);
  }
}
