import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PutParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { CreateBucketCommand, GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { encodeManifestParameter, MANIFEST_PARAMETER_FORMAT, ManifestValidationError } from "../../baseline";
import { runScheduledAudit } from "../../agent/lambda";
import { AuditConfigError } from "../../agent/options";
import { seedSandboxOrganization } from "../../agent/sandbox/seed";
import { validManifestInput } from "../baseline/manifest-fixture";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { IAMClient, UpdateAssumeRolePolicyCommand } from "@aws-sdk/client-iam";
import { AuditCredentials } from "../../agent/aws/credentials";
import { ClientFactory } from "../../agent/aws/clients";
import { runAudit } from "../../agent/run-audit";
import { FAST_RETRIES_ENV, FAST_RETRY_SCALE, MOTO_CREDENTIALS, useMoto } from "../helpers/moto";
import { MOTO_DEFAULT_ACCOUNT, motoSettings, REGION } from "./collectors/_clients";
import { createUserWithPolicy, withIamEnforcement } from "./aws/_moto-auth";
import { captureTelemetry } from "../helpers/telemetry";

const moto = useMoto();
// Each handler run writes one EMF document and one log line: taken off the CI log, asserted where a test is about them.
const telemetry = captureTelemetry();
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
  it("reads the encoded manifest from SSM as infra writes it, runs the audit, writes the three reports to S3 and returns counts and the exit code", async () => {
    const sb = await seedSandboxOrganization({ endpoint: moto.endpoint });
    const cfg = {
      endpoint: moto.endpoint,
      region: "us-east-1",
      credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
      forcePathStyle: true,
    };
    // The parameter as infra/audit-manifest.ts writes it: the zlib+base64 envelope, Advanced tier.
    const value = encodeManifestParameter(sb.manifest);
    expect(JSON.parse(value)).toMatchObject({ format: MANIFEST_PARAMETER_FORMAT, schemaVersion: 1 });
    await new SSMClient(cfg).send(
      new PutParameterCommand({ Name: "/orgwarden/audit-manifest", Type: "String", Tier: "Advanced", Value: value }),
    );
    const s3 = new S3Client(cfg);
    await s3.send(new CreateBucketCommand({ Bucket: "audit-reports" }));
    const now = new Date(Date.now() + 60_000);

    const r = await runScheduledAudit(
      {
        ORGWARDEN_MANIFEST_PARAMETER: "/orgwarden/audit-manifest",
        ORGWARDEN_REPORT_BUCKET: "audit-reports",
        ORGWARDEN_ENDPOINT_URL: moto.endpoint,
        ...FAST_RETRIES_ENV,
        AWS_REGION: "us-east-1",
      },
      now,
    );

    // Under moto: SSM associations and Config delivery status unreadable (500) in 5 accounts × 2 regions, the Config
    // aggregator's source status too; CloudWatch Logs and digest times never filled; no StackSet drift status (11 stackset-drift FAILs);
    // GuardDuty's organization configuration (no DescribeOrganizationConfiguration) in 2 regions; no Security Hub
    // administrators, configuration policy, aggregator or enabled standards (6: 2 admin regions, 1 policy, 2 standards regions, 1 aggregator).
    expect(r.exitCode).toBe(3);
    expect(r.counts.ERROR).toBe(29);
    // + dns-query-log-config in 2 regions: moto reports every query logging configuration NOT_SHARED; + dns-query-log-associations
    // for the default VPC of each account but the log-archive one in 2 regions (8): moto cannot associate across accounts.
    // + dns-query-log-share in 2 regions: moto's RAM cannot hold the configuration (no share holds it).
    // + delegated-administrators for config, securityhub and inspector2: moto refuses to register them (3).
    expect(r.counts.FAIL).toBe(28);
    expect(r.counts.PASS).toBeGreaterThan(50);
    const day = now.toISOString().slice(0, 10).replace(/-/g, "/");
    const datedPrefix = `orgwarden-audit/sandbox/${day}/`;
    const runId = r.reports[0].slice(`s3://audit-reports/${datedPrefix}`.length).split("/")[0];
    expect(runId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const prefix = `${datedPrefix}${runId}`;
    // The dated copy, then latest/; report.json last under each, as the next run reads latest/report.json.
    const files = ["report.md", "report.html", "report.json"];
    expect(r.reports).toEqual([
      ...files.map((f) => `s3://audit-reports/${prefix}/${f}`),
      ...files.map((f) => `s3://audit-reports/orgwarden-audit/sandbox/latest/${f}`),
    ]);
    const json = await s3.send(new GetObjectCommand({ Bucket: "audit-reports", Key: `${prefix}/report.json` }));
    expect(json.ContentType).toBe("application/json");
    const report = JSON.parse(await json.Body!.transformToString()) as { exitCode: number; now: string; runId: string };
    expect(report.exitCode).toBe(3);
    expect(report.now).toBe(now.toISOString());
    // The three uploaded reports are one run's: each carries the run id of the prefix.
    expect(report.runId).toBe(runId);
    for (const f of ["report.md", "report.html"]) {
      const body = await (
        await s3.send(new GetObjectCommand({ Bucket: "audit-reports", Key: `${prefix}/${f}` }))
      ).Body!.transformToString();
      expect(body).toContain(runId);
    }
    // The run's telemetry, as CloudWatch reads it from the function's stdout: one EMF document, one log line, the returned counts.
    // MEDIUM ERRORs: the 10 SSM association reads, the Config aggregator's status and the 3 Security Hub standards and aggregator
    // reads (the admin and policy reads are HIGH), which moto does not serve; MEDIUM FAILs
    // the two trail deliveries, the 11 stackset-drift cells (moto reports no drift) and the 8 unassociated VPCs.
    expect(telemetry.emf().map((d) => [d.Stack, d.RunCompleted, d.ErrorMedium, d.FailMedium])).toEqual([
      ["sandbox", 1, 14, 21],
    ]);
    expect(telemetry.logs().map((l) => [l.message, l.runId, l.exitCode, l.counts])).toEqual([
      ["audit run completed", runId, 3, { ...r.counts, waived: 0 }],
    ]);
    // NoSuchKey at latest/ was a first run; the next run reads latest/report.json and diffs against it.
    expect((report as unknown as { changes: { previousRunId: null } }).changes.previousRunId).toBe(null);
    const again = await runScheduledAudit(
      {
        ORGWARDEN_MANIFEST_PARAMETER: "/orgwarden/audit-manifest",
        ORGWARDEN_REPORT_BUCKET: "audit-reports",
        ORGWARDEN_ENDPOINT_URL: moto.endpoint,
        ...FAST_RETRIES_ENV,
        AWS_REGION: "us-east-1",
      },
      now,
    );
    const latest = await s3.send(
      new GetObjectCommand({ Bucket: "audit-reports", Key: "orgwarden-audit/sandbox/latest/report.json" }),
    );
    const second = JSON.parse(await latest.Body!.transformToString()) as {
      runId: string;
      changes: { previousRunId: string; new: unknown[]; resolved: unknown[]; stillFailing: unknown[] };
    };
    expect(again.reports[2]).toBe(`s3://audit-reports/${datedPrefix}${second.runId}/report.json`);
    expect([second.changes.previousRunId, second.changes.new, second.changes.resolved]).toEqual([runId, [], []]);
    expect(second.changes.stillFailing).toHaveLength(57); // + dns-query-log-config x2, + dns-query-log-associations x8, + dns-query-log-share x2, + guardduty-organization x2 (ERROR), + delegated-administrators x3, + the 6 Security Hub moto-gap ERRORs
  });

  it("applies the waivers published with the manifest: waived ERRORs leave the exit code, an expired waiver is a FAIL", async () => {
    const sb = await seedSandboxOrganization({ endpoint: moto.endpoint });
    const cfg = {
      endpoint: moto.endpoint,
      region: "us-east-1",
      credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
      forcePathStyle: true,
    };
    const terms = { reason: "moto has no SSM associations", approvedBy: "tests", expires: "2099-12-31" };
    const manifest = {
      ...sb.manifest,
      waivers: [
        { checkId: "ssm-agent-associations", ...terms },
        { checkId: "config-delivery-channel", ...terms, reason: "moto has no Config delivery channel status" },
        { checkId: "config-aggregator", ...terms, reason: "moto has no Config aggregator source status" },
        { checkId: "guardduty-organization", ...terms, reason: "moto has no GuardDuty organization configuration" },
        ...[
          "securityhub-admin-account",
          "securityhub-configuration-policy",
          "securityhub-standards",
          "securityhub-finding-aggregator",
        ].map((checkId) => ({
          checkId,
          ...terms,
          reason: "moto has no Security Hub organization reads beyond the configuration",
        })),
        { checkId: "kms-grants", ...terms, expires: "2020-01-31" },
      ],
    };
    await new SSMClient(cfg).send(
      new PutParameterCommand({
        Name: "/orgwarden/audit-manifest",
        Type: "String",
        Tier: "Advanced",
        Value: encodeManifestParameter(manifest),
      }),
    );
    const r = await runScheduledAudit(
      {
        ORGWARDEN_MANIFEST_PARAMETER: "/orgwarden/audit-manifest",
        ORGWARDEN_ENDPOINT_URL: moto.endpoint,
        ...FAST_RETRIES_ENV,
        AWS_REGION: "us-east-1",
      },
      new Date(Date.now() + 60_000),
    );
    // The 29 ERRORs of moto's gaps are waived (still counted as ERROR); the 13 FAILs moto causes (11 of them stackset-drift: no drift status) and the expired waiver remain, and
    // audit-manifest-parameter FAILs: this manifest (with waivers) is not the one pinned on /orgwarden/sandbox/audit-manifest.
    expect([r.exitCode, r.counts.ERROR, r.counts.FAIL]).toEqual([1, 29, 30]); // + dns-query-log-config x2 (moto: NOT_SHARED), + dns-query-log-associations x8, + dns-query-log-share x2, + guardduty-organization x2 (ERROR: moto has no DescribeOrganizationConfiguration), + delegated-administrators x3 (moto refuses to register them)
  });

  it("a missing parameter name is a configuration error naming the variable", async () => {
    await expect(runScheduledAudit({ AWS_REGION: "us-east-1" })).rejects.toThrow(
      new AuditConfigError("ORGWARDEN_MANIFEST_PARAMETER must name the SSM parameter that holds the audit manifest"),
    );
  });

  it("a parameter that is not JSON is a configuration error naming the parameter", async () => {
    const cfg = {
      endpoint: moto.endpoint,
      region: "us-east-1",
      credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
    };
    await new SSMClient(cfg).send(
      new PutParameterCommand({ Name: "/orgwarden/broken", Type: "String", Value: "{not json" }),
    );
    await expect(
      runScheduledAudit({
        ORGWARDEN_MANIFEST_PARAMETER: "/orgwarden/broken",
        ORGWARDEN_ENDPOINT_URL: moto.endpoint,
        ...FAST_RETRIES_ENV,
        AWS_REGION: "us-east-1",
      }),
    ).rejects.toThrow(/^SSM parameter \/orgwarden\/broken: audit manifest parameter is not JSON: /);
  });

  it("an envelope whose data is not deflated is a configuration error naming the parameter", async () => {
    const cfg = {
      endpoint: moto.endpoint,
      region: "us-east-1",
      credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
    };
    const value = JSON.stringify({
      format: MANIFEST_PARAMETER_FORMAT,
      schemaVersion: 1,
      data: Buffer.from("plain text").toString("base64"),
    });
    await new SSMClient(cfg).send(
      new PutParameterCommand({ Name: "/orgwarden/corrupt", Type: "String", Value: value }),
    );
    await expect(
      runScheduledAudit({
        ORGWARDEN_MANIFEST_PARAMETER: "/orgwarden/corrupt",
        ORGWARDEN_ENDPOINT_URL: moto.endpoint,
        ...FAST_RETRIES_ENV,
        AWS_REGION: "us-east-1",
      }),
    ).rejects.toThrow(
      /^SSM parameter \/orgwarden\/corrupt: audit manifest parameter's "data" is not zlib-deflated base64: /,
    );
  });

  it("a manifest with an unknown key in the parameter is refused naming its path", async () => {
    const cfg = {
      endpoint: moto.endpoint,
      region: "us-east-1",
      credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
    };
    const typo = { ...validManifestInput(), thresholds: { deliveryMaxAgeMinute: 30 } };
    await new SSMClient(cfg).send(
      new PutParameterCommand({
        Name: "/orgwarden/typo",
        Type: "String",
        Tier: "Advanced",
        Value: encodeManifestParameter(typo),
      }),
    );
    await expect(
      runScheduledAudit({
        ORGWARDEN_MANIFEST_PARAMETER: "/orgwarden/typo",
        ORGWARDEN_ENDPOINT_URL: moto.endpoint,
        ...FAST_RETRIES_ENV,
        AWS_REGION: "us-east-1",
      }),
    ).rejects.toThrow(
      new ManifestValidationError([
        "thresholds.deliveryMaxAgeMinute: unknown key (a misspelling?); allowed here: deliveryMaxAgeMinutes, digestMaxAgeMinutes",
      ]),
    );
  });
});

