import { beforeAll, describe, expect, it } from "vitest";
import type { ProgramRun } from "../../harness/run-program";
import { KEY_ADMIN_ACTIONS } from "../../baseline";
import { bundleAgent } from "../../infra/agent-bundle";
import { EXPECTED } from "./expected";
import { doc, one, providerUrn, runStack, STACKS, urnOf } from "./stack";

const AGENT = "orgwarden:audit:AuditAgent";

describe.each(STACKS)("AuditAgent (%s stack)", (stack) => {
  const x = EXPECTED[stack];
  const fn = `orgwarden-${stack}-audit-agent`;
  const bucket = `orgwarden-${stack}-audit-reports-${x.mgmt}`;
  const logGroup = `/aws/lambda/${fn}`;
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

  it("gives the role exactly: assume the read role in the organization and the log auditor role, the manifest parameter, the report prefix, its log streams", () => {
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
          Action: "ssm:GetParameter",
          Resource: `arn:aws:ssm:${x.home}:${x.securityId}:parameter/orgwarden/${stack}/audit-manifest`,
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
          Resource: `arn:aws:logs:${x.home}:${x.securityId}:log-group:${logGroup}:*`,
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

  it("encrypts the function's log group (365 days) with a protected key that only logs.<home> may use, for that log group only", () => {
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
          Sid: "CloudWatchLogsUseForTheTrailLogGroup",
          Effect: "Allow",
          Principal: { Service: `logs.${x.home}.amazonaws.com` },
          Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
          Resource: "*",
          Condition: {
            ArnEquals: {
              "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:${x.home}:${x.securityId}:log-group:${logGroup}`,
            },
          },
        },
      ],
    });
    expect(res("aws:kms/alias:Alias", "audit-agent-logs-key-alias").inputs).toEqual({
      name: `alias/orgwarden-${stack}-audit-agent-logs`,
      targetKeyId: key.outputs.keyId,
    });
    const lg = res("aws:cloudwatch/logGroup:LogGroup", "audit-agent-logs");
    expect(lg.inputs).toEqual({ name: logGroup, retentionInDays: 365, kmsKeyId: key.outputs.arn });
    expect(lg.dependencies).toContain(key.urn);
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

  it("runs it on the audit.schedule rule, through a permission scoped to that rule, once the manifest parameter exists", () => {
    const rule = res("aws:cloudwatch/eventRule:EventRule", "audit-agent-schedule");
    expect(rule.inputs).toEqual({
      name: fn,
      description: "orgwarden: runs the scheduled audit agent",
      scheduleExpression: "cron(0 5 * * ? *)",
      state: "ENABLED",
    });
    const f = one(run, "aws:lambda/function:Function", "audit-agent-function");
    expect(res("aws:lambda/permission:Permission", "audit-agent-invoke").inputs).toEqual({
      function: fn,
      action: "lambda:InvokeFunction",
      principal: "events.amazonaws.com",
      sourceArn: rule.outputs.arn,
    });
    const target = res("aws:cloudwatch/eventTarget:EventTarget", "audit-agent-target");
    expect(target.inputs).toEqual({ rule: fn, arn: f.outputs.arn, targetId: "audit-agent" });
    expect(target.dependencies).toEqual(
      expect.arrayContaining([
        urnOf(run, "aws:lambda/permission:Permission", "audit-agent-invoke"),
        urnOf(run, "aws:ssm/parameter:Parameter", "audit-manifest-parameter"),
      ]),
    );
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

  it("exports the function and bucket names", () => {
    expect(run.outputs.auditAgentFunctionName).toBe(fn);
    expect(run.outputs.auditReportBucketName).toBe(bucket);
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
  });
});
