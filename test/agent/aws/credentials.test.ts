import { afterEach, describe, expect, it, vi } from "vitest";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { IAMClient } from "@aws-sdk/client-iam";
import { S3Client } from "@aws-sdk/client-s3";
import type { AdaptiveRetryStrategy } from "@smithy/core/retry";
import { ClientFactory, clientConfig, scaledBackoff } from "../../../agent/aws/clients";
import { AuditCredentials } from "../../../agent/aws/credentials";
import { MOTO_CREDENTIALS, useMoto } from "../../helpers/moto";
import { MOTO_DEFAULT_ACCOUNT, motoSettings, REGION } from "../collectors/_clients";
import { createUserWithPolicy, withIamEnforcement } from "./_moto-auth";

const moto = useMoto();
const toClean: { destroy(): void }[] = [];
afterEach(() => toClean.splice(0).forEach((c) => c.destroy()));

function setup(
  credentials: ConstructorParameters<typeof AuditCredentials>[0]["credentials"] = { ...MOTO_CREDENTIALS },
) {
  // The SDK's own retry settings, as against AWS: these tests look at the retry strategy the factory builds.
  const settings = { ...motoSettings(moto.endpoint), retryDelayScale: undefined };
  const creds = new AuditCredentials(
    { credentials, readRoleName: "orgwarden-audit-read", stsRegion: REGION },
    settings,
  );
  const clients = new ClientFactory(settings, creds);
  toClean.push(clients, creds);
  return { creds, clients };
}

describe("clientConfig", () => {
  it("sets one retry policy (adaptive mode, fixed attempts, no retryStrategy), request-handler timeouts, and path-style S3 for an emulator", () => {
    const c = clientConfig(
      { endpointUrl: "http://127.0.0.1:5000", maxAttempts: 4, requestTimeoutMs: 15000, connectionTimeoutMs: 5000 },
      "eu-west-1",
      { accessKeyId: "a", secretAccessKey: "b" },
    );
    expect(c).toEqual({
      region: "eu-west-1",
      credentials: { accessKeyId: "a", secretAccessKey: "b" },
      retryMode: "adaptive",
      maxAttempts: 4,
      requestHandler: { requestTimeout: 15000, connectionTimeout: 5000, throwOnRequestTimeout: true },
      endpoint: "http://127.0.0.1:5000",
      forcePathStyle: true,
    });
    expect(
      Object.keys(
        clientConfig({ maxAttempts: 3, requestTimeoutMs: 1, connectionTimeoutMs: 1 }, "us-east-1", {
          accessKeyId: "a",
          secretAccessKey: "b",
        }),
      ).sort(),
    ).toEqual(["credentials", "maxAttempts", "region", "requestHandler", "retryMode"]);
  });

  it("with scaled retry delays sets the SDK's adaptive strategy itself instead, and then no retryMode or maxAttempts", async () => {
    const c = clientConfig(
      { maxAttempts: 5, requestTimeoutMs: 1, connectionTimeoutMs: 1, retryDelayScale: 0.01 },
      "us-east-1",
      { accessKeyId: "a", secretAccessKey: "b" },
    );
    expect(Object.keys(c).sort()).toEqual(["credentials", "region", "requestHandler", "retryStrategy"]);
    const strategy = c.retryStrategy as AdaptiveRetryStrategy;
    expect([strategy.mode, await strategy.maxAttemptsProvider()]).toEqual(["adaptive", 5]);
  });

  it("the scaled backoff is the SDK's full jitter with every base multiplied: never above scale × base × 2^retry, capped at 20 s", () => {
    const b = scaledBackoff(0.01);
    b.setDelayBase(1000);
    const draws = Array.from({ length: 200 }, (_, i) => b.computeNextBackoffDelay(i % 4));
    expect(draws.every((d, i) => Number.isInteger(d) && d >= 0 && d <= 10 * 2 ** (i % 4))).toBe(true);
    const full = scaledBackoff(1);
    full.setDelayBase(1000);
    expect(Array.from({ length: 50 }, () => full.computeNextBackoffDelay(30)).every((d) => d <= 20_000)).toBe(true);
  });
});

