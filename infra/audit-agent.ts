import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
  AUDIT_AGENT_ROLE,
  auditAgentPolicy,
  auditAgentTrustPolicy,
  auditReportBucketPolicy,
  expiringLifecycle,
  type LifecycleIntent,
  logGroupKeyPolicy,
  minify,
  roleArn,
  type PolicyDocument,
} from "../baseline";
import { AGENT_LOG_RETENTION_DAYS, AGENT_TARGET_IDS, errorsAlarm } from "../baseline/audit-agent-deployment";
import { bundleAgent } from "./agent-bundle";
import { checkAgentNames, type LogGroupNames, logGroupNames } from "./audit-agent-names";
import { deployEngine, STEPS, type Step } from "./audit-engine";
import { metricAlarmArgs, missedRunAlarm, notificationAlarm } from "./audit-run-alarms";
import { customerKey } from "./customer-key";
import type { LaidKey, LaidRole } from "./laid-key";
import { hardenedBucket, logBucketLifecycle } from "./bucket-parts";
import { AUDIT_ENGINE_ROLE_SUFFIXES } from "./naming";
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
  /** Calls in flight per API family (4 × as many collection tasks at once). */
  concurrency: number;
  /** step-functions: the state machine is the schedule's target; lambda: the single function is. */
  engine: "step-functions" | "lambda";
  /** Accounts per batch (step-functions engine; the plan step reads it). */
  batchSize: number;
  /** Batches collected at once (the Distributed Map's MaxConcurrency). */
  maxConcurrency: number;
  /** X-Ray tracing of the state machine; default off. */
  tracing?: boolean;
  /** Roles of the security account that administer the log group's key (no cryptographic use). */
  keyAdminRoleNames: string[];
  /** Topic (security account, home region) the failed-invocation alarm notifies; no alarm when absent. */
  alarmTopicArn?: pulumi.Input<string>;
  /** What the schedule waits for before it can fire (the manifest parameter the first run reads). */
  waitFor?: pulumi.Input<pulumi.Resource>[];
  /** Import each run's findings into the security account's Security Hub (ORGWARDEN_SECURITY_HUB). Default false. */
  securityHub?: boolean;
  /** Where each run's message and event go (agent/notify.ts); nothing is sent when absent. */
  notifications?: AuditNotificationsArgs;
  /** Period of the missed-run alarm (no RunCompleted metric within it), in seconds; no alarm without alarmTopicArn. */
  runAlarmPeriodSeconds?: number;
}

export interface AuditNotificationsArgs {
  /** The security-alerts topic (security account, home region). */
  topicArn: pulumi.Input<string>;
  /** Its customer key: SNS encrypts with the publisher's own KMS permissions. */
  topicKeyArn: pulumi.Input<string>;
  /** The central bus (security account, home region). */
  busArn: pulumi.Input<string>;
  /** "changes": when something is new or worse, or the run is incomplete; "always": every run. */
  when: "changes" | "always";
}

/** One year: the function's own logs are audit evidence too (baseline/audit-agent-deployment.ts). */
export { AGENT_LOG_RETENTION_DAYS } from "../baseline/audit-agent-deployment";
/** Lambda's ceiling; an organization-wide audit is slow, and a cut-off run reports nothing. */
export const AGENT_TIMEOUT_SECONDS = 900;
export const AGENT_MEMORY_MB = 1024;
const { stateMachine: STATE_MACHINE_ROLE_SUFFIX, schedule: SCHEDULE_ROLE_SUFFIX } = AUDIT_ENGINE_ROLE_SUFFIXES;

/** The environment every function of the component reads (the single function and the three steps). */
/** The report bucket's lifecycle: reports and run state expire after audit.reportRetentionDays; the manifest publishes the same intent. */
export function reportLifecycle(a: Pick<AuditAgentArgs, "reportPrefix" | "reportRetentionDays">): LifecycleIntent {
  // The agent writes every object under <reportPrefix>/ (agent/lambda-common.ts, agent/lambda-steps.ts).
  return expiringLifecycle("expire-audit-reports", a.reportRetentionDays, [`${a.reportPrefix}/`]);
}

