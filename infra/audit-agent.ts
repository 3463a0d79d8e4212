import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
  auditAgentPolicy,
  auditAgentTrustPolicy,
  auditReportBucketPolicy,
  logGroupKeyPolicy,
  minify,
  roleArn,
} from "../baseline";
import { bundleAgent } from "./agent-bundle";
import { customerKey } from "./customer-key";
import { hardenedBucket } from "./bucket-parts";
import { requireProvider } from "./providers";

export interface AuditAgentArgs {
  stack: string;
  /** Home region: where the function, the manifest parameter and the report bucket live. */
  region: string;
  /** The security account, where the agent runs. */
  securityAccountId: pulumi.Input<string>;
  /** The organization whose read roles the agent may assume. */
  orgId: pulumi.Input<string>;
  functionName: string;
  /** Role the function runs as (the read role's trust names it). */
  agentRoleName: string;
  /** Role the agent assumes in every account, its own included. */
  readRoleName: string;
  /** The log auditor role (security account) the integrity check enters; the agent role may assume exactly it. */
  logAuditorRoleName?: string;
  manifestParameterName: string;
  reportBucketName: string;
  /** Key prefix of the reports in the bucket. */
  reportPrefix: string;
  reportRetentionDays: number;
  /** EventBridge schedule expression (UTC). */
  schedule: string;
  /** Account × region tasks at once. */
  concurrency: number;
  /** Roles of the security account that administer the log group's key (no cryptographic use). */
  keyAdminRoleNames: string[];
  /** Topic (security account, home region) the failed-invocation alarm notifies; no alarm when absent. */
  alarmTopicArn?: pulumi.Input<string>;
  /** What the schedule waits for before it can fire (the manifest parameter the first run reads). */
  waitFor?: pulumi.Input<pulumi.Resource>[];
}

/** One year: the function's own logs are audit evidence too. */
export const AGENT_LOG_RETENTION_DAYS = 365;
/** Lambda's ceiling; an organization-wide audit is slow, and a cut-off run reports nothing. */
export const AGENT_TIMEOUT_SECONDS = 900;
export const AGENT_MEMORY_MB = 1024;
const MAX_FUNCTION_NAME = 64;

/**
 * The scheduled drift audit in the security account: a role that can do little more than assume
 * the read role, a report bucket, the bundled agent as a Lambda function with its own encrypted log
 * group, and an EventBridge schedule.
 */
export class AuditAgent extends pulumi.ComponentResource {
  public readonly role: aws.iam.Role;
  public readonly function: aws.lambda.Function;
  public readonly functionName: pulumi.Output<string>;
  public readonly reportBucketName: pulumi.Output<string>;
  public readonly rule: aws.cloudwatch.EventRule;

  constructor(name: string, args: AuditAgentArgs, opts?: pulumi.ComponentResourceOptions) {
    requireProvider("orgwarden:audit:AuditAgent", name, opts);
    if (args.functionName.length > MAX_FUNCTION_NAME) {
      throw new Error(
        `AuditAgent "${name}": function name ${args.functionName} is longer than ${MAX_FUNCTION_NAME} characters; use a shorter stack name`,
      );
    }
    super("orgwarden:audit:AuditAgent", name, {}, opts);
    const logGroupName = `/aws/lambda/${args.functionName}`;
    const account = pulumi.output(args.securityAccountId);

    const bucket = this.reportBucket(name, args);
    this.role = new aws.iam.Role(
      `${name}-role`,
      {
        name: args.agentRoleName,
        description: "orgwarden: the scheduled audit agent (Lambda)",
        assumeRolePolicy: account.apply((id) => minify(auditAgentTrustPolicy({ securityAccountId: id }))),
      },
      { parent: this },
    );
    const rolePolicy = new aws.iam.RolePolicy(
      `${name}-policy`,
      {
        role: this.role.name,
        name: "orgwarden-audit-agent",
        policy: pulumi.all([account, args.orgId]).apply(([securityAccountId, orgId]) =>
          minify(
            auditAgentPolicy({
              securityAccountId,
              orgId,
              region: args.region,
              readRoleName: args.readRoleName,
              logAuditorRoleName: args.logAuditorRoleName,
              manifestParameterName: args.manifestParameterName,
              reportBucketName: args.reportBucketName,
              reportPrefix: args.reportPrefix,
              logGroupName,
            }),
          ),
        ),
      },
      { parent: this },
    );
    const logGroup = this.logGroup(name, args, logGroupName, account);
    this.function = new aws.lambda.Function(
      `${name}-function`,
      {
        name: args.functionName,
        description: "orgwarden: scheduled drift audit of the organization's security logging",
        role: this.role.arn,
        runtime: aws.lambda.Runtime.NodeJS22dX,
        handler: "index.handler",
        code: new pulumi.asset.AssetArchive({ "index.js": new pulumi.asset.StringAsset(bundleAgent()) }),
        architectures: ["arm64"],
        memorySize: AGENT_MEMORY_MB,
        timeout: AGENT_TIMEOUT_SECONDS,
        environment: {
          variables: {
            ORGWARDEN_MANIFEST_PARAMETER: args.manifestParameterName,
            ORGWARDEN_REPORT_BUCKET: args.reportBucketName,
            ORGWARDEN_REPORT_PREFIX: args.reportPrefix,
            ORGWARDEN_CONCURRENCY: String(args.concurrency),
          },
        },
      },
      // Without the log group first, Lambda would create an unencrypted one that never expires.
      { parent: this, dependsOn: [logGroup, rolePolicy, bucket] },
    );
    this.rule = this.schedule(name, args);
    if (args.alarmTopicArn) this.errorAlarm(name, args.functionName, args.alarmTopicArn);
    this.functionName = this.function.name;
    this.reportBucketName = bucket.bucket;
    this.registerOutputs({ functionName: this.functionName, reportBucketName: this.reportBucketName });
  }

