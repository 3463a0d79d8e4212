/** The detection baseline as the real program wires it, on the example stacks. */
import { beforeAll, describe, expect, it } from "vitest";
import type { ProgramRun } from "../../../harness/run-program";
import { CIS_FILTERS, configKeyPolicy } from "../../../baseline/detection";
import { EXPECTED } from "../expected";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ofType, one, previewFailing, ROOT, runStack, STACKS } from "../stack";
import { runProcess } from "../../helpers/run";

const providerName = (urn: string | undefined) => urn?.split("::").pop();

describe("prod stack", () => {
  let run: ProgramRun;
  beforeAll(async () => {
    run = await runStack("prod");
  });

  it("targets the StackSet at every configured OU, in every governed region, home first", () => {
    const ouIds = ["org-ou-security", "org-ou-workloads", "org-ou-sandbox"].map(
      (n) => one(run, "aws:organizations/organizationalUnit:OrganizationalUnit", n).id,
    );
    expect(ouIds[0]).toBe("ou-ex12-secur1ty");
    const instances = ofType(run, "aws:cloudformation/stackSetInstance:StackSetInstance");
    expect(
      instances.map((i) => [i.inputs.stackSetInstanceRegion, i.inputs.deploymentTargets, providerName(i.provider)]),
    ).toEqual(["us-east-1", "us-west-2", "eu-west-1"].map((r) => [r, { organizationalUnitIds: ouIds }, "management"]));
    const stackSet = one(run, "aws:cloudformation/stackSet:StackSet", "detection-member-baseline-stackset");
    expect([stackSet.inputs.permissionModel, stackSet.inputs.autoDeployment, providerName(stackSet.provider)]).toEqual([
      "SERVICE_MANAGED",
      { enabled: true, retainStacksOnAccountRemoval: false },
      "management",
    ]);
    expect(stackSet.dependencies).toContain(
      one(run, "aws:organizations/organization:Organization", "org-organization").urn,
    );
    expect(stackSet.inputs.operationPreferences).toEqual({
      maxConcurrentPercentage: 20,
      failureTolerancePercentage: 10,
      regionConcurrencyType: "SEQUENTIAL",
      regionOrders: ["us-east-1", "us-west-2", "eu-west-1"],
    });
  });

  it("deploys a template that cfn-lint passes without any finding", async () => {
    const dir = mkdtempSync(join(tmpdir(), "orgwarden-prod-template-"));
    const file = join(dir, "member-baseline.json");
    writeFileSync(
      file,
      one(run, "aws:cloudformation/stackSet:StackSet", "detection-member-baseline-stackset").inputs.templateBody,
    );
    const r = await runProcess(
      join(ROOT, ".venv/bin/cfn-lint"),
      ["--regions", "us-east-1", "us-west-2", "eu-west-1", "--", file],
      {},
    );
    rmSync(dir, { recursive: true, force: true });
    expect([r.status, `${r.stdout}${r.stderr}`]).toEqual([0, ""]);
  });

  it("covers the management account directly and nothing else, since the Security OU is targeted", () => {
    expect(ofType(run, "aws:cloudformation/stack:Stack").map((s) => providerName(s.provider))).toEqual([
      "management",
      "management-us-west-2",
      "management-eu-west-1",
    ]);
  });

  it("designates the security account (777788889999) in every region through the regional providers", () => {
    for (const [region, mgmt, sec] of [
      ["us-east-1", "management", "security"],
      ["us-west-2", "management-us-west-2", "security-us-west-2"],
      ["eu-west-1", "management-eu-west-1", "security-eu-west-1"],
    ]) {
      const gd = one(
        run,
        "aws:guardduty/organizationAdminAccount:OrganizationAdminAccount",
        `detection-guardduty-${region}-admin`,
      );
      expect([providerName(gd.provider), gd.inputs.adminAccountId]).toEqual([mgmt, "777788889999"]);
      expect(
        providerName(one(run, "aws:guardduty/detector:Detector", `detection-guardduty-${region}-detector`).provider),
      ).toBe(sec);
      expect(
        providerName(
          one(
            run,
            "aws:guardduty/organizationConfiguration:OrganizationConfiguration",
            `detection-guardduty-${region}-organization`,
          ).provider,
        ),
      ).toBe(sec);
      expect(
        providerName(
          one(
            run,
            "aws:securityhub/organizationAdminAccount:OrganizationAdminAccount",
            `detection-securityhub-${region}-admin`,
          ).provider,
        ),
      ).toBe(mgmt);
      expect(
        providerName(
          one(run, "aws:inspector2/delegatedAdminAccount:DelegatedAdminAccount", `detection-inspector-${region}-admin`)
            .provider,
        ),
      ).toBe(mgmt);
    }
    const features = ofType(
      run,
      "aws:guardduty/organizationConfigurationFeature:OrganizationConfigurationFeature",
    ).filter((f) => providerName(f.provider) === "security");
    expect(features.map((f) => f.inputs.name).sort()).toEqual([
      "EBS_MALWARE_PROTECTION",
      "EKS_AUDIT_LOGS",
      "LAMBDA_NETWORK_LOGS",
      "RDS_LOGIN_EVENTS",
      "RUNTIME_MONITORING",
      "S3_DATA_EVENTS",
    ]);
  });

  it("puts the CIS filters on the trail's log group after it exists, and every alarm on the management topic", () => {
    const logGroup = one(run, "aws:cloudwatch/logGroup:LogGroup", "org-trail-log-group");
    const filters = ofType(run, "aws:cloudwatch/logMetricFilter:LogMetricFilter");
    expect(filters).toHaveLength(CIS_FILTERS.length);
    for (const f of filters) {
      expect([f.inputs.logGroupName, providerName(f.provider)]).toEqual([logGroup.inputs.name, "management"]);
      expect(f.dependencies).toContain(logGroup.urn);
    }
    // The audit agent's errors alarm (security account) is tested in test/infra/audit-agent.test.ts.
    const alarms = ofType(run, "aws:cloudwatch/metricAlarm:MetricAlarm").filter((a) => a.name.startsWith("detection-"));
    expect(alarms.map((a) => [a.inputs.actionsEnabled, a.inputs.alarmActions])).toEqual(
      CIS_FILTERS.map(() => [true, ["arn:aws:sns:us-east-1:444455556666:orgwarden-cis-alarms"]]),
    );
  });

  it("subscribes the prod alert addresses to both topics", () => {
    const subs = ofType(run, "aws:sns/topicSubscription:TopicSubscription");
    expect(subs.map((s) => [s.inputs.topic, s.inputs.endpoint]).sort()).toEqual([
      ["arn:aws:sns:us-east-1:444455556666:orgwarden-cis-alarms", "security-alerts@example.com"],
      ["arn:aws:sns:us-east-1:444455556666:orgwarden-cis-alarms", "soc-oncall@example.com"],
      ["arn:aws:sns:us-east-1:777788889999:orgwarden-security-alerts", "security-alerts@example.com"],
      ["arn:aws:sns:us-east-1:777788889999:orgwarden-security-alerts", "soc-oncall@example.com"],
    ]);
  });
});

