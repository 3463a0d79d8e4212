/**
 * Identity policy of the log auditor role (security account; infra/log-auditor-role.ts lays it): exactly what validating the digest
 * chain needs — list and read the organization trail's objects in the archive (digests under
 * CloudTrail-Digest/, SSE-S3; log files under CloudTrail/, SSE-KMS), decrypt log files through S3
 * only and only ciphertext bound to this trail, and list CloudTrail's public keys. The archive
 * bucket policy and the key policy already admit these roles (auditorRoleNames); the audit read
 * role gets none of this.
 */
import { accountRoot, ACCOUNT_ID, bucketArn, objectArn, ORG_ID, roleArn } from "./arns";
import { policy, type PolicyDocument } from "./policy-types";

export interface LogAuditorPolicyInput {
  archiveBucketName: string;
  orgId: string;
  /** The CloudTrail log key (arn:aws:kms:…:key/…). */
  keyArn: string;
  /** The organization trail: log files are encrypted under a context naming it. */
  trailArn: string;
  /** Region of the archive bucket: S3 calls KMS from there (kms:ViaService). */
  region: string;
}

/** The encryption-context key CloudTrail binds to every log file it encrypts. */
const CLOUDTRAIL_CONTEXT = "kms:EncryptionContext:aws:cloudtrail:arn";

export function logAuditorPolicy(i: LogAuditorPolicyInput): PolicyDocument {
  if (!ORG_ID.test(i.orgId))
    throw new Error(`logAuditorPolicy: orgId must be an organization id such as o-a1b2c3d4e5, got "${i.orgId}"`);
  const prefix = `AWSLogs/${i.orgId}/`;
  return policy([
    {
      Sid: "ListTheTrailsObjects",
      Effect: "Allow",
      Action: ["s3:ListBucket", "s3:GetBucketLocation"],
      Resource: bucketArn(i.archiveBucketName),
    },
    {
      Sid: "ReadDigestsAndLogFiles",
      Effect: "Allow",
      Action: ["s3:GetObject", "s3:GetObjectVersion"],
      Resource: objectArn(i.archiveBucketName, `${prefix}*`),
    },
    {
      Sid: "DecryptLogFilesThroughS3",
      Effect: "Allow",
      Action: "kms:Decrypt",
      Resource: i.keyArn,
      Condition: {
        StringEquals: { "kms:ViaService": `s3.${i.region}.amazonaws.com`, [CLOUDTRAIL_CONTEXT]: i.trailArn },
      },
    },
    {
      Sid: "ListCloudTrailPublicKeys",
      Effect: "Allow",
      Action: "cloudtrail:ListPublicKeys",
      // ListPublicKeys takes no resource (Service Authorization Reference: resource types "*").
      Resource: "*",
    },
  ]);
}

export interface LogAuditorTrustInput {
  /** The security account: the log auditor role and the agent's role both live there. */
  securityAccountId: string;
  /** Role the scheduled audit agent runs as (config audit.agentRoleName). */
  agentRoleName: string;
  orgId: string;
}

/**
 * Trust of the log auditor role laid by infra: the audit agent's role of the security account and
 * nothing else, from inside the organization. Like the read role's trust (auditRoleTrustPolicy) it
 * names the account root narrowed by an exact aws:PrincipalArn, because IAM rejects a trust naming a
 * role that does not exist yet, and it needs no sts:ExternalId: the caller is our own role, named
 * exactly, not a third party acting for several customers. Being same-account, the caller also
 * needs sts:AssumeRole in its own policy (auditAgentPolicy's AssumeTheLogAuditorRole).
 */
export function logAuditorTrustPolicy(i: LogAuditorTrustInput): PolicyDocument {
  if (!ACCOUNT_ID.test(i.securityAccountId))
    throw new Error(
      `logAuditorTrustPolicy: securityAccountId must be a 12-digit account id, got "${i.securityAccountId}"`,
    );
  if (!ORG_ID.test(i.orgId))
    throw new Error(`logAuditorTrustPolicy: orgId must be an organization id such as o-a1b2c3d4e5, got "${i.orgId}"`);
  if (i.agentRoleName === "" || i.agentRoleName.includes("*"))
    throw new Error(
      `logAuditorTrustPolicy: agentRoleName must be a role name without wildcards, got "${i.agentRoleName}"`,
    );
  return policy([
    {
      Sid: "AuditAgentOnly",
      Effect: "Allow",
      Principal: { AWS: accountRoot(i.securityAccountId) },
      Action: "sts:AssumeRole",
      Condition: {
        ArnEquals: { "aws:PrincipalArn": roleArn(i.securityAccountId, i.agentRoleName) },
        StringEquals: { "aws:PrincipalOrgID": i.orgId },
      },
    },
  ]);
}
