import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  auditRoleExtraPolicy,
  auditRoleTrustPolicy,
  cisEventsPatterns,
  cloudWatchAgentConfig,
  findingsForwardPattern,
  memberBaselineTemplate,
  memberBaselineTemplateBody,
  ssmTargets,
} from "../../../baseline/detection";
import { TEMPLATE_INPUT } from "./template-input";
import { runProcess } from "../../helpers/run";

const CFN_LINT = join(__dirname, "../../../.venv/bin/cfn-lint");
const dir = mkdtempSync(join(tmpdir(), "orgwarden-cfn-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cfnLint(name: string, body: string): Promise<{ status: number; output: string }> {
  if (!existsSync(CFN_LINT)) throw new Error(`${CFN_LINT} is missing: run bash scripts/setup-python.sh`);
  const file = join(dir, name);
  writeFileSync(file, body);
  const r = await runProcess(CFN_LINT, ["--regions", "us-east-1", "eu-west-1", "--", file], {});
  return { status: r.status ?? -1, output: `${r.stdout}${r.stderr}` };
}

const tpl = memberBaselineTemplate(TEMPLATE_INPUT);

describe("member baseline template under cfn-lint", () => {
  it("passes cfn-lint with no error, warning or informational finding", async () => {
    const r = await cfnLint("baseline.json", memberBaselineTemplateBody(TEMPLATE_INPUT));
    expect(r.output).toBe("");
    expect(r.status).toBe(0);
  });

  it("passes with tag targeting and another home region too", async () => {
    const body = memberBaselineTemplateBody({
      ...TEMPLATE_INPUT,
      homeRegion: "eu-west-1",
      ssm: { ...TEMPLATE_INPUT.ssm, targetTagKey: "orgwarden:managed", targetTagValue: "true" },
    });
    expect(await cfnLint("tagged.json", body)).toEqual({ status: 0, output: "" });
  });

  it("without Config (accounts AWS Control Tower enrolls, controlTower.enabled) passes too, and lays no recorder, channel or Config role", async () => {
    const input = { ...TEMPLATE_INPUT, recordConfig: false };
    expect(await cfnLint("no-config.json", memberBaselineTemplateBody(input))).toEqual({ status: 0, output: "" });
    const t = memberBaselineTemplate(input);
    const full = memberBaselineTemplate(TEMPLATE_INPUT);
    expect(Object.keys(full.Resources).filter((k) => !(k in t.Resources))).toEqual([
      "ConfigServiceLinkedRole",
      "ConfigRecorder",
      "ConfigDeliveryChannel",
    ]);
    expect(Object.keys(t.Resources).filter((k) => !(k in full.Resources))).toEqual([]);
    expect(Object.keys(t.Parameters)).toEqual(["CreateDhmcRole"]);
    expect(Object.keys(t.Outputs)).toEqual(["AuditReadRoleArn"]);
    expect(t.Description.startsWith("orgwarden member baseline: audit read role,")).toBe(true);
  });

  it("fails (exit bit 2, E3003) on a deliberately broken template: delivery channel without its bucket", async () => {
    const broken = memberBaselineTemplate(TEMPLATE_INPUT);
    delete (broken.Resources.ConfigDeliveryChannel.Properties as Record<string, unknown>).S3BucketName;
    const r = await cfnLint("broken.json", JSON.stringify(broken));
    expect(r.status & 2).toBe(2);
    expect(r.output).toMatch(/E3003 'S3BucketName' is a required property/);
  });

  it("fails on a resource type that does not exist", async () => {
    const broken = memberBaselineTemplate(TEMPLATE_INPUT);
    broken.Resources.DhmcServiceSetting.Type = "AWS::SSM::DefaultHostManagement";
    const r = await cfnLint("broken-type.json", JSON.stringify(broken));
    expect(r.status & 2).toBe(2);
    expect(r.output).toMatch(/E3006/);
  });
});

describe("member baseline template content", () => {
  it("has exactly the resources of the baseline", () => {
    expect(
      Object.fromEntries(Object.entries(tpl.Resources).map(([k, v]) => [k, [v.Type, v.Condition ?? null]])),
    ).toEqual({
      ConfigServiceLinkedRole: ["AWS::IAM::ServiceLinkedRole", "CreateConfigServiceLinkedRole"],
      AuditReadRole: ["AWS::IAM::Role", "IsHomeRegion"],
      DhmcRole: ["AWS::IAM::Role", "CreateDhmcRole"],
      EventForwarderRole: ["AWS::IAM::Role", "IsHomeRegion"],
      ConfigRecorder: ["AWS::Config::ConfigurationRecorder", null],
      ConfigDeliveryChannel: ["AWS::Config::DeliveryChannel", null],
      DhmcServiceSetting: ["AWS::SSM::ServiceSetting", null],
      UpdateSsmAgentAssociation: ["AWS::SSM::Association", null],
      CloudWatchAgentConfigParameter: ["AWS::SSM::Parameter", null],
      InstallCloudWatchAgentAssociation: ["AWS::SSM::Association", null],
      ConfigureCloudWatchAgentAssociation: ["AWS::SSM::Association", null],
      ForwardFindingsRule: ["AWS::Events::Rule", null],
      ForwardCisEventsRule1: ["AWS::Events::Rule", null],
      ForwardCisEventsRule2: ["AWS::Events::Rule", null],
    });
  });

  it("records all supported types everywhere and global types only in the home region, as the service-linked role", () => {
    expect(tpl.Conditions.IsHomeRegion).toEqual({ "Fn::Equals": [{ Ref: "AWS::Region" }, "us-east-1"] });
    expect(tpl.Resources.ConfigRecorder.Properties).toEqual({
      Name: "orgwarden",
      // A reference where the stack creates the role orders the recorder after it; a plain ARN elsewhere.
      RoleARN: {
        "Fn::If": [
          "CreateConfigServiceLinkedRole",
          {
            "Fn::Sub": [
              "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/aws-service-role/config.amazonaws.com/${SlrName}",
              { SlrName: { Ref: "ConfigServiceLinkedRole" } },
            ],
          },
          {
            "Fn::Sub":
              "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig",
          },
        ],
      },
      RecordingGroup: { AllSupported: true, IncludeGlobalResourceTypes: { "Fn::If": ["IsHomeRegion", true, false] } },
    });
    expect(tpl.Resources.ConfigDeliveryChannel.Properties).toEqual({
      Name: "orgwarden",
      S3BucketName: "orgwarden-prod-config-111111111111",
      S3KmsKeyArn: "arn:aws:kms:us-east-1:222222222222:key/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
      ConfigSnapshotDeliveryProperties: { DeliveryFrequency: "TwentyFour_Hours" },
    });
  });

  it("creates the audit read role with SecurityAudit, the extra reads and the agent-only trust", () => {
    expect(tpl.Resources.AuditReadRole.Properties).toEqual({
      RoleName: "orgwarden-audit-read",
      Description: "Read-only role the orgwarden audit agent assumes from the security account",
      AssumeRolePolicyDocument: auditRoleTrustPolicy({
        securityAccountId: "333333333333",
        agentRoleName: "orgwarden-audit-agent",
        orgId: "o-a1b2c3d4e5",
      }),
      ManagedPolicyArns: ["arn:aws:iam::aws:policy/SecurityAudit"],
      Policies: [{ PolicyName: "audit-extra-read", PolicyDocument: auditRoleExtraPolicy() }],
      MaxSessionDuration: 3600,
    });
  });

  it("enables Default Host Management through the SSM service setting and its role", () => {
    expect(tpl.Resources.DhmcServiceSetting.Properties).toEqual({
      SettingId: "/ssm/managed-instance/default-ec2-instance-management-role",
      SettingValue: "service-role/AWSSystemsManagerDefaultEC2InstanceManagementRole",
    });
    expect(tpl.Resources.DhmcRole.Properties).toEqual({
      RoleName: "AWSSystemsManagerDefaultEC2InstanceManagementRole",
      Path: "/service-role/",
      AssumeRolePolicyDocument: {
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "ssm.amazonaws.com" }, Action: "sts:AssumeRole" }],
      },
      ManagedPolicyArns: ["arn:aws:iam::aws:policy/AmazonSSMManagedEC2InstanceDefaultPolicy"],
    });
  });

  it("keeps the SSM agent current on every instance, with schedule and severity", () => {
    expect(tpl.Resources.UpdateSsmAgentAssociation.Properties).toEqual({
      Name: "AWS-UpdateSSMAgent",
      AssociationName: "orgwarden-update-ssm-agent",
      ScheduleExpression: "rate(14 days)",
      Targets: [{ Key: "InstanceIds", Values: ["*"] }],
      ComplianceSeverity: "HIGH",
      Tags: [{ Key: "orgwarden:protected", Value: "true" }],
    });
  });

  it("tags every association orgwarden:protected=true, the tag the logging SCP protects them by", () => {
    const associations = Object.values(tpl.Resources).filter((r) => r.Type === "AWS::SSM::Association");
    expect(associations).toHaveLength(3);
    expect(associations.map((r) => (r.Properties as { Tags: unknown }).Tags)).toEqual(
      Array(3).fill([{ Key: "orgwarden:protected", Value: "true" }]),
    );
  });

  it("installs then configures the CloudWatch agent from the SSM parameter holding the generated config", () => {
    expect(tpl.Resources.InstallCloudWatchAgentAssociation.Properties.Parameters).toEqual({
      action: ["Install"],
      installationType: ["Uninstall and reinstall"],
      name: ["AmazonCloudWatchAgent"],
    });
    expect(tpl.Resources.ConfigureCloudWatchAgentAssociation.Properties).toEqual({
      Name: "AmazonCloudWatch-ManageAgent",
      AssociationName: "orgwarden-configure-cloudwatch-agent",
      Parameters: {
        action: ["configure"],
        mode: ["ec2"],
        optionalConfigurationSource: ["ssm"],
        optionalConfigurationLocation: ["AmazonCloudWatch-orgwarden-security-logs"],
        optionalRestart: ["yes"],
      },
      ScheduleExpression: "rate(30 days)",
      Targets: [{ Key: "InstanceIds", Values: ["*"] }],
      ComplianceSeverity: "HIGH",
      Tags: [{ Key: "orgwarden:protected", Value: "true" }],
    });
    expect(JSON.parse(tpl.Resources.CloudWatchAgentConfigParameter.Properties.Value as string)).toEqual(
      cloudWatchAgentConfig({ logGroupPrefix: "/orgwarden/os", retentionDays: 365 }),
    );
  });

  it("forwards findings and the CIS events to the central bus through the forwarder role", () => {
    const roleArn = {
      "Fn::If": [
        "IsHomeRegion",
        { "Fn::GetAtt": ["EventForwarderRole", "Arn"] },
        { "Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/orgwarden-event-forwarder" },
      ],
    };
    const target = [{ Id: "central-bus", Arn: TEMPLATE_INPUT.centralBusArn, RoleArn: roleArn }];
    expect(tpl.Resources.ForwardFindingsRule.Properties.EventPattern).toEqual(findingsForwardPattern());
    expect(tpl.Resources.ForwardFindingsRule.Properties.Targets).toEqual(target);
    expect(
      [tpl.Resources.ForwardCisEventsRule1, tpl.Resources.ForwardCisEventsRule2].map((r) => r.Properties.EventPattern),
    ).toEqual(cisEventsPatterns());
    expect(tpl.Resources.ForwardCisEventsRule2.Properties.Targets).toEqual(target);
  });

  it("states the Inspector Classic end of support in Description and Metadata", () => {
    expect(tpl.Description).toMatch(/Inspector Classic and its separate agent reached end of support on 2026-05-20/);
    expect((tpl.Metadata.orgwarden as Record<string, string>).inspector).toMatch(/AWS-UpdateSSMAgent/);
  });
});

describe("ssmTargets", () => {
  it("targets all instances, a tag key, or a tag key and value", () => {
    expect(ssmTargets({})).toEqual([{ Key: "InstanceIds", Values: ["*"] }]);
    expect(ssmTargets({ targetTagKey: "Patch" })).toEqual([{ Key: "tag-key", Values: ["Patch"] }]);
    expect(ssmTargets({ targetTagKey: "Patch", targetTagValue: "yes" })).toEqual([
      { Key: "tag:Patch", Values: ["yes"] },
    ]);
  });
});