export function agentEnvironment(args: AuditAgentArgs): Record<string, pulumi.Input<string>> {
  const n = args.notifications;
  return {
    ORGWARDEN_MANIFEST_PARAMETER: args.manifestParameterName,
    ORGWARDEN_REPORT_BUCKET: args.reportBucketName,
    ORGWARDEN_REPORT_PREFIX: args.reportPrefix,
    ORGWARDEN_CONCURRENCY: String(args.concurrency),
    // Security Hub and the notifications (agent/options.ts): read by whichever function ends the run.
    ORGWARDEN_SECURITY_HUB: args.securityHub ? "on" : "off",
    ...(n
      ? { ORGWARDEN_ALERT_TOPIC_ARN: n.topicArn, ORGWARDEN_EVENT_BUS_ARN: n.busArn, ORGWARDEN_NOTIFY_WHEN: n.when }
      : {}),
  };
}

/**
 * The scheduled drift audit in the security account: a role that can do little more than assume
 * the read role, a report bucket, the bundled agent as a Lambda function with its own encrypted log
 * group, and an EventBridge schedule. With the step-functions engine (audit.engine) the schedule
 * starts a state machine over the plan, collect and evaluate functions instead (audit-engine.ts);
 * the single function stays deployed, unscheduled, for a manual run.
 */
export class AuditAgent extends pulumi.ComponentResource {
  public readonly role: aws.iam.Role;
  public readonly function: aws.lambda.Function;
  public readonly functionName: pulumi.Output<string>;
  public readonly reportBucketName: pulumi.Output<string>;
  public readonly rule: aws.cloudwatch.EventRule;
  /** The step-functions engine's state machine; undefined with the lambda engine. */
  public readonly stateMachineArn: pulumi.Output<string> | undefined;
  /** Names of the agent's own alarms (failed invocation, missed run, notification failed), for the dashboard. */
  public readonly alarmNames: string[] = [];
  /** The key of the agent's log groups, for the audit manifest's `keys`. */
  public readonly laidKey: LaidKey;
  /** The agent's role as laid, for the audit manifest's `roles`. */
  public readonly laidRole: LaidRole;
  /** The state machine's and the schedule's roles as laid (step-functions engine; none with the lambda engine). */
  public readonly engineRoles: LaidRole[];

