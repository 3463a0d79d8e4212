import { bucketArn, logGroupArn, parseArn, PARTITION } from "./arns";
import { minify, policy, PolicyDocument, Statement } from "./policy-types";

/** AWS Organizations' hard limit on an SCP document, counted on what is submitted (we submit minified JSON). */
export const SCP_MAX_CHARS = 5120;
/** AWS Organizations' limit on SCPs attached directly to one root, OU or account. */
export const SCP_MAX_PER_TARGET = 5;

/** Tag that marks a KMS key as part of the logging baseline; the SCP protects keys carrying it. */
export const PROTECT_TAG_KEY = "orgwarden:protected";
export const PROTECT_TAG_VALUE = "true";

export interface LoggingScpInput {
  /** Principals (ARN patterns, wildcards allowed) that the SCP never applies to: break-glass and deployment roles. */
  exemptPrincipalArns: string[];
  /** Buckets whose configuration must not change: the CloudTrail archive, its access-log bucket, the Config bucket. */
  protectedBucketNames: string[];
  /** Name of the organization trail's CloudWatch Logs group. */
  trailLogGroupName: string;
}

/** CloudTrail actions that would blind the organization. Denied on every trail. */
export const TRAIL_TAMPER_ACTIONS = [
  "cloudtrail:StopLogging",
  "cloudtrail:DeleteTrail",
  "cloudtrail:UpdateTrail",
  "cloudtrail:PutEventSelectors",
  "cloudtrail:PutInsightSelectors",
];

export const CONFIG_TAMPER_ACTIONS = [
  "config:StopConfigurationRecorder",
  "config:DeleteConfigurationRecorder",
  "config:DeleteDeliveryChannel",
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

export const KEY_TAMPER_ACTIONS = [
  "kms:DisableKey",
  "kms:ScheduleKeyDeletion",
  "kms:PutKeyPolicy",
  "kms:DisableKeyRotation",
  "kms:DeleteAlias",
  "kms:UpdateAlias",
];

export const LOG_GROUP_TAMPER_ACTIONS = [
  "logs:DeleteLogGroup",
  "logs:DeleteRetentionPolicy",
  "logs:PutRetentionPolicy",
  "logs:DeleteSubscriptionFilter",
];

export const DETECTION_TAMPER_ACTIONS = [
  "guardduty:DeleteDetector",
  "guardduty:UpdateDetector",
  "guardduty:DisassociateFromAdministratorAccount",
  "guardduty:DisassociateFromMasterAccount",
  "guardduty:StopMonitoringMembers",
  "guardduty:DeleteMembers",
  "guardduty:DisassociateMembers",
  "securityhub:DisableSecurityHub",
  "securityhub:DisassociateFromAdministratorAccount",
  "securityhub:DisassociateFromMasterAccount",
  "securityhub:DeleteMembers",
  "securityhub:DisassociateMembers",
  "inspector2:Disable",
  "inspector2:DisassociateMember",
];

/** Changes to the exempt roles themselves: without this, an account admin could rewrite an exempt role's trust and walk through the exemption. */
export const EXEMPT_ROLE_TAMPER_ACTIONS = [
  "iam:UpdateAssumeRolePolicy",
  "iam:AttachRolePolicy",
  "iam:DetachRolePolicy",
  "iam:PutRolePolicy",
  "iam:DeleteRolePolicy",
  "iam:DeleteRole",
  "iam:PutRolePermissionsBoundary",
  "iam:DeleteRolePermissionsBoundary",
];

function exemptCondition(exempt: string[]) {
  return { ArnNotLike: { "aws:PrincipalArn": [...exempt] } };
}

/** Role ARN patterns in the exemption list (users and wildcards on other types are left out of the tamper statement). */
function exemptRoleResources(exempt: string[]): string[] {
  return exempt.filter((a) => {
    const p = parseArn(a);
    return p?.partition === PARTITION && p.service === "iam" && p.region === "" && p.resource.startsWith("role/");
  });
}

/**
 * The "protect security logging" SCP. Every statement is a Deny with the same
 * exemption, so the document reads as one rule: nobody but the exempt principals
 * can switch off, redirect or delete the organization's security logging.
 */
export function loggingProtectionScp(input: LoggingScpInput): PolicyDocument {
  if (input.exemptPrincipalArns.length === 0) {
    throw new Error("loggingProtectionScp: exemptPrincipalArns must name at least one break-glass or deployment principal");
  }
  if (input.protectedBucketNames.length === 0) {
    throw new Error("loggingProtectionScp: protectedBucketNames must name at least the archive bucket");
  }
  const cond = exemptCondition(input.exemptPrincipalArns);
  const statements: Statement[] = [
    { Sid: "DenyTrailTampering", Effect: "Deny", Action: TRAIL_TAMPER_ACTIONS, Resource: "*", Condition: cond },
    { Sid: "DenyConfigTampering", Effect: "Deny", Action: CONFIG_TAMPER_ACTIONS, Resource: "*", Condition: cond },
    {
      Sid: "DenyLogBucketTampering",
      Effect: "Deny",
      Action: BUCKET_TAMPER_ACTIONS,
      Resource: input.protectedBucketNames.map(bucketArn),
      Condition: cond,
    },
    {
      Sid: "DenyLogKeyTampering",
      Effect: "Deny",
      Action: KEY_TAMPER_ACTIONS,
      Resource: "*",
      Condition: { ...cond, StringEquals: { [`aws:ResourceTag/${PROTECT_TAG_KEY}`]: PROTECT_TAG_VALUE } },
    },
    {
      Sid: "DenyProtectTagRemoval",
      Effect: "Deny",
      Action: ["kms:UntagResource", "kms:TagResource"],
      Resource: "*",
      Condition: { ...cond, "ForAnyValue:StringEquals": { "aws:TagKeys": [PROTECT_TAG_KEY] } },
    },
    {
      Sid: "DenyTrailLogGroupTampering",
      Effect: "Deny",
      Action: LOG_GROUP_TAMPER_ACTIONS,
      Resource: [logGroupArn("*", "*", input.trailLogGroupName), `${logGroupArn("*", "*", input.trailLogGroupName)}:*`],
      Condition: cond,
    },
    { Sid: "DenyDetectionDisable", Effect: "Deny", Action: DETECTION_TAMPER_ACTIONS, Resource: "*", Condition: cond },
    { Sid: "DenyLeaveOrganization", Effect: "Deny", Action: "organizations:LeaveOrganization", Resource: "*", Condition: cond },
  ];
  const exemptRoles = exemptRoleResources(input.exemptPrincipalArns);
  if (exemptRoles.length > 0) {
    statements.push({ Sid: "DenyExemptRoleTampering", Effect: "Deny", Action: EXEMPT_ROLE_TAMPER_ACTIONS, Resource: exemptRoles, Condition: cond });
  }
  return policy(statements);
}

export class ScpTooLargeError extends Error {
  constructor(readonly policyName: string, readonly size: number) {
    super(
      `SCP "${policyName}" is ${size} characters minified; AWS Organizations allows at most ${SCP_MAX_CHARS}. ` +
        `Shorten orgwarden:scp.exemptPrincipalArns (use wildcards such as arn:aws:iam::*:role/break-glass-*) or protect fewer buckets.`,
    );
    this.name = "ScpTooLargeError";
  }
}

/** Returns the minified document, or throws ScpTooLargeError naming the policy and its size. */
export function assertScpSize(policyName: string, doc: PolicyDocument): string {
  const text = minify(doc);
  if (text.length > SCP_MAX_CHARS) throw new ScpTooLargeError(policyName, text.length);
  return text;
}