describe("assumeReadRoleEverywhere: the Lambda enters its own account through the read role too (moto)", () => {
  const who = async (assumeReadRoleEverywhere: boolean) => {
    const settings = motoSettings(moto.endpoint);
    const creds = new AuditCredentials(
      {
        credentials: { ...MOTO_CREDENTIALS },
        readRoleName: "orgwarden-audit-read",
        stsRegion: REGION,
        assumeReadRoleEverywhere,
      },
      settings,
    );
    const clients = new ClientFactory(settings, creds);
    try {
      return (await clients.get(STSClient, MOTO_DEFAULT_ACCOUNT, REGION).send(new GetCallerIdentityCommand({}))).Arn;
    } finally {
      clients.destroy();
      creds.destroy();
    }
  };

  it("with the option, a call in the starting account is made as the read role's session", async () => {
    expect(await who(true)).toBe(
      `arn:aws:sts::${MOTO_DEFAULT_ACCOUNT}:assumed-role/orgwarden-audit-read/orgwarden-audit`,
    );
  });

  it("without it (the CLI), the starting credentials act in their own account", async () => {
    expect(await who(false)).toBe(`arn:aws:sts::${MOTO_DEFAULT_ACCOUNT}:user/moto`);
  });

  it("moto IAM enforcement: starting credentials that may only assume the read role, read the parameter and write reports still audit their own account through the handler", async () => {
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
    // The agent role's permissions (baseline/audit-agent-policy.ts) as moto can evaluate them: moto fills no aws:ResourceOrgID
    // (no org condition here) and matched no parameter ARN we tried (the parameter statement is "*" here).
    const iam = new IAMClient(cfg);
    const keys = await createUserWithPolicy(iam, "agent", {
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Action: "sts:AssumeRole", Resource: "arn:aws:iam::*:role/orgwarden-audit-read" },
        { Effect: "Allow", Action: "ssm:GetParameters", Resource: "*" },
        { Effect: "Allow", Action: "s3:PutObject", Resource: "arn:aws:s3:::audit-reports/orgwarden-audit/*" },
        {
          Effect: "Allow",
          Action: "s3:GetObject",
          Resource: "arn:aws:s3:::audit-reports/orgwarden-audit/*/latest/report.json",
        },
        {
          Effect: "Allow",
          Action: "s3:ListBucket",
          Resource: "arn:aws:s3:::audit-reports",
          Condition: { StringLike: { "s3:prefix": "orgwarden-audit/*" } },
        },
      ],
    });
    // moto refuses a same-account AssumeRole whose trust names only the account root (AWS would let the identity policy decide);
    // naming the agent itself is what the real trust's aws:PrincipalArn condition narrows to anyway.
    await iam.send(
      new UpdateAssumeRolePolicyCommand({
        RoleName: "orgwarden-audit-read",
        PolicyDocument: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Principal: { AWS: `arn:aws:iam::${sb.accounts.management}:user/agent` },
              Action: "sts:AssumeRole",
            },
          ],
        }),
      }),
    );
    const now = new Date(Date.now() + 60_000);
    const env = {
      ORGWARDEN_MANIFEST_PARAMETER: "/orgwarden/audit-manifest",
      ORGWARDEN_REPORT_BUCKET: "audit-reports",
      ORGWARDEN_ENDPOINT_URL: moto.endpoint,
      ...FAST_RETRIES_ENV,
      AWS_REGION: "us-east-1",
    };
    const unenforced = await runScheduledAudit(env, now);
    process.env.AWS_ACCESS_KEY_ID = keys.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = keys.secretAccessKey;
    const { enforced, cliStyle } = await withIamEnforcement(moto.endpoint, async () => ({
      enforced: await runScheduledAudit(env, now),
      // The same identity without the option reads its own (management) account with its own, too narrow, permissions.
      cliStyle: await runAudit({
        manifest: sb.manifest,
        endpointUrl: moto.endpoint,
        now,
        credentials: keys,
        retryDelayScale: FAST_RETRY_SCALE,
      }),
    }));
    // Same result as with unrestricted credentials: only moto's known gaps are ERRORs (SSM associations and Config delivery
    // status, 5 accounts × 2 regions each, the Config aggregator's source status, GuardDuty's organization configuration × 2 regions).
    expect(enforced.counts).toEqual(unenforced.counts);
    expect(enforced.counts.ERROR).toBe(29);
    expect(enforced.exitCode).toBe(unenforced.exitCode);
    const denied = cliStyle.findings.filter((f) => f.status === "ERROR" && /AccessDenied/.test(f.message));
    expect(denied.length).toBeGreaterThan(0);
    // Denied in the starting (management) account only, and in the organization-wide checks that read through it ("-").
    // inspector-organization reads the delegation in the management account but reports on the security account, whose
    // organization configuration it judges: its denied read is the one finding of another account.
    expect([...new Set(denied.map((f) => f.account))].sort()).toEqual(
      ["-", sb.accounts.management, sb.accounts.security].sort(),
    );
    expect(
      denied.filter((f) => f.account === sb.accounts.security).map((f) => [f.checkId, f.error?.operation]),
    ).toEqual(sb.governedRegions.map(() => ["inspector-organization", "ListDelegatedAdminAccounts"]));
    expect(cliStyle.exitCode).toBe(3);
  });
});