describe("dev stack", () => {
  it("targets only tagged instances in the member template", async () => {
    const run = await runStack("dev");
    const body = one(run, "aws:cloudformation/stackSet:StackSet", "detection-member-baseline-stackset").inputs
      .templateBody;
    const tpl = JSON.parse(body);
    for (const a of [
      "UpdateSsmAgentAssociation",
      "InstallCloudWatchAgentAssociation",
      "ConfigureCloudWatchAgentAssociation",
    ]) {
      expect([tpl.Resources[a].Properties.Targets, tpl.Resources[a].Properties.ComplianceSeverity], a).toEqual([
        [{ Key: "tag:orgwarden:managed", Values: ["true"] }],
        "MEDIUM",
      ]);
    }
    expect(tpl.Conditions.IsHomeRegion).toEqual({ "Fn::Equals": [{ Ref: "AWS::Region" }, "eu-west-1"] });
    const stacks = ofType(run, "aws:cloudformation/stack:Stack");
    expect(stacks.map((s) => providerName(s.provider))).toEqual(["management", "management-eu-central-1"]);
  });
});

describe.each(STACKS)("%s stack: the Config bucket's key", (stack) => {
  const x = EXPECTED[stack];
  let run: ProgramRun;
  beforeAll(async () => {
    run = await runStack(stack);
  });

  it("is a protected, rotating customer key of the log-archive account in the home region, with the Config key policy and its alias", () => {
    const key = one(run, "aws:kms/key:Key", "detection-config-bucket-key");
    expect([providerName(key.provider), key.protect, key.outputs.arn]).toEqual([
      "log-archive",
      true,
      `arn:aws:kms:${x.home}:${x.logArchiveId}:key/${key.id}`,
    ]);
    const { policy, ...rest } = key.inputs;
    expect(rest).toEqual({
      description: "orgwarden: encrypts AWS Config deliveries in the Config bucket",
      keyUsage: "ENCRYPT_DECRYPT",
      customerMasterKeySpec: "SYMMETRIC_DEFAULT",
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      tags: { "orgwarden:protected": "true" },
    });
    expect(JSON.parse(policy)).toEqual(
      configKeyPolicy({ accountId: x.logArchiveId, configBucketName: x.configBucket }),
    );
    const alias = one(run, "aws:kms/alias:Alias", "detection-config-bucket-key-alias");
    expect([providerName(alias.provider), alias.inputs]).toEqual([
      "log-archive",
      { name: "alias/orgwarden-config", targetKeyId: key.id },
    ]);
  });

  it("is the bucket's default encryption (SSE-KMS, no Bucket Key) and every delivery channel's S3KmsKeyArn", () => {
    const keyArn = one(run, "aws:kms/key:Key", "detection-config-bucket-key").outputs.arn;
    const encryption = one(
      run,
      "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
      "detection-config-bucket-encryption",
    );
    expect([providerName(encryption.provider), encryption.inputs]).toEqual([
      "log-archive",
      {
        bucket: x.configBucket,
        rules: [
          {
            applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: keyArn },
            bucketKeyEnabled: false,
          },
        ],
      },
    ]);
    const bodies = [
      one(run, "aws:cloudformation/stackSet:StackSet", "detection-member-baseline-stackset"),
      ...ofType(run, "aws:cloudformation/stack:Stack"),
    ].map((r) => r.inputs.templateBody);
    for (const body of bodies) {
      expect(JSON.parse(body).Resources.ConfigDeliveryChannel.Properties).toEqual({
        Name: "orgwarden",
        S3BucketName: x.configBucket,
        S3KmsKeyArn: keyArn,
        ConfigSnapshotDeliveryProperties: { DeliveryFrequency: "TwentyFour_Hours" },
      });
    }
  });
});

