/**
 * VPC Flow Logs for every VPC of every governed account and region, VPCs created later included.
 * A CloudFormation template cannot enumerate VPCs, so the member baseline (StackSet and direct
 * stacks, one template) carries an AWS Config managed rule VPC_FLOW_LOGS_ENABLED, which Config
 * evaluates periodically over every VPC, and an automatic remediation: a Systems Manager Automation
 * document that calls ec2:CreateFlowLogs on a non-compliant VPC with exactly the settings below,
 * then asserts the new flow log is ACTIVE so a refused delivery is a failed remediation, not silence.
 */
import { PROTECT_TAG_KEY, PROTECT_TAG_VALUE } from "../scp";
import { policy, type PolicyDocument } from "../policy-types";

/** The fields the issue (and the seeds) require, in this order: the default v2 fields, then the VPC context. */
export const FLOW_LOG_FIELDS = [
  "version",
  "account-id",
  "interface-id",
  "srcaddr",
  "dstaddr",
  "srcport",
  "dstport",
  "protocol",
  "packets",
  "bytes",
  "start",
  "end",
  "action",
  "log-status",
  "vpc-id",
  "subnet-id",
  "instance-id",
  "tcp-flags",
  "flow-direction",
] as const;

/** The custom LogFormat: each field as a ${field} token, separated by single spaces. */
export const FLOW_LOG_FORMAT = FLOW_LOG_FIELDS.map((f) => `\${${f}}`).join(" ");

/** One record per flow per minute (the shortest interval EC2 accepts; 600 is the default). */
export const FLOW_LOG_MAX_AGGREGATION_INTERVAL = 60;

/**
 * Parquet, hourly partitions, default (non-Hive) prefixes: objects land under
 * AWSLogs/<account>/vpcflowlogs/<region>/YYYY/MM/DD/HH/, the layout the bucket policy's per-account
 * prefix names and the Athena table's partition projection reads (it needs no Hive keys).
 */
export const FLOW_LOG_DESTINATION_OPTIONS = {
  FileFormat: "parquet",
  HiveCompatiblePartitions: false,
  PerHourPartition: true,
} as const;

/** The CreateFlowLogs request for one VPC, in the EC2 API's own parameter names (@aws-sdk/client-ec2 CreateFlowLogsRequest). */
export function createFlowLogsRequest(bucketArn: string, vpcId: string) {
  return {
    ResourceIds: [vpcId],
    ResourceType: "VPC" as const,
    TrafficType: "ALL" as const,
    LogDestinationType: "s3" as const,
    LogDestination: bucketArn,
    LogFormat: FLOW_LOG_FORMAT,
    MaxAggregationInterval: FLOW_LOG_MAX_AGGREGATION_INTERVAL,
    DestinationOptions: { ...FLOW_LOG_DESTINATION_OPTIONS },
    // The protect tag lets an SCP single out the baseline's flow logs.
    TagSpecifications: [
      { ResourceType: "vpc-flow-log" as const, Tags: [{ Key: PROTECT_TAG_KEY, Value: PROTECT_TAG_VALUE }] },
    ],
  };
}

export const VPC_FLOW_LOGS_RULE = "VPC_FLOW_LOGS_ENABLED";

export function flowLogRuleName(namePrefix: string): string {
  return `${namePrefix}-vpc-flow-logs-enabled`;
}

export function flowLogDocumentName(namePrefix: string): string {
  return `${namePrefix}-EnableVpcFlowLogs`;
}

export function flowLogRemediationRoleName(namePrefix: string): string {
  return `${namePrefix}-flow-log-remediation`;
}

/** The Automation document (schema 0.3): create the flow log, then require it ACTIVE. */
export function flowLogAutomationContent(bucketArn: string): Record<string, unknown> {
  const { ResourceIds: _ids, ...request } = createFlowLogsRequest(bucketArn, "{{ VpcId }}");
  return {
    schemaVersion: "0.3",
    description: "orgwarden: creates the baseline VPC flow log (Parquet, hourly, custom format) to the flow-log bucket",
    assumeRole: "{{ AutomationAssumeRole }}",
    parameters: {
      VpcId: { type: "String", description: "The non-compliant VPC", allowedPattern: "^vpc-[0-9a-f]{8,17}$" },
      AutomationAssumeRole: {
        type: "String",
        description: "Role the automation runs as",
        allowedPattern: "^arn:aws[a-z-]*:iam::\\d{12}:role/[\\w+=,.@/-]+$",
      },
    },
    mainSteps: [
      {
        name: "CreateFlowLog",
        action: "aws:executeAwsApi",
        onFailure: "Abort",
        inputs: { Service: "ec2", Api: "CreateFlowLogs", ResourceIds: ["{{ VpcId }}"], ...request },
        outputs: [{ Name: "FlowLogIds", Selector: "$.FlowLogIds", Type: "StringList" }],
      },
      {
        // CreateFlowLogs reports a refused destination in Unsuccessful with HTTP 200: only the flow log's status tells.
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
      },
    ],
  };
}

