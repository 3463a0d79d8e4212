import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  DescribeTrailsCommand,
  GetEventSelectorsCommand,
  GetTrailStatusCommand,
  CloudTrailClient,
} from "@aws-sdk/client-cloudtrail";
import {
  DescribePolicyCommand,
  ListParentsCommand,
  ListTargetsForPolicyCommand,
  OrganizationsClient,
} from "@aws-sdk/client-organizations";
import {
  GetBucketEncryptionCommand,
  GetBucketPolicyCommand,
  GetBucketVersioningCommand,
  GetObjectLockConfigurationCommand,
  GetPublicAccessBlockCommand,
  ListObjectsV2Command,
  S3Client,
} from "@aws-sdk/client-s3";
import { GetKeyPolicyCommand, GetKeyRotationStatusCommand, KMSClient, ListGrantsCommand } from "@aws-sdk/client-kms";
import { ConfigServiceClient, DescribeConfigurationRecorderStatusCommand } from "@aws-sdk/client-config-service";
import { GetDetectorCommand, GuardDutyClient } from "@aws-sdk/client-guardduty";
import { BatchGetAccountStatusCommand, Inspector2Client } from "@aws-sdk/client-inspector2";
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { parseAuditManifest } from "../../../baseline";
import { seedSandboxOrganization, type Sandbox } from "../../../agent/sandbox/seed";
import { archivePolicyDocument, keyPolicyDocument, sandboxScps } from "../../../agent/sandbox/layout";
import { useMoto } from "../../helpers/moto";

