import { beforeAll, describe, expect, it } from "vitest";
import type { ProgramRun } from "../../harness/run-program";
import { KEY_ADMIN_ACTIONS } from "../../baseline";
import { bundleAgent } from "../../infra/agent-bundle";
import { AGENT_TIMEOUT_SECONDS } from "../../infra/audit-agent";
import { EXECUTION_TIMEOUT_SECONDS, type Step } from "../../infra/audit-engine";
import {
  hoursAndMinutes,
  longestRunSeconds,
  runAlarmPeriodSeconds,
  runIntervalSeconds,
  scheduleIntervalSeconds,
} from "../../infra/audit-run-alarms";
import { EXPECTED } from "./expected";
import { doc, ofType, one, providerUrn, runStack, STACKS, urnOf } from "./stack";

const AGENT = "orgwarden:audit:AuditAgent";
const STEPS: Step[] = ["plan", "collect", "evaluate"];

describe.each(STACKS)("AuditAgent (%s stack)", (stack) => {
  const x = EXPECTED[stack];
  const fn = `orgwarden-${stack}-audit-agent`;
  const bucket = `orgwarden-${stack}-audit-reports-${x.mgmt}`;
  const logGroup = `/aws/lambda/${fn}`;
  const machineArn = `arn:aws:states:${x.home}:${x.securityId}:stateMachine:${fn}`;
  const fnArn = (st: Step) => `arn:aws:lambda:${x.home}:${x.securityId}:function:${fn}-${st}`;
  const topicArn = `arn:aws:sns:${x.home}:${x.securityId}:orgwarden-security-alerts`;
  const busArn = `arn:aws:events:${x.home}:${x.securityId}:event-bus/orgwarden-security`;
  /** The security-alerts topic's key, as the mocks name it. */
  const topicKeyArn = () => one(run, "aws:kms/key:Key", "detection-security-alerts-key").outputs.arn as string;
  let run: ProgramRun;
  let security: string;
  beforeAll(async () => {
    run = await runStack(stack);
    security = providerUrn(run, "security");
  });

  const res = (type: string, name: string) => {
    const r = one(run, type, name);
    expect(r.provider, `${name} provider`).toBe(security);
    expect(r.parent, `${name} parent`).toBe(urnOf(run, AGENT, "audit-agent"));
    return r;
  };

  it("creates the agent role, trusted by Lambda of the security account only", () => {
    const role = res("aws:iam/role:Role", "audit-agent-role");
    const { assumeRolePolicy, ...rest } = role.inputs;
    expect(rest).toEqual({
      name: "orgwarden-audit-agent",
      description: "orgwarden: the scheduled audit agent (Lambda)",
    });
    expect(doc(assumeRolePolicy)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "LambdaOfTheSecurityAccount",
          Effect: "Allow",
          Principal: { Service: "lambda.amazonaws.com" },
          Action: "sts:AssumeRole",
          Condition: { StringEquals: { "aws:SourceAccount": x.securityId } },
        },
      ],
    });
  });

  it("gives the role exactly: assume the read role in the organization and the log auditor role, the manifest parameter, the report prefix, the run state under runs/, its four log groups' streams", () => {
    const p = res("aws:iam/rolePolicy:RolePolicy", "audit-agent-policy");
    expect(p.inputs.role).toBe("orgwarden-audit-agent");
    expect(p.inputs.name).toBe("orgwarden-audit-agent");
    expect(doc(p.inputs.policy)).toEqual({
      Version: "2012-10-17",
      Id: "orgwarden-audit-agent",
      Statement: [
        {
          Sid: "AssumeTheReadRoleInsideTheOrganization",
          Effect: "Allow",
          Action: "sts:AssumeRole",
          Resource: "arn:aws:iam::*:role/orgwarden-audit-read",
          Condition: { StringEquals: { "aws:ResourceOrgID": x.orgId } },
        },
        {
          Sid: "AssumeTheLogAuditorRole",
          Effect: "Allow",
          Action: "sts:AssumeRole",
          Resource: `arn:aws:iam::${x.securityId}:role/orgwarden-log-auditor`,
        },
        {
          Sid: "ReadTheAuditManifest",
          Effect: "Allow",
          Action: "ssm:GetParameters",
          Resource: [
            `arn:aws:ssm:${x.home}:${x.securityId}:parameter/orgwarden/${stack}/audit-manifest`,
            ...[2, 3, 4, 5, 6].map(
              (i) => `arn:aws:ssm:${x.home}:${x.securityId}:parameter/orgwarden/${stack}/audit-manifest/part-${i}`,
            ),
          ],
        },
        {
          Sid: "WriteReports",
          Effect: "Allow",
          Action: "s3:PutObject",
          Resource: `arn:aws:s3:::${bucket}/orgwarden-audit/*`,
        },
        {
          Sid: "ReadThePreviousReport",
          Effect: "Allow",
          Action: "s3:GetObject",
          Resource: `arn:aws:s3:::${bucket}/orgwarden-audit/*/latest/report.json`,
        },
        {
          Sid: "ReadRunState",
          Effect: "Allow",
          Action: "s3:GetObject",
          Resource: `arn:aws:s3:::${bucket}/orgwarden-audit/*/runs/*`,
        },
        {
          Sid: "TellAFirstRunFromARefusal",
          Effect: "Allow",
          Action: "s3:ListBucket",
          Resource: `arn:aws:s3:::${bucket}`,
          Condition: { StringLike: { "s3:prefix": "orgwarden-audit/*" } },
        },
        {
          Sid: "WriteOwnLogs",
          Effect: "Allow",
          Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
          Resource: [logGroup, ...STEPS.map((st) => `/aws/lambda/${fn}-${st}`)].map(
            (g) => `arn:aws:logs:${x.home}:${x.securityId}:log-group:${g}:*`,
          ),
        },
        // audit.securityHub (default true): the security account's own product and hub, home region.
        {
          Sid: "ImportFindingsAsTheSecurityAccountsProduct",
          Effect: "Allow",
          Action: "securityhub:BatchImportFindings",
          Resource: `arn:aws:securityhub:${x.home}:${x.securityId}:product/${x.securityId}/default`,
        },
        {
          Sid: "ReadFindingsToArchiveResolvedOnes",
          Effect: "Allow",
          Action: "securityhub:GetFindings",
          Resource: `arn:aws:securityhub:${x.home}:${x.securityId}:hub/default`,
        },
        { Sid: "PublishTheRunsMessage", Effect: "Allow", Action: "sns:Publish", Resource: topicArn },
        {
          Sid: "EncryptTheMessageThroughSns",
          Effect: "Allow",
          Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
          Resource: topicKeyArn(),
          Condition: { StringEquals: { "kms:ViaService": `sns.${x.home}.amazonaws.com` } },
        },
        {
          Sid: "PutTheAuditCompletedEvent",
          Effect: "Allow",
          Action: "events:PutEvents",
          Resource: busArn,
          Condition: {
            "ForAllValues:StringEquals": {
              "events:source": "orgwarden.audit",
              "events:detail-type": "Audit Completed",
            },
            Null: { "events:source": "false", "events:detail-type": "false" },
          },
        },
      ],
    });
  });

  it("creates the report bucket: protected, versioned, SSE-S3, private, owner-enforced, TLS only, reports expiring after audit.reportRetentionDays", () => {
    const b = res("aws:s3/bucket:Bucket", "audit-agent-reports-bucket");
    expect(b.inputs).toEqual({ bucket, forceDestroy: false });
    expect(b.protect).toBe(true);
    expect(res("aws:s3/bucketVersioning:BucketVersioning", "audit-agent-reports-versioning").inputs).toEqual({
      bucket,
      versioningConfiguration: { status: "Enabled" },
    });
    expect(
      res(
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        "audit-agent-reports-encryption",
      ).inputs,
    ).toEqual({
      bucket,
      rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, bucketKeyEnabled: false }],
    });
    expect(
      res("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "audit-agent-reports-public-access-block").inputs,
    ).toEqual({
      bucket,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    expect(
      res("aws:s3/bucketOwnershipControls:BucketOwnershipControls", "audit-agent-reports-ownership").inputs,
    ).toEqual({ bucket, rule: { objectOwnership: "BucketOwnerEnforced" } });
    expect(
      res("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "audit-agent-reports-lifecycle").inputs,
    ).toEqual({
      bucket,
      rules: [
        {
          id: "expire-audit-reports",
          status: "Enabled",
          filter: {},
          expiration: { days: stack === "dev" ? 30 : 400 },
          noncurrentVersionExpiration: { noncurrentDays: 30 },
          abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
        },
      ],
    });
    const policy = res("aws:s3/bucketPolicy:BucketPolicy", "audit-agent-reports-policy");
    expect(policy.inputs.bucket).toBe(bucket);
    expect(doc(policy.inputs.policy)).toEqual({
      Version: "2012-10-17",
      Id: "orgwarden-audit-reports",
      Statement: [
        {
          Sid: "DenyInsecureTransport",
          Effect: "Deny",
          Principal: "*",
          Action: "s3:*",
          Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
      ],
    });
    expect(policy.dependencies).toEqual(
      expect.arrayContaining([
        urnOf(run, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "audit-agent-reports-public-access-block"),
        urnOf(run, "aws:s3/bucketOwnershipControls:BucketOwnershipControls", "audit-agent-reports-ownership"),
      ]),
    );
  });

  it("encrypts the five log groups (365 days) with one protected key that only logs.<home> may use, for exactly those log groups", () => {
    const key = res("aws:kms/key:Key", "audit-agent-logs-key");
    const { policy, ...rest } = key.inputs;
    expect(rest).toEqual({
      description: "orgwarden: encrypts the scheduled audit agent's CloudWatch Logs group",
      keyUsage: "ENCRYPT_DECRYPT",
      customerMasterKeySpec: "SYMMETRIC_DEFAULT",
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      tags: { "orgwarden:protected": "true" },
    });
    expect(key.protect).toBe(true);
    expect(doc(policy)).toEqual({
      Version: "2012-10-17",
      Id: "orgwarden-log-group-key",
      Statement: [
        {
          Sid: "KeyAdministration",
          Effect: "Allow",
          Principal: { AWS: `arn:aws:iam::${x.securityId}:root` },
          Action: KEY_ADMIN_ACTIONS,
          Resource: "*",
          Condition: {
            ArnLike: { "aws:PrincipalArn": [`arn:aws:iam::${x.securityId}:role/OrganizationAccountAccessRole`] },
          },
        },
        {
          Sid: "CloudWatchLogsUseForTheseLogGroups",
          Effect: "Allow",
          Principal: { Service: `logs.${x.home}.amazonaws.com` },
          Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
          Resource: "*",
          Condition: {
            ArnEquals: {
              "kms:EncryptionContext:aws:logs:arn": [
                logGroup,
                ...STEPS.map((st) => `/aws/lambda/${fn}-${st}`),
                `/aws/vendedlogs/states/${fn}`,
              ].map((g) => `arn:aws:logs:${x.home}:${x.securityId}:log-group:${g}`),
            },
          },
        },
      ],
    });
    expect(res("aws:kms/alias:Alias", "audit-agent-logs-key-alias").inputs).toEqual({
      name: `alias/orgwarden-${stack}-audit-agent-logs`,
      targetKeyId: key.outputs.keyId,
    });
    for (const [resName, groupName] of [
      ["audit-agent-logs", logGroup],
      ...STEPS.map((st) => [`audit-agent-${st}-logs`, `/aws/lambda/${fn}-${st}`]),
      ["audit-agent-states-logs", `/aws/vendedlogs/states/${fn}`],
    ]) {
      const lg = res("aws:cloudwatch/logGroup:LogGroup", resName);
      expect(lg.inputs, resName).toEqual({ name: groupName, retentionInDays: 365, kmsKeyId: key.outputs.arn });
      expect(lg.dependencies).toContain(key.urn);
    }
  });

  it("deploys the bundled agent as a nodejs22.x function with its environment, after its log group, role policy and bucket", async () => {
    const f = res("aws:lambda/function:Function", "audit-agent-function");
    const { code, ...rest } = f.inputs;
    expect(rest).toEqual({
      name: fn,
      description: "orgwarden: scheduled drift audit of the organization's security logging",
      role: `arn:aws:iam::${x.securityId}:role/orgwarden-audit-agent`,
      runtime: "nodejs22.x",
      handler: "index.handler",
      architectures: ["arm64"],
      memorySize: 1024,
      timeout: 900,
      environment: {
        variables: {
          ORGWARDEN_MANIFEST_PARAMETER: `/orgwarden/${stack}/audit-manifest`,
          ORGWARDEN_REPORT_BUCKET: bucket,
          ORGWARDEN_REPORT_PREFIX: "orgwarden-audit",
          ORGWARDEN_CONCURRENCY: "8",
          ORGWARDEN_SECURITY_HUB: "on",
          ORGWARDEN_ALERT_TOPIC_ARN: topicArn,
          ORGWARDEN_EVENT_BUS_ARN: busArn,
          ORGWARDEN_NOTIFY_WHEN: "changes",
        },
      },
    });
    // The deserialized archive holds its assets behind promises, as the engine's serializer reads them.
    const assets = (await code.assets) as Record<string, { text: Promise<string> }>;
    expect(Object.keys(assets)).toEqual(["index.js"]);
    expect(await assets["index.js"].text).toBe(bundleAgent());
    for (const dep of [
      ["aws:cloudwatch/logGroup:LogGroup", "audit-agent-logs"],
      ["aws:iam/rolePolicy:RolePolicy", "audit-agent-policy"],
      ["aws:s3/bucket:Bucket", "audit-agent-reports-bucket"],
    ]) {
      expect(f.dependencies).toContain(urnOf(run, dep[0], dep[1]));
    }
  });

  it("deploys the three steps from the same bundle: index.plan / index.collect / index.evaluate, sized per step, the plan with the batch size", async () => {
    const sizing = { plan: [512, 900], collect: [1024, 900], evaluate: [2048, 900] } as const;
    const description = {
      plan: "orgwarden: nightly audit, step 1: walk the organization into batches of accounts",
      collect: "orgwarden: nightly audit, step 2: collect one batch of accounts in every governed region",
      evaluate: "orgwarden: nightly audit, step 3: run every check over all batches and write the reports",
    };
    for (const st of STEPS) {
      const f = res("aws:lambda/function:Function", `audit-agent-${st}-function`);
      const { code, ...rest } = f.inputs;
      expect(rest, st).toEqual({
        name: `${fn}-${st}`,
        description: description[st],
        role: `arn:aws:iam::${x.securityId}:role/orgwarden-audit-agent`,
        runtime: "nodejs22.x",
        handler: `index.${st}`,
        architectures: ["arm64"],
        memorySize: sizing[st][0],
        timeout: sizing[st][1],
        environment: {
          variables: {
            ORGWARDEN_MANIFEST_PARAMETER: `/orgwarden/${stack}/audit-manifest`,
            ORGWARDEN_REPORT_BUCKET: bucket,
            ORGWARDEN_REPORT_PREFIX: "orgwarden-audit",
            ORGWARDEN_CONCURRENCY: "8",
            // Every step reads the same environment: whichever ends the run (evaluate) imports and notifies.
            ORGWARDEN_SECURITY_HUB: "on",
            ORGWARDEN_ALERT_TOPIC_ARN: topicArn,
            ORGWARDEN_EVENT_BUS_ARN: busArn,
            ORGWARDEN_NOTIFY_WHEN: "changes",
            ...(st === "plan" ? { ORGWARDEN_BATCH_SIZE: "5" } : {}),
          },
        },
      });
      const assets = (await code.assets) as Record<string, { text: Promise<string> }>;
      expect(Object.keys(assets)).toEqual(["index.js"]);
      expect(await assets["index.js"].text).toBe(bundleAgent());
      for (const dep of [
        ["aws:cloudwatch/logGroup:LogGroup", `audit-agent-${st}-logs`],
        ["aws:iam/rolePolicy:RolePolicy", "audit-agent-policy"],
        ["aws:s3/bucket:Bucket", "audit-agent-reports-bucket"],
      ]) {
        expect(f.dependencies, `${st} after ${dep[1]}`).toContain(urnOf(run, dep[0], dep[1]));
      }
    }
  });

  it("creates the state machine's role: trusted by Step Functions for this machine (and its Map Run) only; invoke exactly the three steps, its own child executions, log delivery", () => {
    const role = res("aws:iam/role:Role", "audit-agent-states-role");
    const { assumeRolePolicy, ...rest } = role.inputs;
    expect(rest).toEqual({
      name: "orgwarden-audit-agent-states",
      description: "orgwarden: the nightly audit's state machine (Step Functions)",
    });
    expect(doc(assumeRolePolicy)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "StepFunctionsForTheAuditStateMachine",
          Effect: "Allow",
          Principal: { Service: "states.amazonaws.com" },
          Action: "sts:AssumeRole",
          Condition: {
            StringEquals: { "aws:SourceAccount": x.securityId },
            ArnLike: { "aws:SourceArn": [machineArn, `${machineArn}/*`] },
          },
        },
      ],
    });
    const p = res("aws:iam/rolePolicy:RolePolicy", "audit-agent-states-policy");
    expect(p.inputs.role).toBe("orgwarden-audit-agent-states");
    expect(p.inputs.name).toBe("orgwarden-audit-state-machine");
    expect(doc(p.inputs.policy)).toEqual({
      Version: "2012-10-17",
      Id: "orgwarden-audit-state-machine",
      Statement: [
        { Sid: "InvokeTheAuditSteps", Effect: "Allow", Action: "lambda:InvokeFunction", Resource: STEPS.map(fnArn) },
        { Sid: "StartItsDistributedMap", Effect: "Allow", Action: "states:StartExecution", Resource: machineArn },
        {
          Sid: "ManageItsMapRunExecutions",
          Effect: "Allow",
          Action: ["states:DescribeExecution", "states:StopExecution"],
          Resource: `arn:aws:states:${x.home}:${x.securityId}:execution:${fn}/*`,
        },
        {
          Sid: "DeliverItsLogs",
          Effect: "Allow",
          Action: [
            "logs:CreateLogDelivery",
            "logs:GetLogDelivery",
            "logs:UpdateLogDelivery",
            "logs:DeleteLogDelivery",
            "logs:ListLogDeliveries",
            "logs:PutResourcePolicy",
            "logs:DescribeResourcePolicies",
            "logs:DescribeLogGroups",
          ],
          Resource: "*",
        },
      ],
    });
  });

  it("creates the STANDARD state machine with the whole definition, ERROR-level logs without execution data to its encrypted log group, no tracing, after its role policy", () => {
    const sm = res("aws:sfn/stateMachine:StateMachine", "audit-agent-state-machine");
    const { definition, ...rest } = sm.inputs;
    expect(rest).toEqual({
      name: fn,
      type: "STANDARD",
      roleArn: `arn:aws:iam::${x.securityId}:role/orgwarden-audit-agent-states`,
      loggingConfiguration: {
        logDestination: `arn:aws:logs:${x.home}:${x.securityId}:log-group:/aws/vendedlogs/states/${fn}:*`,
        level: "ERROR",
        includeExecutionData: false,
      },
      tracingConfiguration: { enabled: false },
    });
    const retry = [
      {
        ErrorEquals: [
          "Lambda.ServiceException",
          "Lambda.AWSLambdaException",
          "Lambda.SdkClientException",
          "Lambda.TooManyRequestsException",
        ],
        IntervalSeconds: 2,
        MaxAttempts: 6,
        BackoffRate: 2,
        MaxDelaySeconds: 60,
        JitterStrategy: "FULL",
      },
    ];
    const task = (st: Step, catchTo: string) => ({
      Type: "Task",
      Resource: "arn:aws:states:::lambda:invoke",
      Parameters: { FunctionName: fnArn(st), "Payload.$": "$" },
      OutputPath: "$.Payload",
      TimeoutSeconds: 960,
      Retry: retry,
      Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: catchTo }],
    });
    const fail = (Comment: string) => ({
      Type: "Fail",
      Comment,
      ErrorPath: "$.error.Error",
      CausePath: "$.error.Cause",
    });
    expect(doc(definition)).toEqual({
      Comment: "orgwarden: the nightly audit: plan the batches, collect each batch, evaluate every check",
      StartAt: "Plan",
      TimeoutSeconds: 21_600,
      States: {
        Plan: { ...task("plan", "PlanFailed"), Next: "CollectBatches" },
        PlanFailed: fail("No plan, no audit: the execution fails and the alarm fires."),
        CollectBatches: {
          Type: "Map",
          ItemProcessor: {
            ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" },
            StartAt: "Collect",
            States: {
              Collect: { ...task("collect", "BatchFailed"), End: true },
              BatchFailed: {
                Type: "Pass",
                Parameters: {
                  "index.$": "$.batch.index",
                  error: { "Error.$": "$.error.Error", "Cause.$": "$.error.Cause" },
                },
                End: true,
              },
            },
          },
          ItemsPath: "$.batches",
          ItemSelector: { "runId.$": "$.runId", "planKey.$": "$.planKey", "batch.$": "$$.Map.Item.Value" },
          MaxConcurrency: stack === "prod" ? 40 : 10,
          ToleratedFailurePercentage: 100,
          ResultPath: "$.batches",
          Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "CollectFailed" }],
          Next: "Evaluate",
        },
        CollectFailed: fail("The Map Run itself failed (not a batch: those are caught); the execution fails."),
        Evaluate: { ...task("evaluate", "EvaluateFailed"), End: true },
        EvaluateFailed: fail("No report was written: the execution fails and the alarm fires."),
      },
    });
    expect(sm.dependencies).toEqual(
      expect.arrayContaining([
        urnOf(run, "aws:iam/rolePolicy:RolePolicy", "audit-agent-states-policy"),
        urnOf(run, "aws:cloudwatch/logGroup:LogGroup", "audit-agent-states-logs"),
      ]),
    );
  });

  it("starts the state machine on the audit.schedule rule through a role allowed exactly that, with the plan's {} input, once the manifest parameter exists; the single function is not scheduled", () => {
    const rule = res("aws:cloudwatch/eventRule:EventRule", "audit-agent-schedule");
    expect(rule.inputs).toEqual({
      name: fn,
      description: "orgwarden: runs the scheduled audit agent",
      scheduleExpression: "cron(0 5 * * ? *)",
      state: "ENABLED",
    });
    const role = res("aws:iam/role:Role", "audit-agent-schedule-role");
    const { assumeRolePolicy, ...rest } = role.inputs;
    expect(rest).toEqual({
      name: "orgwarden-audit-agent-schedule",
      description: "orgwarden: lets the nightly audit's EventBridge rule start its state machine",
    });
    expect(doc(assumeRolePolicy)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "EventBridgeForTheAuditSchedule",
          Effect: "Allow",
          Principal: { Service: "events.amazonaws.com" },
          Action: "sts:AssumeRole",
          Condition: {
            StringEquals: {
              "aws:SourceAccount": x.securityId,
              "aws:SourceArn": `arn:aws:events:${x.home}:${x.securityId}:rule/${fn}`,
            },
          },
        },
      ],
    });
    const p = res("aws:iam/rolePolicy:RolePolicy", "audit-agent-schedule-policy");
    expect(p.inputs.role).toBe("orgwarden-audit-agent-schedule");
    expect(p.inputs.name).toBe("orgwarden-audit-schedule");
    expect(doc(p.inputs.policy)).toEqual({
      Version: "2012-10-17",
      Id: "orgwarden-audit-schedule",
      Statement: [
        { Sid: "StartTheAuditStateMachine", Effect: "Allow", Action: "states:StartExecution", Resource: machineArn },
      ],
    });
    const target = res("aws:cloudwatch/eventTarget:EventTarget", "audit-agent-states-target");
    expect(target.inputs).toEqual({
      rule: fn,
      arn: machineArn,
      roleArn: `arn:aws:iam::${x.securityId}:role/orgwarden-audit-agent-schedule`,
      targetId: "audit-state-machine",
      input: "{}",
    });
    expect(target.dependencies).toEqual(
      expect.arrayContaining([
        urnOf(run, "aws:iam/rolePolicy:RolePolicy", "audit-agent-schedule-policy"),
        urnOf(run, "aws:sfn/stateMachine:StateMachine", "audit-agent-state-machine"),
        urnOf(run, "aws:ssm/parameter:Parameter", "audit-manifest-parameter"),
      ]),
    );
    // One schedule only: nothing invokes the single function on a schedule.
    expect(
      ofType(run, "aws:cloudwatch/eventTarget:EventTarget")
        .filter((r) => r.parent === urnOf(run, AGENT, "audit-agent"))
        .map((r) => r.name),
    ).toEqual(["audit-agent-states-target"]);
    expect(
      ofType(run, "aws:lambda/permission:Permission").filter((r) => r.parent === urnOf(run, AGENT, "audit-agent")),
    ).toEqual([]);
  });

  it("alarms the security alerts topic on failed + timed-out + aborted executions (one metric-math alarm)", () => {
    const metric = (id: string, metricName: string) => ({
      id,
      returnData: false,
      metric: {
        namespace: "AWS/States",
        metricName,
        dimensions: { StateMachineArn: machineArn },
        period: 300,
        stat: "Sum",
      },
    });
    const alarm = res("aws:cloudwatch/metricAlarm:MetricAlarm", "audit-agent-executions-alarm");
    expect(alarm.inputs).toEqual({
      name: `${fn}-executions`,
      alarmDescription:
        "orgwarden: a nightly audit execution failed, timed out or was aborted; no report was written for that run",
      metricQueries: [
        metric("failed", "ExecutionsFailed"),
        metric("timedOut", "ExecutionsTimedOut"),
        metric("aborted", "ExecutionsAborted"),
        {
          id: "unfinished",
          label: "Executions failed, timed out or aborted",
          expression: "FILL(failed, 0) + FILL(timedOut, 0) + FILL(aborted, 0)",
          returnData: true,
        },
      ],
      evaluationPeriods: 1,
      threshold: 1,
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      treatMissingData: "notBreaching",
      actionsEnabled: true,
      alarmActions: [`arn:aws:sns:${x.home}:${x.securityId}:orgwarden-security-alerts`],
    });
    expect(alarm.dependencies).toContain(urnOf(run, "aws:sfn/stateMachine:StateMachine", "audit-agent-state-machine"));
  });

  it("alarms the security alerts topic when an invocation fails", () => {
    expect(res("aws:cloudwatch/metricAlarm:MetricAlarm", "audit-agent-errors-alarm").inputs).toEqual({
      name: `${fn}-errors`,
      alarmDescription:
        "orgwarden: the scheduled audit agent failed (configuration error, crash or timeout); no report was written",
      namespace: "AWS/Lambda",
      metricName: "Errors",
      dimensions: { FunctionName: fn },
      statistic: "Sum",
      period: 300,
      evaluationPeriods: 1,
      threshold: 1,
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      treatMissingData: "notBreaching",
      actionsEnabled: true,
      alarmActions: [`arn:aws:sns:${x.home}:${x.securityId}:orgwarden-security-alerts`],
    });
  });

  it("alarms when no scheduled run completed within the interval plus the longest run and a margin (missing data breaches)", () => {
    // Daily cron, step-functions engine: 24 h + the 6 h execution timeout + 10 min.
    expect(res("aws:cloudwatch/metricAlarm:MetricAlarm", "audit-agent-missed-run-alarm").inputs).toEqual({
      name: `${fn}-missed-run`,
      alarmDescription: `orgwarden: no scheduled audit run of stack ${stack} completed in the last 30 h 10 min (schedule cron(0 5 * * ? *)); no report was written`,
      namespace: "orgwarden",
      metricName: "RunCompleted",
      dimensions: { Stack: stack },
      statistic: "Sum",
      period: 108_600,
      evaluationPeriods: 1,
      threshold: 1,
      comparisonOperator: "LessThanThreshold",
      treatMissingData: "breaching",
      actionsEnabled: true,
      alarmActions: [topicArn],
      okActions: [topicArn],
    });
  });

  it("alarms when a run could not send its message or event", () => {
    expect(res("aws:cloudwatch/metricAlarm:MetricAlarm", "audit-agent-notification-alarm").inputs).toEqual({
      name: `${fn}-notification-failed`,
      alarmDescription:
        "orgwarden: the scheduled audit wrote its reports but could not publish its SNS message or put its EventBridge event (see the run's log line)",
      namespace: "orgwarden",
      metricName: "NotificationFailures",
      dimensions: { Stack: stack },
      statistic: "Maximum",
      period: 3600,
      evaluationPeriods: 1,
      threshold: 1,
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      treatMissingData: "notBreaching",
      actionsEnabled: true,
      alarmActions: [topicArn],
    });
  });

  it("exports the function and bucket names and the state machine's ARN", () => {
    expect(run.outputs.auditAgentFunctionName).toBe(fn);
    expect(run.outputs.auditReportBucketName).toBe(bucket);
    expect(run.outputs.auditStateMachineArn).toBe(machineArn);
  });
});

