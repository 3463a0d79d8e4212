/**
 * Who may query the logs through Athena, and what that role may do.
 *
 * Querying the archive widens who can read it, so it is one dedicated role, the log analyst
 * (security account), and nobody else: never the audit read role, never the account root. Its trust
 * admits only the principals the stack names (athena.analystPrincipals, role names in the security
 * account, e.g. an IAM Identity Center permission set's reserved role); with none named, infra
 * refuses athena.enabled, because an empty trust cannot be written and a default of "the account"
 * would hand the archive to every administrator of the security account.
 *
 * Athena reads S3 with the caller's own credentials (forward access sessions), so the archive
 * bucket, the flow-log bucket and their keys must admit the analyst role itself: the statements
 * here are added to those documents (baseline/bucket-policies.ts, key-policy.ts,
 * network/flow-log-policies.ts). Read-only: GetObject and ListBucket under the log prefixes, and
 * kms:Decrypt only through S3 in the buckets' region (kms:ViaService) and, on the log key, only
 * ciphertext carrying CloudTrail's encryption context.
 */
import { accountRoot, ACCOUNT_ID, arn, bucketArn, ORG_ID, PARTITION, roleArn } from "../arns";
import { ANALYST_LOG_READ_ACTIONS, denyInsecureTransport } from "../bucket-policies";
import { S3_CONTEXT_KEY } from "../detection/config-key-policy";
import { KEY_ADMIN_ACTIONS, KEY_AUDIT_READ_ACTIONS } from "../key-policy";
import { policy, type PolicyDocument, type Statement } from "../policy-types";
import { CLOUDTRAIL_TABLE, FLOW_LOG_TABLE } from "./tables";

export const DEFAULT_ANALYST_ROLE_NAME = "orgwarden-log-analyst";

/** The analyst role's `roles.shared` entry and its one inline policy's name, as infra/athena/log-analytics.ts lays and publishes it (and the sandbox). */
export const ANALYST_ROLE = {
  entry: "athena-analyst-role",
  purpose: "the Athena log analyst role",
  policyName: "log-analyst",
} as const;

/** Everything Athena needs to run a query in one workgroup and read its results; no workgroup or catalogue changes. */
export const ANALYST_ATHENA_ACTIONS = [
  "athena:StartQueryExecution",
  "athena:StopQueryExecution",
  "athena:GetQueryExecution",
  "athena:GetQueryResults",
  "athena:GetQueryResultsStream",
  "athena:BatchGetQueryExecution",
  "athena:ListQueryExecutions",
  "athena:GetWorkGroup",
  "athena:GetNamedQuery",
  "athena:BatchGetNamedQuery",
  "athena:ListNamedQueries",
];
export const ANALYST_GLUE_ACTIONS = [
  "glue:GetDatabase",
  "glue:GetTable",
  "glue:GetTables",
  "glue:GetPartition",
  "glue:GetPartitions",
  "glue:BatchGetPartition",
];
/** Athena writes results through S3 with the caller's credentials, multipart included. */
export const ANALYST_RESULT_ACTIONS = [
  "s3:GetObject",
  "s3:PutObject",
  "s3:AbortMultipartUpload",
  "s3:ListMultipartUploadParts",
];

export function workgroupArn(region: string, accountId: string, name: string): string {
  return arn(PARTITION, "athena", region, accountId, `workgroup/${name}`);
}
export function glueArn(region: string, accountId: string, resource: string): string {
  return arn(PARTITION, "glue", region, accountId, resource);
}

function checkAccount(fn: string, key: string, v: string): void {
  if (!ACCOUNT_ID.test(v)) throw new Error(`${fn}: ${key} must be a 12-digit account id, got "${v}"`);
}

/** The analyst role's trust: the security account, narrowed to the named principals (KMS/IAM reject names of roles that do not exist yet). */
export function analystTrustPolicy(securityAccountId: string, principalRoleNames: string[]): PolicyDocument {
  checkAccount("analystTrustPolicy", "securityAccountId", securityAccountId);
  if (principalRoleNames.length === 0)
    throw new Error("analystTrustPolicy: principalRoleNames must name at least one role (athena.analystPrincipals)");
  return policy([
    {
      Sid: "NamedAnalystsOnly",
      Effect: "Allow",
      Principal: { AWS: accountRoot(securityAccountId) },
      Action: "sts:AssumeRole",
      Condition: { ArnLike: { "aws:PrincipalArn": principalRoleNames.map((n) => roleArn(securityAccountId, n)) } },
    },
  ]);
}

export interface AnalystPolicyInput {
  region: string;
  securityAccountId: string;
  orgId: string;
  workgroupName: string;
  databaseName: string;
  archiveBucketName: string;
  logKeyArn: string;
  /** Absent when network.flowLogs.enabled is false. */
  flowLogs?: { bucketName: string; keyArn: string };
  resultsBucketName: string;
  resultsKeyArn: string;
}

