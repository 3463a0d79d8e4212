import { beforeAll, describe, expect, it } from "vitest";
import type { ProgramRun } from "../../harness/run-program";
import { archiveBucketPolicy } from "../../baseline";
import { EXPECTED } from "./expected";
import { doc, one, providerUrn, runStack, STACKS } from "./stack";

const S3 = (t: string) => `aws:s3/${t[0].toLowerCase()}${t.slice(1)}:${t}`;

describe.each(STACKS)("ArchiveBucket (%s stack)", (stack) => {
  const x = EXPECTED[stack];
  let run: ProgramRun;
  beforeAll(async () => {
    run = await runStack(stack);
  });

  it("creates the protected bucket with Object Lock enabled at creation, never forceDestroy", () => {
    const b = one(run, S3("Bucket"), "archive-bucket");
    expect(b.inputs).toEqual({ bucket: x.archive, forceDestroy: false, objectLockEnabled: true });
    expect(b.protect).toBe(true);
    expect(run.outputs.archiveBucketName).toBe(x.archive);
  });

  it("sets the default retention from config (mode and days), after versioning", () => {
    const lock = one(run, S3("BucketObjectLockConfiguration"), "archive-object-lock");
    expect(lock.inputs).toEqual({
      bucket: x.archive,
      objectLockEnabled: "Enabled",
      rule: { defaultRetention: { mode: x.lockMode, days: x.retentionDays } },
    });
    expect(lock.dependencies).toContain(one(run, S3("BucketVersioning"), "archive-versioning").urn);
  });

  it("versions it, encrypts it with the log key (ARN, no bucket key), blocks public access and enforces bucket-owner ownership", () => {
    const keyArn = one(run, "aws:kms/key:Key", "log-key-key").outputs.arn;
    expect(keyArn).toMatch(new RegExp(`^arn:aws:kms:${x.home}:${x.securityId}:key/`));
    expect(one(run, S3("BucketVersioning"), "archive-versioning").inputs).toEqual({
      bucket: x.archive,
      versioningConfiguration: { status: "Enabled" },
    });
    expect(one(run, S3("BucketServerSideEncryptionConfiguration"), "archive-encryption").inputs).toEqual({
      bucket: x.archive,
      rules: [
        {
          applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: keyArn },
          bucketKeyEnabled: false,
        },
      ],
    });
    expect(one(run, S3("BucketPublicAccessBlock"), "archive-public-access-block").inputs).toEqual({
      bucket: x.archive,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    expect(one(run, S3("BucketOwnershipControls"), "archive-ownership").inputs).toEqual({
      bucket: x.archive,
      rule: { objectOwnership: "BucketOwnerEnforced" },
    });
  });

  it("moves logs to GLACIER_IR and never expires a noncurrent version before its retention ends", () => {
    const lc = one(run, S3("BucketLifecycleConfiguration"), "archive-lifecycle");
    expect(lc.inputs).toEqual({
      bucket: x.archive,
      rules: [
        {
          id: "archive-tiering",
          status: "Enabled",
          filter: {},
          transitions: [{ days: x.transitionDays, storageClass: "GLACIER_IR" }],
          noncurrentVersionExpiration: { noncurrentDays: x.noncurrentDays },
          abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
        },
      ],
    });
    expect(x.noncurrentDays).toBeGreaterThanOrEqual(x.retentionDays);
  });

  it("logs server access to the access-log bucket, once that bucket admits S3 logging", () => {
    const l = one(run, S3("BucketLogging"), "archive-logging");
    expect(l.inputs).toEqual({ bucket: x.archive, targetBucket: x.accessLogs, targetPrefix: `${x.archive}/` });
    expect(l.dependencies).toContain(one(run, S3("BucketPolicy"), "access-logs-policy").urn);
  });

  it("applies the baseline archive policy for this organization, trail and auditors", () => {
    const p = one(run, S3("BucketPolicy"), "archive-policy");
    expect(p.inputs.bucket).toBe(x.archive);
    expect(doc(p.inputs.policy)).toEqual(
      archiveBucketPolicy({
        bucketName: x.archive,
        orgId: x.orgId,
        managementAccountId: x.mgmt,
        trailArn: x.trailArn,
        securityAccountId: x.securityId,
        auditorRoleNames: x.auditors,
        // Both stacks enable athena (test/infra/athena/log-analyst.sim.test.ts proves what it may do).
        analystRoleNames: ["orgwarden-log-analyst"],
      }),
    );
    expect(p.dependencies).toEqual(
      expect.arrayContaining([
        one(run, S3("BucketPublicAccessBlock"), "archive-public-access-block").urn,
        one(run, S3("BucketOwnershipControls"), "archive-ownership").urn,
      ]),
    );
  });

  it("puts every part of the archive in the log-archive account", () => {
    const parts = run.resources.filter((r) => r.name.startsWith("archive-") && r.custom);
    expect(parts.map((r) => r.name).sort()).toEqual(
      [
        "bucket",
        "encryption",
        "lifecycle",
        "logging",
        "object-lock",
        "ownership",
        "policy",
        "public-access-block",
        "versioning",
      ].map((s) => `archive-${s}`),
    );
    for (const r of parts) expect(r.provider).toBe(providerUrn(run, "log-archive"));
  });
});