describe("AuditAgent from config", () => {
  it("takes the schedule, report retention and concurrency from audit.*", async () => {
    const run = await runStack("dev", {
      "audit.schedule": "rate(12 hours)",
      "audit.reportRetentionDays": "90",
      "audit.concurrency": "16",
    });
    expect(one(run, "aws:cloudwatch/eventRule:EventRule", "audit-agent-schedule").inputs.scheduleExpression).toBe(
      "rate(12 hours)",
    );
    expect(
      one(run, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "audit-agent-reports-lifecycle")
        .inputs.rules[0].expiration,
    ).toEqual({ days: 90 });
    expect(
      one(run, "aws:lambda/function:Function", "audit-agent-function").inputs.environment.variables
        .ORGWARDEN_CONCURRENCY,
    ).toBe("16");
    for (const st of STEPS) {
      expect(
        one(run, "aws:lambda/function:Function", `audit-agent-${st}-function`).inputs.environment.variables
          .ORGWARDEN_CONCURRENCY,
      ).toBe("16");
    }
  });

  it("takes the batch size (the plan step's ORGWARDEN_BATCH_SIZE) and the Map's MaxConcurrency from audit.*", async () => {
    const run = await runStack("dev", { "audit.batchSize": "40", "audit.maxConcurrency": "250" });
    expect(
      one(run, "aws:lambda/function:Function", "audit-agent-plan-function").inputs.environment.variables
        .ORGWARDEN_BATCH_SIZE,
    ).toBe("40");
    for (const st of ["collect", "evaluate"]) {
      expect(
        one(run, "aws:lambda/function:Function", `audit-agent-${st}-function`).inputs.environment.variables,
      ).not.toHaveProperty("ORGWARDEN_BATCH_SIZE");
    }
    const definition = doc(
      one(run, "aws:sfn/stateMachine:StateMachine", "audit-agent-state-machine").inputs.definition,
    ) as { States: { CollectBatches: { MaxConcurrency: number } } };
    expect(definition.States.CollectBatches.MaxConcurrency).toBe(250);
  });

  it("turns on the state machine's X-Ray tracing with audit.tracing, and only then lets its role send traces", async () => {
    const run = await runStack("dev", { "audit.tracing": "true" });
    expect(
      one(run, "aws:sfn/stateMachine:StateMachine", "audit-agent-state-machine").inputs.tracingConfiguration,
    ).toEqual({ enabled: true });
    const policy = doc(one(run, "aws:iam/rolePolicy:RolePolicy", "audit-agent-states-policy").inputs.policy) as {
      Statement: { Sid: string }[];
    };
    expect(policy.Statement.map((st) => st.Sid)).toEqual([
      "InvokeTheAuditSteps",
      "StartItsDistributedMap",
      "ManageItsMapRunExecutions",
      "DeliverItsLogs",
      "SendTraces",
    ]);
    expect(policy.Statement[4]).toEqual({
      Sid: "SendTraces",
      Effect: "Allow",
      Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets"],
      Resource: "*",
    });
  });
});