describe("ClientFactory + AuditCredentials (moto)", () => {
  it("builds one client per service × account × region and reuses it", async () => {
    const { clients } = setup();
    const a = clients.get(S3Client, MOTO_DEFAULT_ACCOUNT, REGION);
    expect(clients.get(S3Client, MOTO_DEFAULT_ACCOUNT, REGION)).toBe(a);
    expect(clients.get(S3Client, MOTO_DEFAULT_ACCOUNT, "eu-west-1")).not.toBe(a);
    expect(clients.get(S3Client, "444444444444", REGION)).not.toBe(a);
    expect(clients.get(STSClient, MOTO_DEFAULT_ACCOUNT, REGION)).not.toBe(a);
    expect(clients.size).toBe(4);
    expect(await a.config.maxAttempts()).toBe(2);
    // The SDK derives its one retry strategy from retryMode; adaptive mode is what it built.
    expect(((await a.config.retryStrategy()) as { mode?: string }).mode).toBe("adaptive");
  });

  it("every client of a factory sends through the factory's one keep-alive pool, whatever its account", async () => {
    const { creds, clients } = setup();
    expect((await creds.enter("444444444444")).ok).toBe(true);
    const connect = vi.spyOn(clients.agents.httpAgent, "createConnection");
    for (const account of [MOTO_DEFAULT_ACCOUNT, "444444444444", MOTO_DEFAULT_ACCOUNT])
      await clients.get(STSClient, account, REGION).send(new GetCallerIdentityCommand({}));
    expect(clients.size).toBe(2);
    // moto's server closes every connection after its answer, so each request connects again; what is
    // asserted is that all three (two accounts' clients) went through the factory's pool, none through one of their own.
    expect(connect).toHaveBeenCalledTimes(3);
    expect(clients.agents.httpAgent.maxSockets).toBe(Infinity);
  });

  it("the starting account uses the starting credentials; another account is entered through the read role and acts there", async () => {
    const { creds, clients } = setup();
    expect(await creds.baseAccount()).toEqual({ ok: true, value: MOTO_DEFAULT_ACCOUNT });
    for (const account of [MOTO_DEFAULT_ACCOUNT, "444444444444"]) {
      expect((await creds.enter(account)).ok).toBe(true);
      const who = await clients.get(STSClient, account, REGION).send(new GetCallerIdentityCommand({}));
      expect(who.Account).toBe(account);
    }
    const who = await clients.get(STSClient, "444444444444", REGION).send(new GetCallerIdentityCommand({}));
    expect(who.Arn).toBe("arn:aws:sts::444444444444:assumed-role/orgwarden-audit-read/orgwarden-audit");
  });

  it("moto IAM enforcement: AssumeRole denied for one account makes that account unreachable with AccessDenied, the other enterable", async () => {
    const { creds: setupCreds, clients: setupClients } = setup();
    await setupCreds.enter(MOTO_DEFAULT_ACCOUNT);
    const keys = await createUserWithPolicy(setupClients.get(IAMClient, MOTO_DEFAULT_ACCOUNT, REGION), "auditor", {
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Action: "*", Resource: "*" },
        { Effect: "Deny", Action: "sts:AssumeRole", Resource: "arn:aws:iam::555555555555:role/*" },
      ],
    });
    await withIamEnforcement(moto.endpoint, async () => {
      const { creds } = setup(keys);
      expect(await creds.baseAccount()).toEqual({ ok: true, value: MOTO_DEFAULT_ACCOUNT });
      expect((await creds.enter("444444444444")).ok).toBe(true);
      const denied = await creds.enter("555555555555");
      expect(denied).toEqual({
        ok: false,
        error: {
          name: "AccessDenied",
          message: `User: arn:aws:iam::${MOTO_DEFAULT_ACCOUNT}:user/auditor is not authorized to perform: sts:AssumeRole`,
          // A denial is not retried: the SDK's attempt count, from its retry middleware, is 1.
          kind: "access-denied",
          attempts: 1,
          httpStatus: 403,
          operation: "AssumeRole",
          service: "sts",
          account: "555555555555",
          region: REGION,
        },
      });
      // Resolved once: asking again returns the same cached answer.
      expect(await creds.enter("555555555555")).toBe(denied);
    });
  });

  it("moto IAM enforcement: starting credentials nobody knows make every account unreachable with the STS error", async () => {
    await withIamEnforcement(moto.endpoint, async () => {
      const { creds } = setup({ accessKeyId: "AKIAUNKNOWNUNKNOWN01", secretAccessKey: "x" });
      const r = await creds.enter("444444444444");
      expect(r).toMatchObject({
        ok: false,
        error: {
          name: "InvalidClientTokenId",
          operation: "GetCallerIdentity",
          service: "sts",
          account: "444444444444",
        },
      });
    });
  });

  it("a role session about to expire is assumed again (only Date is faked; the calls really reach moto)", async () => {
    const { creds } = setup();
    const provider = creds.providerFor("444444444444") as () => Promise<{ accessKeyId: string; expiration?: Date }>;
    const first = await provider();
    expect(await provider()).toEqual(first);
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      vi.setSystemTime(first.expiration!.getTime() - 60_000);
      const second = await provider();
      expect(second.accessKeyId).not.toBe(first.accessKeyId);
    } finally {
      vi.useRealTimers();
    }
  });
});
