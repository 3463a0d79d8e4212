import { awsManagedPolicyArn } from "../arns";
import { cloudWatchAgentConfig, CloudWatchAgentConfigInput } from "./cloudwatch-agent-config";
import { EACH_ACCOUNT, EVENT_FORWARDER_TRUST_TEMPLATE, memberRoles, type MemberRoleIntent } from "./member-roles";
import { eventPatternJson } from "./event-patterns";
import { eventForwarderRoleName, FORWARDING_RULE_TARGET_ID, memberForwardingRules } from "./alert-pipeline";
import { policy } from "../policy-types";
import { PROTECT_TAG_KEY, PROTECT_TAG_VALUE } from "../scp";
import { flowLogTemplateResources, type FlowLogTemplateInput } from "../network/flow-log-remediation";
import { dnsAssociationTemplateResources, type DnsVpcAssociationInput } from "../network/dns-vpc-association";
import { configDeliveryChannelSpec, type ConfigDeliveryChannelSpec } from "../pipeline";

/**
 * The member-account baseline as one CloudFormation template, deployed to every account of the
 * target OUs by a service-managed StackSet and, through plain stacks, to the accounts a StackSet
 * cannot reach (the management account). One template, so both paths deploy the same thing.
 *
 * IAM is global: the roles (and Config's service-linked role) are created only by the stack in the
 * home region; the other regions refer to them by name. Deploy the home region first (the StackSet
 * operation preferences put it first in the region order).
 */
export type ComplianceSeverity = "CRITICAL" | "HIGH" | "MEDIUM" | "LOW" | "UNSPECIFIED";
export type ConfigDeliveryFrequency = "One_Hour" | "Three_Hours" | "Six_Hours" | "Twelve_Hours" | "TwentyFour_Hours";

export interface SsmTargeting {
  /** Instances carrying this tag (any value when targetTagValue is empty); absent: all instances. */
  targetTagKey?: string;
  targetTagValue?: string;
}

export interface MemberBaselineTemplateInput {
  orgId: string;
  homeRegion: string;
  securityAccountId: string;
  configBucketName: string;
  /** The Config bucket's customer key (log-archive account, the bucket's region): Config encrypts every delivered object with it. */
  configKmsKeyArn: string;
  configDeliveryFrequency: ConfigDeliveryFrequency;
  /** ARN of the central bus in the security account (home region). */
  centralBusArn: string;
  auditReadRoleName: string;
  auditAgentRoleName: string;
  ssm: SsmTargeting & {
    updateAgentSchedule: string;
    cloudWatchAgentSchedule: string;
    complianceSeverity: ComplianceSeverity;
  };
  cloudWatchAgent: CloudWatchAgentConfigInput;
  /** Prefix of every named resource the template creates. */
  namePrefix: string;
  /** VPC Flow Logs enforcement (Config rule + automatic remediation); absent when network.flowLogs.enabled is false. */
  flowLogs?: FlowLogTemplateInput;
  /** Every VPC associated with the shared Resolver query logging configuration; absent when network.dnsQueryLogs.enabled is false. */
  dnsQueryLogs?: DnsVpcAssociationInput;
  /**
   * Lay the Config recorder and delivery channel (and Config's service-linked role). Default true;
   * false in accounts AWS Control Tower enrolls (controlTower.enabled), which already have its
   * recorder and delivery channel: an account gets one recorder per region.
   */
  recordConfig?: boolean;
}

export const DHMC_SETTING_ID = "/ssm/managed-instance/default-ec2-instance-management-role";
export const DHMC_ROLE_NAME = "AWSSystemsManagerDefaultEC2InstanceManagementRole";
export const DHMC_MANAGED_POLICY_ARN = awsManagedPolicyArn("AmazonSSMManagedEC2InstanceDefaultPolicy");
export const CONFIG_SLR_ARN_SUB =
  "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig";

export const INSPECTOR_NOTE =
  "Amazon Inspector (v2) scans EC2 through the SSM agent; Inspector Classic and its separate agent reached end of support on 2026-05-20, so keeping the SSM agent installed and current (AWS-UpdateSSMAgent) is what installs the Inspector agent.";

