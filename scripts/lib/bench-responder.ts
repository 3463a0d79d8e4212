/**
 * The benchmark's simulated organization: a Node HTTP server on loopback that answers every call the
 * audit makes, for the sandbox's accounts and N − 5 more, fast enough that the rate table and the
 * agent, not an emulator, bound the wall time.
 *
 * AWS-shaped by construction: every answer is one moto gave to the recorded sandbox audit
 * (scripts/lib/bench-record.ts). A simulated account is a copy of the template member account: its
 * request is looked up with its account id and detector ids replaced by the template's, and the
 * template's answer is given back with the ids (and so every ARN that holds them) replaced the other
 * way. Only two answers are built rather than replayed, both from recorded ones: the template's OU
 * lists every simulated account (moto's Account entry of the template, copied; 20 per page, as
 * ListAccountsForParent's MaxResults allows), and AssumeRole issues an access key that names the
 * account (ASIA + account id + BNCH), which is how a later request is known to be for that account.
 *
 * Like AWS, it enforces the rate table (a token bucket per account, region and API family; see
 * bench-limits.ts) and answers a refused call with its protocol's throttle (fault-wire.ts), and it adds
 * L ms to every answer with a timer, never blocking its event loop. A request it has no recording
 * for is answered 599 and counted: the benchmark refuses figures with any.
 */
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { SANDBOX_CREDENTIALS } from "../../agent/sandbox/session";
import { errorAnswer, requestId, shapeOf, type RequestShape } from "../../test/support/fault-wire";
import { ServerLimits, type SlowestBucket } from "./bench-limits";
import { recordKey, type RecordedAnswer, type Recording } from "./bench-record";
import type { VpcIds } from "../../agent/sandbox/seed-network";

export interface BenchAccount {
  id: string;
  name: string;
  email: string;
  /** GuardDuty detector id per region. */
  detectors: Record<string, string>;
  /** The default VPC and its flow log per region (the ids the per-VPC findings name). */
  vpcs: Record<string, VpcIds>;
}

export interface ResponderOptions {
  recording: Recording;
  /** The simulated accounts beyond the recorded ones, each a copy of the template account. */
  accounts: BenchAccount[];
  latencyMs: number;
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
}

export interface ResponderStats {
  requests: number;
  /** Requests that were an SDK call's first attempt: the calls made. */
  calls: number;
  throttles: number;
  unrecorded: number;
  unrecordedExamples: string[];
  peakInFlight: number;
  byFamily: Record<string, number>;
  slowest: SlowestBucket;
  /** The responder process's own peak RSS (MB): not the agent's. */
  peakRssMb: number;
}

const PAGE = 20;
const ACCESS_KEY = /^ASIA(\d{12})BNCH$/;

const readBody = (req: IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });

/** The simulated accounts' ids and names, the same in every run of a size. */
export function benchAccounts(count: number, regions: string[], firstIndex = 0): BenchAccount[] {
  return Array.from({ length: count }, (_, n) => {
    const i = firstIndex + n;
    const id = `9${String(i).padStart(11, "0")}`;
    // GuardDuty detector ids are 32 hex digits; these are derived from account and region.
    const detectors = Object.fromEntries(
      regions.map((r) => [r, createHash("sha256").update(`${id}|${r}`).digest("hex").slice(0, 32)]),
    );
    // VPC and flow-log ids are 17 hex digits, derived the same way.
    const hex = (what: string, r: string) =>
      createHash("sha256").update(`${what}|${id}|${r}`).digest("hex").slice(0, 17);
    const vpcs = Object.fromEntries(
      regions.map((r) => [r, { vpcId: `vpc-${hex("vpc", r)}`, flowLogId: `fl-${hex("fl", r)}` }]),
    );
    return { id, name: `Bench ${i}`, email: `bench-${i}@example.com`, detectors, vpcs };
  });
}

export class BenchResponder {
  private server?: Server;
  private port = 0;
  private readonly limits = new ServerLimits();
  private readonly extras = new Map<string, BenchAccount>();
  private readonly template: Recording["template"];
  private readonly ou: { parentId: string; key: string; accounts: Record<string, unknown>[]; answer: RecordedAnswer };
  private counters = { requests: 0, calls: 0, unrecorded: 0, inFlight: 0, peakInFlight: 0 };
  private readonly unrecordedExamples: string[] = [];

  constructor(private readonly o: ResponderOptions) {
    this.template = o.recording.template;
    for (const a of o.accounts) this.extras.set(a.id, a);
    this.ou = this.templateOu();
  }

