/**
 * Every VPC of every governed account and region associated with the region's Route 53 Resolver
 * query logging configuration, which the log-archive account owns and shares with the organization
 * through RAM. A template cannot lay AWS::Route53Resolver::ResolverQueryLoggingConfigAssociation for
 * VPCs it does not know, and AWS Config has no managed rule to hang a remediation on, so the member
 * baseline lays an Automation document that sweeps the account's VPCs of the region, started by
 * two triggers and no Lambda: an EventBridge rule on CloudTrail's CreateVpc and a daily State
 * Manager association (the VPCs that predate the stack, and any event missed).
 */
import { PROTECT_TAG_KEY, PROTECT_TAG_VALUE } from "../scp";
import { policy, type PolicyDocument } from "../policy-types";

type CfnResources = Record<
  string,
  { Type: string; Condition?: string; DependsOn?: string | string[]; Properties: Record<string, unknown> }
>;

export interface DnsVpcAssociationInput {
  /** Name of the query logging configuration, the same in every governed region. */
  configName: string;
  /** The log-archive account: owner of every configuration. */
  logArchiveAccountId: string;
}

export function dnsAssociationDocumentName(namePrefix: string): string {
  return `${namePrefix}-AssociateVpcsDnsQueryLogs`;
}

export function dnsAssociationRoleName(namePrefix: string): string {
  return `${namePrefix}-dns-query-log-association`;
}

export function dnsAssociationEventRoleName(namePrefix: string): string {
  return `${namePrefix}-dns-query-log-association-events`;
}

export function dnsAssociationRuleName(namePrefix: string): string {
  return `${namePrefix}-associate-new-vpc-dns-query-logs`;
}

/** A daily sweep: the longest a VPC goes unassociated when its CreateVpc event was missed. */
export const DNS_ASSOCIATION_SCHEDULE = "rate(1 day)";

/** Association states that need no new association: ACTIVE, and CREATING (a second request would fail while the first completes). */
export const DNS_ASSOCIATION_IN_PLACE = ["ACTIVE", "CREATING"] as const;

/**
 * The sweep, run by aws:executeScript as the automation role. Every list call pages to the end.
 * It fails (and so the execution shows Failed) when the shared configuration is not exactly one,
 * or when any association request is refused, after trying every VPC.
 */
export const DNS_ASSOCIATION_SCRIPT = `import boto3


def pages(client, operation, key, **kwargs):
    for page in client.get_paginator(operation).paginate(**kwargs):
        yield from page[key]


def handler(events, context):
    r53 = boto3.client("route53resolver")
    ec2 = boto3.client("ec2")
    configs = list(
        pages(
            r53,
            "list_resolver_query_log_configs",
            "ResolverQueryLogConfigs",
            Filters=[
                {"Name": "Name", "Values": [events["ConfigName"]]},
                {"Name": "OwnerId", "Values": [events["OwnerAccountId"]]},
            ],
        )
    )
    if len(configs) != 1:
        raise Exception(
            "expected exactly one query logging configuration named %s owned by %s, found %d"
            % (events["ConfigName"], events["OwnerAccountId"], len(configs))
        )
    config_id = configs[0]["Id"]
    in_place = set(
        a["ResourceId"]
        for a in pages(
            r53,
            "list_resolver_query_log_config_associations",
            "ResolverQueryLogConfigAssociations",
            Filters=[{"Name": "ResolverQueryLogConfigId", "Values": [config_id]}],
        )
        if a["Status"] in ("ACTIVE", "CREATING")
    )
    vpcs = [v["VpcId"] for v in pages(ec2, "describe_vpcs", "Vpcs")]
    associated, failed = [], []
    for vpc in vpcs:
        if vpc in in_place:
            continue
        try:
            r53.associate_resolver_query_log_config(ResolverQueryLogConfigId=config_id, ResourceId=vpc)
            associated.append(vpc)
        except Exception as e:
            failed.append("%s: %s" % (vpc, e))
    if failed:
        raise Exception("associated %s; refused: %s" % (associated, "; ".join(failed)))
    return {"ConfigId": config_id, "Associated": associated, "VpcCount": len(vpcs)}
`;