  /** SSE-S3 rather than SSE-KMS: the agent role then needs no KMS permission to write a report. */
  private reportBucket(name: string, args: AuditAgentArgs): aws.s3.Bucket {
    const fam = hardenedBucket(`${name}-reports`, args.reportBucketName, this);
    new aws.s3.BucketServerSideEncryptionConfiguration(
      `${name}-reports-encryption`,
      {
        bucket: fam.bucket.id,
        rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, bucketKeyEnabled: false }],
      },
      { parent: this },
    );
    new aws.s3.BucketLifecycleConfiguration(
      `${name}-reports-lifecycle`,
      {
        bucket: fam.bucket.id,
        rules: [
          {
            id: "expire-audit-reports",
            status: "Enabled",
            filter: {},
            expiration: { days: args.reportRetentionDays },
            noncurrentVersionExpiration: { noncurrentDays: 30 },
            abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
          },
        ],
      },
      { parent: this, dependsOn: [fam.versioning] },
    );
    new aws.s3.BucketPolicy(
      `${name}-reports-policy`,
      { bucket: fam.bucket.id, policy: minify(auditReportBucketPolicy(args.reportBucketName)) },
      { parent: this, dependsOn: [fam.publicAccessBlock, fam.ownership] },
    );
    return fam.bucket;
  }

  /** The function's log group with a key of its own: logs.<region> may use it for this log group only. */
  private logGroup(
    name: string,
    args: AuditAgentArgs,
    logGroupName: string,
    account: pulumi.Output<string>,
  ): aws.cloudwatch.LogGroup {
    // Deleting or disabling the key makes the agent's past logs unreadable.
    const { key } = customerKey(this, {
      names: { key: `${name}-logs-key`, alias: `${name}-logs-key-alias` },
      description: "orgwarden: encrypts the scheduled audit agent's CloudWatch Logs group",
      policy: account.apply((accountId) =>
        minify(
          logGroupKeyPolicy({
            accountId,
            region: args.region,
            logGroupName,
            adminPrincipalArns: args.keyAdminRoleNames.map((r) => roleArn(accountId, r)),
          }),
        ),
      ),
      aliasName: `alias/orgwarden-${args.stack}-audit-agent-logs`,
      symmetricAndTagged: true,
    });
    return new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      { name: logGroupName, retentionInDays: AGENT_LOG_RETENTION_DAYS, kmsKeyId: key.arn },
      { parent: this, dependsOn: [key] },
    );
  }

  /**
   * An EventBridge rule rather than EventBridge Scheduler: the rule invokes the function through
   * the function's resource policy (scoped to this rule's ARN), so no invoking role is needed.
   */
  private schedule(name: string, args: AuditAgentArgs): aws.cloudwatch.EventRule {
    const rule = new aws.cloudwatch.EventRule(
      `${name}-schedule`,
      {
        name: args.functionName,
        description: "orgwarden: runs the scheduled audit agent",
        scheduleExpression: args.schedule,
        state: "ENABLED",
      },
      { parent: this },
    );
    const permission = new aws.lambda.Permission(
      `${name}-invoke`,
      {
        function: this.function.name,
        action: "lambda:InvokeFunction",
        principal: "events.amazonaws.com",
        sourceArn: rule.arn,
      },
      { parent: this },
    );
    new aws.cloudwatch.EventTarget(
      `${name}-target`,
      { rule: rule.name, arn: this.function.arn, targetId: "audit-agent" },
      { parent: this, dependsOn: [permission, ...(args.waitFor ?? [])] },
    );
    return rule;
  }

  /** A thrown handler (configuration error, crash, timeout) is an Error; a completed audit with drift is not. */
  private errorAlarm(name: string, functionName: string, topicArn: pulumi.Input<string>): void {
    new aws.cloudwatch.MetricAlarm(
      `${name}-errors-alarm`,
      {
        name: `${functionName}-errors`,
        alarmDescription:
          "orgwarden: the scheduled audit agent failed (configuration error, crash or timeout); no report was written",
        namespace: "AWS/Lambda",
        metricName: "Errors",
        dimensions: { FunctionName: functionName },
        statistic: "Sum",
        period: 300,
        evaluationPeriods: 1,
        threshold: 1,
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        // No invocation in a period means nothing failed, not missing data.
        treatMissingData: "notBreaching",
        actionsEnabled: true,
        alarmActions: [topicArn],
      },
      { parent: this, dependsOn: [this.function] },
    );
  }
}