export type CfnTemplate = {
  AWSTemplateFormatVersion: "2010-09-09";
  Description: string;
  Metadata: Record<string, unknown>;
  Parameters: Record<string, unknown>;
  Conditions: Record<string, unknown>;
  Resources: Record<
    string,
    { Type: string; Condition?: string; DependsOn?: string | string[]; Properties: Record<string, unknown> }
  >;
  Outputs: Record<string, unknown>;
};

export { eventForwarderRoleName, forwardingRuleNamePrefix } from "./alert-pipeline";

/** Name of the SSM parameter that holds the CloudWatch agent config; the AmazonCloudWatch- prefix is what CloudWatchAgentServerPolicy may read. */
export function agentConfigParameterName(namePrefix: string): string {
  return `AmazonCloudWatch-${namePrefix}-security-logs`;
}

export function ssmTargets(t: SsmTargeting): Array<{ Key: string; Values: string[] }> {
  if (!t.targetTagKey) return [{ Key: "InstanceIds", Values: ["*"] }];
  return t.targetTagValue
    ? [{ Key: `tag:${t.targetTagKey}`, Values: [t.targetTagValue] }]
    : [{ Key: "tag-key", Values: [t.targetTagKey] }];
}

function globalResources(i: MemberBaselineTemplateInput): CfnTemplate["Resources"] {
  // Both roles' documents from baseline/detection/member-roles.ts, which the audit rebuilds per account;
  // only the forwarder's trust names the account, which CloudFormation fills in per stack.
  const [read, forwarder] = memberRoles(i, EACH_ACCOUNT);
  return {
    ...(i.recordConfig === false
      ? {}
      : {
          ConfigServiceLinkedRole: {
            Type: "AWS::IAM::ServiceLinkedRole",
            Condition: "CreateConfigServiceLinkedRole",
            Properties: { AWSServiceName: "config.amazonaws.com" },
          },
        }),
    AuditReadRole: {
      Type: "AWS::IAM::Role",
      Condition: "IsHomeRegion",
      Properties: {
        RoleName: read.roleName,
        Description: "Read-only role the orgwarden audit agent assumes from the security account",
        AssumeRolePolicyDocument: read.trustPolicy,
        ManagedPolicyArns: read.managedPolicyArns,
        Policies: policiesOf(read),
        MaxSessionDuration: read.maxSessionDuration,
      },
    },
    DhmcRole: {
      Type: "AWS::IAM::Role",
      Condition: "CreateDhmcRole",
      Properties: {
        RoleName: DHMC_ROLE_NAME,
        Path: "/service-role/",
        AssumeRolePolicyDocument: policy([
          { Effect: "Allow", Principal: { Service: "ssm.amazonaws.com" }, Action: "sts:AssumeRole" },
        ]),
        ManagedPolicyArns: [DHMC_MANAGED_POLICY_ARN],
      },
    },
    EventForwarderRole: {
      Type: "AWS::IAM::Role",
      Condition: "IsHomeRegion",
      Properties: {
        RoleName: forwarder.roleName,
        AssumeRolePolicyDocument: EVENT_FORWARDER_TRUST_TEMPLATE,
        Policies: policiesOf(forwarder),
      },
    },
  };
}

const policiesOf = (r: MemberRoleIntent) =>
  Object.entries(r.inlinePolicies).map(([PolicyName, PolicyDocument]) => ({ PolicyName, PolicyDocument }));

function configResources(i: MemberBaselineTemplateInput): CfnTemplate["Resources"] {
  const channel = memberDeliveryChannel(i);
  return {
    ConfigRecorder: {
      Type: "AWS::Config::ConfigurationRecorder",
      Properties: {
        Name: i.namePrefix,
        // The service-linked role makes Config deliver as config.amazonaws.com, which is what the bucket policy admits.
        // Where this stack creates the role, reference it so CloudFormation creates the recorder after it (a bare ARN
        // string would let both start at once and PutConfigurationRecorder fail); elsewhere the role already exists.
        RoleARN: {
          "Fn::If": [
            "CreateConfigServiceLinkedRole",
            {
              "Fn::Sub": [
                CONFIG_SLR_ARN_SUB.replace("AWSServiceRoleForConfig", "${SlrName}"),
                { SlrName: { Ref: "ConfigServiceLinkedRole" } },
              ],
            },
            { "Fn::Sub": CONFIG_SLR_ARN_SUB },
          ],
        },
        RecordingGroup: { AllSupported: true, IncludeGlobalResourceTypes: { "Fn::If": ["IsHomeRegion", true, false] } },
      },
    },
    ConfigDeliveryChannel: {
      Type: "AWS::Config::DeliveryChannel",
      DependsOn: "ConfigRecorder",
      Properties: {
        Name: channel.name,
        S3BucketName: channel.s3BucketName,
        ...(channel.s3KeyPrefix ? { S3KeyPrefix: channel.s3KeyPrefix } : {}),
        S3KmsKeyArn: channel.s3KmsKeyArn,
        ConfigSnapshotDeliveryProperties: { DeliveryFrequency: channel.deliveryFrequency },
      },
    },
  };
}

