import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { PutParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { encodeManifestParameter } from "../../baseline";
import { runScheduledAudit } from "../../agent/lambda";
import { seedSandboxOrganization } from "../../agent/sandbox/seed";
import { FAST_RETRIES_ENV, useMoto } from "../helpers/moto";
import { wireNotifications } from "./_notify-wiring";

const moto = useMoto();
const saved: Record<string, string | undefined> = {};
const CREDS = { AWS_ACCESS_KEY_ID: "testing", AWS_SECRET_ACCESS_KEY: "testing", AWS_SESSION_TOKEN: undefined };
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
  vi.restoreAllMocks();
});

describe("Lambda handler: notifications and telemetry after the reports (moto)", () => {
  it("a first run announces its FAIL/ERROR findings; an identical second run sends nothing; both log one line and emit RunCompleted", async () => {
    const sb = await seedSandboxOrganization({ endpoint: moto.endpoint });
    const cfg = {
      endpoint: moto.endpoint,
      region: "us-east-1",
      credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
      forcePathStyle: true,
    };
    await new SSMClient(cfg).send(
      new PutParameterCommand({
        Name: "/orgwarden/audit-manifest",
        Type: "String",
        Tier: "Advanced",
        Value: encodeManifestParameter(sb.manifest),
      }),
    );
    await new S3Client(cfg).send(new CreateBucketCommand({ Bucket: "audit-reports" }));
    const w = await wireNotifications(moto.endpoint);
    const env = {
      ORGWARDEN_MANIFEST_PARAMETER: "/orgwarden/audit-manifest",
      ORGWARDEN_REPORT_BUCKET: "audit-reports",
      ORGWARDEN_ENDPOINT_URL: moto.endpoint,
      ...FAST_RETRIES_ENV,
      ORGWARDEN_ALERT_TOPIC_ARN: w.topicArn,
      ORGWARDEN_EVENT_BUS_ARN: w.busArn,
      AWS_REGION: "us-east-1",
    };
    const written: string[] = [];
    for (const stream of [process.stdout, process.stderr])
      vi.spyOn(stream, "write").mockImplementation((chunk: string | Uint8Array) => {
        written.push(String(chunk));
        return true;
      });
    const now = new Date(Date.now() + 60_000);

    const first = await runScheduledAudit(env, now);
    // Under moto: 29 ERROR (SSM associations, Config delivery and aggregator source status, GuardDuty's organization configuration, 6 Security Hub organization reads) and 13 FAIL (11 stackset-drift: moto reports no drift), all new to a first run.
    expect(first.notifications).toMatchObject({
      triggered: true,
      // + dns-query-log-config x2 (moto: NOT_SHARED), + dns-query-log-associations x8 (moto: no cross-account association),
      // + dns-query-log-share x2 (moto: no RAM share can hold the configuration), + guardduty-organization x2 (moto: no
      // DescribeOrganizationConfiguration), + delegated-administrators x3 (moto refuses config, securityhub and inspector2 delegations),
      // + 6 Security Hub ERRORs (moto: no administrators, configuration policy, aggregator or enabled standards)
      newOrWorse: 57,
      message: { status: "sent" },
      event: { status: "sent" },
    });
    const [message] = await w.alertMessages();
    const body = JSON.parse(message.Body!).Message as string;
    expect(body).toContain("First run (no previous report to compare with).");
    expect(body).toContain("New or worse (57):");
    expect(body).toContain(`Report: ${first.reports.find((r) => r.endsWith("/report.html"))}`);
    const [event] = await w.auditEvents();
    expect(JSON.parse(event.Body!).detail).toMatchObject({
      stack: "sandbox",
      exitCode: 3,
      counts: { FAIL: 28, ERROR: 29 },
    });

    const second = await runScheduledAudit(env, now);
    expect(second.notifications).toMatchObject({ triggered: false, newOrWorse: 0 });
    expect(await w.alertMessages()).toEqual([]);
    expect(await w.auditEvents()).toEqual([]);

    const lines = written
      .join("")
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const logs = lines.filter((l) => l.message === "audit run completed");
    expect(logs.map((l) => l.stack)).toEqual(["sandbox", "sandbox"]);
    const emf = lines.filter((l) => "_aws" in l);
    expect(emf.map((l) => [l.Stack, l.RunCompleted, l.NewOrWorseFindings, l.NotificationFailures])).toEqual([
      ["sandbox", 1, 57, 0],
      ["sandbox", 1, 0, 0],
    ]);
    w.destroy();
  });
});
