/** athena-workgroup: the workgroup and results bucket as infra lays them pass; one change per failing case. */
import { describe, expect, it } from "vitest";
import { resultsBucketPolicy } from "../../baseline/athena";
import { T } from "./baseline-stack";
import { check, res, urnOf, type Res } from "./helpers";

const P = "athena-workgroup";
const NAME = "orgwarden-prod-query-results-111111111111";
const KEY = "arn:aws:kms:us-east-1:333333333333:key/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
const WG = "aws:athena/workgroup:Workgroup";
const POLICY = resultsBucketPolicy({
  bucketName: NAME,
  securityAccountId: "333333333333",
  region: "us-east-1",
  analystRoleName: "orgwarden-log-analyst",
  adminRoleNames: ["OrganizationAccountAccessRole"],
});
const configuration = (over: Record<string, unknown> = {}) => ({
  enforceWorkgroupConfiguration: true,
  bytesScannedCutoffPerQuery: 107374182400,
  resultConfiguration: {
    outputLocation: `s3://${NAME}/results/`,
    encryptionConfiguration: { encryptionOption: "SSE_KMS", kmsKeyArn: KEY },
  },
  ...over,
});

function stack(conf: Record<string, unknown> = configuration()): Res[] {
  return [
    res(WG, "athena-workgroup", { name: "orgwarden-prod-logs", configuration: conf }),
    res(T.bucket, "athena-results-bucket", { bucket: NAME, forceDestroy: false }, { protect: true }),
    res(T.sse, "athena-results-encryption", {
      bucket: NAME,
      rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY } }],
    }),
    res(T.pab, "athena-results-pab", {
      bucket: NAME,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    }),
    res(T.policy, "athena-results-policy", { bucket: NAME, policy: JSON.stringify(POLICY) }),
  ];
}

describe("athena-workgroup (stack)", () => {
  it("passes the workgroup and results bucket as infra lays them", async () => {
    expect(await check(P, stack())).toMatchObject({ messages: [], notApplicable: [] });
  });

  it("fails a workgroup that does not enforce its configuration, or sets no scan limit", async () => {
    const c = await check(
      P,
      stack({ ...configuration({ enforceWorkgroupConfiguration: false }), bytesScannedCutoffPerQuery: undefined }),
    );
    expect(c.messages).toEqual([
      "workgroup athena-workgroup: set configuration.enforceWorkgroupConfiguration to true, so no client overrides the results location or encryption",
      "workgroup athena-workgroup: set configuration.bytesScannedCutoffPerQuery, so one query cannot scan the whole archive",
    ]);
    expect(c.violations[0].urn).toBe(urnOf(WG, "athena-workgroup"));
  });

  it("fails results encrypted with SSE_S3, or KMS without a key", async () => {
    const sseS3 = configuration({
      resultConfiguration: {
        outputLocation: `s3://${NAME}/results/`,
        encryptionConfiguration: { encryptionOption: "SSE_S3" },
      },
    });
    expect((await check(P, stack(sseS3))).messages).toEqual([
      'workgroup athena-workgroup: encrypt results with encryptionOption "SSE_KMS" and a kmsKeyArn instead of "SSE_S3"',
    ]);
    const noKey = configuration({
      resultConfiguration: {
        outputLocation: `s3://${NAME}/results/`,
        encryptionConfiguration: { encryptionOption: "SSE_KMS" },
      },
    });
    expect((await check(P, stack(noKey))).messages).toEqual([
      "workgroup athena-workgroup: set resultConfiguration.encryptionConfiguration.kmsKeyArn to a customer managed key",
    ]);
  });

  it("fails a results bucket without the TLS deny or with public access open", async () => {
    const set = (r: Res, inputs: Record<string, unknown>) => ({ ...r, inputs, outputs: inputs });
    const s = stack().map((r) =>
      r.name === "athena-results-policy"
        ? set(r, { bucket: NAME, policy: JSON.stringify({ ...POLICY, Statement: POLICY.Statement.slice(1) }) })
        : r.name === "athena-results-pab"
          ? set(r, { ...r.inputs, restrictPublicBuckets: false })
          : r,
    );
    const label = `bucket "athena-results-bucket" (${NAME}) (Athena results bucket of athena-workgroup)`;
    expect((await check(P, s)).messages).toEqual([
      `${label}: set restrictPublicBuckets to true on the public access block`,
      `${label}: add a bucket policy statement that denies s3:* to every principal when aws:SecureTransport is "false"`,
    ]);
  });

  it("says it did not judge a results bucket the stack does not hold", async () => {
    const c = await check(P, stack().slice(0, 1));
    expect(c.messages).toEqual([]);
    expect(c.notApplicable.join(" ")).toContain(`writes results to bucket ${NAME}, which this stack does not hold`);
  });
});