  static async start(o: ResponderOptions): Promise<BenchResponder> {
    const r = new BenchResponder(o);
    await r.listen();
    return r;
  }

  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  stats(): ResponderStats {
    return {
      requests: this.counters.requests,
      calls: this.counters.calls,
      throttles: this.limits.throttles,
      unrecorded: this.counters.unrecorded,
      unrecordedExamples: [...this.unrecordedExamples],
      peakInFlight: this.counters.peakInFlight,
      byFamily: this.limits.byFamily(),
      slowest: this.limits.slowest(),
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    };
  }

  close(): Promise<void> {
    this.server?.closeAllConnections();
    return new Promise((resolve, reject) =>
      this.server ? this.server.close((e) => (e ? reject(e) : resolve())) : resolve(),
    );
  }

  /** The recorded ListAccountsForParent of the OU that holds the template account: the one the copies join. */
  private templateOu() {
    for (const [key, answer] of Object.entries(this.o.recording.answers)) {
      if (!key.includes("|organizations|ListAccountsForParent|")) continue;
      const page = JSON.parse(answer.body) as { Accounts?: Record<string, unknown>[]; NextToken?: string };
      if (!page.Accounts?.some((a) => a.Id === this.template.account)) continue;
      if (page.NextToken) throw new Error("bench responder: the recorded template OU has more than one page");
      const parentId = (JSON.parse(key.slice(key.indexOf("\n") + 1)) as { ParentId: string }).ParentId;
      return { parentId, key, accounts: page.Accounts, answer };
    }
    throw new Error(`bench responder: no recorded ListAccountsForParent lists ${this.template.account}`);
  }

