/**
 * Config recorders and delivery channels inside CloudFormation templates (the shape the program's
 * detection baseline deploys): policies 8–10 must judge the Config bucket a template's delivery
 * channel names, policy 14 the template's recorder, and both must say what they cannot read.
 */
import { describe, expect, it } from "vitest";
import { KEY_ARN, T, tlsDeny } from "./baseline-stack";
import { check, res, Res, urnOf } from "./helpers";

const CFG = "org-config-tpl";
const STACKSET = "aws:cloudformation/stackSet:StackSet";
const INSTANCE = "aws:cloudformation/stackSetInstance:StackSetInstance";
const STACK = "aws:cloudformation/stack:Stack";
const REGIONS = ["us-east-1", "us-west-2", "eu-west-1"];

interface TemplateOpts {
  bucketName?: unknown;
  recordingGroup?: unknown;
  channel?: boolean;
  channelCondition?: string;
  homeRegion?: string;
  parameters?: Record<string, unknown>;
}

/** A template as the program builds it: IsHomeRegion condition, recorder with Fn::If, channel with a literal bucket. */
function template(o: TemplateOpts = {}): string {
  const resources: Record<string, unknown> = {
    ConfigRecorder: {
      Type: "AWS::Config::ConfigurationRecorder",
      Properties: {
        Name: "orgwarden",
        RoleARN: { "Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/config" },
        RecordingGroup: o.recordingGroup ?? {
          AllSupported: true,
          IncludeGlobalResourceTypes: { "Fn::If": ["IsHomeRegion", true, false] },
        },
      },
    },
  };
  if (o.channel !== false) {
    resources.ConfigDeliveryChannel = {
      Type: "AWS::Config::DeliveryChannel",
      DependsOn: "ConfigRecorder",
      ...(o.channelCondition ? { Condition: o.channelCondition } : {}),
      Properties: { Name: "orgwarden", S3BucketName: o.bucketName ?? CFG },
    };
  }
  return JSON.stringify({
    AWSTemplateFormatVersion: "2010-09-09",
    Parameters: { ...(o.parameters ?? {}) },
    Conditions: { IsHomeRegion: { "Fn::Equals": [{ Ref: "AWS::Region" }, o.homeRegion ?? "us-east-1"] } },
    Resources: resources,
  });
}

function configBucket(sse: Record<string, unknown> = { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY_ARN }): Res[] {
  return [
    res(T.bucket, "config-bucket", { bucket: CFG }, { outputs: { arn: `arn:aws:s3:::${CFG}`, id: CFG } }),
    res(T.versioning, "config-versioning", { bucket: CFG, versioningConfiguration: { status: "Enabled" } }),
    res(T.pab, "config-pab", {
      bucket: CFG,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    }),
    res(T.sse, "config-encryption", { bucket: CFG, rules: [{ applyServerSideEncryptionByDefault: sse }] }),
    res(T.policy, "config-policy", {
      bucket: CFG,
      policy: JSON.stringify({ Version: "2012-10-17", Statement: [tlsDeny(CFG)] }),
    }),
  ];
}

function stackSet(o: TemplateOpts = {}, regions = REGIONS): Res[] {
  return [
    res(STACKSET, "member-baseline", {
      name: "member-baseline",
      permissionModel: "SERVICE_MANAGED",
      templateBody: template(o),
      ...(o.parameters ? { parameters: {} } : {}),
    }),
    ...regions.map((r) =>
      res(INSTANCE, `member-baseline-${r}`, {
        stackSetName: "member-baseline",
        stackSetInstanceRegion: r,
        deploymentTargets: { organizationalUnitIds: ["ou-ab12-11111111"] },
      }),
    ),
  ];
}

/** The management account's plain stacks, one per region through a regional provider. */
function managementStacks(o: TemplateOpts = {}): Res[] {
  return REGIONS.flatMap((r) => [
    res("pulumi:providers:aws", `mgmt-${r}`, { region: r }),
    res(
      STACK,
      `mgmt-baseline-${r}`,
      { name: "mgmt-baseline", templateBody: template(o) },
      { provider: urnOf("pulumi:providers:aws", `mgmt-${r}`) },
    ),
  ]);
}