  constructor(name: string, args: AuditAgentArgs, opts?: pulumi.ComponentResourceOptions) {
    requireProvider("orgwarden:audit:AuditAgent", name, opts);
    checkAgentNames(name, args);
    super("orgwarden:audit:AuditAgent", name, {}, opts);
    const groups = logGroupNames(args);
    const stepGroups = STEPS.flatMap((s) => (groups[s] ? [groups[s]] : []));
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
    const permissions = this.rolePolicyDocument(args, account, groups.single, stepGroups);
    const rolePolicy = new aws.iam.RolePolicy(
      `${name}-policy`,
      { role: this.role.name, name: AUDIT_AGENT_ROLE.policyName, policy: permissions.apply(minify) },
      { parent: this },
    );
    this.laidRole = {
      name: AUDIT_AGENT_ROLE.entry,
      purpose: AUDIT_AGENT_ROLE.purpose,
      account,
      roleName: args.agentRoleName,
      trustPolicy: account.apply((id) => auditAgentTrustPolicy({ securityAccountId: id })),
      inlinePolicies: { [AUDIT_AGENT_ROLE.policyName]: permissions },
      managedPolicyArns: [],
    };
    const { laidKey, ...logGroups } = this.logGroups(name, args, groups, account);
    this.laidKey = laidKey;
    const code = new pulumi.asset.AssetArchive({ "index.js": new pulumi.asset.StringAsset(bundleAgent()) });
    this.function = new aws.lambda.Function(
      `${name}-function`,
      {
        name: args.functionName,
        description: "orgwarden: scheduled drift audit of the organization's security logging",
        role: this.role.arn,
        runtime: aws.lambda.Runtime.NodeJS22dX,
        handler: "index.handler",
        code,
        architectures: ["arm64"],
        memorySize: AGENT_MEMORY_MB,
        timeout: AGENT_TIMEOUT_SECONDS,
        environment: { variables: agentEnvironment(args) },
      },
      // Without the log group first, Lambda would create an unencrypted one that never expires.
      { parent: this, dependsOn: [logGroups.single, rolePolicy, bucket] },
    );
    this.rule = this.scheduleRule(name, args);
    if (args.engine === "lambda") {
      this.functionTarget(name, args);
      this.stateMachineArn = undefined;
      this.engineRoles = [];
    } else {
      const engine = deployEngine(this, name, {
        region: args.region,
        account,
        functionName: args.functionName,
        stateMachineRoleName: `${args.agentRoleName}${STATE_MACHINE_ROLE_SUFFIX}`,
        scheduleRoleName: `${args.agentRoleName}${SCHEDULE_ROLE_SUFFIX}`,
        agentRole: this.role,
        code,
        environment: agentEnvironment(args),
        batchSize: args.batchSize,
        maxConcurrency: args.maxConcurrency,
        tracing: args.tracing ?? false,
        logGroups: logGroups as Record<Step | "stateMachine", aws.cloudwatch.LogGroup>,
        functionDependsOn: [rolePolicy, bucket],
        rule: this.rule,
        alarmTopicArn: args.alarmTopicArn,
        waitFor: args.waitFor,
      });
      this.stateMachineArn = engine.stateMachineArn;
      this.engineRoles = engine.laidRoles;
    }
    if (args.alarmTopicArn) {
      this.errorAlarm(name, args.functionName, args.alarmTopicArn);
      // RunCompleted and NotificationFailures are emitted by whichever step ends the run (handler or evaluate).
      const run = { parent: this, name, stack: args.stack, functionName: args.functionName, schedule: args.schedule };
      if (args.runAlarmPeriodSeconds)
        this.alarmNames.push(missedRunAlarm(run, args.runAlarmPeriodSeconds, args.alarmTopicArn, this.function));
      if (args.notifications) this.alarmNames.push(notificationAlarm(run, args.alarmTopicArn, this.function));
    }
    this.functionName = this.function.name;
    this.reportBucketName = bucket.bucket;
    this.registerOutputs({
      functionName: this.functionName,
      reportBucketName: this.reportBucketName,
      stateMachineArn: this.stateMachineArn,
    });
  }

