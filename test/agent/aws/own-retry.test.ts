/**
 * @aws-sdk/client-route53resolver 3.654 (the registry's newest) resolves @smithy/middleware-retry 3,
 * which calls `acquireInitialRetryToken(context.partition_id)` with an undefined scope; the agent's
 * scaled strategy from @smithy/core/retry reads that scope and threw a TypeError before the first
 * attempt. The factory now builds that client's scaled strategy from the @smithy/util-retry the
 * client package resolves itself. Over moto through the fault proxy: retried throttles succeed
 * within the budget, a call throttled on every attempt fails with the throttle after exactly
 * maxAttempts requests.
 */
import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CreateResolverQueryLogConfigCommand,
  ListResolverQueryLogConfigsCommand,
  Route53ResolverClient,
} from "@aws-sdk/client-route53resolver";
import { AdaptiveRetryStrategy } from "@smithy/core/retry";
import { clientConfig, ownUtilRetry } from "../../../agent/aws/clients";
import { MOTO_CREDENTIALS, useMoto } from "../../helpers/moto";
import { FaultProxy } from "../../support/fault-proxy";

const PACKAGE = "@aws-sdk/client-route53resolver";
const REGION = "us-east-1";
const settings = (maxAttempts: number) => ({
  maxAttempts,
  requestTimeoutMs: 5000,
  connectionTimeoutMs: 5000,
  retryDelayScale: 0.02,
});

describe("Route53ResolverClient's scaled retry strategy comes from its own @smithy/util-retry", () => {
  const moto = useMoto({ reset: "file" });
  let proxy: FaultProxy;
  const clients: Route53ResolverClient[] = [];
  const client = (endpoint: string, maxAttempts: number) => {
    const c = new Route53ResolverClient(
      clientConfig(
        { ...settings(maxAttempts), endpointUrl: endpoint },
        REGION,
        MOTO_CREDENTIALS,
        undefined,
        "Route53ResolverClient",
      ),
    );
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    await client(moto.endpoint, 1).send(
      new CreateResolverQueryLogConfigCommand({
        Name: "orgwarden-test-dns-query-logs",
        DestinationArn: "arn:aws:s3:::orgwarden-test-dns-logs",
        CreatorRequestId: "own-retry-test",
      }),
    );
    proxy = await FaultProxy.start({
      target: moto.endpoint,
      seed: "own-retry",
      rules: [
        // The first two attempts of the list are throttled, the third reaches moto.
        {
          match: { service: "route53resolver", operation: "ListResolverQueryLogConfigs", attempt: 1 },
          rates: { throttle: 1 },
        },
        {
          match: { service: "route53resolver", operation: "ListResolverQueryLogConfigs", attempt: 2 },
          rates: { throttle: 1 },
        },
      ],
    });
  });
  afterAll(async () => {
    clients.forEach((c) => c.destroy());
    await proxy?.close();
  });

  it("the cause: @smithy/core/retry's strategy throws a TypeError on the old middleware's undefined scope", async () => {
    const strategy = new AdaptiveRetryStrategy(3, { maxAttempts: 3 });
    await expect(strategy.acquireInitialRetryToken(undefined as unknown as string)).rejects.toThrow(TypeError);
    // The client's own module is another one, of major version 3.
    const own = createRequire(require.resolve(PACKAGE)).resolve("@smithy/util-retry");
    expect(own).not.toBe(require.resolve("@smithy/core/retry"));
    expect(ownUtilRetry(PACKAGE).AdaptiveRetryStrategy).toBe(
      (createRequire(own)(own) as ReturnType<typeof ownUtilRetry>).AdaptiveRetryStrategy,
    );
    const version = (createRequire(own)("@smithy/util-retry/package.json") as { version: string }).version;
    expect(version.split(".")[0]).toBe("3");
  });

  it("two throttles, then moto's answer: the call succeeds on its third attempt, paced by the scaled delays", async () => {
    proxy.resetStats();
    const out = await client(proxy.endpoint, 3).send(new ListResolverQueryLogConfigsCommand({}));
    expect(out.ResolverQueryLogConfigs?.map((c) => c.Name)).toEqual(["orgwarden-test-dns-query-logs"]);
    expect(out.$metadata.attempts).toBe(3);
    const stats = proxy.stats();
    expect(stats.faults.throttle).toBe(2);
    expect(stats.operations["route53resolver ListResolverQueryLogConfigs"]).toEqual({
      requests: 3,
      invocations: 1,
      maxAttempts: 3,
    });
    expect(stats.failedInvocations).toEqual({});
  });

  it("a budget of 2 attempts, both throttled: the throttle itself is the error, after exactly 2 requests", async () => {
    proxy.resetStats();
    const e = (await client(proxy.endpoint, 2)
      .send(new ListResolverQueryLogConfigsCommand({}))
      .catch((x: unknown) => x)) as { name: string; $metadata: { attempts?: number } };
    expect(e.name).toBe("ThrottlingException");
    expect(e.$metadata.attempts).toBe(2);
    expect(proxy.stats().operations["route53resolver ListResolverQueryLogConfigs"]?.requests).toBe(2);
    expect(proxy.stats().failedInvocations).toEqual({ "route53resolver ListResolverQueryLogConfigs": 1 });
  });
});
