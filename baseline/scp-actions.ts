/**
 * The actions the security-baseline SCPs deny. Each list is one concern; the statements in
 * baseline/scp.ts pair a list with the resources it protects and the shared exemption.
 */

/**
 * CloudTrail actions that would blind the organization. Denied on every trail: members cannot
 * change the organization trail at all ("member accounts ... can't modify or delete the
 * organization trail", https://docs.aws.amazon.com/awscloudtrail/latest/userguide/creating-trail-organization.html),
 * so this binds a CloudTrail delegated administrator (a member that may manage organization trails,
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-delegated-administrator.html)
 * and members' own trails.
 */
export const TRAIL_TAMPER_ACTIONS = [
  "cloudtrail:StopLogging",
  "cloudtrail:DeleteTrail",
  "cloudtrail:UpdateTrail",
  "cloudtrail:PutEventSelectors",
  "cloudtrail:PutInsightSelectors",
];

/**
 * Config: stopping or deleting the recorder, and also narrowing what it records or redirecting its
 * delivery without stopping it (Control Tower's mandatory "disallow configuration changes to AWS
 * Config" control denies the same Put calls). The member recorder is laid by the StackSet, whose
 * execution role (stacksets-exec-*) must be exempt — infra refuses an exemption list without it.
 */
export const CONFIG_TAMPER_ACTIONS = [
  "config:StopConfigurationRecorder",
  "config:DeleteConfigurationRecorder",
  "config:PutConfigurationRecorder",
  "config:DeleteDeliveryChannel",
  "config:PutDeliveryChannel",
  "config:PutRetentionConfiguration",
  "config:DeleteRetentionConfiguration",
];

export const BUCKET_TAMPER_ACTIONS = [
  "s3:PutBucketPolicy",
  "s3:DeleteBucketPolicy",
  "s3:PutLifecycleConfiguration",
  "s3:PutBucketVersioning",
  "s3:PutEncryptionConfiguration",
  "s3:PutBucketLogging",
  "s3:PutBucketObjectLockConfiguration",
  "s3:PutBucketPublicAccessBlock",
  "s3:PutBucketOwnershipControls",
  "s3:DeleteBucket",
];

/**
 * Deleting objects from the log buckets that have no Object Lock (access logs, Config). Lifecycle
 * expiry still works: S3 performs it itself, on internal endpoints, not as a request of any principal,
 * so neither SCPs nor bucket policies apply to it ("S3 Lifecycle actions are performed by internal
 * Amazon S3 endpoints", https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-and-other-bucket-config.html).
 * To stop everybody else "you must deny them permissions for s3:DeleteObject, s3:DeleteObjectVersion,
 * s3:PutLifecycleConfiguration" (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketLifecycleConfiguration.html);
 * PutLifecycleConfiguration is in BUCKET_TAMPER_ACTIONS.
 */
export const OBJECT_DELETE_ACTIONS = ["s3:DeleteObject", "s3:DeleteObjectVersion"];

/** Keys tagged orgwarden:protected=true: the log key and the Config key (the log-group key lives in the management account, which no SCP binds). */
export const KEY_TAMPER_ACTIONS = [
  "kms:DisableKey",
  "kms:ScheduleKeyDeletion",
  "kms:PutKeyPolicy",
  "kms:DisableKeyRotation",
  "kms:DeleteAlias",
  "kms:UpdateAlias",
];

/**
 * The member baseline's State Manager associations (SSM agent updates, CloudWatch agent), which the
 * template tags orgwarden:protected=true: an association's ARN ends in an id generated at creation
 * (arn:aws:ssm:<region>:<account>:association/<id>), so only its tag can name it. The Service
 * Authorization Reference lists aws:ResourceTag for these actions on the association resource
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssystemsmanager.html).
 */
export const ASSOCIATION_TAMPER_ACTIONS = [
  "ssm:DeleteAssociation",
  "ssm:UpdateAssociation",
  "ssm:AddTagsToResource",
  "ssm:RemoveTagsFromResource",
];

/**
 * The shared Route 53 Resolver query logging configurations (log-archive account, one per governed
 * region) and their RAM shares, both tagged orgwarden:protected=true: a member must not take its VPCs
 * out of query logging (DisassociateResolverQueryLogConfig, called in the VPC owner's account on the
 * shared configuration), and the log-archive account must not delete a configuration or stop sharing
 * it. The Service Authorization Reference lists aws:ResourceTag on the resolver-query-log-config and
 * resource-share resource types (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonroute53resolver.html,
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsresourceaccessmanagerram.html).
 */
