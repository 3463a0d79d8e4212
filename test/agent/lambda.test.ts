import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PutParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { CreateBucketCommand, GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { runScheduledAudit } from "../../agent/lambda";
import { AuditConfigError } from "../../agent/options";
import { seedSandboxOrganization } from "../../agent/sandbox/seed";
import { useMoto } from "../helpers/moto";

const moto = useMoto();
const saved: Record<string, string | undefined> = {};
const CREDS = { AWS_ACCESS_KEY_ID: "testing", AWS_SECRET_ACCESS_KEY: "testing", AWS_SESSION_TOKEN: undefined };
// The handler's starting credentials come from the default chain, as in Lambda: set the environment it reads.
beforeEach(() => {
  for (const [k, v] of Object.entries(CREDS)) {
    saved[k] = process.env[k];
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});
afterEach(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

describe("Lambda handler (moto)", () => {
  it("reads the manifest from SSM, runs the audit, writes the three reports to S3 and returns counts and the exit code", async () => {
    const sb = await seedSandboxOrganization({ endpoint: moto.endpoint });
    const cfg = { endpoint: moto.endpoint, region: "us-east-1", credentials: { accessKeyId: "testing", secretAccessKey: "testing" }, forcePathStyle: true };
    await new SSMClient(cfg).send(new PutParameterCommand({ Name: "/orgwarden/audit-manifest", Type: "String", Value: JSON.stringify(sb.manifest) }));
    const s3 = new S3Client(cfg);
    await s3.send(new CreateBucketCommand({ Bucket: "audit-reports" }));
    const now = new Date(Date.now() + 60_000);

    const r = await runScheduledAudit(
      { ORGWARDEN_MANIFEST_PARAMETER: "/orgwarden/audit-manifest", ORGWARDEN_REPORT_BUCKET: "audit-reports", ORGWARDEN_ENDPOINT_URL: moto.endpoint, AWS_REGION: "us-east-1" },
      now,
    );

    // Under moto: SSM associations unreadable (500) in 5 accounts × 2 regions; CloudWatch Logs and digest times never filled.
    expect(r.exitCode).toBe(3);
    expect(r.counts.ERROR).toBe(10);
    expect(r.counts.FAIL).toBe(2);
    expect(r.counts.PASS).toBeGreaterThan(50);
    const prefix = `orgwarden-audit/sandbox/${now.toISOString().replace(/[:.]/g, "-")}`;
    expect(r.reports).toEqual(["report.json", "report.md", "report.html"].map((f) => `s3://audit-reports/${prefix}/${f}`));
    const json = await s3.send(new GetObjectCommand({ Bucket: "audit-reports", Key: `${prefix}/report.json` }));
    expect(json.ContentType).toBe("application/json");
    const report = JSON.parse(await json.Body!.transformToString()) as { exitCode: number; now: string };
    expect(report.exitCode).toBe(3);
    expect(report.now).toBe(now.toISOString());
  });

  it("a missing parameter name is a configuration error naming the variable", async () => {
    await expect(runScheduledAudit({ AWS_REGION: "us-east-1" })).rejects.toThrow(
      new AuditConfigError("ORGWARDEN_MANIFEST_PARAMETER must name the SSM parameter that holds the audit manifest"),
    );
  });

  it("a parameter that is not JSON is a configuration error naming the parameter", async () => {
    const cfg = { endpoint: moto.endpoint, region: "us-east-1", credentials: { accessKeyId: "testing", secretAccessKey: "testing" } };
    await new SSMClient(cfg).send(new PutParameterCommand({ Name: "/orgwarden/broken", Type: "String", Value: "{not json" }));
    await expect(runScheduledAudit({ ORGWARDEN_MANIFEST_PARAMETER: "/orgwarden/broken", ORGWARDEN_ENDPOINT_URL: moto.endpoint, AWS_REGION: "us-east-1" })).rejects.toThrow(
      /^SSM parameter \/orgwarden\/broken is not JSON/,
    );
  });
});
