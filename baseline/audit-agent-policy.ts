import {
  ACCOUNT_ID,
  arn,
  logGroupArn,
  objectArn,
  ORG_ID,
  parseArn,
  PARTITION,
  roleArn,
  securityHubArn,
  ssmParameterArn,
} from "./arns";
import { manifestParameterNames } from "./manifest-codec";
import { denyInsecureTransport } from "./bucket-policies";
import { policy, PolicyDocument, type Statement } from "./policy-types";

/**
 * The agent role's `roles.shared` entry and its one inline policy's name, as infra/audit-agent.ts
 * lays and publishes it (and the sandbox, agent/sandbox/seed-agent-roles.ts).
 */
export const AUDIT_AGENT_ROLE = {
  entry: "audit-agent-role",
  purpose: "the audit agent's role",
  policyName: "orgwarden-audit-agent",
} as const;

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
  /**
   * The step-functions engine: its plan, collect and evaluate functions run as this role too. They
   * write their own log groups and pass the run's state through the bucket (runs/ under the report
   * prefix), which they must read back. Absent for the lambda engine.
   */
  steps?: { logGroupNames: string[] };
  /** Import the findings into the security account's Security Hub (home region); no Security Hub permission when false or absent. */
  securityHub?: boolean;
  /** The security-alerts topic the run's message goes to, and the CMK it is encrypted with (agent/notify.ts). */
  alertTopic?: { topicArn: string; keyArn: string };
  /** The central bus the `orgwarden.audit / Audit Completed` event goes to. */
  eventBusArn?: string;
  /** The log auditor role (security account) the nightly integrity check enters; absent: no such statement. */
  logAuditorRoleName?: string;
}

/** The event the agent puts on the central bus (agent/notify.ts EVENT_SOURCE / EVENT_DETAIL_TYPE). */
export const AUDIT_EVENT = { source: "orgwarden.audit", detailType: "Audit Completed" } as const;

/**
 * The custom-integration product the agent imports under: the security account's own default
 * product (agent/report/asff.ts ProductArn). BatchImportFindings is authorized on the `product`
 * resource type, arn:${Partition}:securityhub:${Region}:${Account}:product/${Company}/${ProductId};
 * GetFindings on the optional `hub` type (Service Authorization Reference, Security Hub:
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssecurityhub.html).
 */
export function securityHubProductArn(region: string, securityAccountId: string): string {
  return arn(PARTITION, "securityhub", region, securityAccountId, `product/${securityAccountId}/default`);
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
  if (i.steps && (i.steps.logGroupNames.length === 0 || i.steps.logGroupNames.some((n) => n === "" || n.includes("*"))))
    throw bad("steps.logGroupNames must name log groups without wildcards", JSON.stringify(i.steps.logGroupNames));
  const logGroups = [i.logGroupName, ...(i.steps?.logGroupNames ?? [])].map(
    (n) => `${logGroupArn(i.region, i.securityAccountId, n)}:*`,
  );
  const runState = i.steps
    ? [
        {
          // plan.json and batches/<index>.json of a run; writing them is WriteReports (same prefix).
          Sid: "ReadRunState",
          Effect: "Allow" as const,
          Action: "s3:GetObject",
          Resource: objectArn(i.reportBucketName, `${i.reportPrefix}/*/runs/*`),
        },
      ]
    : [];
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
        // The head and each part by exact ARN, read in one GetParameters call (agent/lambda-common.ts loadManifest).
        Sid: "ReadTheAuditManifest",
        Effect: "Allow",
        Action: "ssm:GetParameters",
        Resource: manifestParameterNames(i.manifestParameterName).map((n) =>
          ssmParameterArn(i.region, i.securityAccountId, n),
        ),
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
      ...runState,
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
        Resource: logGroups.length === 1 ? logGroups[0] : logGroups,
      },
      ...(i.securityHub ? securityHubStatements(i) : []),
      ...(i.alertTopic ? alertTopicStatements(i, i.alertTopic) : []),
      ...(i.eventBusArn ? [eventBusStatement(i, i.eventBusArn)] : []),
    ],
    "orgwarden-audit-agent",
  );
}

function securityHubStatements(i: AuditAgentPolicyInput): Statement[] {
  return [
    {
      Sid: "ImportFindingsAsTheSecurityAccountsProduct",
      Effect: "Allow",
      Action: "securityhub:BatchImportFindings",
      Resource: securityHubProductArn(i.region, i.securityAccountId),
    },
    {
      // The export reads the stack's ACTIVE findings to archive the resolved ones.
      Sid: "ReadFindingsToArchiveResolvedOnes",
      Effect: "Allow",
      Action: "securityhub:GetFindings",
      Resource: securityHubArn(i.region, i.securityAccountId),
    },
  ];
}

/** An ARN of the security account in the home region: the agent notifies nothing elsewhere. */
function requireOwnArn(i: AuditAgentPolicyInput, what: string, value: string, service: string): void {
  const a = parseArn(value);
  if (!a || a.service !== service || a.account !== i.securityAccountId || a.region !== i.region || value.includes("*"))
    throw new Error(
      `auditAgentPolicy: ${what} must be a ${service} ARN of the security account ${i.securityAccountId} in ${i.region}, without wildcards, got "${value}"`,
    );
}

/**
 * SNS encrypts a published message with the publisher's own KMS permissions (GenerateDataKey*,
 * Decrypt: https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html), so the agent needs
 * them on the topic's key, through SNS only. The key policy delegates them to this role
 * (baseline/detection alertKeyPolicy `publisherRoleArns`); this statement is the IAM half.
 */
function alertTopicStatements(i: AuditAgentPolicyInput, t: { topicArn: string; keyArn: string }): Statement[] {
  requireOwnArn(i, "alertTopic.topicArn", t.topicArn, "sns");
  requireOwnArn(i, "alertTopic.keyArn", t.keyArn, "kms");
  return [
    { Sid: "PublishTheRunsMessage", Effect: "Allow", Action: "sns:Publish", Resource: t.topicArn },
    {
      Sid: "EncryptTheMessageThroughSns",
      Effect: "Allow",
      Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
      Resource: t.keyArn,
      Condition: { StringEquals: { "kms:ViaService": `sns.${i.region}.amazonaws.com` } },
    },
  ];
}

/** One bus, and only the agent's own event on it. */
function eventBusStatement(i: AuditAgentPolicyInput, busArn: string): Statement {
  requireOwnArn(i, "eventBusArn", busArn, "events");
  return {
    Sid: "PutTheAuditCompletedEvent",
    Effect: "Allow",
    Action: "events:PutEvents",
    Resource: busArn,
    // Both keys are multivalued (one value per entry of the call): every entry must be the audit's event, and carry both.
    Condition: {
      "ForAllValues:StringEquals": {
        "events:source": AUDIT_EVENT.source,
        "events:detail-type": AUDIT_EVENT.detailType,
      },
      Null: { "events:source": "false", "events:detail-type": "false" },
    },
  };
}

/**
 * Policy of the audit report bucket: TLS only. Writes are granted by the agent role's own
 * policy (same account), so the bucket policy adds no Allow of its own.
 */
export function auditReportBucketPolicy(bucketName: string): PolicyDocument {
  if (bucketName === "") throw new Error("auditReportBucketPolicy: bucketName must not be empty");
  return policy([denyInsecureTransport(bucketName)], "orgwarden-audit-reports");
}
