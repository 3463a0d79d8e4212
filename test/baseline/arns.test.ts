import { describe, expect, it } from "vitest";
import {
  ACCOUNT_ID,
  accountRoot,
  alarmArn,
  arn,
  awsManagedPolicyArn,
  bucketArn,
  cloudTrailPrefix,
  eventBusArn,
  eventRuleArn,
  guardDutyDetectorArn,
  iamArnPrefix,
  keyArn,
  logGroupArn,
  objectArn,
  ORG_ID,
  organizationAccountArn,
  organizationArn,
  parseArn,
  parseKmsKeyRef,
  roleArn,
  ROOT_ID,
  scpArn,
  securityHubArn,
  securityHubStandardArn,
  ssmAssociationArn,
  ssmParameterArn,
  trailArn,
  userArn,
  type KmsKeyRef,
  type ParsedArn,
} from "../../baseline";

const ORG = { managementAccountId: "111111111111", id: "o-a1b2c3d4e5" };
const KEY_UUID = "1234abcd-12ab-34cd-56ef-1234567890ab";
const MRK = "mrk-1234abcd12ab34cd56ef1234567890ab";

describe("ARN builders", () => {
  it.each([
    ["arn", arn("aws-us-gov", "iam", "", "111111111111", "root"), "arn:aws-us-gov:iam::111111111111:root"],
    ["accountRoot", accountRoot("333333333333"), "arn:aws:iam::333333333333:root"],
    ["roleArn", roleArn("333333333333", "orgwarden-auditor"), "arn:aws:iam::333333333333:role/orgwarden-auditor"],
    ["roleArn (pattern)", roleArn("*", "stacksets-exec-*"), "arn:aws:iam::*:role/stacksets-exec-*"],
    [
      "roleArn (path)",
      roleArn("444444444444", "aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig"),
      "arn:aws:iam::444444444444:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig",
    ],
    ["userArn", userArn("123456789012", "probe"), "arn:aws:iam::123456789012:user/probe"],
    [
      "awsManagedPolicyArn",
      awsManagedPolicyArn("service-role/AWSConfigRoleForOrganizations"),
      "arn:aws:iam::aws:policy/service-role/AWSConfigRoleForOrganizations",
    ],
    ["iamArnPrefix", iamArnPrefix("111111111111"), "arn:aws:iam::111111111111:"],
    ["organizationArn", organizationArn(ORG), "arn:aws:organizations::111111111111:organization/o-a1b2c3d4e5"],
    [
      "organizationAccountArn",
      organizationAccountArn(ORG, "444444444444"),
      "arn:aws:organizations::111111111111:account/o-a1b2c3d4e5/444444444444",
    ],
    [
      "scpArn",
      scpArn(ORG, "p-abcd1234"),
      "arn:aws:organizations::111111111111:policy/o-a1b2c3d4e5/service_control_policy/p-abcd1234",
    ],
    [
      "trailArn",
      trailArn("us-east-1", "111111111111", "orgwarden-org-trail"),
      "arn:aws:cloudtrail:us-east-1:111111111111:trail/orgwarden-org-trail",
    ],
    ["trailArn (pattern)", trailArn("*", "111111111111", "*"), "arn:aws:cloudtrail:*:111111111111:trail/*"],
    [
      "bucketArn",
      bucketArn("orgwarden-prod-cloudtrail-222222222222"),
      "arn:aws:s3:::orgwarden-prod-cloudtrail-222222222222",
    ],
    ["objectArn", objectArn("reports-bucket", "orgwarden/*"), "arn:aws:s3:::reports-bucket/orgwarden/*"],
    [
      "logGroupArn",
      logGroupArn("us-east-1", "111111111111", "/orgwarden/cloudtrail"),
      "arn:aws:logs:us-east-1:111111111111:log-group:/orgwarden/cloudtrail",
    ],
    [
      "logGroupArn (pattern)",
      logGroupArn("*", "*", "/orgwarden/cloudtrail"),
      "arn:aws:logs:*:*:log-group:/orgwarden/cloudtrail",
    ],
    [
      "cloudTrailPrefix",
      cloudTrailPrefix("o-a1b2c3d4e5", "444444444444", "eu-west-1"),
      "AWSLogs/o-a1b2c3d4e5/444444444444/CloudTrail/eu-west-1/",
    ],
    ["keyArn", keyArn("us-east-1", "333333333333", KEY_UUID), `arn:aws:kms:us-east-1:333333333333:key/${KEY_UUID}`],
    [
      "eventBusArn",
      eventBusArn("us-east-1", "333333333333", "orgwarden-central"),
      "arn:aws:events:us-east-1:333333333333:event-bus/orgwarden-central",
    ],
    ["eventRuleArn", eventRuleArn("eu-west-1", "444444444444", "*"), "arn:aws:events:eu-west-1:444444444444:rule/*"],
    [
      "ssmParameterArn",
      ssmParameterArn("us-east-1", "333333333333", "/orgwarden/manifest"),
      "arn:aws:ssm:us-east-1:333333333333:parameter/orgwarden/manifest",
    ],
    [
      "ssmAssociationArn",
      ssmAssociationArn("us-east-1", "444444444444", "a-1"),
      "arn:aws:ssm:us-east-1:444444444444:association/a-1",
    ],
    [
      "guardDutyDetectorArn",
      guardDutyDetectorArn("us-east-1", "444444444444", "d-1"),
      "arn:aws:guardduty:us-east-1:444444444444:detector/d-1",
    ],
    [
      "securityHubArn",
      securityHubArn("us-east-1", "444444444444"),
      "arn:aws:securityhub:us-east-1:444444444444:hub/default",
    ],
    [
      "securityHubStandardArn",
      securityHubStandardArn("us-east-1", "aws-foundational-security-best-practices/v/1.0.0"),
      "arn:aws:securityhub:us-east-1::standards/aws-foundational-security-best-practices/v/1.0.0",
    ],
    ["alarmArn", alarmArn("us-east-1", "111111111111", "*"), "arn:aws:cloudwatch:us-east-1:111111111111:alarm:*"],
  ])("%s", (_name, actual, expected) => {
    expect(actual).toBe(expected);
  });
});

