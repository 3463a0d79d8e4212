/**
 * The nightly check end to end over moto: the sandbox organization (agent/sandbox) with signed
 * digest chains and gzip'd log files written into its archive bucket in moto's S3, audited by the
 * real runAudit() as the log auditor role. ListPublicKeys, which moto lacks (500), is a recorded
 * AWS-shaped response: the test's key, Value as the SDK decodes it (the base64 text of the DER).
 */
import {
  DeleteBucketPolicyCommand,
  DeleteObjectCommand,
  GetBucketPolicyCommand,
  PutBucketPolicyCommand,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import { parseAuditManifest, roleArn } from "../../../baseline";
import { SANDBOX } from "../../../agent/sandbox/layout";
import type { Sandbox } from "../../../agent/sandbox/seed";
import { useMoto } from "../../helpers/moto";
import { audit, seed } from "../scenarios/_harness";
import { buildChain, type Chain } from "./chain-fixture";
import { KEY } from "./scenario";

const moto = useMoto();
const HOURS = 3;

/** Recorded ListPublicKeys (as the SDK hands it over): one key, valid for the whole run. */
const publicKeys = {
  $metadata: { httpStatusCode: 200 },
  PublicKeyList: [
    {
      Fingerprint: KEY.fingerprint,
      Value: Buffer.from(KEY.der.toString("base64")),
      ValidityStartTime: new Date("2026-01-01T00:00:00Z"),
      ValidityEndTime: new Date("2030-01-01T00:00:00Z"),
    },
  ],
};

interface Seeded {
  sb: Sandbox;
  chains: Map<string, Chain>;
  s3: S3Client;
}

/** Every account × governed region gets a chain of HOURS digests ending at the last full hour, written as CloudTrail would. */
async function seedWithChains(): Promise<Seeded> {
  const sb = await seed(moto.endpoint);
  const s3 = await sb.session.client(S3Client, sb.accounts.logArchive, sb.region);
  const chains = new Map<string, Chain>();
  await withoutBucketPolicy(sb, s3, () => putChains(sb, s3, chains));
  sb.manifest = parseAuditManifest({
    ...sb.manifest,
    audit: {
      ...sb.manifest.audit,
      logAuditorRoleArn: roleArn(sb.accounts.security, SANDBOX.auditorRoleName),
      integrityWindowHours: HOURS,
    },
  });
  return { sb, chains, s3 };
}

async function putChains(sb: Sandbox, s3: S3Client, chains: Map<string, Chain>): Promise<void> {
  const end = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000);
  const accounts = [sb.accounts.management, sb.accounts.logArchive, sb.accounts.security, ...sb.accounts.members];
  for (const account of accounts) {
    for (const region of sb.governedRegions) {
      const c = buildChain(
        {
          orgId: sb.orgId,
          account,
          region,
          trailName: sb.trailName,
          homeRegion: sb.region,
          bucket: sb.buckets.archive,
          start: new Date(end.getTime() - HOURS * 3_600_000),
          hours: HOURS,
          logsPerHour: 1,
        },
        KEY,
      );
      for (const [Key, o] of c.objects)
        await s3.send(
          new PutObjectCommand({
            Bucket: sb.buckets.archive,
            Key,
            Body: o.body,
            Metadata: o.metadata,
            ChecksumAlgorithm: "SHA256",
          }),
        );
      chains.set(`${account}/${region}`, c);
    }
  }
}

/**
 * moto evaluates the archive's bucket policy, which lets only CloudTrail write (and deny deletes):
 * the test writes and tampers in CloudTrail's or an intruder's stead with the policy lifted, then restores it.
 */
async function withoutBucketPolicy(sb: Sandbox, s3: S3Client, write: () => Promise<void>): Promise<void> {
  const { Policy } = await s3.send(new GetBucketPolicyCommand({ Bucket: sb.buckets.archive }));
  await s3.send(new DeleteBucketPolicyCommand({ Bucket: sb.buckets.archive }));
  try {
    await write();
  } finally {
    await s3.send(new PutBucketPolicyCommand({ Bucket: sb.buckets.archive, Policy }));
  }
}

/** The audit, with the bucket policy lifted while it reads (see withoutBucketPolicy): moto answers the auditor's GetObject 403 under it. */
async function auditAsLogAuditor(sb: Sandbox) {
  const s3 = await sb.session.client(S3Client, sb.accounts.logArchive, sb.region);
  let r: Awaited<ReturnType<typeof audit>> | undefined;
  await withoutBucketPolicy(sb, s3, async () => {
    r = await audit(sb, { gaps: { publicKeys } });
  });
  return r!;
}

const scopeCount = (sb: Sandbox) => (3 + sb.accounts.members.length) * sb.governedRegions.length;
const integrity = (r: Awaited<ReturnType<typeof audit>>) =>
  r.findings.filter((f) => f.checkId === "trail-log-integrity");

describe("trail-log-integrity over moto (ListPublicKeys recorded)", () => {
  it("an intact archive: one PASS per account × governed region (5 × 2), every digest and log verified", async () => {
    const { sb } = await seedWithChains();
    const r = await auditAsLogAuditor(sb);
    const f = integrity(r);
    expect(f.map((x) => x.status)).toEqual(Array(scopeCount(sb)).fill("PASS"));
    expect(new Set(f.map((x) => x.message.replace(/^Digest chain from \S+ to \S+ is whole: /, "")))).toEqual(
      new Set([`${HOURS} digests and ${HOURS} log files verified.`]),
    );
  });

  it("an overwritten log and the deleted newest two digests: CRITICAL FAILs naming both objects, the other scopes PASS", async () => {
    const { sb, chains, s3 } = await seedWithChains();
    const member = sb.accounts.members[0];
    const a = chains.get(`${member}/${sb.region}`)!;
    const b = chains.get(`${sb.accounts.security}/eu-west-1`)!;
    await withoutBucketPolicy(sb, s3, async () => {
      await s3.send(
        new PutObjectCommand({
          Bucket: sb.buckets.archive,
          Key: a.logs[1],
          Body: Buffer.from("not the original"),
          ChecksumAlgorithm: "SHA256",
        }),
      );
      // The newest two: the newest alone may still be within the delivery allowance, depending on the minute the test runs.
      await s3.send(new DeleteObjectCommand({ Bucket: sb.buckets.archive, Key: b.digests[2] }));
      await s3.send(new DeleteObjectCommand({ Bucket: sb.buckets.archive, Key: b.digests[1] }));
    });
    const f = integrity(await auditAsLogAuditor(sb));
    const failing = f
      .filter((x) => x.status !== "PASS")
      .map((x) => [
        x.status,
        x.severity,
        x.account,
        x.region,
        (x.observed as { defect: string }).defect,
        x.resourceArn,
      ]);
    expect(failing.sort()).toEqual(
      [
        [
          "FAIL",
          "CRITICAL",
          member,
          sb.region,
          "log-invalid-format",
          `arn:aws:s3:::${sb.buckets.archive}/${a.logs[1]}`,
        ],
        [
          "FAIL",
          "CRITICAL",
          sb.accounts.security,
          "eu-west-1",
          "tail-truncated",
          `arn:aws:s3:::${sb.buckets.archive}/${b.digests[0]}`,
        ],
      ].sort(),
    );
    expect(f.filter((x) => x.status === "PASS")).toHaveLength(scopeCount(sb) - 2);
  });
});