describe("AuditAgent with audit.engine = lambda (dev stack): today's single function on the schedule, nothing of Step Functions", () => {
  const x = EXPECTED.dev;
  const fn = "orgwarden-dev-audit-agent";
  const logGroup = `/aws/lambda/${fn}`;
  let run: ProgramRun;
  beforeAll(async () => {
    run = await runStack("dev", { "audit.engine": "lambda" });
  });

  it("runs the single function on the audit.schedule rule, through a permission scoped to that rule, once the manifest parameter exists", () => {
    const rule = one(run, "aws:cloudwatch/eventRule:EventRule", "audit-agent-schedule");
    expect(rule.inputs).toEqual({
      name: fn,
      description: "orgwarden: runs the scheduled audit agent",
      scheduleExpression: "cron(0 5 * * ? *)",
      state: "ENABLED",
    });
    const f = one(run, "aws:lambda/function:Function", "audit-agent-function");
    expect(one(run, "aws:lambda/permission:Permission", "audit-agent-invoke").inputs).toEqual({
      function: fn,
      action: "lambda:InvokeFunction",
      principal: "events.amazonaws.com",
      sourceArn: rule.outputs.arn,
    });
    const target = one(run, "aws:cloudwatch/eventTarget:EventTarget", "audit-agent-target");
    expect(target.inputs).toEqual({ rule: fn, arn: f.outputs.arn, targetId: "audit-agent" });
    expect(target.dependencies).toEqual(
      expect.arrayContaining([
        urnOf(run, "aws:lambda/permission:Permission", "audit-agent-invoke"),
        urnOf(run, "aws:ssm/parameter:Parameter", "audit-manifest-parameter"),
      ]),
    );
  });

  it("lays no state machine, step function, engine role, engine log group or execution alarm", () => {
    expect(ofType(run, "aws:sfn/stateMachine:StateMachine")).toEqual([]);
    const agentChildren = run.resources
      .filter((r) => r.parent === urnOf(run, AGENT, "audit-agent"))
      .map((r) => r.name)
      .sort();
    expect(agentChildren).toEqual(
      [
        "audit-agent-errors-alarm",
        "audit-agent-function",
        "audit-agent-invoke",
        "audit-agent-logs",
        "audit-agent-logs-key",
        "audit-agent-logs-key-alias",
        "audit-agent-missed-run-alarm",
        "audit-agent-notification-alarm",
        "audit-agent-policy",
        "audit-agent-reports-bucket",
        "audit-agent-reports-encryption",
        "audit-agent-reports-lifecycle",
        "audit-agent-reports-ownership",
        "audit-agent-reports-policy",
        "audit-agent-reports-public-access-block",
        "audit-agent-reports-versioning",
        "audit-agent-role",
        "audit-agent-schedule",
        "audit-agent-target",
      ].sort(),
    );
    expect(run.outputs.auditStateMachineArn).toBeUndefined();
  });

  it("keeps the role policy and the key policy exactly as they were: one log group, no runs/ read", () => {
    const policy = doc(one(run, "aws:iam/rolePolicy:RolePolicy", "audit-agent-policy").inputs.policy) as {
      Statement: { Sid: string; Resource: unknown }[];
    };
    expect(policy.Statement.map((st) => st.Sid)).toEqual([
      "AssumeTheReadRoleInsideTheOrganization",
      "AssumeTheLogAuditorRole",
      "ReadTheAuditManifest",
      "WriteReports",
      "ReadThePreviousReport",
      "TellAFirstRunFromARefusal",
      "WriteOwnLogs",
      // Security Hub and the notifications do not depend on the engine.
      "ImportFindingsAsTheSecurityAccountsProduct",
      "ReadFindingsToArchiveResolvedOnes",
      "PublishTheRunsMessage",
      "EncryptTheMessageThroughSns",
      "PutTheAuditCompletedEvent",
    ]);
    expect(policy.Statement[6].Resource).toBe(`arn:aws:logs:${x.home}:${x.securityId}:log-group:${logGroup}:*`);
    const key = doc(one(run, "aws:kms/key:Key", "audit-agent-logs-key").inputs.policy) as {
      Statement: { Sid: string; Condition: unknown }[];
    };
    expect(key.Statement[1].Sid).toBe("CloudWatchLogsUseForTheTrailLogGroup");
    expect(key.Statement[1].Condition).toEqual({
      ArnEquals: {
        "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:${x.home}:${x.securityId}:log-group:${logGroup}`,
      },
    });
  });
});