describe("config errors through the offline preview", () => {
  it("lists foundation and detection problems in one error, exit 2", async () => {
    const r = await previewFailing("baddetection", {
      "logArchive.lockMode": "STRICT",
      "alerts.emails": ["not-an-address"],
      "ssm.complianceSeverity": "SEVERE",
    });
    expect(r.stderr).toBe(
      [
        "invalid stack configuration (3 problems):",
        '  - orgwarden:logArchive.lockMode must be "COMPLIANCE" or "GOVERNANCE"',
        "  - orgwarden:alerts.emails[0] must be e-mail addresses such as security-alerts@example.com",
        "  - orgwarden:ssm.complianceSeverity must be one of CRITICAL, HIGH, MEDIUM, LOW, UNSPECIFIED",
        "",
      ].join("\n"),
    );
    expect(r.status).toBe(2);
  });

  it("refuses a StackSet target OU that organization.ous does not list", async () => {
    const r = await previewFailing("badous", { "stackSet.targetOus": ["Workloads", "Prod"] });
    expect(r.stderr).toBe(
      [
        "invalid stack configuration (1 problem):",
        "  - orgwarden:stackSet.targetOus names Prod, which orgwarden:organization.ous does not list (Security, Workloads)",
        "",
      ].join("\n"),
    );
    expect(r.status).toBe(2);
  });
});