/** The channel the template lays, as the audit manifest's pipeline.config.deliveryChannel publishes it. */
export function memberDeliveryChannel(
  i: Pick<
    MemberBaselineTemplateInput,
    "namePrefix" | "configBucketName" | "configKmsKeyArn" | "configDeliveryFrequency"
  >,
): ConfigDeliveryChannelSpec {
  return configDeliveryChannelSpec({
    namePrefix: i.namePrefix,
    bucketName: i.configBucketName,
    kmsKeyArn: i.configKmsKeyArn,
    deliveryFrequency: i.configDeliveryFrequency,
  });
}

function ssmResources(i: MemberBaselineTemplateInput): CfnTemplate["Resources"] {
  const targets = ssmTargets(i.ssm);
  // The tag is what lets the SCP protect the associations (their ARNs end in a generated id).
  const common = {
    Targets: targets,
    ComplianceSeverity: i.ssm.complianceSeverity,
    Tags: [{ Key: PROTECT_TAG_KEY, Value: PROTECT_TAG_VALUE }],
  };
  const paramName = agentConfigParameterName(i.namePrefix);
  return {
    DhmcServiceSetting: {
      Type: "AWS::SSM::ServiceSetting",
      Properties: { SettingId: DHMC_SETTING_ID, SettingValue: `service-role/${DHMC_ROLE_NAME}` },
    },
    UpdateSsmAgentAssociation: {
      Type: "AWS::SSM::Association",
      Properties: {
        Name: "AWS-UpdateSSMAgent",
        AssociationName: `${i.namePrefix}-update-ssm-agent`,
        ScheduleExpression: i.ssm.updateAgentSchedule,
        ...common,
      },
    },
    CloudWatchAgentConfigParameter: {
      Type: "AWS::SSM::Parameter",
      Properties: {
        Name: paramName,
        Type: "String",
        Tier: "Standard",
        Description: "CloudWatch agent configuration: OS security logs to CloudWatch Logs (orgwarden)",
        Value: JSON.stringify(cloudWatchAgentConfig(i.cloudWatchAgent)),
      },
    },
    InstallCloudWatchAgentAssociation: {
      Type: "AWS::SSM::Association",
      Properties: {
        Name: "AWS-ConfigureAWSPackage",
        AssociationName: `${i.namePrefix}-install-cloudwatch-agent`,
        Parameters: {
          action: ["Install"],
          installationType: ["Uninstall and reinstall"],
          name: ["AmazonCloudWatchAgent"],
        },
        ScheduleExpression: i.ssm.cloudWatchAgentSchedule,
        ...common,
      },
    },
    ConfigureCloudWatchAgentAssociation: {
      Type: "AWS::SSM::Association",
      DependsOn: ["InstallCloudWatchAgentAssociation", "CloudWatchAgentConfigParameter"],
      Properties: {
        Name: "AmazonCloudWatch-ManageAgent",
        AssociationName: `${i.namePrefix}-configure-cloudwatch-agent`,
        Parameters: {
          action: ["configure"],
          mode: ["ec2"],
          optionalConfigurationSource: ["ssm"],
          optionalConfigurationLocation: [paramName],
          optionalRestart: ["yes"],
        },
        ScheduleExpression: i.ssm.cloudWatchAgentSchedule,
        ...common,
      },
    },
  };
}

