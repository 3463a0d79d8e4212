/**
 * The CIS AWS Foundations Benchmark monitoring controls as data: one CloudWatch Logs metric filter
 * per control, applied to the organization trail's log group.
 *
 * Numbering: CIS v1.4.0/v1.5.0 put these under section 4 (4.1–4.15); CIS v1.2.0 had 3.1–3.14
 * (no Organizations control). Security Hub reports them as CloudWatch.1–CloudWatch.14; the
 * Organizations control (4.15) has no Security Hub control. CIS v3.0.0 keeps the same 4.x numbers
 * but marks them manual, which is why Security Hub's CIS v3.0.0 standard leaves them out.
 *
 * Patterns follow the Security Hub CloudWatch.x remediation text (which matches CIS v1.4.0) with
 * two deliberate deviations, both recorded in `note`:
 * - 4.1 uses the CIS v1.5.0 exclusions, with explicit grouping so that "&&" cannot bind to the
 *   second alternative only;
 * - 4.2 keeps CIS v1.4.0's restriction to successful IAM-user sign-ins (federated and SSO
 *   sign-ins carry MFAUsed "No" because MFA happens at the identity provider).
 */
export interface CisFilter {
  /** CIS v1.4.0 / v1.5.0 control id. */
  id: string;
  /** CIS v1.2.0 control id, when v1.2.0 had the control. */
  cisV12Id?: string;
  /** Security Hub control id, when Security Hub checks this control. */
  securityHubControl?: string;
  title: string;
  pattern: string;
  metricName: string;
  note?: string;
}

export const CIS_METRIC_NAMESPACE = "CISBenchmark";

function anyEventName(names: string[]): string {
  return names.map((n) => `($.eventName = ${n})`).join(" || ");
}

export const IAM_POLICY_EVENTS = [
  "DeleteGroupPolicy",
  "DeleteRolePolicy",
  "DeleteUserPolicy",
  "PutGroupPolicy",
  "PutRolePolicy",
  "PutUserPolicy",
  "CreatePolicy",
  "DeletePolicy",
  "CreatePolicyVersion",
  "DeletePolicyVersion",
  "AttachRolePolicy",
  "DetachRolePolicy",
  "AttachUserPolicy",
  "DetachUserPolicy",
  "AttachGroupPolicy",
  "DetachGroupPolicy",
];
export const CLOUDTRAIL_EVENTS = ["CreateTrail", "UpdateTrail", "DeleteTrail", "StartLogging", "StopLogging"];
export const KMS_EVENTS = ["DisableKey", "ScheduleKeyDeletion"];
export const S3_POLICY_EVENTS = [
  "PutBucketAcl",
  "PutBucketPolicy",
  "PutBucketCors",
  "PutBucketLifecycle",
  "PutBucketReplication",
  "DeleteBucketPolicy",
  "DeleteBucketCors",
  "DeleteBucketLifecycle",
  "DeleteBucketReplication",
];
export const CONFIG_EVENTS = [
  "StopConfigurationRecorder",
  "DeleteDeliveryChannel",
  "PutDeliveryChannel",
  "PutConfigurationRecorder",
];
export const SECURITY_GROUP_EVENTS = [
  "AuthorizeSecurityGroupIngress",
  "AuthorizeSecurityGroupEgress",
  "RevokeSecurityGroupIngress",
  "RevokeSecurityGroupEgress",
  "CreateSecurityGroup",
  "DeleteSecurityGroup",
];
export const NACL_EVENTS = [
  "CreateNetworkAcl",
  "CreateNetworkAclEntry",
  "DeleteNetworkAcl",
  "DeleteNetworkAclEntry",
  "ReplaceNetworkAclEntry",
  "ReplaceNetworkAclAssociation",
];
export const GATEWAY_EVENTS = [
  "CreateCustomerGateway",
  "DeleteCustomerGateway",
  "AttachInternetGateway",
  "CreateInternetGateway",
  "DeleteInternetGateway",
  "DetachInternetGateway",
];
export const ROUTE_TABLE_EVENTS = [
  "CreateRoute",
  "CreateRouteTable",
  "ReplaceRoute",
  "ReplaceRouteTableAssociation",
  "DeleteRouteTable",
  "DeleteRoute",
  "DisassociateRouteTable",
];
export const VPC_EVENTS = [
  "CreateVpc",
  "DeleteVpc",
  "ModifyVpcAttribute",
  "AcceptVpcPeeringConnection",
  "CreateVpcPeeringConnection",
  "DeleteVpcPeeringConnection",
  "RejectVpcPeeringConnection",
  "AttachClassicLinkVpc",
  "DetachClassicLinkVpc",
  "DisableVpcClassicLink",
  "EnableVpcClassicLink",
];
/**
 * CIS 4.15's list, plus CancelHandshake, CreateOrganization and EnableAllFeatures: an invitation
 * withdrawn, a new organization, and the switch to all features (which makes SCPs possible) are
 * organization changes as much as the listed ones (Prowler's and several CIS v1.5 renderings list
 * them; the filter only widens).
 */
