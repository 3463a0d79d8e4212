import { GetFindingsCommand, SecurityHubClient, type AwsSecurityFinding } from "@aws-sdk/client-securityhub";
import { PutParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { encodeManifestParameter } from "../../../baseline";
import { runScheduledAudit } from "../../../agent/lambda";
import { seedSandboxOrganization } from "../../../agent/sandbox/seed";
import { FAST_RETRIES_ENV, MOTO_CREDENTIALS, useMoto } from "../../helpers/moto";
import { captureTelemetry } from "../../helpers/telemetry";

const moto = useMoto();
// The runs' EMF and log lines stay off the CI log.
captureTelemetry();
const saved = { ...process.env };
// The handler's starting credentials come from the default chain, as in Lambda.
beforeEach(() => {
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: "testing", AWS_SECRET_ACCESS_KEY: "testing" });
  delete process.env.AWS_SESSION_TOKEN;
});
afterEach(() => {
  // Restored in place: process.env stays the process's own environment object.
  for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
  Object.assign(process.env, saved);
});

async function hubFindings(): Promise<AwsSecurityFinding[]> {
  const hub = new SecurityHubClient({
    endpoint: moto.endpoint,
    region: "us-east-1",
    credentials: { ...MOTO_CREDENTIALS },
  });
  const all: AwsSecurityFinding[] = [];
  let NextToken: string | undefined;
  do {
    const page = await hub.send(new GetFindingsCommand({ MaxResults: 100, NextToken }));
    all.push(...(page.Findings ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  return all;
}

describe("Lambda with ORGWARDEN_SECURITY_HUB (moto)", () => {
  it("on: the nightly run imports its FAIL and ERROR findings into Security Hub; unset: nothing is imported", async () => {
    const sb = await seedSandboxOrganization({ endpoint: moto.endpoint });
    const cfg = { endpoint: moto.endpoint, region: "us-east-1", credentials: { ...MOTO_CREDENTIALS } };
    await new SSMClient(cfg).send(
      new PutParameterCommand({
        Name: "/orgwarden/audit-manifest",
        Type: "String",
        Tier: "Advanced",
        Value: encodeManifestParameter(sb.manifest),
      }),
    );
    const env = {
      ORGWARDEN_MANIFEST_PARAMETER: "/orgwarden/audit-manifest",
      ORGWARDEN_ENDPOINT_URL: moto.endpoint,
      ...FAST_RETRIES_ENV,
      AWS_REGION: "us-east-1",
    };
    const now = new Date(Date.now() + 60_000);
    await runScheduledAudit(env, now);
    expect(await hubFindings()).toEqual([]);

    const r = await runScheduledAudit({ ...env, ORGWARDEN_SECURITY_HUB: "on" }, now);
    // Exit 3 from moto's gaps (SSM associations); the import itself added no run-level error.
    expect(r.exitCode).toBe(3);
    const held = await hubFindings();
    expect(held).toHaveLength(r.counts.FAIL + r.counts.ERROR);
    expect(
      held.every(
        (f) => f.RecordState === "ACTIVE" && f.GeneratorId && f.ProductFields?.["orgwarden/Stack"] === "sandbox",
      ),
    ).toBe(true);
  });

  it("a value other than on or off is a configuration error naming the variable and the value", async () => {
    await expect(
      runScheduledAudit({ ORGWARDEN_MANIFEST_PARAMETER: "/x", AWS_REGION: "us-east-1", ORGWARDEN_SECURITY_HUB: "yes" }),
    ).rejects.toThrow('ORGWARDEN_SECURITY_HUB must be on or off, got "yes"');
  });
});