function forwardingResources(i: MemberBaselineTemplateInput): CfnTemplate["Resources"] {
  // In the home region the role is created by this stack: GetAtt orders the rules after it. Other regions run after
  // the home region (the StackSet deploys regions SEQUENTIALly, home first) and find it by name.
  const roleArn = {
    "Fn::If": [
      "IsHomeRegion",
      { "Fn::GetAtt": ["EventForwarderRole", "Arn"] },
      { "Fn::Sub": `arn:\${AWS::Partition}:iam::\${AWS::AccountId}:role/${eventForwarderRoleName(i.namePrefix)}` },
    ],
  };
  return Object.fromEntries(
    memberForwardingRules(i.namePrefix).map((r) => [
      r.logicalId,
      {
        Type: "AWS::Events::Rule",
        Properties: {
          Name: r.name,
          Description: r.description,
          State: "ENABLED",
          // Validated against EventBridge's pattern size limit here, at synthesis, not at deploy time.
          EventPattern: JSON.parse(eventPatternJson(r.pattern)),
          Targets: [{ Id: FORWARDING_RULE_TARGET_ID, Arn: i.centralBusArn, RoleArn: roleArn }],
        },
      },
    ]),
  );
}

export function memberBaselineTemplate(i: MemberBaselineTemplateInput): CfnTemplate {
  const isHome = { "Fn::Equals": [{ Ref: "AWS::Region" }, i.homeRegion] };
  const t = fullTemplate(i, isHome);
  if (i.recordConfig !== false) return t;
  // Without Config: no recorder, so neither its role's parameter and condition nor the recorder output.
  const { CreateConfigServiceLinkedRole: _p, ...parameters } = t.Parameters;
  const { CreateConfigServiceLinkedRole: _c, ...conditions } = t.Conditions;
  const { ConfigRecorderName: _o, ...outputs } = t.Outputs;
  return {
    ...t,
    Description: t.Description.replace("AWS Config, ", ""),
    Parameters: parameters,
    Conditions: conditions,
    Outputs: outputs,
  };
}

function fullTemplate(i: MemberBaselineTemplateInput, isHome: unknown): CfnTemplate {
  return {
    AWSTemplateFormatVersion: "2010-09-09",
    Description:
      `orgwarden member baseline: AWS Config, audit read role, SSM agents (DHMC, SSM agent updates = Inspector v2 agent, CloudWatch agent), finding forwarding. ${INSPECTOR_NOTE}`.slice(
        0,
        1024,
      ),
    Metadata: {
      orgwarden: {
        inspector: INSPECTOR_NOTE,
        globalResources: `IAM roles are created in ${i.homeRegion} only; deploy that region first.`,
        cloudWatchAgent:
          "DHMC credentials serve the SSM agent only: the CloudWatch agent ships logs from instances whose instance profile grants CloudWatchAgentServerPolicy.",
      },
    },
    Parameters: {
      CreateConfigServiceLinkedRole: {
        Type: "String",
        AllowedValues: ["true", "false"],
        Default: "true",
        Description: "false where AWSServiceRoleForConfig already exists",
      },
      CreateDhmcRole: {
        Type: "String",
        AllowedValues: ["true", "false"],
        Default: "true",
        Description: `false where ${DHMC_ROLE_NAME} already exists`,
      },
    },
    Conditions: {
      IsHomeRegion: isHome,
      CreateConfigServiceLinkedRole: {
        "Fn::And": [
          { Condition: "IsHomeRegion" },
          { "Fn::Equals": [{ Ref: "CreateConfigServiceLinkedRole" }, "true"] },
        ],
      },
      CreateDhmcRole: {
        "Fn::And": [{ Condition: "IsHomeRegion" }, { "Fn::Equals": [{ Ref: "CreateDhmcRole" }, "true"] }],
      },
    },
    Resources: {
      ...globalResources(i),
      ...(i.recordConfig === false ? {} : configResources(i)),
      ...ssmResources(i),
      ...forwardingResources(i),
      ...(i.flowLogs ? flowLogTemplateResources(i.namePrefix, i.flowLogs) : {}),
      ...(i.dnsQueryLogs ? dnsAssociationTemplateResources(i.namePrefix, i.dnsQueryLogs) : {}),
    },
    Outputs: {
      ConfigRecorderName: { Value: { Ref: "ConfigRecorder" } },
      AuditReadRoleArn: { Condition: "IsHomeRegion", Value: { "Fn::GetAtt": ["AuditReadRole", "Arn"] } },
    },
  };
}

export function memberBaselineTemplateBody(i: MemberBaselineTemplateInput): string {
  return JSON.stringify(memberBaselineTemplate(i));
}
