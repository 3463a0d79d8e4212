/** s3-flow-log-bucket: one compliant flow-log bucket, and one change per failing case. */
import { describe, expect, it } from "vitest";
import { flowLogBucketPolicy } from "../../baseline/network";
import { T } from "./baseline-stack";
import { check, res, urnOf, type Res } from "./helpers";

const P = "s3-flow-log-bucket";
const NAME = "orgwarden-prod-flow-logs-111111111111";
const KEY = "arn:aws:kms:us-east-1:222222222222:key/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
const LABEL = `bucket "flow-logs-bucket" (${NAME}) (flow-log bucket)`;
const POLICY = flowLogBucketPolicy({
  bucketName: NAME,
  orgId: "o-a1b2c3d4e5",
  securityAccountId: "333333333333",
  readerRoleNames: ["orgwarden-log-auditor"],
});

function stack(): Res[] {
  return [
    res(T.bucket, "flow-logs-bucket", { bucket: NAME, forceDestroy: false }, { protect: true }),
    res(T.sse, "flow-logs-encryption", {
      bucket: NAME,
      rules: [
        {
          applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY },
          bucketKeyEnabled: false,
        },
      ],
    }),
    res(T.pab, "flow-logs-pab", {
      bucket: NAME,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    }),
    res(T.policy, "flow-logs-policy", { bucket: NAME, policy: JSON.stringify(POLICY) }),
  ];
}
const change = (s: Res[], name: string, f: (i: Record<string, any>) => Record<string, any>) =>
  s.map((r) => (r.name === name ? { ...r, inputs: f(r.inputs), outputs: f(r.inputs) } : r));
const drop = (s: Res[], name: string) => s.filter((r) => r.name !== name);
const policyWithout = (sid: string) =>
  JSON.stringify({ ...POLICY, Statement: POLICY.Statement.filter((st) => st.Sid !== sid) });

describe("s3-flow-log-bucket (stack)", () => {
  it("passes the compliant flow-log bucket, which has no Object Lock", async () => {
    expect(await check(P, stack())).toMatchObject({ messages: [], notApplicable: [] });
  });

  it("fails without default encryption", async () => {
    const c = await check(P, drop(stack(), "flow-logs-encryption"));
    expect(c.messages).toEqual([
      `${LABEL}: add an aws.s3.BucketServerSideEncryptionConfiguration with sseAlgorithm "aws:kms" and a customer managed kmsMasterKeyId`,
    ]);
    expect(c.violations[0].urn).toBe(urnOf(T.bucket, "flow-logs-bucket"));
  });

  it("fails on SSE-S3 (a flow-log bucket is not an access-log bucket)", async () => {
    const s = change(stack(), "flow-logs-encryption", (i) => ({
      ...i,
      rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
    }));
    expect((await check(P, s)).messages).toEqual([
      `${LABEL}: use sseAlgorithm "aws:kms" with a customer managed key instead of "AES256"`,
    ]);
  });

  it("fails on the AWS managed aws/s3 key", async () => {
    const s = change(stack(), "flow-logs-encryption", (i) => ({
      ...i,
      rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: "alias/aws/s3" } }],
    }));
    expect((await check(P, s)).messages).toEqual([
      `${LABEL}: kmsMasterKeyId alias/aws/s3 is an AWS managed key; use a customer managed KMS key`,
    ]);
  });

  it("fails with one public access flag off", async () => {
    const s = change(stack(), "flow-logs-pab", (i) => ({ ...i, restrictPublicBuckets: false }));
    expect((await check(P, s)).messages).toEqual([
      `${LABEL}: set restrictPublicBuckets to true on the public access block`,
    ]);
  });

  it("fails without a public access block", async () => {
    expect((await check(P, drop(stack(), "flow-logs-pab"))).messages).toEqual([
      `${LABEL}: add an aws.s3.BucketPublicAccessBlock with blockPublicAcls, ignorePublicAcls, blockPublicPolicy, restrictPublicBuckets all true`,
    ]);
  });

  it("fails when the policy admits log delivery but no longer denies plain HTTP", async () => {
    const s = change(stack(), "flow-logs-policy", (i) => ({ ...i, policy: policyWithout("DenyInsecureTransport") }));
    expect((await check(P, s)).messages).toEqual([
      `${LABEL}: add a bucket policy statement that denies s3:* to every principal when aws:SecureTransport is "false"`,
    ]);
  });

  it("finds a flow-log bucket through an aws.ec2.FlowLog even when its policy does not admit log delivery", async () => {
    const s = [
      ...drop(stack(), "flow-logs-policy"),
      res("aws:ec2/flowLog:FlowLog", "vpc-flow-log", {
        logDestinationType: "s3",
        logDestination: `arn:aws:s3:::${NAME}/prefix/`,
        vpcId: "vpc-0a1b2c3d",
        trafficType: "ALL",
      }),
    ];
    expect((await check(P, s)).messages).toEqual([
      `${LABEL}: add a bucket policy statement that denies s3:* to every principal when aws:SecureTransport is "false"`,
    ]);
  });

  it("finds it through a CloudFormation template's CreateFlowLogs destination (the member baseline)", async () => {
    const s = [
      ...drop(drop(stack(), "flow-logs-policy"), "flow-logs-pab"),
      res("aws:cloudformation/stackSet:StackSet", "member-baseline", {
        templateBody: JSON.stringify({
          Resources: { D: { Properties: { Content: { LogDestination: `arn:aws:s3:::${NAME}` } } } },
        }),
      }),
    ];
    expect((await check(P, s)).messages).toHaveLength(2);
  });

  it("says it did not judge a destination bucket the stack does not hold", async () => {
    const s = [
      res("aws:ec2/flowLog:FlowLog", "vpc-flow-log", {
        logDestinationType: "s3",
        logDestination: "arn:aws:s3:::someone-elses-flow-logs",
      }),
    ];
    expect(await check(P, s)).toMatchObject({
      messages: [],
      notApplicable: [
        "flow logs are sent to bucket someone-elses-flow-logs, which this stack does not hold; its settings are not checked here",
      ],
    });
  });

  it("reports an unknown policy as not judged rather than passing it", async () => {
    const c = await check(
      P,
      [
        ...stack(),
        res("aws:ec2/flowLog:FlowLog", "fl", { logDestinationType: "s3", logDestination: `arn:aws:s3:::${NAME}` }),
      ],
      {
        unknowns: { "flow-logs-policy": ["policy"] },
      },
    );
    expect(c.messages).toEqual([]);
    expect(c.notApplicable).toEqual([
      `the policy of bucket "flow-logs-bucket" (${NAME}) is unknown at preview; its aws:SecureTransport deny is checked at update`,
    ]);
  });

  it("does not apply to buckets nothing sends flow logs to", async () => {
    const s = drop(stack(), "flow-logs-policy");
    expect(await check(P, drop(s, "flow-logs-encryption"))).toMatchObject({ messages: [], notApplicable: [] });
  });
});