export const DNS_QUERY_LOG_TAMPER_ACTIONS = [
  "route53resolver:DisassociateResolverQueryLogConfig",
  "route53resolver:DeleteResolverQueryLogConfig",
  "route53resolver:TagResource",
  "route53resolver:UntagResource",
  "ram:DisassociateResourceShare",
  "ram:DeleteResourceShare",
  "ram:UpdateResourceShare",
  "ram:TagResource",
  "ram:UntagResource",
];

/** Switching detection off, leaving its administrator, or changing what the administrator enrols. */
export const DETECTION_DISABLE_ACTIONS = [
  "guardduty:DeleteDetector",
  "guardduty:UpdateDetector",
  "guardduty:DisassociateFromAdministratorAccount",
  "guardduty:DisassociateFromMasterAccount",
  "guardduty:StopMonitoringMembers",
  "guardduty:DeleteMembers",
  "guardduty:DisassociateMembers",
  "guardduty:UpdateMemberDetectors",
  "guardduty:UpdateOrganizationConfiguration",
  "securityhub:DisableSecurityHub",
  "securityhub:DisassociateFromAdministratorAccount",
  "securityhub:DisassociateFromMasterAccount",
  "securityhub:DeleteMembers",
  "securityhub:DisassociateMembers",
  "securityhub:BatchDisableStandards",
  "securityhub:UpdateOrganizationConfiguration",
  "inspector2:Disable",
  "inspector2:DisassociateMember",
  "inspector2:UpdateOrganizationConfiguration",
];

/**
 * Hiding findings without disabling anything: an auto-archive filter (suppression rule), a trusted
 * IP list, a switched-off threat list, a disabled control. A SOC that tunes suppression rules does it
 * through an exempt role.
 */
export const FINDING_SUPPRESS_ACTIONS = [
  "guardduty:CreateFilter",
  "guardduty:UpdateFilter",
  "guardduty:CreateIPSet",
  "guardduty:UpdateIPSet",
  "guardduty:UpdateThreatIntelSet",
  "guardduty:DeleteThreatIntelSet",
  "securityhub:UpdateStandardsControl",
  "securityhub:BatchUpdateStandardsControlAssociations",
  "securityhub:DisableImportFindingsForProduct",
];

/** The member baseline's forwarding rules (findings and CIS events to the security account's bus). */
export const RULE_TAMPER_ACTIONS = [
  "events:DisableRule",
  "events:DeleteRule",
  "events:PutRule",
  "events:RemoveTargets",
  "events:PutTargets",
];

/**
 * The member baseline's Automation documents (the DNS VPC association and the flow-log
 * remediation): whoever rewrites one runs their own steps as its role; CreateDocument squats the
 * name before the StackSet lays it. Service Authorization Reference (AWS Systems Manager): each of
 * these takes the document resource type.
 */
export const DOCUMENT_TAMPER_ACTIONS = [
  "ssm:CreateDocument",
  "ssm:DeleteDocument",
  "ssm:UpdateDocument",
  "ssm:UpdateDocumentDefaultVersion",
  "ssm:UpdateDocumentMetadata",
  "ssm:ModifyDocumentPermission",
];

/** The audit manifest parameter: whoever rewrites it decides what the agent calls "intended". */
export const PARAMETER_TAMPER_ACTIONS = [
  "ssm:PutParameter",
  "ssm:DeleteParameter",
  "ssm:DeleteParameters",
  // The parameter's orgwarden:manifest-sha256 tag pins the manifest infra wrote (baseline/manifest-digest.ts).
  "ssm:AddTagsToResource",
  "ssm:RemoveTagsFromResource",
];

/**
 * The StackSet's stacks in each member (named StackSet-<name>-<id>) and the direct stacks, and the
 * StackSet itself: only the management account or a StackSets delegated administrator can call
 * DeleteStackInstances on a service-managed StackSet, so that part binds a delegated administrator only.
 */
export const STACK_TAMPER_ACTIONS = [
  "cloudformation:DeleteStack",
  "cloudformation:UpdateStack",
  "cloudformation:CreateChangeSet",
  "cloudformation:ExecuteChangeSet",
  "cloudformation:DeleteStackInstances",
  "cloudformation:UpdateStackInstances",
  "cloudformation:UpdateStackSet",
  "cloudformation:DeleteStackSet",
];

/**
 * Changes to the exempt roles and to the roles the baseline lays in members (audit read role,
 * event forwarder). Without this an account admin could rewrite an exempt role's trust and walk
 * through the exemption, or cut the audit role's permissions.
 */
export const ROLE_TAMPER_ACTIONS = [
  "iam:UpdateAssumeRolePolicy",
  "iam:AttachRolePolicy",
  "iam:DetachRolePolicy",
  "iam:PutRolePolicy",
  "iam:DeleteRolePolicy",
  "iam:DeleteRole",
  "iam:UpdateRole",
  "iam:PutRolePermissionsBoundary",
  "iam:DeleteRolePermissionsBoundary",
];