export const ORGANIZATIONS_EVENTS = [
  "AcceptHandshake",
  "AttachPolicy",
  "CancelHandshake",
  "CreateAccount",
  "CreateOrganization",
  "CreateOrganizationalUnit",
  "CreatePolicy",
  "DeclineHandshake",
  "DeleteOrganization",
  "DeleteOrganizationalUnit",
  "DeletePolicy",
  "DetachPolicy",
  "DisablePolicyType",
  "EnableAllFeatures",
  "EnablePolicyType",
  "InviteAccountToOrganization",
  "LeaveOrganization",
  "MoveAccount",
  "RemoveAccountFromOrganization",
  "UpdatePolicy",
  "UpdateOrganizationalUnit",
];

export const CIS_FILTERS: readonly CisFilter[] = [
  {
    id: "4.1",
    cisV12Id: "3.1",
    securityHubControl: "CloudWatch.2",
    title: "Unauthorized API calls",
    pattern:
      '{ (($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*")) && ($.sourceIPAddress != "delivery.logs.amazonaws.com") && ($.eventName != "HeadBucket") }',
    metricName: "UnauthorizedAPICalls",
    note: "CIS v1.5.0 exclusions (log delivery, HeadBucket) with explicit grouping of the two error codes.",
  },
  {
    id: "4.2",
    cisV12Id: "3.2",
    securityHubControl: "CloudWatch.3",
    title: "Management Console sign-in without MFA",
    pattern:
      '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }',
    metricName: "ConsoleSignInWithoutMfa",
    note: "Successful IAM-user sign-ins only: federated sign-ins report MFAUsed No by design.",
  },
  {
    id: "4.3",
    cisV12Id: "3.3",
    securityHubControl: "CloudWatch.1",
    title: "Usage of the root user",
    pattern:
      '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }',
    metricName: "RootAccountUsage",
  },
  {
    id: "4.4",
    cisV12Id: "3.4",
    securityHubControl: "CloudWatch.4",
    title: "IAM policy changes",
    pattern: `{ ${anyEventName(IAM_POLICY_EVENTS)} }`,
    metricName: "IAMPolicyChanges",
  },
  {
    id: "4.5",
    cisV12Id: "3.5",
    securityHubControl: "CloudWatch.5",
    title: "CloudTrail configuration changes",
    pattern: `{ ${anyEventName(CLOUDTRAIL_EVENTS)} }`,
    metricName: "CloudTrailConfigChanges",
  },
  {
    id: "4.6",
    cisV12Id: "3.6",
    securityHubControl: "CloudWatch.6",
    title: "Management Console authentication failures",
    pattern: '{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }',
    metricName: "ConsoleAuthenticationFailures",
  },
  {
    id: "4.7",
    cisV12Id: "3.7",
    securityHubControl: "CloudWatch.7",
    title: "Disabling or scheduled deletion of customer managed keys",
    pattern: `{ ($.eventSource = kms.amazonaws.com) && (${anyEventName(KMS_EVENTS)}) }`,
    metricName: "DisableOrDeleteCMK",
  },
  {
    id: "4.8",
    cisV12Id: "3.8",
    securityHubControl: "CloudWatch.8",
    title: "S3 bucket policy changes",
    pattern: `{ ($.eventSource = s3.amazonaws.com) && (${anyEventName(S3_POLICY_EVENTS)}) }`,
    metricName: "S3BucketPolicyChanges",
  },
  {
    id: "4.9",
    cisV12Id: "3.9",
    securityHubControl: "CloudWatch.9",
    title: "AWS Config configuration changes",
    pattern: `{ ($.eventSource = config.amazonaws.com) && (${anyEventName(CONFIG_EVENTS)}) }`,
    metricName: "AWSConfigChanges",
  },
  {
    id: "4.10",
    cisV12Id: "3.10",
    securityHubControl: "CloudWatch.10",
    title: "Security group changes",
    pattern: `{ ${anyEventName(SECURITY_GROUP_EVENTS)} }`,
    metricName: "SecurityGroupChanges",
  },
  {
    id: "4.11",
    cisV12Id: "3.11",
    securityHubControl: "CloudWatch.11",
    title: "Network ACL changes",
    pattern: `{ ${anyEventName(NACL_EVENTS)} }`,
    metricName: "NACLChanges",
  },
  {
    id: "4.12",
    cisV12Id: "3.12",
    securityHubControl: "CloudWatch.12",
    title: "Network gateway changes",
    pattern: `{ ${anyEventName(GATEWAY_EVENTS)} }`,
    metricName: "NetworkGatewayChanges",
  },
  {
    id: "4.13",
    cisV12Id: "3.13",
    securityHubControl: "CloudWatch.13",
    title: "Route table changes",
    pattern: `{ ($.eventSource = ec2.amazonaws.com) && (${anyEventName(ROUTE_TABLE_EVENTS)}) }`,
    metricName: "RouteTableChanges",
  },
  {
    id: "4.14",
    cisV12Id: "3.14",
    securityHubControl: "CloudWatch.14",
    title: "VPC changes",
    pattern: `{ ${anyEventName(VPC_EVENTS)} }`,
    metricName: "VPCChanges",
  },
  {
    id: "4.15",
    title: "AWS Organizations changes",
    pattern: `{ ($.eventSource = organizations.amazonaws.com) && (${ORGANIZATIONS_EVENTS.map((n) => `($.eventName = "${n}")`).join(" || ")}) }`,
    metricName: "OrganizationsChanges",
  },
];