describe("AuditAgent: Security Hub, notifications and the missed-run alarm from config", () => {
  const env = (run: ProgramRun) =>
    one(run, "aws:lambda/function:Function", "audit-agent-function").inputs.environment.variables as Record<
      string,
      string
    >;
  const sids = (run: ProgramRun) =>
    (
      doc(one(run, "aws:iam/rolePolicy:RolePolicy", "audit-agent-policy").inputs.policy) as {
        Statement: { Sid: string }[];
      }
    ).Statement.map((s) => s.Sid);

  it("audit.securityHub=false: ORGWARDEN_SECURITY_HUB off and no Security Hub permission; audit.notifyWhen=always reaches the function", async () => {
    const run = await runStack("dev", { "audit.securityHub": "false", "audit.notifyWhen": "always" });
    expect(env(run)).toMatchObject({ ORGWARDEN_SECURITY_HUB: "off", ORGWARDEN_NOTIFY_WHEN: "always" });
    expect(sids(run).filter((s) => s.includes("Findings"))).toEqual([]);
  });

  it("the missed-run alarm's period: interval + longest run + 10 min per engine; audit.runAlarmPeriodHours is taken as given", async () => {
    const alarm = (run: ProgramRun) =>
      one(run, "aws:cloudwatch/metricAlarm:MetricAlarm", "audit-agent-missed-run-alarm").inputs;
    const graphPeriods = (run: ProgramRun) =>
      new Set(
        JSON.parse(one(run, "aws:cloudwatch/dashboard:Dashboard", "audit-dashboard-dashboard").inputs.dashboardBody)
          .widgets.filter(
            (w: { properties: { metrics?: string[][] } }) => w.properties.metrics?.[0]?.[0] === "orgwarden",
          )
          .map((w: { properties: { period: number } }) => w.properties.period),
      );
    // rate(12 hours), step-functions: 12 h + 6 h + 10 min; the dashboard keeps one point per run.
    const twelve = await runStack("dev", { "audit.schedule": "rate(12 hours)" });
    expect(alarm(twelve).period).toBe(65_400);
    expect(graphPeriods(twelve)).toEqual(new Set([43_200]));
    // Daily, lambda: 24 h + 15 min + 10 min.
    const lambda = await runStack("dev", { "audit.engine": "lambda" });
    expect(alarm(lambda)).toMatchObject({
      period: 87_900,
      alarmDescription:
        "orgwarden: no scheduled audit run of stack dev completed in the last 24 h 25 min (schedule cron(0 5 * * ? *)); no report was written",
    });
    const given = await runStack("dev", { "audit.runAlarmPeriodHours": "26" });
    expect(alarm(given).period).toBe(93_600);
    expect(graphPeriods(given)).toEqual(new Set([86_400]));
  });

  it("publishes audit.waiversFile with the manifest, validated by the CLI's schema", async () => {
    // With Athena's table definitions, as the example stack has them: the manifest's parameters have room for waivers.
    const run = await runStack("dev", { "audit.waiversFile": "test/infra/fixtures/waivers-published.yaml" });
    expect((run.outputs.auditManifest as { athena?: unknown }).athena).toBeDefined();
    expect((run.outputs.auditManifest as { waivers?: unknown }).waivers).toEqual([
      {
        checkId: "ssm-agent-associations",
        account: "444444444444",
        reason: "instances are being migrated to the new AMI, ticket OPS-42",
        approvedBy: "security-lead@example.com",
        expires: "2027-03-31",
      },
    ]);
  });

  it("the project's waivers.yaml (no waivers in it) publishes none", async () => {
    const run = await runStack("dev");
    expect((run.outputs.auditManifest as { waivers?: unknown }).waivers).toBeUndefined();
  });
});

