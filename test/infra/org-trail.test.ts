import { beforeAll, describe, expect, it } from "vitest";
import type { ProgramRun } from "../../harness/run-program";
import { cloudTrailLogsRolePolicy, cloudTrailLogsTrustPolicy } from "../../baseline";
import { EXPECTED, LOG_GROUP } from "./expected";
import { doc, one, providerUrn, runStack, STACKS } from "./stack";

const TRAIL = "aws:cloudtrail/trail:Trail";

describe.each(STACKS)("OrgTrail (%s stack)", (stack) => {
  const x = EXPECTED[stack];
  let run: ProgramRun;
  beforeAll(async () => {
    run = await runStack(stack);
  });

  it("creates the protected log group with the configured retention, deletion protection and the log group key", () => {
    const g = one(run, "aws:cloudwatch/logGroup:LogGroup", "org-trail-log-group");
    const key = one(run, "aws:kms/key:Key", "log-group-key-key");
    expect(key.outputs.arn).toBe(`arn:aws:kms:${x.home}:${x.mgmt}:key/${key.outputs.keyId}`);
    expect(g.inputs).toEqual({
      name: LOG_GROUP,
      retentionInDays: x.logGroupRetentionDays,
      deletionProtectionEnabled: true,
      kmsKeyId: key.outputs.arn,
    });
    expect(g.protect).toBe(true);
  });

  it("creates the log group only after its key, whose policy admits CloudWatch Logs", () => {
    expect(one(run, "aws:cloudwatch/logGroup:LogGroup", "org-trail-log-group").dependencies).toContain(
      one(run, "aws:kms/key:Key", "log-group-key-key").urn,
    );
  });

  it("gives CloudTrail a least-privilege role for CloudWatch Logs, from the baseline documents", () => {
    const input = { trailArn: x.trailArn, managementAccountId: x.mgmt, homeRegion: x.home, logGroupName: LOG_GROUP };
    const role = one(run, "aws:iam/role:Role", "org-trail-logs-role");
    const { assumeRolePolicy, ...rest } = role.inputs;
    expect(rest).toEqual({
      name: `${x.trailName}-cloudwatch-logs`,
      description: "CloudTrail delivers the organization trail to CloudWatch Logs with this role",
    });
    expect(doc(assumeRolePolicy)).toEqual(cloudTrailLogsTrustPolicy(input));
    const rp = one(run, "aws:iam/rolePolicy:RolePolicy", "org-trail-logs-role-policy");
    expect(rp.inputs.role).toBe(`${x.trailName}-cloudwatch-logs`);
    expect(rp.inputs.name).toBe("cloudtrail-to-cloudwatch-logs");
    expect(doc(rp.inputs.policy)).toEqual(cloudTrailLogsRolePolicy(input));
  });

  it("creates the organization, multi-region, validated trail into the archive with the key and the log group", () => {
    const t = one(run, TRAIL, "org-trail-trail");
    const keyArn = one(run, "aws:kms/key:Key", "log-key-key").outputs.arn;
    const { advancedEventSelectors, ...rest } = t.inputs;
    expect(rest).toEqual({
      name: x.trailName,
      isOrganizationTrail: true,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      enableLogFileValidation: true,
      enableLogging: true,
      kmsKeyId: keyArn,
      s3BucketName: x.archive,
      cloudWatchLogsGroupArn: `arn:aws:logs:${x.home}:${x.mgmt}:log-group:${LOG_GROUP}:*`,
      cloudWatchLogsRoleArn: `arn:aws:iam::${x.mgmt}:role/${x.trailName}-cloudwatch-logs`,
    });
    expect(t.protect).toBe(true);
    expect(t.provider).toBe(providerUrn(run, "management"));
    expect(t.outputs.arn).toBe(x.trailArn);
    expect(run.outputs.trailArn).toBe(x.trailArn);
  });

  it("logs all management events, read and write, and exactly the configured data events", () => {
    const selectors = one(run, TRAIL, "org-trail-trail").inputs.advancedEventSelectors;
    const expected: unknown[] = [
      { name: "Management events", fieldSelectors: [{ field: "eventCategory", equals: ["Management"] }] },
    ];
    if (x.s3DataEvents) {
      expected.push({
        name: "S3 data events except the log buckets",
        fieldSelectors: [
          { field: "eventCategory", equals: ["Data"] },
          { field: "resources.type", equals: ["AWS::S3::Object"] },
          { field: "resources.ARN", notStartsWiths: [`arn:aws:s3:::${x.archive}/`, `arn:aws:s3:::${x.accessLogs}/`] },
        ],
      });
    }
    if (x.lambdaDataEvents) {
      expected.push({
        name: "Lambda data events",
        fieldSelectors: [
          { field: "eventCategory", equals: ["Data"] },
          { field: "resources.type", equals: ["AWS::Lambda::Function"] },
        ],
      });
    }
    expect(selectors).toEqual(expected);
    expect(selectors).toHaveLength(stack === "prod" ? 3 : 1);
  });

  it("waits explicitly for the bucket policy, the key, the role policy and the organization, so the first up succeeds", () => {
    const deps = one(run, TRAIL, "org-trail-trail").dependencies;
    for (const [type, name] of [
      ["aws:s3/bucketPolicy:BucketPolicy", "archive-policy"],
      ["aws:kms/key:Key", "log-key-key"],
      ["aws:iam/rolePolicy:RolePolicy", "org-trail-logs-role-policy"],
      ["aws:organizations/organization:Organization", "org-organization"],
      ["aws:cloudwatch/logGroup:LogGroup", "org-trail-log-group"],
    ]) {
      expect(deps, `${name}`).toContain(one(run, type, name).urn);
    }
  });

  it("keeps the log group and the role in the management account", () => {
    for (const [type, name] of [
      ["aws:cloudwatch/logGroup:LogGroup", "org-trail-log-group"],
      ["aws:iam/role:Role", "org-trail-logs-role"],
      ["aws:iam/rolePolicy:RolePolicy", "org-trail-logs-role-policy"],
    ]) {
      expect(one(run, type, name).provider).toBe(providerUrn(run, "management"));
    }
  });
});
