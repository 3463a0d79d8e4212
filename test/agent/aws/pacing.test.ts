/**
 * The pacing layer, asserted from counted tokens and the order calls reach the wire, never from the
 * time they take: the clock is a fake whose sleep records how long a call was told to wait.
 */
import { describe, expect, it, vi } from "vitest";
import { GetKeyPolicyCommand, KMSClient } from "@aws-sdk/client-kms";
import { ListRootsCommand, OrganizationsClient } from "@aws-sdk/client-organizations";
import { GetBucketPolicyCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { ClientFactory } from "../../../agent/aws/clients";
import type { AuditCredentials } from "../../../agent/aws/credentials";
import { Pacer, TokenBucket, pace, type Clock } from "../../../agent/aws/pacing";

function fakeClock(): Clock & { t: number; waits: number[] } {
  const c = {
    t: 0,
    waits: [] as number[],
    now: () => c.t,
    sleep: (ms: number) => (c.waits.push(Math.round(ms)), Promise.resolve()),
  };
  return c;
}

const config = { region: "us-east-1", credentials: { accessKeyId: "AKID", secretAccessKey: "secret" } };

/**
 * In place of the wire: a build-step middleware (inside pacing, before signing and HTTP) that logs
 * the call and answers it once its gate opens.
 */
function wire<C extends { middlewareStack: any }>(client: C, log: string[], gates: Array<Promise<void>> = []): C {
  client.middlewareStack.add(
    (_next: unknown, ctx: { commandName: string }) => async () => {
      const i = log.push(ctx.commandName.replace(/Command$/, "")) - 1;
      await gates[i];
      return { output: { $metadata: {} }, response: {} };
    },
    { step: "build", name: "testWire" },
  );
  return client;
}

describe("TokenBucket", () => {
  it("hands out `burst` tokens at once, then one every 1/rate s, in the order asked; refills with the clock", () => {
    const clock = fakeClock();
    const b = new TokenBucket(5, 10, clock);
    const waits = Array.from({ length: 14 }, () => b.reserve());
    expect(waits).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 200, 400, 600, 800]);
    // 2 s later the 4 tokens of debt are paid and 6 of 10 are back.
    clock.t = 2000;
    expect(Array.from({ length: 7 }, () => Math.round(b.reserve()))).toEqual([0, 0, 0, 0, 0, 0, 200]);
    expect({ taken: b.taken, delayed: b.delayed }).toEqual({ taken: 21, delayed: 5 });
  });

  it("refuses a rate or burst it could not honour", () => {
    expect(() => new TokenBucket(0, 1)).toThrow("rate > 0 and burst ≥ 1, got 0/1");
  });
});