describe("scheduleIntervalSeconds / runAlarmPeriodSeconds / runIntervalSeconds", () => {
  const derivable =
    "(derivable: rate() or a cron that fires daily or hourly at a fixed minute, whose interval plus the longest run and a 10-minute margin is at most 7 days)";
  const refused = (s: string) =>
    `orgwarden:audit.runAlarmPeriodHours must be set (1-168): the missed-run alarm's period cannot be derived from orgwarden:audit.schedule "${s}" ${derivable}`;
  const SFN = longestRunSeconds("step-functions");
  const LAMBDA = longestRunSeconds("lambda");

  it.each<[string, number | undefined]>([
    ["cron(0 5 * * ? *)", 86_400],
    ["cron(30 2 ? * * *)", 86_400],
    ["cron(15 * * * ? *)", 3600],
    ["rate(1 day)", 86_400],
    ["rate(12 hours)", 43_200],
    ["rate(30 minutes)", 1800],
    ["rate(7 days)", 604_800],
    ["cron(0 5 ? * MON *)", undefined],
    ["cron(0 5,17 * * ? *)", undefined],
    ["cron(0 5 1 * ? *)", undefined],
  ])("%s → %s", (schedule, seconds) => {
    expect(scheduleIntervalSeconds(schedule)).toBe(seconds);
  });

  it("the longest run: one Lambda invocation (the function's timeout) or the execution's timeout", () => {
    expect([LAMBDA, SFN]).toEqual([AGENT_TIMEOUT_SECONDS, EXECUTION_TIMEOUT_SECONDS]);
    expect([LAMBDA, SFN]).toEqual([900, 21_600]);
  });

  it.each<[string, number, number]>([
    ["cron(0 5 * * ? *)", SFN, 86_400 + 21_600 + 600],
    ["cron(0 5 * * ? *)", LAMBDA, 86_400 + 900 + 600],
    ["cron(15 * * * ? *)", SFN, 3600 + 21_600 + 600],
    ["cron(15 * * * ? *)", LAMBDA, 3600 + 900 + 600],
    // Under an hour CloudWatch evaluates at most a day, which this is far from.
    ["rate(30 minutes)", LAMBDA, 1800 + 900 + 600],
    ["rate(6 days)", SFN, 518_400 + 21_600 + 600],
  ])("derived: %s with a longest run of %s s → %s s", (schedule, longest, period) => {
    expect(runAlarmPeriodSeconds(schedule, 0, longest)).toBe(period);
  });

  it("a weekly, irregular or longer-than-7-days schedule without a period is refused, naming both keys", () => {
    for (const s of ["cron(0 5 ? * MON *)", "cron(0 5,17 * * ? *)", "rate(7 days)", "rate(8 days)"])
      expect(() => runAlarmPeriodSeconds(s, 0, LAMBDA)).toThrow(refused(s));
    expect(() => runIntervalSeconds("cron(0 5 ? * MON *)", 0)).toThrow(refused("cron(0 5 ? * MON *)"));
  });

  it("a configured period is taken as given, but never shorter than the schedule's interval", () => {
    expect(runAlarmPeriodSeconds("cron(0 5 ? * MON *)", 168, SFN)).toBe(604_800);
    expect(runAlarmPeriodSeconds("cron(0 5 * * ? *)", 24, SFN)).toBe(86_400);
    expect(() => runAlarmPeriodSeconds("cron(0 5 * * ? *)", 6, SFN)).toThrow(
      'orgwarden:audit.runAlarmPeriodHours (6) is shorter than the interval of orgwarden:audit.schedule "cron(0 5 * * ? *)" (24 h): the missed-run alarm would be in ALARM between every two runs',
    );
  });

  it("the dashboard's period is the schedule's interval, or the configured hours when the schedule has none", () => {
    expect(runIntervalSeconds("cron(0 5 * * ? *)", 30)).toBe(86_400);
    expect(runIntervalSeconds("cron(0 5 ? * MON-FRI *)", 24)).toBe(86_400);
    expect(runIntervalSeconds("rate(12 hours)", 0)).toBe(43_200);
  });

  it("says the period in hours and minutes", () => {
    expect([hoursAndMinutes(108_600), hoursAndMinutes(87_900), hoursAndMinutes(3300), hoursAndMinutes(86_400)]).toEqual(
      ["30 h 10 min", "24 h 25 min", "55 min", "24 h"],
    );
  });
});
