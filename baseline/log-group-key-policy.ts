import { accountRoot, ACCOUNT_ID, iamArnPrefix, logGroupArn } from "./arns";
import { KEY_ADMIN_ACTIONS, KEY_AUDIT_READ_ACTIONS } from "./key-policy";
import { policy, PolicyDocument, Statement } from "./policy-types";

/** The encryption context CloudWatch Logs binds to every KMS call it makes for a log group. */
export const LOGS_CONTEXT_KEY = "kms:EncryptionContext:aws:logs:arn";

/** What CloudWatch Logs needs on the key of a log group (AWS CloudWatch Logs User Guide, "Encrypt log data … using AWS KMS"). */
export const LOGS_KEY_ACTIONS = [
  "kms:Encrypt*",
  "kms:Decrypt*",
  "kms:ReEncrypt*",
  "kms:GenerateDataKey*",
  "kms:Describe*",
];

export interface LogGroupKeyPolicyInput {
  /** Account owning both the key and the log group (a log group can only use a key of its own region). */
  accountId: string;
  region: string;
  /** The log group, or several of that account and region sharing one key (the audit agent's functions and state machine). */
  logGroupName: string | string[];
  /**
   * IAM principal ARN patterns (of that account) that administer the key. Empty: the account's IAM
   * policies decide who administers it, as for any key whose policy trusts the account root.
   */
  adminPrincipalArns: string[];
  /**
   * The audit read role(s) of that account. Only needed, and only added, when adminPrincipalArns
   * narrows administration: otherwise the account's IAM policies (the read role's SecurityAudit)
   * already decide, and the read role can read the key's policy, grants, rotation and state.
   */
  auditReadRoleArns?: string[];
}

export function logsServicePrincipal(region: string): string {
  return `logs.${region}.amazonaws.com`;
}

/**
 * Key policy of the organization trail's CloudWatch Logs group key. Only the regional CloudWatch
 * Logs service may use it, and only for that one log group (its ARN is the encryption context
 * CloudWatch Logs sends; the AWS examples compare it with ArnEquals). Administration carries no
 * cryptographic action and no CreateGrant, and there is no "enable IAM policies" statement, so no
 * identity policy in the account can hand anyone Decrypt. Readers and the CIS metric filters go
 * through the logs service, which decrypts with this grant.
 */
export function logGroupKeyPolicy(i: LogGroupKeyPolicyInput): PolicyDocument {
  if (!ACCOUNT_ID.test(i.accountId))
    throw new Error(`logGroupKeyPolicy: accountId must be a 12-digit account id, got "${i.accountId}"`);
  const names = typeof i.logGroupName === "string" ? [i.logGroupName] : i.logGroupName;
  if (names.length === 0 || names.some((n) => n === ""))
    throw new Error("logGroupKeyPolicy: logGroupName must not be empty");
  const arns = names.map((n) => logGroupArn(i.region, i.accountId, n));
  const foreign = i.adminPrincipalArns.filter((a) => !a.startsWith(iamArnPrefix(i.accountId)));
  if (foreign.length > 0)
    throw new Error(
      `logGroupKeyPolicy: adminPrincipalArns must be IAM principals of account ${i.accountId}, got ${foreign.join(", ")}`,
    );
  const admin: Statement = {
    Sid: "KeyAdministration",
    Effect: "Allow",
    Principal: { AWS: accountRoot(i.accountId) },
    Action: KEY_ADMIN_ACTIONS,
    Resource: "*",
  };
  if (i.adminPrincipalArns.length > 0) admin.Condition = { ArnLike: { "aws:PrincipalArn": i.adminPrincipalArns } };
  const readers = i.adminPrincipalArns.length > 0 ? (i.auditReadRoleArns ?? []) : [];
  // Without it, kms:GetKeyPolicy and the other reads of the KMS checks are denied to the audit.
  const auditRead: Statement[] =
    readers.length > 0
      ? [
          {
            Sid: "AuditAgentRead",
            Effect: "Allow",
            Principal: { AWS: accountRoot(i.accountId) },
            Action: KEY_AUDIT_READ_ACTIONS,
            Resource: "*",
            Condition: { ArnLike: { "aws:PrincipalArn": readers } },
          },
        ]
      : [];
  return policy(
    [
      admin,
      ...auditRead,
      {
        // One log group keeps the statement it always had; several are each allowed, still by exact ARN.
        Sid:
          typeof i.logGroupName === "string"
            ? "CloudWatchLogsUseForTheTrailLogGroup"
            : "CloudWatchLogsUseForTheseLogGroups",
        Effect: "Allow",
        Principal: { Service: logsServicePrincipal(i.region) },
        Action: LOGS_KEY_ACTIONS,
        Resource: "*",
        Condition: { ArnEquals: { [LOGS_CONTEXT_KEY]: typeof i.logGroupName === "string" ? arns[0] : arns } },
      },
    ],
    "orgwarden-log-group-key",
  );
}
