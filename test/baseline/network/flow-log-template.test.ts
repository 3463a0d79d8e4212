/** The member template's VPC Flow Logs enforcement: exact resources, exact CreateFlowLogs request, and cfn-lint clean. */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { memberBaselineTemplate, memberBaselineTemplateBody } from "../../../baseline/detection";
import {
  createFlowLogsRequest,
  FLOW_LOG_FORMAT,
  flowLogAutomationContent,
  flowLogRemediationPolicy,
} from "../../../baseline/network";
import { PROTECT_TAG_KEY, PROTECT_TAG_VALUE } from "../../../baseline";
import { TEMPLATE_INPUT } from "../detection/template-input";
import { runProcess } from "../../helpers/run";

const CFN_LINT = join(__dirname, "../../../.venv/bin/cfn-lint");
const dir = mkdtempSync(join(tmpdir(), "orgwarden-cfn-flow-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cfnLint(name: string, body: string): Promise<{ status: number; output: string }> {
  if (!existsSync(CFN_LINT)) throw new Error(`${CFN_LINT} is missing: run bash scripts/setup-python.sh`);
  const file = join(dir, name);
  writeFileSync(file, body);
  const r = await runProcess(CFN_LINT, ["--regions", "us-east-1", "eu-west-1", "--", file], {});
  return { status: r.status ?? -1, output: `${r.stdout}${r.stderr}` };
}

const BUCKET_ARN = "arn:aws:s3:::orgwarden-prod-flow-logs-111111111111";
const INPUT = { ...TEMPLATE_INPUT, flowLogs: { bucketArn: BUCKET_ARN } };
const tpl = memberBaselineTemplate(INPUT);

describe("the flow-log format", () => {
  it("is exactly the issue's fields, in its order, as ${field} tokens", () => {
    expect(FLOW_LOG_FORMAT).toBe(
      "${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status} ${vpc-id} ${subnet-id} ${instance-id} ${tcp-flags} ${flow-direction}",
    );
  });

  it("is requested with the EC2 API's parameter names: S3, Parquet, hourly, non-Hive, 60 s, ALL traffic, protect tag", () => {
    expect(createFlowLogsRequest(BUCKET_ARN, "vpc-0a1b2c3d")).toEqual({
      ResourceIds: ["vpc-0a1b2c3d"],
      ResourceType: "VPC",
      TrafficType: "ALL",
      LogDestinationType: "s3",
      LogDestination: BUCKET_ARN,
      LogFormat: FLOW_LOG_FORMAT,
      MaxAggregationInterval: 60,
      DestinationOptions: { FileFormat: "parquet", HiveCompatiblePartitions: false, PerHourPartition: true },
      TagSpecifications: [{ ResourceType: "vpc-flow-log", Tags: [{ Key: PROTECT_TAG_KEY, Value: PROTECT_TAG_VALUE }] }],
    });
  });
});

describe("member template with network.flowLogs.enabled", () => {
  it("passes cfn-lint with no finding, in either home region", async () => {
    expect(await cfnLint("flow.json", memberBaselineTemplateBody(INPUT))).toEqual({ status: 0, output: "" });
    expect(await cfnLint("flow-eu.json", memberBaselineTemplateBody({ ...INPUT, homeRegion: "eu-west-1" }))).toEqual({
      status: 0,
      output: "",
    });
  });

  it("cfn-lint catches a broken remediation (no target), so the lint is really reading these resources", async () => {
    const broken = memberBaselineTemplate(INPUT);
    delete (broken.Resources.VpcFlowLogsRemediation.Properties as Record<string, unknown>).TargetId;
    const r = await cfnLint("flow-broken.json", JSON.stringify(broken));
    expect(r.status & 2).toBe(2);
    expect(r.output).toMatch(/E3003 'TargetId' is a required property/);
  });

  it("adds exactly the role (home region only), the automation document, the rule and its remediation", () => {
    const base = memberBaselineTemplate(TEMPLATE_INPUT);
    const added = Object.keys(tpl.Resources).filter((k) => !(k in base.Resources));
    expect(
      Object.fromEntries(added.map((k) => [k, [tpl.Resources[k].Type, tpl.Resources[k].Condition ?? null]])),
    ).toEqual({
      FlowLogRemediationRole: ["AWS::IAM::Role", "IsHomeRegion"],
      FlowLogAutomationDocument: ["AWS::SSM::Document", null],
      VpcFlowLogsRule: ["AWS::Config::ConfigRule", null],
      VpcFlowLogsRemediation: ["AWS::Config::RemediationConfiguration", null],
    });
    // Nothing else of the baseline changes.
    for (const k of Object.keys(base.Resources)) expect(tpl.Resources[k], k).toEqual(base.Resources[k]);
  });

  it("evaluates every VPC hourly with the managed rule, after the recorder can deliver", () => {
    expect(tpl.Resources.VpcFlowLogsRule).toEqual({
      Type: "AWS::Config::ConfigRule",
      DependsOn: "ConfigDeliveryChannel",
      Properties: {
        ConfigRuleName: "orgwarden-vpc-flow-logs-enabled",
        Description: "Every VPC has a flow log of ALL traffic (orgwarden remediates automatically)",
        Source: { Owner: "AWS", SourceIdentifier: "VPC_FLOW_LOGS_ENABLED" },
        InputParameters: { trafficType: "ALL" },
        MaximumExecutionFrequency: "One_Hour",
      },
    });
  });

  it("remediates automatically with the document, the VPC id from the evaluation and the role of this account", () => {
    expect(tpl.Resources.VpcFlowLogsRemediation.Properties).toEqual({
      ConfigRuleName: { Ref: "VpcFlowLogsRule" },
      TargetType: "SSM_DOCUMENT",
      TargetId: { Ref: "FlowLogAutomationDocument" },
      ResourceType: "AWS::EC2::VPC",
      Automatic: true,
      MaximumAutomaticAttempts: 5,
      RetryAttemptSeconds: 60,
      Parameters: {
        VpcId: { ResourceValue: { Value: "RESOURCE_ID" } },
        AutomationAssumeRole: {
          StaticValue: {
            Values: [
              {
                "Fn::If": [
                  "IsHomeRegion",
                  { "Fn::GetAtt": ["FlowLogRemediationRole", "Arn"] },
                  { "Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/orgwarden-flow-log-remediation" },
                ],
              },
            ],
          },
        },
      },
    });
  });

  it("the document creates the flow log with the exact request, then requires it ACTIVE", () => {
    const d = tpl.Resources.FlowLogAutomationDocument.Properties;
    expect([d.Name, d.DocumentType, d.DocumentFormat, d.UpdateMethod]).toEqual([
      "orgwarden-EnableVpcFlowLogs",
      "Automation",
      "JSON",
      "NewVersion",
    ]);
    const content = d.Content as ReturnType<typeof flowLogAutomationContent> & {
      mainSteps: { name: string; action: string; inputs: Record<string, unknown> }[];
    };
    expect(content.assumeRole).toBe("{{ AutomationAssumeRole }}");
    const { Service, Api, ...request } = content.mainSteps[0].inputs;
    expect([Service, Api, content.mainSteps[0].action]).toEqual(["ec2", "CreateFlowLogs", "aws:executeAwsApi"]);
    expect(request).toEqual(createFlowLogsRequest(BUCKET_ARN, "{{ VpcId }}"));
    expect(content.mainSteps[1]).toEqual({
      name: "RequireActiveFlowLog",
      action: "aws:assertAwsResourceProperty",
      onFailure: "Abort",
      isEnd: true,
      inputs: {
        Service: "ec2",
        Api: "DescribeFlowLogs",
        Filter: [{ Name: "resource-id", Values: ["{{ VpcId }}"] }],
        PropertySelector: "$.FlowLogs[0].FlowLogStatus",
        DesiredValues: ["ACTIVE"],
      },
    });
  });

  it("the role is assumable by SSM of this account only and holds the remediation policy", () => {
    const p = tpl.Resources.FlowLogRemediationRole.Properties;
    expect(p.RoleName).toBe("orgwarden-flow-log-remediation");
    expect(p.AssumeRolePolicyDocument).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { Service: "ssm.amazonaws.com" },
          Action: "sts:AssumeRole",
          Condition: { StringEquals: { "aws:SourceAccount": { Ref: "AWS::AccountId" } } },
        },
      ],
    });
    expect(p.Policies).toEqual([{ PolicyName: "create-vpc-flow-logs", PolicyDocument: flowLogRemediationPolicy() }]);
  });

  it("without flowLogs the template has none of these resources", () => {
    const base = memberBaselineTemplate(TEMPLATE_INPUT);
    expect(Object.keys(base.Resources).filter((k) => /FlowLog/.test(k))).toEqual([]);
  });
});