/** The Automation document (schema 0.3): one script step over the region's VPCs. */
export function dnsAssociationAutomationContent(i: DnsVpcAssociationInput): Record<string, unknown> {
  return {
    schemaVersion: "0.3",
    description:
      "orgwarden: associates every VPC of this account and region with the Resolver query logging configuration shared by the log-archive account",
    assumeRole: "{{ AutomationAssumeRole }}",
    parameters: {
      AutomationAssumeRole: {
        type: "String",
        description: "Role the automation runs as",
        allowedPattern: "^arn:aws[a-z-]*:iam::\\d{12}:role/[\\w+=,.@/-]+$",
      },
    },
    mainSteps: [
      {
        name: "AssociateVpcs",
        action: "aws:executeScript",
        onFailure: "Abort",
        isEnd: true,
        inputs: {
          Runtime: "python3.11",
          Handler: "handler",
          InputPayload: { ConfigName: i.configName, OwnerAccountId: i.logArchiveAccountId },
          Script: DNS_ASSOCIATION_SCRIPT,
        },
        outputs: [
          { Name: "ConfigId", Selector: "$.Payload.ConfigId", Type: "String" },
          { Name: "Associated", Selector: "$.Payload.Associated", Type: "StringList" },
        ],
      },
    ],
  };
}

/**
 * What the automation role may do: read the account's VPCs and the configurations and associations
 * it sees (list calls take no resource), and associate a VPC with a configuration of the log-archive
 * account only. The VPC is not an authorization resource of AssociateResolverQueryLogConfig: the
 * service itself refuses a VPC the caller's account does not own.
 */
export function dnsAssociationPolicy(logArchiveAccountId: string): PolicyDocument {
  return policy([
    {
      Sid: "Read",
      Effect: "Allow",
      Action: [
        "ec2:DescribeVpcs",
        "route53resolver:ListResolverQueryLogConfigs",
        "route53resolver:ListResolverQueryLogConfigAssociations",
      ],
      Resource: "*",
    },
    {
      Sid: "AssociateWithSharedConfiguration",
      Effect: "Allow",
      Action: "route53resolver:AssociateResolverQueryLogConfig",
      Resource: `arn:aws:route53resolver:*:${logArchiveAccountId}:resolver-query-log-config/*`,
    },
  ]);
}

/**
 * The rule's role: start this document (any version: the target names $DEFAULT, authorized as the
 * version it resolves to) in this account, and pass it the automation role, to SSM only. In the
 * template the account is \${AWS::AccountId} under Fn::Sub (withSub).
 */
export function dnsAssociationEventPolicy(accountId: string, documentName: string, roleName: string): PolicyDocument {
  return policy([
    {
      Sid: "StartTheDocument",
      Effect: "Allow",
      Action: "ssm:StartAutomationExecution",
      Resource: `arn:aws:ssm:*:${accountId}:automation-definition/${documentName}:*`,
    },
    {
      Sid: "PassTheAutomationRole",
      Effect: "Allow",
      Action: "iam:PassRole",
      Resource: `arn:aws:iam::${accountId}:role/${roleName}`,
      Condition: { StringEquals: { "iam:PassedToService": "ssm.amazonaws.com" } },
    },
  ]);
}

/** A policy whose resources name \${AWS::AccountId}: each such Resource under Fn::Sub. */
function withSub(doc: PolicyDocument): unknown {
  return {
    ...doc,
    Statement: doc.Statement.map((st) =>
      typeof st.Resource === "string" && st.Resource.includes("${")
        ? { ...st, Resource: { "Fn::Sub": st.Resource } }
        : st,
    ),
  };
}

/** CloudTrail's CreateVpc, as EventBridge delivers management events to the account's default bus. */
export const CREATE_VPC_EVENT_PATTERN = {
  source: ["aws.ec2"],
  "detail-type": ["AWS API Call via CloudTrail"],
  detail: { eventSource: ["ec2.amazonaws.com"], eventName: ["CreateVpc"] },
};