describe("sandbox-organization seeder against moto", () => {
  const moto = useMoto();
  const seed = (extra: Partial<Parameters<typeof seedSandboxOrganization>[0]> = {}) =>
    seedSandboxOrganization({ endpoint: moto.endpoint, ...extra });
  const docIds = (sb: Sandbox) => ({ stack: sb.stack, homeRegion: sb.region, orgId: sb.orgId, accounts: sb.accounts });

  it("writes a manifest that parseAuditManifest accepts and that names the seeded resources", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "orgwarden-seed-")), "nested", "manifest.json");
    const sb = await seed({ manifestPath: path });
    const m = parseAuditManifest(JSON.parse(readFileSync(path, "utf8")));
    expect(m).toEqual(sb.manifest);
    expect(m.organization).toEqual({
      id: sb.orgId,
      rootId: sb.rootId,
      managementAccountId: "123456789012",
      logArchiveAccountId: sb.accounts.logArchive,
      securityAccountId: sb.accounts.security,
      governedOus: [
        { id: sb.ous.security, name: "Security" },
        { id: sb.ous.workloads, name: "Workloads" },
      ],
    });
    expect(m.regions).toEqual({ home: "us-east-1", governed: ["us-east-1", "eu-west-1"] });
    expect(m.trail.arn).toBe("arn:aws:cloudtrail:us-east-1:123456789012:trail/orgwarden-organization-trail");
    expect(m.archive.bucketName).toBe("orgwarden-sandbox-cloudtrail-123456789012");
    expect(m.key.arn).toBe(sb.key.arn);
    expect(m.key.allowedGrantees).toEqual([
      { granteePrincipal: `arn:aws:iam::${sb.accounts.security}:role/orgwarden-log-auditor`, operations: ["Decrypt"] },
    ]);
    expect(m.scps).toEqual(
      sandboxScps("sandbox", "123456789012").map((s, n) => ({
        id: sb.scpIds[n],
        name: ["orgwarden-protect-logging", "orgwarden-protect-detection", "orgwarden-protect-identities"][n],
        content: s.document,
        targets: [sb.rootId],
      })),
    );
    expect(sb.scpId).toBe(sb.scpIds[0]);
    expect(m.thresholds).toEqual({ deliveryMaxAgeMinutes: 60, digestMaxAgeMinutes: 120 });
  });

  it("lays the organization, SCP and trail as the manifest says", async () => {
    const sb = await seed();
    const org = new OrganizationsClient({ endpoint: moto.endpoint, region: "us-east-1", credentials: sb.credentials });
    const parent = async (ChildId: string) =>
      (await org.send(new ListParentsCommand({ ChildId }))).Parents?.map((p) => p.Id);
    expect(await parent(sb.accounts.logArchive)).toEqual([sb.ous.security]);
    expect(await parent(sb.accounts.security)).toEqual([sb.ous.security]);
    for (const m of sb.accounts.members) expect(await parent(m)).toEqual([sb.ous.workloads]);
    const want = sandboxScps("sandbox", "123456789012");
    expect(sb.scpIds).toHaveLength(3);
    for (const [n, id] of sb.scpIds.entries()) {
      const scp = await org.send(new DescribePolicyCommand({ PolicyId: id }));
      expect(JSON.parse(scp.Policy!.Content!)).toEqual(want[n].document);
      expect(
        (await org.send(new ListTargetsForPolicyCommand({ PolicyId: id }))).Targets?.map((t) => t.TargetId),
      ).toEqual([sb.rootId]);
    }

    const ct = new CloudTrailClient({ endpoint: moto.endpoint, region: "us-east-1", credentials: sb.credentials });
    const [trail] = (await ct.send(new DescribeTrailsCommand({ trailNameList: [sb.trailName] }))).trailList!;
    expect(trail).toMatchObject({
      TrailARN: sb.manifest.trail.arn,
      S3BucketName: sb.buckets.archive,
      IsOrganizationTrail: true,
      IsMultiRegionTrail: true,
      IncludeGlobalServiceEvents: true,
      LogFileValidationEnabled: true,
      KmsKeyId: sb.key.arn,
      CloudWatchLogsLogGroupArn: "arn:aws:logs:us-east-1:123456789012:log-group:/orgwarden/cloudtrail:*",
      CloudWatchLogsRoleArn: "arn:aws:iam::123456789012:role/orgwarden-cloudtrail-logs",
    });
    expect((await ct.send(new GetTrailStatusCommand({ Name: sb.trailName }))).IsLogging).toBe(true);
    const sel = await ct.send(new GetEventSelectorsCommand({ TrailName: sb.trailName }));
    // What infra lays: the advanced management selector (the sandbox manifest asks for no data events).
    expect(sel.AdvancedEventSelectors).toEqual([
      { Name: "Management events", FieldSelectors: [{ Field: "eventCategory", Equals: ["Management"] }] },
    ]);
  });

  it("lays the archive bucket and key from the baseline documents", async () => {
    const sb = await seed();
    const s3 = await sb.session.client(S3Client, sb.accounts.logArchive, "us-east-1");
    const Bucket = sb.buckets.archive;
    expect(JSON.parse((await s3.send(new GetBucketPolicyCommand({ Bucket }))).Policy!)).toEqual(
      archivePolicyDocument(docIds(sb)),
    );
    expect((await s3.send(new GetObjectLockConfigurationCommand({ Bucket }))).ObjectLockConfiguration).toEqual({
      ObjectLockEnabled: "Enabled",
      Rule: { DefaultRetention: { Mode: "COMPLIANCE", Days: 365, Years: 0 } },
    });
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket }))).Status).toBe("Enabled");
    expect(
      (await s3.send(new GetBucketEncryptionCommand({ Bucket }))).ServerSideEncryptionConfiguration?.Rules?.[0]
        .ApplyServerSideEncryptionByDefault,
    ).toEqual({
      SSEAlgorithm: "aws:kms",
      KMSMasterKeyID: sb.key.arn,
    });
    expect((await s3.send(new GetPublicAccessBlockCommand({ Bucket }))).PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    });
    const keys = (await s3.send(new ListObjectsV2Command({ Bucket, Prefix: `AWSLogs/${sb.orgId}/` }))).Contents!.map(
      (o) => o.Key!,
    );
    const accounts = [sb.accounts.management, sb.accounts.logArchive, sb.accounts.security, ...sb.accounts.members];
    expect(keys).toHaveLength(accounts.length * 2);
    for (const a of accounts) {
      for (const r of ["us-east-1", "eu-west-1"]) {
        expect(
          keys.filter((k) =>
            new RegExp(
              `^AWSLogs/${sb.orgId}/${a}/CloudTrail/${r}/\\d{4}/\\d{2}/\\d{2}/${a}_CloudTrail_${r}_\\d{8}T\\d{4}Z_seed0001\\.json\\.gz$`,
            ).test(k),
          ),
        ).toHaveLength(1);
      }
    }

    const kms = await sb.session.client(KMSClient, sb.accounts.security, "us-east-1");
    expect(
      JSON.parse((await kms.send(new GetKeyPolicyCommand({ KeyId: sb.key.id, PolicyName: "default" }))).Policy!),
    ).toEqual(keyPolicyDocument(docIds(sb)));
    expect((await kms.send(new GetKeyRotationStatusCommand({ KeyId: sb.key.id }))).KeyRotationEnabled).toBe(true);
    const grants = (await kms.send(new ListGrantsCommand({ KeyId: sb.key.arn }))).Grants!;
    expect(grants.map((g) => ({ id: g.GrantId, grantee: g.GranteePrincipal, ops: g.Operations }))).toEqual([
      {
        id: sb.key.grantId,
        grantee: `arn:aws:iam::${sb.accounts.security}:role/orgwarden-log-auditor`,
        ops: ["Decrypt"],
      },
    ]);
  });

  it("enables detection in every account and governed region, and the trail log group keeps 365 days", async () => {
    const sb = await seed();
    const member = sb.accounts.members[1];
    const config = await sb.session.client(ConfigServiceClient, member, "eu-west-1");
    const status = (await config.send(new DescribeConfigurationRecorderStatusCommand({})))
      .ConfigurationRecordersStatus!;
    expect(status.map((s) => [s.name, s.recording])).toEqual([["orgwarden", true]]);
    const gd = await sb.session.client(GuardDutyClient, member, "eu-west-1");
    expect((await gd.send(new GetDetectorCommand({ DetectorId: sb.detectors[`${member}/eu-west-1`] }))).Status).toBe(
      "ENABLED",
    );
    expect(Object.keys(sb.detectors)).toHaveLength(5 * 2);
    const insp = await sb.session.client(Inspector2Client, member, "us-east-1");
    const st = (await insp.send(new BatchGetAccountStatusCommand({ accountIds: [member] }))).accounts!;
    expect(
      st.map((a) => [
        a.accountId,
        a.resourceState?.ec2?.status,
        a.resourceState?.ecr?.status,
        a.resourceState?.lambda?.status,
      ]),
    ).toEqual([[member, "ENABLED", "ENABLED", "ENABLED"]]);
    const logs = await sb.session.client(CloudWatchLogsClient, sb.accounts.management, "us-east-1");
    const groups = (await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: "/orgwarden/cloudtrail" })))
      .logGroups!;
    expect(groups.map((g) => [g.logGroupName, g.retentionInDays])).toEqual([["/orgwarden/cloudtrail", 365]]);
  });

  it("rejects a home region outside the governed regions, naming both", async () => {
    await expect(seed({ region: "us-east-1", governedRegions: ["eu-west-1"] })).rejects.toThrow(
      'seedSandboxOrganization: governedRegions must contain the home region "us-east-1", got ["eu-west-1"]',
    );
  });
});