describe("parseArn", () => {
  const p = (partition: string, service: string, region: string, account: string, resource: string): ParsedArn => ({
    partition,
    service,
    region,
    account,
    resource,
  });
  it.each<[string, ParsedArn | undefined]>([
    ["arn:aws:iam::111111111111:role/x", p("aws", "iam", "", "111111111111", "role/x")],
    [
      "arn:aws-us-gov:kms:us-gov-west-1:111111111111:key/k",
      p("aws-us-gov", "kms", "us-gov-west-1", "111111111111", "key/k"),
    ],
    ["arn:aws-cn:s3:::bucket", p("aws-cn", "s3", "", "", "bucket")],
    // the resource keeps its colons
    [
      "arn:aws:logs:us-east-1:111111111111:log-group:/x:*",
      p("aws", "logs", "us-east-1", "111111111111", "log-group:/x:*"),
    ],
    // patterns parse too: judging the fields is the caller's
    ["arn:aws:iam::*:role/*", p("aws", "iam", "", "*", "role/*")],
    ["arn:aws:iam::111111111111:", p("aws", "iam", "", "111111111111", "")],
    ["arn:aws:iam::111111111111", undefined],
    ["arn:other:iam::111111111111:root", undefined],
    ["ARN:aws:iam::111111111111:root", undefined],
    ["111111111111", undefined],
    ["", undefined],
  ])("%j", (s, expected) => {
    expect(parseArn(s)).toEqual(expected);
  });

  it.each([
    roleArn("111111111111", "a/b"),
    trailArn("eu-west-1", "111111111111", "t"),
    logGroupArn("us-east-1", "111111111111", "/a:b"),
    bucketArn("b"),
  ])("arn(...parseArn(%s)) gives it back", (s) => {
    const a = parseArn(s)!;
    expect(arn(a.partition, a.service, a.region, a.account, a.resource)).toBe(s);
  });
});

describe("parseKmsKeyRef", () => {
  it.each<[string, KmsKeyRef | undefined]>([
    [KEY_UUID, { kind: "key-id", keyId: KEY_UUID }],
    [MRK, { kind: "key-id", keyId: MRK }],
    [
      `arn:aws:kms:us-east-1:333333333333:key/${KEY_UUID}`,
      { kind: "key-arn", partition: "aws", region: "us-east-1", account: "333333333333", keyId: KEY_UUID },
    ],
    [
      `arn:aws-us-gov:kms:us-gov-west-1:333333333333:key/${MRK}`,
      { kind: "key-arn", partition: "aws-us-gov", region: "us-gov-west-1", account: "333333333333", keyId: MRK },
    ],
    // a key ARN's id is looser than a bare id (emulators)
    [
      "arn:aws:kms:us-east-1:333333333333:key/Abc-123",
      { kind: "key-arn", partition: "aws", region: "us-east-1", account: "333333333333", keyId: "Abc-123" },
    ],
    ["alias/orgwarden-logs", { kind: "alias-name", aliasName: "alias/orgwarden-logs" }],
    [
      "arn:aws-cn:kms:cn-north-1:333333333333:alias/orgwarden-logs",
      {
        kind: "alias-arn",
        partition: "aws-cn",
        region: "cn-north-1",
        account: "333333333333",
        aliasName: "alias/orgwarden-logs",
      },
    ],
    // not a bare id: upper case, wrong length, no mrk- hex
    [KEY_UUID.toUpperCase(), undefined],
    ["1234abcd-12ab-34cd-56ef-1234567890a", undefined],
    ["mrk-xyz", undefined],
    // not a key ARN
    [`arn:aws:kms:us-east-1:333333333333:key/${KEY_UUID}:extra`, undefined],
    [`arn:aws:kms:us-east-1:333333333333:key/`, undefined],
    [`arn:aws:kms:us-east-1:3333:key/${KEY_UUID}`, undefined],
    [`arn:aws:kms::333333333333:key/${KEY_UUID}`, undefined],
    [`arn:aws:kms:US-EAST-1:333333333333:key/${KEY_UUID}`, undefined],
    [`arn:aws:s3:us-east-1:333333333333:key/${KEY_UUID}`, undefined],
    ["arn:aws:kms:us-east-1:333333333333:grant/x", undefined],
    ["not-a-key", undefined],
    ["", undefined],
  ])("%j", (s, expected) => {
    expect(parseKmsKeyRef(s)).toEqual(expected);
  });
});

describe("id patterns", () => {
  it.each([
    [ACCOUNT_ID, "111111111111", true],
    [ACCOUNT_ID, "11111111111", false],
    [ACCOUNT_ID, "1111111111112", false],
    [ORG_ID, "o-a1b2c3d4e5", true],
    [ORG_ID, "o-abc", false],
    [ORG_ID, "o-A1B2C3D4E5", false],
    [ROOT_ID, "r-a1b2", true],
    [ROOT_ID, "r-a1", false],
  ])("%s on %s → %s", (re, value, ok) => {
    expect(re.test(value)).toBe(ok);
  });
});
