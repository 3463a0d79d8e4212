import { beforeAll, describe, expect, it } from "vitest";
import type { ProgramRun } from "../../harness/run-program";
import { accessLogBucketPolicy } from "../../baseline";
import { EXPECTED } from "./expected";
import { doc, one, providerUrn, runStack, STACKS } from "./stack";

const S3 = (t: string) => `aws:s3/${t[0].toLowerCase()}${t.slice(1)}:${t}`;

describe.each(STACKS)("AccessLogBucket (%s stack)", (stack) => {
  const x = EXPECTED[stack];
  let run: ProgramRun;
  beforeAll(async () => {
    run = await runStack(stack);
  });

  it("creates the protected bucket under its deterministic name, without Object Lock or forceDestroy", () => {
    const b = one(run, S3("Bucket"), "access-logs-bucket");
    expect(b.inputs).toEqual({ bucket: x.accessLogs, forceDestroy: false });
    expect(b.protect).toBe(true);
    expect(run.outputs.accessLogBucketName).toBe(x.accessLogs);
  });

  it("versions it, encrypts it with SSE-S3, blocks public access and enforces bucket-owner ownership", () => {
    expect(one(run, S3("BucketVersioning"), "access-logs-versioning").inputs).toEqual({
      bucket: x.accessLogs,
      versioningConfiguration: { status: "Enabled" },
    });
    expect(one(run, S3("BucketServerSideEncryptionConfiguration"), "access-logs-encryption").inputs).toEqual({
      bucket: x.accessLogs,
      rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, bucketKeyEnabled: false }],
    });
    expect(one(run, S3("BucketPublicAccessBlock"), "access-logs-public-access-block").inputs).toEqual({
      bucket: x.accessLogs,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    expect(one(run, S3("BucketOwnershipControls"), "access-logs-ownership").inputs).toEqual({
      bucket: x.accessLogs,
      rule: { objectOwnership: "BucketOwnerEnforced" },
    });
  });

  it("expires access logs after the configured days", () => {
    const lc = one(run, S3("BucketLifecycleConfiguration"), "access-logs-lifecycle");
    expect(lc.inputs).toEqual({
      bucket: x.accessLogs,
      rules: [
        {
          id: "expire-access-logs",
          status: "Enabled",
          filter: {},
          expiration: { days: x.accessLogRetentionDays },
          noncurrentVersionExpiration: { noncurrentDays: 30 },
          abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
        },
      ],
    });
    expect(lc.dependencies).toContain(one(run, S3("BucketVersioning"), "access-logs-versioning").urn);
  });

  it("applies the baseline policy admitting only S3 logging from the archive, the Config bucket, the flow-log bucket and the DNS query-log bucket, after the public access block", () => {
    const p = one(run, S3("BucketPolicy"), "access-logs-policy");
    expect(p.inputs.bucket).toBe(x.accessLogs);
    expect(doc(p.inputs.policy)).toEqual(
      accessLogBucketPolicy({
        bucketName: x.accessLogs,
        sourceBucketName: x.archive,
        sourceAccountId: x.logArchiveId,
        orgId: x.orgId,
        prefix: `${x.archive}/`,
        additionalSources: [
          { bucketName: x.configBucket, prefix: `${x.configBucket}/` },
          { bucketName: x.flowLogs, prefix: `${x.flowLogs}/` },
          { bucketName: x.dnsQueryLogs, prefix: `${x.dnsQueryLogs}/` },
        ],
      }),
    );
    expect(p.dependencies).toEqual(
      expect.arrayContaining([one(run, S3("BucketPublicAccessBlock"), "access-logs-public-access-block").urn]),
    );
  });

  it("receives the Config bucket's server access logs under <config bucket>/, once its policy admits them", () => {
    const l = one(run, S3("BucketLogging"), "detection-config-bucket-logging");
    expect(l.inputs).toEqual({
      bucket: x.configBucket,
      targetBucket: x.accessLogs,
      targetPrefix: `${x.configBucket}/`,
    });
    expect(l.dependencies).toContain(one(run, S3("BucketPolicy"), "access-logs-policy").urn);
    expect(l.provider).toBe(providerUrn(run, "log-archive"));
  });

  it("the archive logs to the same bucket under its own prefix", () => {
    expect(one(run, S3("BucketLogging"), "archive-logging").inputs).toEqual({
      bucket: x.archive,
      targetBucket: x.accessLogs,
      targetPrefix: `${x.archive}/`,
    });
  });

  it("puts every part of the bucket in the log-archive account", () => {
    const parts = run.resources.filter((r) => r.name.startsWith("access-logs-") && r.custom);
    expect(parts.map((r) => r.name).sort()).toEqual(
      ["bucket", "encryption", "lifecycle", "ownership", "policy", "public-access-block", "versioning"].map(
        (s) => `access-logs-${s}`,
      ),
    );
    for (const r of parts) expect(r.provider).toBe(providerUrn(run, "log-archive"));
  });
});
