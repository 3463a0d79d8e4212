import { ACCOUNT_ID, logGroupArn, objectArn, ORG_ID, roleArn, ssmParameterArn } from "./arns";
import { denyInsecureTransport } from "./bucket-policies";
import { policy, PolicyDocument } from "./policy-types";

/** Lambda's service principal: the only one that may run as the agent role. */
export const LAMBDA_SERVICE = "lambda.amazonaws.com";

export interface AuditAgentTrustInput {
  /** The security account, where the function and its role live. */
  securityAccountId: string;
}

/**
 * Trust of the scheduled agent's role: Lambda only, and only for a function of the security
 * account (aws:SourceAccount), so no other account's function can be configured to run as it.
 */
export function auditAgentTrustPolicy(i: AuditAgentTrustInput): PolicyDocument {
  if (!ACCOUNT_ID.test(i.securityAccountId))
    throw new Error(
      `auditAgentTrustPolicy: securityAccountId must be a 12-digit account id, got "${i.securityAccountId}"`,
    );
  return policy([
    {
      Sid: "LambdaOfTheSecurityAccount",
      Effect: "Allow",
      Principal: { Service: LAMBDA_SERVICE },
      Action: "sts:AssumeRole",
      Condition: { StringEquals: { "aws:SourceAccount": i.securityAccountId } },
    },
  ]);
}

export interface AuditAgentPolicyInput {
  securityAccountId: string;
  /** The organization: the only one whose read roles the agent may assume. */
  orgId: string;
  region: string;
  /** Role the agent assumes in every account, its own included. */
  readRoleName: string;
  /** SSM parameter (name, starting with "/") holding the audit manifest. */
  manifestParameterName: string;
  reportBucketName: string;
  /** Key prefix the reports are written under (no leading or trailing "/"). */
  reportPrefix: string;
  /** The function's own log group (/aws/lambda/<function>). */
  logGroupName: string;
  /** The log auditor role (security account) the nightly integrity check enters; absent: no such statement. */
  logAuditorRoleName?: string;
}

/**
 * Permissions of the agent role. Every read of the organization goes through the read role
 * (its own account included), so the role itself only: assumes that role inside the
 * organization (and the log auditor role, for the integrity check), reads the one manifest parameter, writes reports under one prefix of one bucket,
 * and writes its own log streams. It holds no KMS permission: the manifest is a String
 * parameter, the report bucket uses SSE-S3, and CloudWatch Logs encrypts its log group itself.
 */
export function auditAgentPolicy(i: AuditAgentPolicyInput): PolicyDocument {
  const bad = (what: string, got: string) => new Error(`auditAgentPolicy: ${what}, got "${got}"`);
  if (!ACCOUNT_ID.test(i.securityAccountId))
    throw bad("securityAccountId must be a 12-digit account id", i.securityAccountId);
  if (!ORG_ID.test(i.orgId)) throw bad("orgId must be an organization id such as o-a1b2c3d4e5", i.orgId);
  if (!i.manifestParameterName.startsWith("/"))
    throw bad('manifestParameterName must be a path starting with "/"', i.manifestParameterName);
  if (i.reportPrefix === "" || /^\/|\/$|\*/.test(i.reportPrefix))
    throw bad('reportPrefix must be a non-empty key prefix without leading or trailing "/" or "*"', i.reportPrefix);
  if (i.readRoleName === "" || i.readRoleName.includes("*"))
    throw bad("readRoleName must be a role name without wildcards", i.readRoleName);
  if (i.logAuditorRoleName !== undefined && (i.logAuditorRoleName === "" || i.logAuditorRoleName.includes("*")))
    throw bad("logAuditorRoleName must be a role name without wildcards", i.logAuditorRoleName);
  const logGroup = logGroupArn(i.region, i.securityAccountId, i.logGroupName);
  return policy(
    [
      {
        Sid: "AssumeTheReadRoleInsideTheOrganization",
        Effect: "Allow",
        Action: "sts:AssumeRole",
        Resource: roleArn("*", i.readRoleName),
        // The account part is a wildcard because accounts join the organization at any time; the org id bounds it.
        Condition: { StringEquals: { "aws:ResourceOrgID": i.orgId } },
      },
      ...(i.logAuditorRoleName === undefined
        ? []
        : [
            {
              // The one role that may decrypt the logs, by exact ARN: the integrity check validates the digest chain as it.
              Sid: "AssumeTheLogAuditorRole",
              Effect: "Allow" as const,
              Action: "sts:AssumeRole",
              Resource: roleArn(i.securityAccountId, i.logAuditorRoleName),
            },
          ]),
      {
        Sid: "ReadTheAuditManifest",
        Effect: "Allow",
        Action: "ssm:GetParameter",
        Resource: ssmParameterArn(i.region, i.securityAccountId, i.manifestParameterName),
      },
      {
        Sid: "WriteReports",
        Effect: "Allow",
        Action: "s3:PutObject",
        Resource: objectArn(i.reportBucketName, `${i.reportPrefix}/*`),
      },
      {
        // The run-to-run diff: each run reads the previous run's report of its stack, nothing else.
        Sid: "ReadThePreviousReport",
        Effect: "Allow",
        Action: "s3:GetObject",
        Resource: objectArn(i.reportBucketName, `${i.reportPrefix}/*/latest/report.json`),
      },
      {
        // Without ListBucket S3 answers a missing key with AccessDenied, and a first run could not be told from a refusal.
        Sid: "TellAFirstRunFromARefusal",
        Effect: "Allow",
        Action: "s3:ListBucket",
        Resource: `arn:aws:s3:::${i.reportBucketName}`,
        Condition: { StringLike: { "s3:prefix": `${i.reportPrefix}/*` } },
      },
      {
        Sid: "WriteOwnLogs",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        // ":*" is the form the Lambda execution-role examples use: it covers the group's streams.
        Resource: `${logGroup}:*`,
      },
    ],
    "orgwarden-audit-agent",
  );
}

/**
 * Policy of the audit report bucket: TLS only. Writes are granted by the agent role's own
 * policy (same account), so the bucket policy adds no Allow of its own.
 */
export function auditReportBucketPolicy(bucketName: string): PolicyDocument {
  if (bucketName === "") throw new Error("auditReportBucketPolicy: bucketName must not be empty");
  return policy([denyInsecureTransport(bucketName)], "orgwarden-audit-reports");
}
