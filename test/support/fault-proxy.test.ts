import { afterEach, describe, expect, it } from "vitest";
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { CreateKeyCommand, DescribeKeyCommand, KMSClient, ListKeysCommand } from "@aws-sdk/client-kms";
import { ListBucketsCommand, S3Client } from "@aws-sdk/client-s3";
import { GuardDutyClient, ListDetectorsCommand } from "@aws-sdk/client-guardduty";
import { BatchGetAccountStatusCommand, Inspector2Client } from "@aws-sdk/client-inspector2";
import { DescribeHubCommand, SecurityHubClient } from "@aws-sdk/client-securityhub";
import { DescribeOrganizationCommand, OrganizationsClient } from "@aws-sdk/client-organizations";
import { isServerError, isThrottlingError, isTransientError } from "@smithy/core/retry";
import { MOTO_CREDENTIALS, useMoto } from "../helpers/moto";
import { DEFAULT_ACCOUNT, FaultProxy, type FaultProxyOptions } from "./fault-proxy";

const REGION = "us-east-1";

describe("fault proxy in front of moto", () => {
  const moto = useMoto();
  let proxy: FaultProxy | undefined;
  afterEach(async () => {
    await proxy?.close();
    proxy = undefined;
  });
  const start = async (o: Omit<FaultProxyOptions, "target">) =>
    (proxy = await FaultProxy.start({ target: moto.endpoint, ...o }));
  const cfg = (p: FaultProxy, maxAttempts = 1, extra: object = {}) => ({
    endpoint: p.endpoint,
    region: REGION,
    credentials: MOTO_CREDENTIALS,
    maxAttempts,
    forcePathStyle: true,
    ...extra,
  });
  const failure = (p: Promise<unknown>) =>
    p.then(
      () => {
        throw new Error("expected the call to fail");
      },
      (e: Error & { $metadata?: { httpStatusCode?: number; attempts?: number }; code?: string }) => e,
    );

  it("forwards to moto; the static key is moto's default account and an assumed key is learnt from AssumeRole", async () => {
    const p = await start({ seed: 1 });
    const sts = new STSClient(cfg(p));
    expect((await sts.send(new GetCallerIdentityCommand({}))).Account).toBe(DEFAULT_ACCOUNT);
    expect(p.accountOf(MOTO_CREDENTIALS.accessKeyId)).toBe(DEFAULT_ACCOUNT);
    const c = (
      await sts.send(new AssumeRoleCommand({ RoleArn: "arn:aws:iam::210987654321:role/r", RoleSessionName: "s" }))
    ).Credentials!;
    const assumed = new STSClient({
      ...cfg(p),
      credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! },
    });
    expect((await assumed.send(new GetCallerIdentityCommand({}))).Account).toBe("210987654321");
    expect(p.accountOf(c.AccessKeyId!)).toBe("210987654321");
    expect(p.stats().operations).toEqual({
      "sts GetCallerIdentity": { requests: 2, invocations: 2, maxAttempts: 1 },
      "sts AssumeRole": { requests: 1, invocations: 1, maxAttempts: 1 },
    });
  });

  it("throttles in each protocol's own shape, and the SDK classifies every one as throttling", async () => {
    const p = await start({ seed: 1, rates: { throttle: 1 } });
    const cases: [string, Promise<unknown>, string, number][] = [
      ["query (STS)", new STSClient(cfg(p)).send(new GetCallerIdentityCommand({})), "Throttling", 400],
      ["awsJson (KMS)", new KMSClient(cfg(p)).send(new ListKeysCommand({})), "ThrottlingException", 400],
      [
        "awsJson, modeled 429 (Organizations)",
        new OrganizationsClient(cfg(p)).send(new DescribeOrganizationCommand({})),
        "TooManyRequestsException",
        429,
      ],
      ["rest-xml (S3)", new S3Client(cfg(p)).send(new ListBucketsCommand({})), "SlowDown", 503],
      [
        "rest-json (GuardDuty)",
        new GuardDutyClient(cfg(p)).send(new ListDetectorsCommand({})),
        "TooManyRequestsException",
        429,
      ],
      [
        "rest-json (Inspector2)",
        new Inspector2Client(cfg(p)).send(new BatchGetAccountStatusCommand({ accountIds: [DEFAULT_ACCOUNT] })),
        "ThrottlingException",
        429,
      ],
      [
        "rest-json (Security Hub)",
        new SecurityHubClient(cfg(p)).send(new DescribeHubCommand({})),
        "ThrottlingException",
        429,
      ],
    ];
    const seen = await Promise.all(
      cases.map(async ([label, call]) => {
        const e = await failure(call);
        return [label, e.name, e.$metadata?.httpStatusCode, isThrottlingError(e as never)];
      }),
    );
    expect(seen).toEqual(cases.map(([label, , name, status]) => [label, name, status, true]));
    expect(p.stats().faults).toMatchObject({ throttle: 7, serverError: 0 });
  });

  it("answers 500 and 503 in each protocol's shape; the SDK retries them and reports its attempts", async () => {
    const p = await start({
      seed: 1,
      rules: [{ match: { service: "s3" }, rates: { unavailable: 1 } }],
      rates: { serverError: 1 },
    });
    const cases: [Promise<unknown>, string, number][] = [
      [new STSClient(cfg(p, 3)).send(new GetCallerIdentityCommand({})), "InternalFailure", 500],
      [new KMSClient(cfg(p, 3)).send(new ListKeysCommand({})), "InternalFailure", 500],
      [new GuardDutyClient(cfg(p, 3)).send(new ListDetectorsCommand({})), "InternalServerErrorException", 500],
      [new S3Client(cfg(p, 3)).send(new ListBucketsCommand({})), "ServiceUnavailable", 503],
    ];
    const seen = await Promise.all(
      cases.map(async ([call]) => {
        const e = await failure(call);
        return [
          e.name,
          e.$metadata?.httpStatusCode,
          e.$metadata?.attempts,
          isTransientError(e as never) || isServerError(e as never),
        ];
      }),
    );
    expect(seen).toEqual(cases.map(([, name, status]) => [name, status, 3, true]));
    expect(p.stats()).toMatchObject({
      requests: 12,
      maxAttemptsPerInvocation: 3,
      faults: { serverError: 9, unavailable: 3 },
    });
    expect(p.stats().operations["s3 ListBuckets"]).toEqual({ requests: 3, invocations: 1, maxAttempts: 3 });
  });

  it("resets connections and can hold a request forever; the SDK sees ECONNRESET and its own request timeout", async () => {
    const p = await start({
      seed: 1,
      rules: [{ match: { operation: "ListKeys" }, rates: { hang: 1 } }],
      rates: { reset: 1 },
    });
    const reset = await failure(new STSClient(cfg(p, 2)).send(new GetCallerIdentityCommand({})));
    expect([reset.code, reset.$metadata?.attempts]).toEqual(["ECONNRESET", 2]);
    const hung = await failure(
      new KMSClient(cfg(p, 2, { requestHandler: { requestTimeout: 100, throwOnRequestTimeout: true } })).send(
        new ListKeysCommand({}),
      ),
    );
    expect([hung.name, hung.$metadata?.attempts]).toEqual(["TimeoutError", 2]);
    expect(p.stats().faults).toMatchObject({ reset: 2, hang: 2 });
  });

  it("decides from the request and its attempt number, not from arrival order or concurrency", async () => {
    const setup = new KMSClient({ endpoint: moto.endpoint, region: REGION, credentials: MOTO_CREDENTIALS });
    const ids: string[] = [];
    for (let i = 0; i < 24; i++)
      ids.push((await setup.send(new CreateKeyCommand({ Description: `k${i}` }))).KeyMetadata!.KeyId!);
    const outcomes = async (order: string[], concurrent: boolean) => {
      const p = await FaultProxy.start({ target: moto.endpoint, seed: "order", rates: { throttle: 0.5 } });
      const kms = new KMSClient(cfg(p, 1));
      const one = (id: string) =>
        kms.send(new DescribeKeyCommand({ KeyId: id })).then(
          () => [id, "ok"],
          (e: Error) => [id, e.name],
        );
      const out = concurrent
        ? await Promise.all(order.map(one))
        : await order.reduce<Promise<string[][]>>(
            async (acc, id) => [...(await acc), await one(id)],
            Promise.resolve([]),
          );
      await p.close();
      return Object.fromEntries(out);
    };
    const forward = await outcomes(ids, true);
    expect(await outcomes([...ids].reverse(), false)).toEqual(forward);
    // Both kinds occur, so the comparison above is not vacuous.
    expect(new Set(Object.values(forward))).toEqual(new Set(["ok", "ThrottlingException"]));
  });
});
