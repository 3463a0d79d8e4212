/** The flow-log bucket and its key, as both example stacks plan them (Pulumi mock runtime), with exact inputs. */
import { beforeAll, describe, expect, it } from "vitest";
import type { ProgramRun } from "../../../harness/run-program";
import { PROTECT_TAG_KEY, PROTECT_TAG_VALUE } from "../../../baseline";
import { flowLogBucketPolicy, flowLogKeyPolicy } from "../../../baseline/network";
import { EXPECTED } from "../expected";
import { doc, one, ofType, providerUrn, runStack, STACKS } from "../stack";

const S3 = (t: string) => `aws:s3/${t[0].toLowerCase()}${t.slice(1)}:${t}`;

describe.each(STACKS)("FlowLogBucket (%s stack)", (stack) => {
  const x = EXPECTED[stack];
  let run: ProgramRun;
  beforeAll(async () => {
    run = await runStack(stack);
  });

  it("creates the protected bucket in the log-archive account, unlocked and never forceDestroyed", () => {
    const b = one(run, S3("Bucket"), "flow-logs-bucket");
    expect(b.inputs).toEqual({ bucket: x.flowLogs, forceDestroy: false });
    expect(b.protect).toBe(true);
    expect(b.provider).toBe(providerUrn(run, "log-archive"));
    expect(run.outputs.flowLogBucketName).toBe(x.flowLogs);
    expect(ofType(run, S3("BucketObjectLockConfiguration")).map((r) => r.name)).toEqual(["archive-object-lock"]);
  });

  it("versions it, blocks public access, enforces bucket-owner ownership, all in the log-archive account", () => {
    expect(one(run, S3("BucketVersioning"), "flow-logs-versioning").inputs).toEqual({
      bucket: x.flowLogs,
      versioningConfiguration: { status: "Enabled" },
    });
    expect(one(run, S3("BucketPublicAccessBlock"), "flow-logs-public-access-block").inputs).toEqual({
      bucket: x.flowLogs,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    expect(one(run, S3("BucketOwnershipControls"), "flow-logs-ownership").inputs).toEqual({
      bucket: x.flowLogs,
      rule: { objectOwnership: "BucketOwnerEnforced" },
    });
    const parts = run.resources.filter((r) => r.name.startsWith("flow-logs-") && r.custom);
    expect(parts.map((r) => r.name).sort()).toEqual([
      "flow-logs-bucket",
      "flow-logs-encryption",
      "flow-logs-key",
      "flow-logs-key-alias",
      "flow-logs-lifecycle",
      "flow-logs-logging",
      "flow-logs-ownership",
      "flow-logs-policy",
      "flow-logs-public-access-block",
      "flow-logs-versioning",
    ]);
    for (const r of parts) expect(r.provider, r.name).toBe(providerUrn(run, "log-archive"));
  });

  it("encrypts with its own protected, rotating key (not the log key), Bucket Keys off", () => {
    const key = one(run, "aws:kms/key:Key", "flow-logs-key");
    expect(key.protect).toBe(true);
    const { policy, ...rest } = key.inputs;
    expect(rest).toEqual({
      description: "orgwarden: encrypts VPC Flow Logs in the flow-log bucket",
      keyUsage: "ENCRYPT_DECRYPT",
      customerMasterKeySpec: "SYMMETRIC_DEFAULT",
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      tags: { [PROTECT_TAG_KEY]: PROTECT_TAG_VALUE },
    });
    expect(doc(policy)).toEqual(
      flowLogKeyPolicy({
        accountId: x.logArchiveId,
        bucketName: x.flowLogs,
        region: x.home,
        securityAccountId: x.securityId,
        // Both stacks enable athena: the log analyst reads through the reader statements.
        readerRoleNames: [...x.auditors, "orgwarden-log-analyst"],
      }),
    );
    expect(one(run, "aws:kms/alias:Alias", "flow-logs-key-alias").inputs).toEqual({
      name: `alias/orgwarden-${stack}-flow-logs`,
      targetKeyId: key.id,
    });
    expect(one(run, S3("BucketServerSideEncryptionConfiguration"), "flow-logs-encryption").inputs).toEqual({
      bucket: x.flowLogs,
      rules: [
        {
          applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key.outputs.arn },
          bucketKeyEnabled: false,
        },
      ],
    });
    expect(run.outputs.flowLogKeyArn).toBe(key.outputs.arn);
    expect(run.outputs.logKeyArn).not.toBe(key.outputs.arn);
  });

  it("expires flow logs after network.flowLogs.retentionDays", () => {
    const lc = one(run, S3("BucketLifecycleConfiguration"), "flow-logs-lifecycle");
    expect(lc.inputs).toEqual({
      bucket: x.flowLogs,
      rules: [
        {
          id: "expire-flow-logs",
          status: "Enabled",
          filter: {},
          expiration: { days: x.flowLogRetentionDays },
          noncurrentVersionExpiration: { noncurrentDays: 30 },
          abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
        },
      ],
    });
    expect(lc.dependencies).toContain(one(run, S3("BucketVersioning"), "flow-logs-versioning").urn);
  });

  it("logs S3 access into the access-log bucket under its own prefix, once that bucket's policy admits it", () => {
    const l = one(run, S3("BucketLogging"), "flow-logs-logging");
    expect(l.inputs).toEqual({ bucket: x.flowLogs, targetBucket: x.accessLogs, targetPrefix: `${x.flowLogs}/` });
    expect(l.dependencies).toContain(one(run, S3("BucketPolicy"), "access-logs-policy").urn);
  });

  it("applies the baseline policy: log delivery of the organization only, each account under its own prefix", () => {
    const p = one(run, S3("BucketPolicy"), "flow-logs-policy");
    expect(p.inputs.bucket).toBe(x.flowLogs);
    expect(doc(p.inputs.policy)).toEqual(
      flowLogBucketPolicy({
        bucketName: x.flowLogs,
        orgId: x.orgId,
        securityAccountId: x.securityId,
        // Both stacks enable athena: the log analyst reads through the reader statements.
        readerRoleNames: [...x.auditors, "orgwarden-log-analyst"],
      }),
    );
    expect(p.dependencies).toEqual(
      expect.arrayContaining([
        one(run, S3("BucketPublicAccessBlock"), "flow-logs-public-access-block").urn,
        one(run, S3("BucketOwnershipControls"), "flow-logs-ownership").urn,
      ]),
    );
  });
});

describe("network.flowLogs.enabled = false", () => {
  it("plans no flow-log bucket, key or output, and the access-log bucket admits no flow-log source", async () => {
    const run = await runStack("dev", { "network.flowLogs.enabled": "false" });
    expect(run.resources.filter((r) => r.name.startsWith("flow-logs-"))).toEqual([]);
    expect(run.outputs.flowLogBucketName).toBeUndefined();
    expect(JSON.stringify(doc(one(run, S3("BucketPolicy"), "access-logs-policy").inputs.policy))).not.toContain(
      "flow-logs",
    );
  });
});