const CFG_LABEL = `bucket "config-bucket" (${CFG}) (config delivery)`;
const WHERE = 'ConfigRecorder in the template of StackSet "member-baseline"';

describe("log-bucket policies: the Config bucket named by a delivery channel inside a template", () => {
  it("a compliant Config bucket passes policies 8–10, judged (nothing not-applicable)", async () => {
    for (const p of ["s3-log-bucket-versioning", "s3-log-bucket-kms-encryption", "s3-log-bucket-public-access"]) {
      const c = await check(p, [...stackSet(), ...configBucket()]);
      expect([p, c.messages, c.notApplicable]).toEqual([p, [], []]);
    }
  });
  it("an SSE-S3 Config bucket fails s3-log-bucket-kms-encryption (it was never seen before)", async () => {
    const c = await check("s3-log-bucket-kms-encryption", [...stackSet(), ...configBucket({ sseAlgorithm: "AES256" })]);
    expect(c.messages).toEqual([
      `${CFG_LABEL}: use sseAlgorithm "aws:kms" with a customer managed key instead of "AES256" (SSE-S3 is allowed only on a bucket that receives nothing but server access logs)`,
    ]);
    expect(c.violations[0].urn).toBe(urnOf(T.bucket, "config-bucket"));
  });
  it("an unversioned or public Config bucket fails policies 8 and 10; a plain Stack's template counts too", async () => {
    const noVersioning = [...managementStacks(), ...configBucket().filter((r) => r.name !== "config-versioning")];
    expect((await check("s3-log-bucket-versioning", noVersioning)).messages).toEqual([
      `${CFG_LABEL}: add an aws.s3.BucketVersioning with versioningConfiguration.status "Enabled"`,
    ]);
    const noPab = [...stackSet(), ...configBucket().filter((r) => r.name !== "config-pab")];
    expect((await check("s3-log-bucket-public-access", noPab)).messages).toEqual([
      `${CFG_LABEL}: add an aws.s3.BucketPublicAccessBlock with blockPublicAcls, blockPublicPolicy, ignorePublicAcls, restrictPublicBuckets all true`,
    ]);
  });
  it("a Ref to a parameter with a value (or a default) resolves; a Fn::Sub on the account id is reported, not ignored", async () => {
    const byParam = stackSet({
      bucketName: { Ref: "ConfigBucket" },
      parameters: { ConfigBucket: { Type: "String", Default: CFG } },
    });
    expect(
      (await check("s3-log-bucket-kms-encryption", [...byParam, ...configBucket({ sseAlgorithm: "AES256" })])).messages
        .length,
    ).toBe(1);
    const bySub = await check("s3-log-bucket-versioning", [
      ...stackSet({ bucketName: { "Fn::Sub": "config-${AWS::AccountId}" } }),
      ...configBucket(),
    ]);
    expect(bySub.messages).toEqual([]);
    const reason = (_region: string) =>
      `the S3BucketName of ConfigDeliveryChannel in the template of StackSet "member-baseline" cannot be resolved at preview ({"Fn::Sub":"config-\${AWS::AccountId}"} is only known at deployment), so its bucket is not judged`;
    expect(bySub.notApplicable).toEqual([
      REGIONS.map(reason)
        .filter((x, i, a) => a.indexOf(x) === i)
        .join("; "),
    ]);
  });
  it("a template's Config bucket this stack does not manage is reported as not judged", async () => {
    const c = await check("s3-log-bucket-public-access", stackSet());
    expect(c.messages).toEqual([]);
    expect(c.notApplicable).toEqual([
      `the Config bucket "${CFG}" named by a delivery channel in a CloudFormation template is not managed by this stack, so it is not judged here`,
    ]);
  });
  it("an unknown templateBody is reported as not judged", async () => {
    const c = await check("s3-log-bucket-versioning", [...stackSet(), ...configBucket()], {
      unknowns: { "member-baseline": ["templateBody"] },
    });
    expect(c.notApplicable).toEqual([
      'the templateBody of StackSet "member-baseline" is unknown at preview; a Config delivery channel inside it would not be judged',
    ]);
  });
});