/** CloudWatch metric filter names allow letters, digits and a few symbols; ids keep theirs. */
export function cisFilterName(f: CisFilter): string {
  return `cis-${f.id.replace(".", "-")}-${f.metricName}`;
}

/**
 * The change events the CIS controls watch, per event source, for EventBridge forwarding. The
 * sign-in, root and access-denied controls have no API-call equivalent worth forwarding and stay
 * with the metric filters.
 */
export const CIS_CHANGE_EVENTS: Readonly<Record<string, string[]>> = {
  "iam.amazonaws.com": IAM_POLICY_EVENTS,
  "cloudtrail.amazonaws.com": CLOUDTRAIL_EVENTS,
  "kms.amazonaws.com": KMS_EVENTS,
  "s3.amazonaws.com": S3_POLICY_EVENTS,
  "config.amazonaws.com": CONFIG_EVENTS,
  "ec2.amazonaws.com": [
    ...SECURITY_GROUP_EVENTS,
    ...NACL_EVENTS,
    ...GATEWAY_EVENTS,
    ...ROUTE_TABLE_EVENTS,
    ...VPC_EVENTS,
  ],
  "organizations.amazonaws.com": ORGANIZATIONS_EVENTS,
};

/**
 * The alarm every CIS filter gets: the metric counts matching events (value 1 each), so a Sum of at
 * least 1 over one 5-minute period fires on a single event. infra lays it, the audit judges against it.
 */
export const CIS_ALARM = {
  metricValue: "1",
  statistic: "Sum",
  period: 300,
  evaluationPeriods: 1,
  threshold: 1,
  comparisonOperator: "GreaterThanOrEqualToThreshold",
  // No matching event means nothing happened, not missing data.
  treatMissingData: "notBreaching",
} as const;

/** One alarm per filter, named as its filter. */
export const cisAlarmName = cisFilterName;

/** What the audit manifest says about one CIS filter and its alarm. */
export interface CisFilterIntent {
  cisId: string;
  filterName: string;
  alarmName: string;
  metricName: string;
  pattern: string;
}

/** The manifest's `detection.cisAlarms`: what infra lays on the trail's log group, from CIS_FILTERS. */
export interface CisAlarmsIntent {
  /** The SNS topic (management account, home region) every CIS alarm must notify. */
  topicArn: string;
  metricNamespace: string;
  filters: CisFilterIntent[];
}

/** Generic in the topic so infra can pass the topic's ARN before it is known (a Pulumi Output). */
export function cisAlarmsIntent<T = string>(topicArn: T): Omit<CisAlarmsIntent, "topicArn"> & { topicArn: T } {
  return {
    topicArn,
    metricNamespace: CIS_METRIC_NAMESPACE,
    filters: CIS_FILTERS.map((f) => ({
      cisId: f.id,
      filterName: cisFilterName(f),
      alarmName: cisAlarmName(f),
      metricName: f.metricName,
      pattern: f.pattern,
    })),
  };
}