describe("pacing middleware on real SDK clients", () => {
  it("paces Organizations in one bucket for the whole organization, whatever region a client names", async () => {
    const clock = fakeClock();
    const pacer = new Pacer({ familyConcurrency: 64, clock });
    const log: string[] = [];
    const clients = ["us-east-1", "eu-west-1"].map((region) => {
      const c = wire(new OrganizationsClient({ ...config, region }), log);
      pace(c.middlewareStack, pacer, "111111111111", region);
      return c;
    });
    // 12 calls, alternating regions: the table's 10 burst, then 1/5 s apart.
    await Promise.all(Array.from({ length: 12 }, (_, i) => clients[i % 2].send(new ListRootsCommand({}))));
    expect(log).toHaveLength(12);
    expect(clock.waits).toEqual([200, 400]);
    expect(pacer.stats()).toEqual([{ key: "organization|organizations", rate: 5, taken: 12, delayed: 2 }]);
  });

  it("keeps one bucket per (account, region, family): S3 listing and bucket configuration are metered apart", async () => {
    const clock = fakeClock();
    const pacer = new Pacer({ familyConcurrency: 64, clock });
    const log: string[] = [];
    const s3 = (account: string, region: string) => {
      const c = wire(new S3Client({ ...config, region }), log);
      pace(c.middlewareStack, pacer, account, region);
      return c;
    };
    const [a, b, c] = [
      s3("111111111111", "us-east-1"),
      s3("111111111111", "eu-west-1"),
      s3("222222222222", "us-east-1"),
    ];
    await Promise.all([
      ...Array.from({ length: 101 }, () => a.send(new GetBucketPolicyCommand({ Bucket: "x" }))),
      a.send(new ListObjectsV2Command({ Bucket: "x" })),
      b.send(new GetBucketPolicyCommand({ Bucket: "x" })),
      c.send(new GetBucketPolicyCommand({ Bucket: "x" })),
    ]);
    // Only account 1's bucket-configuration bucket (50/s, burst 100) ran dry, by one token.
    expect(clock.waits).toEqual([20]);
    expect(pacer.stats().sort((x, y) => (x.key < y.key ? -1 : 1))).toEqual([
      { key: "111111111111|eu-west-1|s3:bucket", rate: 50, taken: 1, delayed: 0 },
      { key: "111111111111|us-east-1|s3:bucket", rate: 50, taken: 101, delayed: 1 },
      { key: "111111111111|us-east-1|s3:list", rate: 5500, taken: 1, delayed: 0 },
      { key: "222222222222|us-east-1|s3:bucket", rate: 50, taken: 1, delayed: 0 },
    ]);
  });

  it("lets an S3 call proceed while KMS has every slot of its family taken and a call waiting", async () => {
    const pacer = new Pacer({ familyConcurrency: 1, clock: fakeClock() });
    const log: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const kms = wire(new KMSClient(config), log, [held]);
    pace(kms.middlewareStack, pacer, "111111111111", "us-east-1");
    const s3 = wire(new S3Client(config), log);
    pace(s3.middlewareStack, pacer, "111111111111", "us-east-1");

    const first = kms.send(new GetKeyPolicyCommand({ KeyId: "k", PolicyName: "default" }));
    const second = kms.send(new GetKeyPolicyCommand({ KeyId: "k", PolicyName: "default" }));
    await vi.waitFor(() => expect(log).toEqual(["GetKeyPolicy"]));
    expect(pacer.familyLoad()["kms:describe"]).toEqual({ active: 1, pending: 1 });

    await s3.send(new ListObjectsV2Command({ Bucket: "x" }));
    expect(log).toEqual(["GetKeyPolicy", "ListObjectsV2"]);
    expect(pacer.familyLoad()["kms:describe"]).toEqual({ active: 1, pending: 1 });

    release();
    await Promise.all([first, second]);
    expect(log).toEqual(["GetKeyPolicy", "ListObjectsV2", "GetKeyPolicy"]);
  });

  it("a call waiting for its own account's bucket holds no slot of its family: another account's call goes first", async () => {
    let wake!: () => void;
    const clock = { now: () => 0, sleep: () => new Promise<void>((r) => (wake = r)) };
    const one = { family: "kms:describe", rate: 1, burst: 1, basis: "observed" as const, source: "test" };
    const pacer = new Pacer({ familyConcurrency: 1, clock, limitFor: () => one });
    const log: string[] = [];
    const kms = (account: string) => {
      const c = wire(new KMSClient(config), log);
      pace(c.middlewareStack, pacer, account, "us-east-1");
      return c;
    };
    const [a, b] = [kms("111111111111"), kms("222222222222")];
    const get = new GetKeyPolicyCommand({ KeyId: "k", PolicyName: "default" });
    await a.send(get);
    const waiting = a.send(get); // account 1's bucket is empty: this one sleeps for its token
    await b.send(get);
    expect(log).toEqual(["GetKeyPolicy", "GetKeyPolicy"]);
    expect(pacer.stats().map((x) => [x.key, x.taken, x.delayed])).toEqual([
      ["111111111111|us-east-1|kms:describe", 2, 1],
      ["222222222222|us-east-1|kms:describe", 1, 0],
    ]);
    wake();
    await waiting;
    expect(log).toHaveLength(3);
  });

  it("is on every client the ClientFactory builds, once, in the initialize step (outside the SDK's retry)", () => {
    const creds = { providerFor: () => config.credentials } as unknown as AuditCredentials;
    const clients = new ClientFactory({ maxAttempts: 3, requestTimeoutMs: 1000, connectionTimeoutMs: 1000 }, creds);
    for (const c of [
      clients.get(S3Client, "111111111111", "us-east-1"),
      clients.getAs(KMSClient, "arn:aws:iam::111111111111:role/auditor", "us-east-1", config.credentials),
    ]) {
      const ids = (c.middlewareStack as unknown as { identify(): string[] }).identify();
      expect(ids.filter((m) => m.startsWith("orgwardenPace"))).toEqual(["orgwardenPace - initialize"]);
    }
    clients.destroy();
  });

  it("against an emulator (retryDelayScale) divides every bucket's wait by the scale: the same order, the same counts", async () => {
    const clock = fakeClock();
    const pacer = new Pacer({ familyConcurrency: 64, clock, rateScale: 50 });
    const log: string[] = [];
    const c = wire(new OrganizationsClient(config), log);
    pace(c.middlewareStack, pacer, "111111111111", "us-east-1");
    await Promise.all(Array.from({ length: 12 }, () => c.send(new ListRootsCommand({}))));
    // The 10 burst, then 1/250 s apart instead of 1/5 s.
    expect(clock.waits).toEqual([4, 8]);
    expect(pacer.stats()).toEqual([{ key: "organization|organizations", rate: 250, taken: 12, delayed: 2 }]);
    expect(() => new Pacer({ familyConcurrency: 1, rateScale: 0 })).toThrow("rateScale must be > 0, got 0");

    const creds = { providerFor: () => config.credentials } as unknown as AuditCredentials;
    const scaled = new ClientFactory(
      { maxAttempts: 3, requestTimeoutMs: 1000, connectionTimeoutMs: 1000, retryDelayScale: 0.02 },
      creds,
    );
    const plain = new ClientFactory({ maxAttempts: 3, requestTimeoutMs: 1000, connectionTimeoutMs: 1000 }, creds);
    expect(scaled.pacer.bucket("OrganizationsClient", "ListRoots", "111111111111", "us-east-1").rate).toBe(250);
    expect(plain.pacer.bucket("OrganizationsClient", "ListRoots", "111111111111", "us-east-1").rate).toBe(5);
    scaled.destroy();
    plain.destroy();
  });
});
