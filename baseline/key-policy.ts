import { accountRoot, roleArn, trailArn } from "./arns";
import { policy, PolicyDocument, Statement } from "./policy-types";
import { CLOUDTRAIL_SERVICE } from "./bucket-policies";

export const CLOUDTRAIL_CONTEXT_KEY = "kms:EncryptionContext:aws:cloudtrail:arn";

/**
 * Administrative actions only. No Encrypt/Decrypt/ReEncrypt/GenerateDataKey, and no
 * CreateGrant either: a grant is a way to hand oneself Decrypt, so it is cryptographic power.
 */
export const KEY_ADMIN_ACTIONS = [
  "kms:CreateAlias",
  "kms:DeleteAlias",
  "kms:UpdateAlias",
  "kms:DescribeKey",
  "kms:EnableKey",
  "kms:DisableKey",
  "kms:EnableKeyRotation",
  "kms:DisableKeyRotation",
  "kms:RotateKeyOnDemand",
  "kms:GetKeyPolicy",
  "kms:PutKeyPolicy",
  "kms:GetKeyRotationStatus",
  "kms:ListKeyRotations",
  "kms:ListGrants",
  "kms:ListKeyPolicies",
  "kms:ListResourceTags",
  "kms:RevokeGrant",
  "kms:TagResource",
  "kms:UntagResource",
  "kms:UpdateKeyDescription",
  "kms:ScheduleKeyDeletion",
  "kms:CancelKeyDeletion",
];

/** What the audit agent reads about the key. */
export const KEY_AUDIT_READ_ACTIONS = [
  "kms:DescribeKey",
  "kms:GetKeyPolicy",
  "kms:GetKeyRotationStatus",
  "kms:ListGrants",
  "kms:ListResourceTags",
];

export interface LogKeyPolicyInput {
  securityAccountId: string;
  managementAccountId: string;
  trailArn: string;
  /** Roles in the security account that administer the key (no cryptographic use). */
  adminRoleNames: string[];
  /** Roles in the security account allowed to decrypt CloudTrail logs. */
  auditorRoleNames: string[];
  /** Roles in the security account the audit agent runs as. */
  auditReadRoleNames: string[];
  /** The Athena log analyst role(s) and the archive's region: Decrypt CloudTrail ciphertext through S3 there, nothing else. */
  analyst?: { roleNames: string[]; region: string };
}

/**
 * Key policy of the CloudTrail log key (security account). Encrypters and decrypters are
 * different principals: CloudTrail may only generate data keys for its own trails, and only the
 * auditor roles may decrypt, and only ciphertext that carries CloudTrail's encryption context.
 * There is no "Enable IAM policies" root statement, so no IAM policy can widen any of this.
 * Principals are the account root narrowed by aws:PrincipalArn, because KMS rejects a policy that
 * names a role that does not exist yet.
 *
 * CloudTrailEncrypt and AuditorDecrypt are AWS's own statements ("Granting encrypt permissions",
 * "Granting decrypt permissions"), which that page says let CloudTrail encrypt "log files, digest
 * files" and readers read both (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html):
 * a KMS-encrypted digest carries CloudTrail's aws:cloudtrail:arn context like a log file. Digests
 * written SSE-S3 never reach this key. Both encodings: test/baseline/digest-delivery.sim.test.ts.
 */
export function logKeyPolicy(i: LogKeyPolicyInput): PolicyDocument {
  if (i.adminRoleNames.length === 0)
    throw new Error("logKeyPolicy: adminRoleNames must name at least one role, or the key is unmanageable");
  if (i.auditorRoleNames.length === 0) throw new Error("logKeyPolicy: auditorRoleNames must name at least one role");
  const root = accountRoot(i.securityAccountId);
  const roles = (names: string[]) => names.map((n) => roleArn(i.securityAccountId, n));
  const statements: Statement[] = [
    {
      Sid: "KeyAdministration",
      Effect: "Allow",
      Principal: { AWS: root },
      Action: KEY_ADMIN_ACTIONS,
      Resource: "*",
      Condition: { ArnLike: { "aws:PrincipalArn": roles(i.adminRoleNames) } },
    },
    {
      Sid: "CloudTrailEncrypt",
      Effect: "Allow",
      Principal: { Service: CLOUDTRAIL_SERVICE },
      Action: "kms:GenerateDataKey*",
      Resource: "*",
      Condition: {
        StringEquals: { "aws:SourceArn": i.trailArn },
        StringLike: { [CLOUDTRAIL_CONTEXT_KEY]: trailArn("*", i.managementAccountId, "*") },
      },
    },
    {
      Sid: "CloudTrailDescribeKey",
      Effect: "Allow",
      Principal: { Service: CLOUDTRAIL_SERVICE },
      Action: "kms:DescribeKey",
      Resource: "*",
      Condition: { StringEquals: { "aws:SourceArn": i.trailArn } },
    },
    {
      Sid: "AuditorDecrypt",
      Effect: "Allow",
      Principal: { AWS: root },
      Action: "kms:Decrypt",
      Resource: "*",
      Condition: {
        ArnLike: { "aws:PrincipalArn": roles(i.auditorRoleNames) },
        Null: { [CLOUDTRAIL_CONTEXT_KEY]: "false" },
      },
    },
  ];
  if (i.analyst && i.analyst.roleNames.length > 0) {
    statements.push({
      Sid: "LogAnalystDecryptThroughS3",
      Effect: "Allow",
      Principal: { AWS: root },
      Action: "kms:Decrypt",
      Resource: "*",
      Condition: {
        ArnLike: { "aws:PrincipalArn": roles(i.analyst.roleNames) },
        StringEquals: { "kms:ViaService": `s3.${i.analyst.region}.amazonaws.com` },
        Null: { [CLOUDTRAIL_CONTEXT_KEY]: "false" },
      },
    });
  }
  if (i.auditReadRoleNames.length > 0) {
    statements.push({
      Sid: "AuditAgentRead",
      Effect: "Allow",
      Principal: { AWS: root },
      Action: KEY_AUDIT_READ_ACTIONS,
      Resource: "*",
      Condition: { ArnLike: { "aws:PrincipalArn": roles(i.auditReadRoleNames) } },
    });
  }
  return policy(statements, "orgwarden-log-key");
}