/** Trust of both roles: the service, acting for this account only (the template passes { Ref: AWS::AccountId }). */
export function dnsAssociationTrustPolicy(service: "ssm.amazonaws.com" | "events.amazonaws.com", accountId: unknown) {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Service: service },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": accountId } },
      },
    ],
  };
}

/** A role created by the home-region stack (IAM is global): GetAtt there, its ARN by name elsewhere. */
function roleArn(logicalId: string, roleName: string): unknown {
  return {
    "Fn::If": [
      "IsHomeRegion",
      { "Fn::GetAtt": [logicalId, "Arn"] },
      { "Fn::Sub": `arn:\${AWS::Partition}:iam::\${AWS::AccountId}:role/${roleName}` },
    ],
  };
}

/** The member-template resources, in every governed region; the two roles in the home region only. */
export function dnsAssociationTemplateResources(namePrefix: string, i: DnsVpcAssociationInput): CfnResources {
  const roleName = dnsAssociationRoleName(namePrefix);
  const documentName = dnsAssociationDocumentName(namePrefix);
  const automationRoleArn = roleArn("DnsAssociationRole", roleName);
  return {
    DnsAssociationRole: {
      Type: "AWS::IAM::Role",
      Condition: "IsHomeRegion",
      Properties: {
        RoleName: roleName,
        Description: "Runs the orgwarden automation that associates VPCs with the shared DNS query logging",
        AssumeRolePolicyDocument: dnsAssociationTrustPolicy("ssm.amazonaws.com", { Ref: "AWS::AccountId" }),
        Policies: [
          { PolicyName: "associate-dns-query-logging", PolicyDocument: dnsAssociationPolicy(i.logArchiveAccountId) },
        ],
      },
    },
    DnsAssociationEventRole: {
      Type: "AWS::IAM::Role",
      Condition: "IsHomeRegion",
      Properties: {
        RoleName: dnsAssociationEventRoleName(namePrefix),
        Description: "Lets the CreateVpc rule start the orgwarden DNS query-log association automation",
        AssumeRolePolicyDocument: dnsAssociationTrustPolicy("events.amazonaws.com", { Ref: "AWS::AccountId" }),
        Policies: [
          {
            PolicyName: "start-dns-association",
            PolicyDocument: withSub(dnsAssociationEventPolicy("${AWS::AccountId}", documentName, roleName)),
          },
        ],
      },
    },
    DnsAssociationDocument: {
      Type: "AWS::SSM::Document",
      Properties: {
        Name: documentName,
        DocumentType: "Automation",
        DocumentFormat: "JSON",
        UpdateMethod: "NewVersion",
        Content: dnsAssociationAutomationContent(i),
      },
    },
    DnsAssociationNewVpcRule: {
      Type: "AWS::Events::Rule",
      Properties: {
        Name: dnsAssociationRuleName(namePrefix),
        Description: "A new VPC: associate it with the shared Resolver query logging configuration (orgwarden)",
        State: "ENABLED",
        EventPattern: CREATE_VPC_EVENT_PATTERN,
        Targets: [
          {
            Id: "associate-vpcs",
            Arn: {
              "Fn::Sub": `arn:\${AWS::Partition}:ssm:\${AWS::Region}:\${AWS::AccountId}:automation-definition/\${DnsAssociationDocument}:$DEFAULT`,
            },
            RoleArn: roleArn("DnsAssociationEventRole", dnsAssociationEventRoleName(namePrefix)),
            Input: { "Fn::Sub": ['{"AutomationAssumeRole":["${RoleArn}"]}', { RoleArn: automationRoleArn }] },
          },
        ],
      },
    },
    DnsAssociationDailySweep: {
      Type: "AWS::SSM::Association",
      Properties: {
        Name: { Ref: "DnsAssociationDocument" },
        AssociationName: `${namePrefix}-associate-vpcs-dns-query-logs`,
        ScheduleExpression: DNS_ASSOCIATION_SCHEDULE,
        Parameters: { AutomationAssumeRole: [automationRoleArn] },
        // The tag is what lets the SCP protect the association, as the agent associations.
        Tags: [{ Key: PROTECT_TAG_KEY, Value: PROTECT_TAG_VALUE }],
      },
    },
  };
}