/** Identity policy of the analyst role. */
export function analystPolicy(i: AnalystPolicyInput): PolicyDocument {
  checkAccount("analystPolicy", "securityAccountId", i.securityAccountId);
  if (!ORG_ID.test(i.orgId)) throw new Error(`analystPolicy: orgId must be o-…, got "${i.orgId}"`);
  const viaS3 = { StringEquals: { "kms:ViaService": `s3.${i.region}.amazonaws.com` } };
  const logBuckets = [
    { bucket: i.archiveBucketName, prefix: `AWSLogs/${i.orgId}/` },
    ...(i.flowLogs ? [{ bucket: i.flowLogs.bucketName, prefix: "AWSLogs/" }] : []),
  ];
  const tables = [CLOUDTRAIL_TABLE, ...(i.flowLogs ? [FLOW_LOG_TABLE] : [])];
  const glue = (r: string) => glueArn(i.region, i.securityAccountId, r);
  const statements: Statement[] = [
    {
      Sid: "QueryInTheLogWorkgroup",
      Effect: "Allow",
      Action: ANALYST_ATHENA_ACTIONS,
      Resource: workgroupArn(i.region, i.securityAccountId, i.workgroupName),
    },
    {
      Sid: "ReadTheLogCatalogue",
      Effect: "Allow",
      Action: ANALYST_GLUE_ACTIONS,
      Resource: [
        glue("catalog"),
        glue(`database/${i.databaseName}`),
        ...tables.map((t) => glue(`table/${i.databaseName}/${t}`)),
      ],
    },
    {
      Sid: "ListTheLogPrefixes",
      Effect: "Allow",
      Action: "s3:ListBucket",
      Resource: logBuckets.map((b) => bucketArn(b.bucket)),
      Condition: { StringLike: { "s3:prefix": logBuckets.map((b) => `${b.prefix}*`) } },
    },
    {
      Sid: "LocateTheBuckets",
      Effect: "Allow",
      Action: "s3:GetBucketLocation",
      Resource: [...logBuckets.map((b) => bucketArn(b.bucket)), bucketArn(i.resultsBucketName)],
    },
    {
      Sid: "ReadTheLogs",
      Effect: "Allow",
      Action: ANALYST_LOG_READ_ACTIONS,
      Resource: logBuckets.map((b) => `${bucketArn(b.bucket)}/${b.prefix}*`),
    },
    {
      Sid: "DecryptTheLogsThroughS3",
      Effect: "Allow",
      Action: "kms:Decrypt",
      Resource: [i.logKeyArn, ...(i.flowLogs ? [i.flowLogs.keyArn] : [])],
      Condition: viaS3,
    },
    {
      Sid: "WriteAndReadQueryResults",
      Effect: "Allow",
      Action: ANALYST_RESULT_ACTIONS,
      Resource: `${bucketArn(i.resultsBucketName)}/*`,
    },
    {
      Sid: "ListQueryResults",
      Effect: "Allow",
      Action: "s3:ListBucket",
      Resource: bucketArn(i.resultsBucketName),
    },
    {
      Sid: "EncryptQueryResultsThroughS3",
      Effect: "Allow",
      Action: ["kms:GenerateDataKey", "kms:Decrypt"],
      Resource: i.resultsKeyArn,
      Condition: viaS3,
    },
  ];
  return policy(statements);
}

export interface ResultsPolicyInput {
  bucketName: string;
  securityAccountId: string;
  region: string;
  analystRoleName: string;
  /** Roles that administer the results key (kms.adminRoleNames). */
  adminRoleNames: string[];
  /**
   * The audit read role(s) of the security account: the KMS checks read the key's policy, grants,
   * rotation and metadata as them, which the named administration does not admit (AuditAgentRead).
   */
  auditReadRoleNames?: string[];
}

/**
 * Policy of the query-results bucket (security account): results hold log content, so only the
 * analyst reads them, over TLS. Writes are the analyst's too (Athena writes as the caller).
 */
export function resultsBucketPolicy(i: ResultsPolicyInput): PolicyDocument {
  checkAccount("resultsBucketPolicy", "securityAccountId", i.securityAccountId);
  const bucket = bucketArn(i.bucketName);
  return policy([
    denyInsecureTransport(i.bucketName),
    {
      Sid: "DenyResultAccessExceptAnalyst",
      Effect: "Deny",
      Principal: "*",
      Action: ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"],
      Resource: `${bucket}/*`,
      Condition: { ArnNotLike: { "aws:PrincipalArn": roleArn(i.securityAccountId, i.analystRoleName) } },
    },
  ]);
}

/** Key policy of the results key: administrators without cryptographic use; the analyst encrypts and decrypts results through S3. */
export function resultsKeyPolicy(i: ResultsPolicyInput): PolicyDocument {
  checkAccount("resultsKeyPolicy", "securityAccountId", i.securityAccountId);
  if (i.adminRoleNames.length === 0) throw new Error("resultsKeyPolicy: adminRoleNames must name at least one role");
  const root = accountRoot(i.securityAccountId);
  return policy(
    [
      {
        Sid: "KeyAdministration",
        Effect: "Allow",
        Principal: { AWS: root },
        Action: KEY_ADMIN_ACTIONS,
        Resource: "*",
        Condition: { ArnLike: { "aws:PrincipalArn": i.adminRoleNames.map((n) => roleArn(i.securityAccountId, n)) } },
      },
      ...(i.auditReadRoleNames && i.auditReadRoleNames.length > 0
        ? [
            {
              Sid: "AuditAgentRead",
              Effect: "Allow" as const,
              Principal: { AWS: root },
              Action: KEY_AUDIT_READ_ACTIONS,
              Resource: "*",
              Condition: {
                ArnLike: { "aws:PrincipalArn": i.auditReadRoleNames.map((n) => roleArn(i.securityAccountId, n)) },
              },
            },
          ]
        : []),
      {
        Sid: "AnalystResultsThroughS3",
        Effect: "Allow",
        Principal: { AWS: root },
        Action: ["kms:GenerateDataKey", "kms:Decrypt"],
        Resource: "*",
        Condition: {
          ArnLike: { "aws:PrincipalArn": roleArn(i.securityAccountId, i.analystRoleName) },
          StringEquals: { "kms:ViaService": `s3.${i.region}.amazonaws.com` },
          StringLike: { [S3_CONTEXT_KEY]: `${bucketArn(i.bucketName)}/*` },
        },
      },
    ],
    "orgwarden-athena-results-key",
  );
}