describe("Lambda handler: the intended documents beside the reports (moto)", () => {
  it("uploads intended/<finding id>.json under the dated prefix and latest/, each the document report.json names, before report.json", async () => {
    const sb = await seedSandboxOrganization({
      endpoint: moto.endpoint,
      drifts: [{ kind: "foreign-principal-in-bucket-policy" }],
    });
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
        Overwrite: true,
      }),
    );
    const s3 = new S3Client(cfg);
    await s3.send(new CreateBucketCommand({ Bucket: "intended-reports" }));
    const r = await runScheduledAudit(
      {
        ORGWARDEN_MANIFEST_PARAMETER: "/orgwarden/audit-manifest",
        ORGWARDEN_REPORT_BUCKET: "intended-reports",
        ORGWARDEN_ENDPOINT_URL: moto.endpoint,
        ...FAST_RETRIES_ENV,
        AWS_REGION: "us-east-1",
      },
      new Date(Date.now() + 60_000),
    );
    const reportUri = r.reports.find((u) => u.endsWith("/report.json"))!;
    const prefix = reportUri.slice("s3://intended-reports/".length, -"/report.json".length);
    const report = JSON.parse(
      await (
        await s3.send(new GetObjectCommand({ Bucket: "intended-reports", Key: `${prefix}/report.json` }))
      ).Body!.transformToString(),
    ) as { intendedDocuments?: Record<string, unknown>; findings: { checkId: string; status: string }[] };
    const names = Object.keys(report.intendedDocuments ?? {});
    // The drifted bucket policy's finding refers to the intended policy.
    expect(report.findings.some((f) => f.checkId === "archive-bucket-policy" && f.status === "FAIL")).toBe(true);
    expect(names.length).toBeGreaterThan(0);
    for (const base of [prefix, "orgwarden-audit/sandbox/latest"]) {
      const uris = r.reports.filter((u) => u.startsWith(`s3://intended-reports/${base}/`));
      // report.json last: the next run reads it, and the documents it names are there before it.
      expect(uris[uris.length - 1]).toBe(`s3://intended-reports/${base}/report.json`);
      for (const name of names) {
        expect(uris).toContain(`s3://intended-reports/${base}/${name}`);
        const o = await s3.send(new GetObjectCommand({ Bucket: "intended-reports", Key: `${base}/${name}` }));
        expect(o.ContentType).toBe("application/json");
        expect(JSON.parse(await o.Body!.transformToString())).toEqual(report.intendedDocuments![name]);
      }
    }
  });
});
