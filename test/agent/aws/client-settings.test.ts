/**
 * The settings each SDK client would resolve from the environment on its first call are resolved
 * once per service × region (agent/aws/clients.ts INHERITED_SETTINGS), and the environment still
 * decides them. No AWS call: the providers are read from the clients' configs.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { GuardDutyClient } from "@aws-sdk/client-guardduty";
import { S3Client } from "@aws-sdk/client-s3";
import { ClientFactory } from "../../../agent/aws/clients";
import { AuditCredentials } from "../../../agent/aws/credentials";

const settings = { maxAttempts: 3, requestTimeoutMs: 1000, connectionTimeoutMs: 1000 };
const made: { destroy(): void }[] = [];
afterEach(() => {
  made.splice(0).forEach((c) => c.destroy());
  vi.unstubAllEnvs();
});

function factory(): ClientFactory {
  const creds = new AuditCredentials(
    { credentials: { accessKeyId: "a", secretAccessKey: "b" }, readRoleName: "r", stsRegion: "us-east-1" },
    settings,
  );
  const clients = new ClientFactory(settings, creds);
  made.push(clients, creds);
  return clients;
}

type Config = Record<string, () => Promise<unknown>>;
const config = (c: unknown) => (c as { config: Config }).config;

describe("settings resolved once per service and region", () => {
  it("a second account's client of the same service and region reuses the first's resolved settings; another region resolves its own", async () => {
    vi.stubEnv("AWS_SDK_UA_APP_ID", "first");
    const f = factory();
    const a = config(f.get(GuardDutyClient, "111111111111", "us-east-1"));
    expect(await a.userAgentAppId()).toBe("first");
    // Read once: a later change of the environment does not reach the clients that inherit it.
    vi.stubEnv("AWS_SDK_UA_APP_ID", "second");
    const b = config(f.get(GuardDutyClient, "222222222222", "us-east-1"));
    const other = config(f.get(GuardDutyClient, "222222222222", "eu-west-1"));
    expect(await b.userAgentAppId()).toBe("first");
    expect(await other.userAgentAppId()).toBe("second");
    expect(await b.useFipsEndpoint()).toBe(false);
    expect(await other.useDualstackEndpoint()).toBe(false);
  });

  it("the environment still decides (AWS_USE_FIPS_ENDPOINT, AWS_USE_DUALSTACK_ENDPOINT), for every client of the run", async () => {
    vi.stubEnv("AWS_USE_FIPS_ENDPOINT", "true");
    vi.stubEnv("AWS_USE_DUALSTACK_ENDPOINT", "true");
    const f = factory();
    const clients = ["111111111111", "222222222222", "333333333333"].map((acct) =>
      config(f.get(GuardDutyClient, acct, "us-east-1")),
    );
    for (const c of clients) {
      expect(await c.useFipsEndpoint()).toBe(true);
      expect(await c.useDualstackEndpoint()).toBe(true);
    }
  });

  it("S3's own settings are inherited too, and S3 and GuardDuty do not share a service's providers", async () => {
    vi.stubEnv("AWS_REQUEST_CHECKSUM_CALCULATION", "WHEN_REQUIRED");
    const f = factory();
    const first = config(f.get(S3Client, "111111111111", "us-east-1"));
    const second = config(f.get(S3Client, "222222222222", "us-east-1"));
    expect(second.requestChecksumCalculation).toBe(first.requestChecksumCalculation);
    expect(await second.requestChecksumCalculation()).toBe("WHEN_REQUIRED");
    const gd = config(f.get(GuardDutyClient, "111111111111", "us-east-1"));
    expect(gd.requestChecksumCalculation).toBeUndefined();
  });
});