  private listen(): Promise<void> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        console.error("bench responder:", err);
        if (!res.headersSent) res.writeHead(599, { "content-type": "text/plain" });
        res.end(`bench responder failure: ${String(err)}`);
      });
    });
    // Requests wait L ms here by design: Node's own request timeout must not end them.
    this.server.requestTimeout = 0;
    return new Promise((resolve) =>
      this.server!.listen(this.o.port ?? 0, "127.0.0.1", () => {
        const a = this.server!.address();
        this.port = typeof a === "object" && a ? a.port : 0;
        resolve();
      }),
    );
  }

  private accountOf(accessKeyId: string): string | undefined {
    if (accessKeyId === SANDBOX_CREDENTIALS.accessKeyId) return this.o.recording.managementAccount;
    return ACCESS_KEY.exec(accessKeyId)?.[1];
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = (await readBody(req)).toString("utf8");
    const url = new URL(req.url ?? "/", "http://responder");
    const shape = shapeOf(req.method ?? "GET", url, req.headers, body);
    if (!shape) return this.send(res, { status: 400, headers: { "content-type": "text/plain" }, body: "unsigned" });
    const c = this.counters;
    c.requests++;
    if (/attempt=1\b/.test(String(req.headers["amz-sdk-request"] ?? "attempt=1"))) c.calls++;
    c.peakInFlight = Math.max(c.peakInFlight, ++c.inFlight);
    try {
      if (this.o.latencyMs > 0) await new Promise((r) => setTimeout(r, this.o.latencyMs));
      const account = this.accountOf(shape.accessKeyId);
      if (!account)
        return this.send(res, this.unrecorded(`unknown access key ${shape.accessKeyId} (${shape.operation})`));
      if (!this.limits.admit(shape.service, shape.operation, account, shape.region)) {
        const a = errorAnswer("throttle", shape, requestId(`bench|${this.limits.throttles}`));
        return this.send(res, { status: a.status, headers: a.headers, body: a.body.toString("utf8") });
      }
      const path = url.pathname + url.search;
      this.send(res, this.answer(shape, account, req.method ?? "GET", path, body));
    } finally {
      c.inFlight--;
    }
  }

  private answer(s: RequestShape, account: string, method: string, path: string, body: string): RecordedAnswer {
    if (s.service === "organizations" && s.operation === "ListAccountsForParent") {
      const asked = JSON.parse(body) as { ParentId?: string; NextToken?: string };
      if (asked.ParentId === this.ou.parentId) return this.ouPage(asked.NextToken);
    }
    const copy = this.copyIn(account, path + body);
    const from = (t: string) => (copy ? this.swap(t, copy, s.region, "in") : t);
    const key = recordKey({
      account: from(account),
      region: s.region,
      service: s.service,
      operation: s.operation,
      method,
      path: from(path),
      body: from(body),
    });
    const recorded = this.o.recording.answers[key];
    if (!recorded) return this.unrecorded(key);
    if (!copy && s.service === "organizations" && s.operation === "ListTargetsForPolicy")
      return this.withCopiedTargets(recorded, s.region);
    let out = copy ? { ...recorded, body: this.swap(recorded.body, copy, s.region, "out") } : recorded;
    if (s.service === "sts" && s.operation === "AssumeRole" && out.status === 200) out = this.issue(out, body);
    return out;
  }

  /**
   * A policy attached directly to the template account (moto attaches FullAWSAccess to every account
   * it creates) is attached to each copy too, as moto would have done for an account created there.
   */
  private withCopiedTargets(recorded: RecordedAnswer, region: string): RecordedAnswer {
    const page = JSON.parse(recorded.body) as { Targets?: Record<string, unknown>[] };
    const own = page.Targets?.find((t) => t.TargetId === this.template.account);
    if (!own) return recorded;
    const copies = [...this.extras.values()].map(
      (a) => JSON.parse(this.swap(JSON.stringify(own), a, region, "out")) as Record<string, unknown>,
    );
    return { ...recorded, body: JSON.stringify({ ...page, Targets: [...page.Targets!, ...copies] }) };
  }

  /** The simulated account a request is for or names (at most one), if any. */
  private copyIn(account: string, text: string): BenchAccount | undefined {
    const found = new Set<BenchAccount>();
    const own = this.extras.get(account);
    if (own) found.add(own);
    for (const m of text.matchAll(/\d{12}/g)) {
      const a = this.extras.get(m[0]);
      if (a) found.add(a);
    }
    if (found.size > 1)
      throw new Error(`a request names ${found.size} simulated accounts; the responder copies one template`);
    return [...found][0];
  }

  /** in: the copy's ids become the template's (to look up); out: the template's become the copy's. */
  private swap(text: string, a: BenchAccount, region: string, direction: "in" | "out"): string {
    // Detector ids first: a hex id may hold a run of digits, never the other way round.
    const pairs: [string, string][] = [];
    const detector = this.template.detectors[region];
    if (detector && a.detectors[region]) pairs.push([a.detectors[region], detector]);
    const vpc = this.template.vpcs[region];
    const own = a.vpcs[region];
    if (vpc && own) pairs.push([own.vpcId, vpc.vpcId], [own.flowLogId, vpc.flowLogId]);
    pairs.push([a.id, this.template.account]);
    let t = text;
    for (const [copy, template] of pairs)
      t = direction === "in" ? t.replaceAll(copy, template) : t.replaceAll(template, copy);
    return t;
  }

  private ouPage(token: string | undefined): RecordedAnswer {
    const entry = this.ou.accounts.find((a) => a.Id === this.template.account)!;
    const copies = [...this.extras.values()].map((a) => ({
      ...(JSON.parse(JSON.stringify(entry).replaceAll(this.template.account, a.id)) as Record<string, unknown>),
      Name: a.name,
      Email: a.email,
    }));
    const all = [...this.ou.accounts, ...copies];
    const from = token ? Number(/^bench-(\d+)$/.exec(token)?.[1] ?? NaN) : 0;
    if (!Number.isInteger(from)) return this.unrecorded(`ListAccountsForParent NextToken ${token}`);
    const page: Record<string, unknown> = { Accounts: all.slice(from, from + PAGE) };
    if (from + PAGE < all.length) page.NextToken = `bench-${from + PAGE}`;
    return { ...this.ou.answer, body: JSON.stringify(page) };
  }

  /** moto's AssumeRole answer for that account, with a key that names the account and a fresh expiry. */
  private issue(answer: RecordedAnswer, request: string): RecordedAnswer {
    const account = /^arn:aws:iam::(\d{12}):/.exec(new URLSearchParams(request).get("RoleArn") ?? "")?.[1];
    if (!account) return this.unrecorded(`AssumeRole without an account in its RoleArn: ${request}`);
    const duration = Number(new URLSearchParams(request).get("DurationSeconds") ?? 3600);
    const expiration = new Date(Date.now() + duration * 1000).toISOString();
    const body = answer.body
      .replace(/<AccessKeyId>[^<]*<\/AccessKeyId>/, `<AccessKeyId>ASIA${account}BNCH</AccessKeyId>`)
      .replace(/<Expiration>[^<]*<\/Expiration>/, `<Expiration>${expiration}</Expiration>`);
    return { ...answer, body };
  }

  private unrecorded(what: string): RecordedAnswer {
    this.counters.unrecorded++;
    if (this.unrecordedExamples.length < 5) this.unrecordedExamples.push(what);
    return {
      status: 599,
      headers: { "content-type": "text/plain" },
      body: `bench responder: no recording for ${what}`,
    };
  }

  private send(res: ServerResponse, a: RecordedAnswer): void {
    if (res.destroyed) return;
    const body = Buffer.from(a.body, "utf8");
    res.writeHead(a.status, { ...a.headers, "content-length": String(body.length) });
    res.end(body);
  }
}