describe("config-recorder-all-resources: recorders inside templates", () => {
  const P = "config-recorder-all-resources";
  it("the program's shape passes: all types, global types only where IsHomeRegion, a channel beside the recorder", async () => {
    for (const stack of [stackSet(), managementStacks()]) {
      const c = await check(P, stack);
      expect([c.messages, c.notApplicable]).toEqual([[], []]);
    }
  });
  it("a home region outside the StackSet's regions records global types nowhere", async () => {
    expect((await check(P, stackSet({ homeRegion: "ap-south-1" }))).messages).toEqual([
      'the accounts of StackSet "member-baseline": set RecordingGroup.IncludeGlobalResourceTypes: true on the recorder of exactly one region so IAM resources are recorded',
    ]);
    expect((await check(P, managementStacks({ homeRegion: "ap-south-1" }))).messages).toEqual([
      "account default: set RecordingGroup.IncludeGlobalResourceTypes: true on the recorder of exactly one region so IAM resources are recorded",
    ]);
  });
  it("IncludeGlobalResourceTypes: true in every region is refused", async () => {
    expect(
      (await check(P, stackSet({ recordingGroup: { AllSupported: true, IncludeGlobalResourceTypes: true } }))).messages,
    ).toEqual([
      'the accounts of StackSet "member-baseline": global resource types are recorded in 3 regions (us-east-1, us-west-2, eu-west-1); keep IncludeGlobalResourceTypes: true in one region only',
    ]);
  });
  it("AllSupported false fails in each region", async () => {
    const c = await check(
      P,
      stackSet({
        recordingGroup: {
          AllSupported: false,
          ResourceTypes: ["AWS::S3::Bucket"],
          IncludeGlobalResourceTypes: { "Fn::If": ["IsHomeRegion", true, false] },
        },
      }),
    );
    expect(c.messages).toEqual(
      REGIONS.map(
        (r) => `${WHERE}, ${r}: set RecordingGroup.AllSupported: true so every supported resource type is recorded`,
      ),
    );
  });
  it("no delivery channel, or one only in the home region, fails where it is missing", async () => {
    const msg = (r: string) =>
      `${WHERE}, ${r}: add an AWS::Config::DeliveryChannel to the same template: a recorder without a delivery channel cannot start`;
    expect((await check(P, stackSet({ channel: false }))).messages).toEqual(REGIONS.map(msg));
    expect((await check(P, stackSet({ channelCondition: "IsHomeRegion" }))).messages).toEqual(
      ["us-west-2", "eu-west-1"].map(msg),
    );
  });
  it("what cannot be evaluated statically is not applicable, with the reason", async () => {
    const noInstances = await check(P, stackSet({}, []));
    expect([noInstances.messages, noInstances.notApplicable]).toEqual([
      [],
      [
        `${WHERE} is not judged: StackSet "member-baseline" has no aws.cloudformation.StackSetInstance in this stack, so its regions are unknown`,
      ],
    ]);
    const byParam = await check(
      P,
      stackSet({
        recordingGroup: { AllSupported: true, IncludeGlobalResourceTypes: { Ref: "Global" } },
        parameters: { Global: { Type: "String" } },
      }),
    );
    expect(byParam.messages).toEqual([]);
    expect(byParam.notApplicable).toEqual([
      REGIONS.map(
        (r) =>
          `RecordingGroup.IncludeGlobalResourceTypes of ${WHERE} in ${r} cannot be evaluated at preview (parameter Global has no value known at preview)`,
      ).join("; "),
    ]);
    const unknownBody = await check(P, stackSet(), { unknowns: { "member-baseline": ["templateBody"] } });
    expect(unknownBody.notApplicable).toEqual([
      'the templateBody of StackSet "member-baseline" is unknown at preview; a Config recorder inside it would not be judged',
    ]);
  });
  it("a stack with no recorder at all is not applicable, with the reason", async () => {
    const c = await check(P, [res(T.key, "k", {})]);
    expect([c.messages, c.notApplicable]).toEqual([
      [],
      [
        "the stack manages no Config recorder: no aws.cfg.Recorder and no AWS::Config::ConfigurationRecorder in a CloudFormation Stack or StackSet template",
      ],
    ]);
  });
});
