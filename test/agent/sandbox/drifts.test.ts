import { describe, expect, it } from "vitest";
import { GetTrailStatusCommand, CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import { ListParentsCommand, ListTargetsForPolicyCommand, OrganizationsClient } from "@aws-sdk/client-organizations";
import {
  GetBucketPolicyCommand,
  GetObjectLockConfigurationCommand,
  ListObjectsV2Command,
  S3Client,
} from "@aws-sdk/client-s3";
import { KMSClient, ListGrantsCommand } from "@aws-sdk/client-kms";
import { ConfigServiceClient, DescribeConfigurationRecorderStatusCommand } from "@aws-sdk/client-config-service";
import { GetDetectorCommand, GuardDutyClient } from "@aws-sdk/client-guardduty";
import { seedSandboxOrganization, type Sandbox } from "../../../agent/sandbox/seed";
import {
  addForeignPrincipalToBucketPolicy,
  addOutsiderGrant,
  createUnenrolledAccount,
  deleteLogsForAccount,
  disableGuardDuty,
  lowerObjectLockDays,
  stopTrail,
} from "../../../agent/sandbox/drifts";
import { archivePolicyDocument } from "../../../agent/sandbox/layout";
import { useMoto } from "../../helpers/moto";

describe("sandbox drift helpers against moto", () => {
  const moto = useMoto();
  const seed = (drifts: Parameters<typeof seedSandboxOrganization>[0]["drifts"] = []) =>
    seedSandboxOrganization({ endpoint: moto.endpoint, drifts });
  const s3Of = (sb: Sandbox) => sb.session.client(S3Client, sb.accounts.logArchive, "us-east-1");
  const mgmt = <C>(sb: Sandbox, Ctor: new (c: any) => C) =>
    sb.session.client(Ctor, sb.accounts.management, "us-east-1");
  const logKeys = async (sb: Sandbox, account: string) =>
    (
      (
        await (
          await s3Of(sb)
        ).send(new ListObjectsV2Command({ Bucket: sb.buckets.archive, Prefix: `AWSLogs/${sb.orgId}/${account}/` }))
      ).Contents ?? []
    ).map((o) => o.Key);

  it("addForeignPrincipalToBucketPolicy appends exactly one statement for the outsider", async () => {
    const sb = await seed();
    const added = await addForeignPrincipalToBucketPolicy(sb);
    const doc = JSON.parse(
      (await (await s3Of(sb)).send(new GetBucketPolicyCommand({ Bucket: sb.buckets.archive }))).Policy!,
    );
    const intended = archivePolicyDocument({
      stack: sb.stack,
      homeRegion: sb.region,
      orgId: sb.orgId,
      accounts: sb.accounts,
    });
    expect(doc.Statement).toEqual([...intended.Statement, added]);
    expect(added.Principal).toEqual({ AWS: "arn:aws:iam::999999999999:root" });
    expect(added.Sid).toBe("ForeignRead");
  });

  it("addOutsiderGrant adds a second grant for a role outside the organization", async () => {
    const sb = await seed();
    const id = await addOutsiderGrant(sb);
    const kms = await sb.session.client(KMSClient, sb.accounts.security, "us-east-1");
    const grants = (await kms.send(new ListGrantsCommand({ KeyId: sb.key.id }))).Grants!;
    expect(grants.map((g) => [g.GrantId, g.GranteePrincipal, g.Operations, g.Name])).toEqual([
      [
        sb.key.grantId,
        `arn:aws:iam::${sb.accounts.security}:role/orgwarden-log-auditor`,
        ["Decrypt"],
        "orgwarden-log-auditor-decrypt",
      ],
      [id, "arn:aws:iam::999999999999:role/outsider", ["Decrypt"], "outsider-decrypt"],
    ]);
  });

  it("the scp-detached drift leaves the SCP attached nowhere", async () => {
    const sb = await seed([{ kind: "scp-detached" }]);
    const org = await mgmt(sb, OrganizationsClient);
    expect((await org.send(new ListTargetsForPolicyCommand({ PolicyId: sb.scpId }))).Targets).toEqual([]);
  });

  it("stopTrail stops logging", async () => {
    const sb = await seed();
    await stopTrail(sb);
    const ct = await mgmt(sb, CloudTrailClient);
    expect((await ct.send(new GetTrailStatusCommand({ Name: sb.trailName }))).IsLogging).toBe(false);
  });

  it("createUnenrolledAccount leaves the new account directly under the root", async () => {
    const sb = await seed([{ kind: "unenrolled-account", name: "Shadow IT" }]);
    expect(sb.extraAccounts).toHaveLength(1);
    const org = await mgmt(sb, OrganizationsClient);
    expect((await org.send(new ListParentsCommand({ ChildId: sb.extraAccounts[0] }))).Parents).toEqual([
      { Id: sb.rootId, Type: "ROOT" },
    ]);
    expect(await createUnenrolledAccount(sb)).toMatch(/^\d{12}$/);
    expect(sb.extraAccounts).toHaveLength(2);
  });

  it("the object-lock-days drift seeds the archive with the lowered retention; moto refuses to lower it afterwards", async () => {
    const sb = await seed([{ kind: "object-lock-days", days: 30 }]);
    const lock = await (await s3Of(sb)).send(new GetObjectLockConfigurationCommand({ Bucket: sb.buckets.archive }));
    expect(lock.ObjectLockConfiguration?.Rule?.DefaultRetention).toEqual({ Mode: "COMPLIANCE", Days: 30, Years: 0 });
    expect(sb.manifest.archive.objectLock).toEqual({ mode: "COMPLIANCE", days: 365 });
    await expect(lowerObjectLockDays(sb, 10)).rejects.toThrow("Bucket needs to be empty");
    await expect(
      seedSandboxOrganization({
        endpoint: moto.endpoint,
        stack: "other",
        drifts: [{ kind: "object-lock-days", days: 0 }],
      }),
    ).rejects.toThrow("seedSandboxOrganization: drift object-lock-days needs days, an integer ≥ 1, got 0");
  });

  it("deleteLogsForAccount hides one account's logs and keeps the others and the bucket policy", async () => {
    const sb = await seed();
    const [gone, kept] = sb.accounts.members;
    expect(await deleteLogsForAccount(sb, gone)).toBe(2);
    expect(await logKeys(sb, gone)).toEqual([]);
    expect(await logKeys(sb, kept)).toHaveLength(2);
    const doc = JSON.parse(
      (await (await s3Of(sb)).send(new GetBucketPolicyCommand({ Bucket: sb.buckets.archive }))).Policy!,
    );
    expect(doc).toEqual(sb.manifest.archive.expectedBucketPolicy);
  });

  it("drifts name sandbox accounts by role: missing-logs for member-1 leaves the other accounts' logs", async () => {
    const sb = await seed([{ kind: "missing-logs", account: "member-1" }]);
    expect(await logKeys(sb, sb.accounts.members[1])).toEqual([]);
    expect(await logKeys(sb, sb.accounts.members[0])).toHaveLength(2);
    expect(await logKeys(sb, sb.accounts.security)).toHaveLength(2);
  });

  it("an unknown account reference is refused with the allowed forms", async () => {
    await expect(seed([{ kind: "missing-logs", account: "member-7" }])).rejects.toThrow(
      'sandbox account "member-7" is unknown; allowed: management, log-archive, security, member-0..member-1, or a 12-digit account id',
    );
  });

  it("stopConfigRecorder and disableGuardDuty touch only the named account and region", async () => {
    const sb = await seed([{ kind: "config-recorder-stopped", account: "member-0", region: "eu-west-1" }]);
    const [a, b] = sb.accounts.members;
    await disableGuardDuty(sb, a, "eu-west-1");
    const recording = async (acct: string, region: string) =>
      (
        await (
          await sb.session.client(ConfigServiceClient, acct, region)
        ).send(new DescribeConfigurationRecorderStatusCommand({}))
      ).ConfigurationRecordersStatus![0].recording;
    const gdStatus = async (acct: string, region: string) =>
      (
        await (
          await sb.session.client(GuardDutyClient, acct, region)
        ).send(new GetDetectorCommand({ DetectorId: sb.detectors[`${acct}/${region}`] }))
      ).Status;
    expect([await recording(a, "eu-west-1"), await recording(a, "us-east-1"), await recording(b, "eu-west-1")]).toEqual(
      [false, true, true],
    );
    expect([await gdStatus(a, "eu-west-1"), await gdStatus(a, "us-east-1"), await gdStatus(b, "eu-west-1")]).toEqual([
      "DISABLED",
      "ENABLED",
      "ENABLED",
    ]);
    await expect(disableGuardDuty(sb, "000000000000", "eu-west-1")).rejects.toThrow(
      "disableGuardDuty: no seeded detector for account 000000000000 in eu-west-1",
    );
  });
});