  /** The role's policy: the base permissions, plus Security Hub and the notification targets when configured. */
  private rolePolicyDocument(
    args: AuditAgentArgs,
    account: pulumi.Output<string>,
    logGroupName: string,
    stepGroups: string[],
  ): pulumi.Output<PolicyDocument> {
    const n = args.notifications;
    return pulumi
      .all([account, args.orgId, n?.topicArn, n?.topicKeyArn, n?.busArn])
      .apply(([securityAccountId, orgId, topicArn, keyArn, busArn]) =>
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
          ...(stepGroups.length > 0 ? { steps: { logGroupNames: stepGroups } } : {}),
          securityHub: args.securityHub ?? false,
          alertTopic: topicArn && keyArn ? { topicArn, keyArn } : undefined,
          eventBusArn: busArn,
        }),
      );
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
    logBucketLifecycle(this, `${name}-reports`, fam, reportLifecycle(args));
    new aws.s3.BucketPolicy(
      `${name}-reports-policy`,
      { bucket: fam.bucket.id, policy: minify(auditReportBucketPolicy(args.reportBucketName)) },
      { parent: this, dependsOn: [fam.publicAccessBlock, fam.ownership] },
    );
    return fam.bucket;
  }

  /**
   * The component's log groups under one key of their own: logs.<region> may use it for exactly
   * these log groups (with the lambda engine, the single function's only, as it always was).
   */
  private logGroups(
    name: string,
    args: AuditAgentArgs,
    groups: LogGroupNames,
    account: pulumi.Output<string>,
  ): Partial<Record<Step | "stateMachine", aws.cloudwatch.LogGroup>> & {
    single: aws.cloudwatch.LogGroup;
    laidKey: LaidKey;
  } {
    const names = Object.values(groups) as string[];
    const policyDocument = account.apply((accountId) =>
      logGroupKeyPolicy({
        accountId,
        region: args.region,
        logGroupName: names.length === 1 ? names[0] : names,
        adminPrincipalArns: args.keyAdminRoleNames.map((r) => roleArn(accountId, r)),
        auditReadRoleArns: [roleArn(accountId, args.readRoleName)],
      }),
    );
    const aliasName = `alias/orgwarden-${args.stack}-audit-agent-logs`;
    // Deleting or disabling the key makes the agent's past logs unreadable.
    const { key } = customerKey(this, {
      names: { key: `${name}-logs-key`, alias: `${name}-logs-key-alias` },
      description: "orgwarden: encrypts the scheduled audit agent's CloudWatch Logs group",
      policy: policyDocument.apply(minify),
      aliasName,
      symmetricAndTagged: true,
    });
    const group = (suffix: string, logGroupName: string) =>
      new aws.cloudwatch.LogGroup(
        `${name}-${suffix}`,
        { name: logGroupName, retentionInDays: AGENT_LOG_RETENTION_DAYS, kmsKeyId: key.arn },
        { parent: this, dependsOn: [key] },
      );
    const out: Partial<Record<Step | "stateMachine", aws.cloudwatch.LogGroup>> & {
      single: aws.cloudwatch.LogGroup;
      laidKey: LaidKey;
    } = {
      single: group("logs", groups.single),
      laidKey: {
        name: "audit-agent-logs-key",
        purpose: "the audit agent's CloudWatch Logs key",
        keyArn: key.arn,
        aliasName,
        policyDocument,
      },
    };
    for (const step of STEPS) if (groups[step]) out[step] = group(`${step}-logs`, groups[step]);
    if (groups.stateMachine) out.stateMachine = group("states-logs", groups.stateMachine);
    return out;
  }

  /**
   * An EventBridge rule rather than EventBridge Scheduler, for both engines: one rule (one name, one
   * URN) whose target is the single function or the state machine, so switching engines changes a
   * target and never lays a second schedule or drops the first; audit.schedule is validated against
   * the rule's expression grammar (cfn-lint E3027's), which Scheduler's differs from.
   */
  private scheduleRule(name: string, args: AuditAgentArgs): aws.cloudwatch.EventRule {
    return new aws.cloudwatch.EventRule(
      `${name}-schedule`,
      {
        name: args.functionName,
        description: "orgwarden: runs the scheduled audit agent",
        scheduleExpression: args.schedule,
        state: "ENABLED",
      },
      { parent: this },
    );
  }

  /** The lambda engine: the rule invokes the function through the function's resource policy (scoped to this rule's ARN), so no invoking role is needed. */
  private functionTarget(name: string, args: AuditAgentArgs): void {
    const rule = this.rule;
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
      { rule: rule.name, arn: this.function.arn, targetId: AGENT_TARGET_IDS.lambda },
      { parent: this, dependsOn: [permission, ...(args.waitFor ?? [])] },
    );
  }

  /** A thrown handler (configuration error, crash, timeout) is an Error; a completed audit with drift is not (baseline's errorsAlarm). */
  private errorAlarm(name: string, functionName: string, topicArn: pulumi.Input<string>): void {
    const a = errorsAlarm<pulumi.Input<string>>({
      stack: "",
      functionName,
      engine: "lambda",
      topicArn,
      notifications: false,
    });
    new aws.cloudwatch.MetricAlarm(
      `${name}-errors-alarm`,
      metricAlarmArgs(
        a,
        "orgwarden: the scheduled audit agent failed (configuration error, crash or timeout); no report was written",
      ),
      { parent: this, dependsOn: [this.function] },
    );
    this.alarmNames.push(a.name);
  }
}