/** What the automation role may do: create (and tag at creation) flow logs of the account's VPCs, and the log delivery S3 needs. */
export function flowLogRemediationPolicy(): PolicyDocument {
  return policy([
    {
      Sid: "CreateFlowLogs",
      Effect: "Allow",
      Action: "ec2:CreateFlowLogs",
      Resource: ["arn:aws:ec2:*:*:vpc/*", "arn:aws:ec2:*:*:vpc-flow-log/*"],
    },
    { Sid: "DescribeFlowLogs", Effect: "Allow", Action: "ec2:DescribeFlowLogs", Resource: "*" },
    {
      Sid: "TagAtCreation",
      Effect: "Allow",
      Action: "ec2:CreateTags",
      Resource: "arn:aws:ec2:*:*:vpc-flow-log/*",
      Condition: { StringEquals: { "ec2:CreateAction": "CreateFlowLogs" } },
    },
    {
      // "Create a flow log that publishes to Amazon S3": the creator needs these (https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-create-flow-log.html).
      Sid: "LogDelivery",
      Effect: "Allow",
      Action: ["logs:CreateLogDelivery", "logs:DeleteLogDelivery"],
      Resource: "*",
    },
  ]);
}

/** How often Config re-evaluates every VPC: the longest a new VPC goes without a flow log, plus the remediation's run. */
export const FLOW_LOG_RULE_FREQUENCY = "One_Hour";

type CfnResources = Record<
  string,
  { Type: string; Condition?: string; DependsOn?: string | string[]; Properties: Record<string, unknown> }
>;

export interface FlowLogTemplateInput {
  /** ARN of the flow-log bucket (log-archive account, home region). */
  bucketArn: string;
}

/**
 * The member-template resources. IAM is global: the role is created by the home-region stack only
 * (condition IsHomeRegion) and the other regions name it, as the event forwarder does.
 */
export function flowLogTemplateResources(namePrefix: string, i: FlowLogTemplateInput): CfnResources {
  const roleName = flowLogRemediationRoleName(namePrefix);
  const roleArn = {
    "Fn::If": [
      "IsHomeRegion",
      { "Fn::GetAtt": ["FlowLogRemediationRole", "Arn"] },
      { "Fn::Sub": `arn:\${AWS::Partition}:iam::\${AWS::AccountId}:role/${roleName}` },
    ],
  };
  return {
    FlowLogRemediationRole: {
      Type: "AWS::IAM::Role",
      Condition: "IsHomeRegion",
      Properties: {
        RoleName: roleName,
        Description: "Runs the orgwarden automation that creates the baseline VPC flow log",
        AssumeRolePolicyDocument: {
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Principal: { Service: "ssm.amazonaws.com" },
              Action: "sts:AssumeRole",
              Condition: { StringEquals: { "aws:SourceAccount": { Ref: "AWS::AccountId" } } },
            },
          ],
        },
        Policies: [{ PolicyName: "create-vpc-flow-logs", PolicyDocument: flowLogRemediationPolicy() }],
      },
    },
    FlowLogAutomationDocument: {
      Type: "AWS::SSM::Document",
      Properties: {
        Name: flowLogDocumentName(namePrefix),
        DocumentType: "Automation",
        DocumentFormat: "JSON",
        // A named document cannot be replaced in place; a content change becomes a new default version.
        UpdateMethod: "NewVersion",
        Content: flowLogAutomationContent(i.bucketArn),
      },
    },
    VpcFlowLogsRule: {
      Type: "AWS::Config::ConfigRule",
      DependsOn: "ConfigDeliveryChannel",
      Properties: {
        ConfigRuleName: flowLogRuleName(namePrefix),
        Description: "Every VPC has a flow log of ALL traffic (orgwarden remediates automatically)",
        Source: { Owner: "AWS", SourceIdentifier: VPC_FLOW_LOGS_RULE },
        InputParameters: { trafficType: "ALL" },
        MaximumExecutionFrequency: FLOW_LOG_RULE_FREQUENCY,
      },
    },
    VpcFlowLogsRemediation: {
      Type: "AWS::Config::RemediationConfiguration",
      Properties: {
        ConfigRuleName: { Ref: "VpcFlowLogsRule" },
        TargetType: "SSM_DOCUMENT",
        TargetId: { Ref: "FlowLogAutomationDocument" },
        ResourceType: "AWS::EC2::VPC",
        Automatic: true,
        MaximumAutomaticAttempts: 5,
        RetryAttemptSeconds: 60,
        Parameters: {
          VpcId: { ResourceValue: { Value: "RESOURCE_ID" } },
          AutomationAssumeRole: { StaticValue: { Values: [roleArn] } },
        },
      },
    },
  };
}
