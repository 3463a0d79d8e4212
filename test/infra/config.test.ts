import { describe, expect, it } from "vitest";
import { ConfigValidationError, OrgwardenConfig, parseConfig, parseStackConfig } from "../../infra/config";
import { DETECTION_CONFIG_KEYS } from "../../infra/detection/config";
import { levenshtein } from "../../infra/config-suggest";
import { controlTowerOverrides } from "./control-tower-config";
import { stackConfig } from "./stack";

/** The detection section validates its own keys; the foundation only has to know they exist. */
const parse = (raw: Record<string, string | undefined>, stack: string) =>
  parseConfig(
    raw,
    stack,
    DETECTION_CONFIG_KEYS.map((k) => k.key),
  );

/** The dev stack's values as the program receives them (bare keys, Pulumi's string forms), with overrides. */
function raw(stack: string, overrides: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(stackConfig(stack, overrides)))
    if (k.startsWith("orgwarden:")) out[k.slice("orgwarden:".length)] = v;
  return out;
}

function problems(overrides: Record<string, string | undefined>, stack = "dev"): string[] {
  try {
    parse(raw(stack, overrides), stack);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigValidationError);
    return (e as ConfigValidationError).problems;
  }
  throw new Error("config was accepted");
}

const j = (v: unknown) => JSON.stringify(v);

describe("parseConfig: the example stacks", () => {
  it("reads the dev stack into the exact typed config, defaults filled in from Pulumi.yaml", () => {
    const expected: OrgwardenConfig = {
      stack: "dev",
      homeRegion: "eu-west-1",
      governedRegions: ["eu-west-1", "eu-central-1"],
      managementAccountId: "111122223333",
      organization: {
        mode: "create",
        id: undefined,
        rootId: undefined,
        ous: ["Security", "Workloads"],
        securityOu: "Security",
        existingOuIds: {},
      },
      logArchive: {
        accountName: "Dev Log Archive",
        email: "aws-dev-log-archive@example.com",
        accountId: undefined,
        retentionDays: 7,
        lockMode: "GOVERNANCE",
        transitionDays: 30,
        noncurrentExpirationDays: 7,
        accessLogRetentionDays: 30,
        bucketPrefix: "orgwarden",
      },
      security: { accountName: "Dev Security", email: "aws-dev-security@example.com", accountId: undefined },
      deployRoleName: "OrganizationAccountAccessRole",
      trail: {
        name: "orgwarden-dev-trail",
        s3DataEvents: false,
        lambdaDataEvents: false,
        logGroupName: "/orgwarden/cloudtrail",
        logGroupRetentionDays: 14,
      },
      auditorRoleNames: ["orgwarden-log-auditor"],
      kms: {
        adminRoleNames: ["OrganizationAccountAccessRole"],
        aliasName: "alias/orgwarden-cloudtrail",
        logGroupKeyAdminArns: [],
      },
      scp: {
        exemptPrincipalArns: [
          "arn:aws:iam::*:role/OrganizationAccountAccessRole",
          "arn:aws:iam::*:role/stacksets-exec-*",
          "arn:aws:iam::*:role/orgwarden-break-glass",
        ],
      },
      audit: {
        readRoleName: "orgwarden-audit-read",
        agentRoleName: "orgwarden-audit-agent",
        logAuditorRoleName: "orgwarden-log-auditor",
        deliveryMaxAgeMinutes: 60,
        integrityWindowHours: 24,
        stackSetDriftMaxAgeHours: 48,
        schedule: "cron(0 5 * * ? *)",
        reportRetentionDays: 30,
        concurrency: 8,
        engine: "step-functions",
        batchSize: 5,
        maxConcurrency: 10,
        tracing: false,
        securityHub: true,
        notifyWhen: "changes",
        waiversFile: undefined,
        runAlarmPeriodHours: 0,
        dashboard: { crossAccount: true },
      },
      network: { flowLogs: { enabled: true, retentionDays: 30 }, dnsQueryLogs: { enabled: true, retentionDays: 30 } },
      controlTower: {
        enabled: false,
        trailName: "aws-controltower-BaselineCloudTrail",
        logGroupName: "aws-controltower/CloudTrailLogs",
        logArchiveBucketName: undefined,
        accessLogBucketName: undefined,
        kmsKeyArn: undefined,
      },
      athena: {
        enabled: true,
        analystPrincipals: ["orgwarden-dev-responder"],
        resultRetentionDays: 7,
        bytesScannedCutoffGb: 10,
      },
      tags: { ManagedBy: "orgwarden", Environment: "dev" },
    };
    expect(parse(raw("dev"), "dev")).toEqual(expected);
  });

  it("reads the prod stack: adopt mode with imported ids, COMPLIANCE, data events on", () => {
    const c = parse(raw("prod"), "prod");
    expect(c.organization).toEqual({
      mode: "adopt",
      id: "o-exampleorg1",
      rootId: "r-ex12",
      ous: ["Security", "Workloads", "Sandbox"],
      securityOu: "Security",
      existingOuIds: { Security: "ou-ex12-secur1ty" },
    });
    expect(c.logArchive).toEqual({
      accountName: "Log Archive",
      email: "aws-log-archive@example.com",
      accountId: "555566667777",
      retentionDays: 400,
      lockMode: "COMPLIANCE",
      transitionDays: 90,
      noncurrentExpirationDays: 400,
      accessLogRetentionDays: 400,
      bucketPrefix: "orgwarden",
    });
    expect(c.security).toEqual({
      accountName: "Security Tooling",
      email: "aws-security@example.com",
      accountId: "777788889999",
    });
    expect(c.trail).toEqual({
      name: "orgwarden-organization-trail",
      s3DataEvents: true,
      lambdaDataEvents: true,
      logGroupName: "/orgwarden/cloudtrail",
      logGroupRetentionDays: 400,
    });
    expect(c.auditorRoleNames).toEqual(["orgwarden-log-auditor", "SecurityIncidentResponder"]);
    expect(c.tags).toEqual({ ManagedBy: "orgwarden", Environment: "prod", CostCenter: "security-engineering" });
  });

  it("keeps an explicit noncurrentExpirationDays longer than the retention", () => {
    expect(
      parse(raw("dev", { "logArchive.noncurrentExpirationDays": "30" }), "dev").logArchive.noncurrentExpirationDays,
    ).toBe(30);
  });
});

describe("parseConfig: each malformed config is rejected naming its key", () => {
  const cases: [string, Record<string, string | undefined>, string][] = [
    [
      "a management account id that is not 12 digits",
      { managementAccountId: "12345" },
      "orgwarden:managementAccountId must be a 12-digit AWS account id",
    ],
    [
      "a required key left at its empty default",
      { "security.email": undefined },
      "orgwarden:security.email must be an e-mail address such as aws-log-archive@example.com",
    ],
    [
      "an unknown region",
      { homeRegion: "us-north-9" },
      'orgwarden:homeRegion must be an AWS commercial-partition region such as us-east-1 (got "us-north-9")',
    ],
    [
      "a region outside the aws partition",
      { governedRegions: j(["eu-west-1", "cn-north-1"]) },
      'orgwarden:governedRegions[1] must be an AWS commercial-partition region such as us-east-1 (got "cn-north-1")',
    ],
    [
      "governed regions without the home region",
      { governedRegions: j(["eu-central-1"]) },
      "orgwarden:governedRegions must contain homeRegion (eu-west-1)",
    ],
    [
      "governed regions that are not a list",
      { governedRegions: "eu-west-1" },
      "orgwarden:governedRegions must be a list (YAML sequence) of regions",
    ],
    [
      "adopt mode without organization.id",
      { "organization.mode": "adopt", "organization.rootId": "r-ab12" },
      "orgwarden:organization.id is required when organization.mode is adopt",
    ],
    [
      "an unknown organization mode",
      { "organization.mode": "import" },
      'orgwarden:organization.mode must be "create" or "adopt"',
    ],
    [
      "an account id to import in create mode",
      { "logArchive.accountId": "555566667777" },
      "orgwarden:logArchive.accountId must be empty when organization.mode is create (only accounts of an adopted organization can be imported)",
    ],
    [
      "a malformed e-mail",
      { "logArchive.email": "log-archive.example.com" },
      "orgwarden:logArchive.email must be an e-mail address such as aws-log-archive@example.com",
    ],
    [
      "the same e-mail for both accounts",
      { "security.email": "aws-dev-log-archive@example.com" },
      "orgwarden:security.email must differ from logArchive.email: every AWS account needs its own root e-mail",
    ],
    [
      "retention 0",
      { "logArchive.retentionDays": "0" },
      "orgwarden:logArchive.retentionDays must be an integer ≥ 1 and ≤ 36500",
    ],
    [
      "a non-integer retention",
      { "logArchive.retentionDays": "1.5" },
      "orgwarden:logArchive.retentionDays must be an integer ≥ 1 and ≤ 36500",
    ],
    [
      "a retention that is not a number",
      { "logArchive.retentionDays": "seven" },
      "orgwarden:logArchive.retentionDays must be an integer ≥ 1 and ≤ 36500",
    ],
    [
      "lock mode STRICT",
      { "logArchive.lockMode": "STRICT" },
      'orgwarden:logArchive.lockMode must be "COMPLIANCE" or "GOVERNANCE"',
    ],
    [
      "noncurrent expiry shorter than the retention",
      { "logArchive.noncurrentExpirationDays": "3" },
      "orgwarden:logArchive.noncurrentExpirationDays must be 0 (same as retention) or ≥ logArchive.retentionDays (7), got 3",
    ],
    [
      "a log group retention CloudWatch Logs does not accept",
      { "trail.logGroupRetentionDays": "17" },
      "orgwarden:trail.logGroupRetentionDays must be one of the values CloudWatch Logs accepts: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653",
    ],
    [
      "no auditor roles",
      { auditorRoleNames: j([]) },
      "orgwarden:auditorRoleNames must name at least one role in the security account",
    ],
    [
      "an auditor who also administers the key",
      { auditorRoleNames: j(["OrganizationAccountAccessRole"]) },
      "orgwarden:auditorRoleNames names OrganizationAccountAccessRole, which is also in kms.adminRoleNames: key administrators must not decrypt",
    ],
    [
      "a log auditor role that also administers the key",
      { "audit.logAuditorRoleName": "OrganizationAccountAccessRole" },
      "orgwarden:audit.logAuditorRoleName is OrganizationAccountAccessRole, which is also in kms.adminRoleNames: key administrators must not decrypt",
    ],
    [
      "a log auditor role that is the audit read role",
      { "audit.logAuditorRoleName": "orgwarden-audit-read" },
      "orgwarden:audit.logAuditorRoleName must differ from audit.readRoleName (orgwarden-audit-read): only the log auditor may read and decrypt the logs",
    ],
    [
      "a log auditor role that is the agent's own role",
      { "audit.logAuditorRoleName": "orgwarden-audit-agent" },
      "orgwarden:audit.logAuditorRoleName must differ from audit.agentRoleName (orgwarden-audit-agent): only the log auditor may read and decrypt the logs",
    ],
    [
      "a log auditor role name IAM does not accept",
      { "audit.logAuditorRoleName": "log auditor" },
      "orgwarden:audit.logAuditorRoleName must be an IAM role name (1-64 of letters, digits and +=,.@_-)",
    ],
    [
      "a malformed exempt ARN",
      { "scp.exemptPrincipalArns": j(["arn:aws:iam::*:role/OrganizationAccountAccessRole", "break-glass"]) },
      "orgwarden:scp.exemptPrincipalArns[1] must be an IAM principal ARN pattern such as arn:aws:iam::*:role/break-glass",
    ],
    [
      "an exemption list that locks out the deploy role",
      { "scp.exemptPrincipalArns": j(["arn:aws:iam::*:role/orgwarden-break-glass"]) },
      "orgwarden:scp.exemptPrincipalArns must exempt the deployment role in every account (arn:aws:iam::*:role/OrganizationAccountAccessRole), or pulumi cannot update the log-archive and security accounts once the SCP is attached",
    ],
    [
      "key admins without the deploy role",
      { "kms.adminRoleNames": j(["KeyAdmin"]) },
      "orgwarden:kms.adminRoleNames must include deployRoleName (OrganizationAccountAccessRole): KMS refuses a key policy that locks out the principal creating it, and pulumi could never update it",
    ],
    [
      "a tag without a value separator",
      { tags: j(["ManagedBy=orgwarden", "novalue"]) },
      "orgwarden:tags[1] must be Key=Value (key 1-128 characters, value up to 256, one '=')",
    ],
    [
      "a tag in the reserved aws: namespace",
      { tags: j(["aws:owner=me"]) },
      "orgwarden:tags cannot set aws:owner: the aws: prefix is reserved",
    ],
    [
      "duplicate OU names",
      { "organization.ous": j(["Security", "Workloads", "Security"]) },
      "orgwarden:organization.ous lists Security more than once (OU names must be unique under the root)",
    ],
    [
      "OU names that differ only in case",
      { "organization.ous": j(["Security", "Workloads", "security"]) },
      "orgwarden:organization.ous names Security and security, which would share the resource name org-ou-security; rename one",
    ],
    [
      "a trail name too long for its delivery role",
      { "trail.name": "orgwarden-organization-trail-for-the-whole-company" },
      "orgwarden:trail.name must be 3-47 letters, digits, periods, underscores or dashes, starting and ending with a letter or digit (the delivery role <trail.name>-cloudwatch-logs must fit IAM's 64)",
    ],
    [
      "a security OU that is not among the OUs",
      { "organization.securityOu": "Audit" },
      'orgwarden:organization.securityOu must be one of organization.ous (Security, Workloads), got "Audit"',
    ],
    [
      "a data-event flag that is not a boolean",
      { "trail.s3DataEvents": "yes" },
      "orgwarden:trail.s3DataEvents must be true or false",
    ],
    [
      "a KMS alias under alias/aws/",
      { "kms.aliasName": "alias/aws/cloudtrail" },
      "orgwarden:kms.aliasName must be alias/<name> (letters, digits, /_-), not under alias/aws/",
    ],
    [
      "a KMS alias too long for the log group key's alias",
      { "kms.aliasName": `alias/${"a".repeat(245)}` },
      "orgwarden:kms.aliasName must leave room for the log group key's alias <aliasName>-log-group within KMS's 256 characters (at most 246)",
    ],
    [
      "a log group key administrator that is no IAM principal ARN",
      { "kms.logGroupKeyAdminArns": j(["arn:aws:iam::111122223333:role/pulumi", "Admin"]) },
      "orgwarden:kms.logGroupKeyAdminArns[1] must be an IAM role or user ARN (pattern) such as arn:aws:iam::111122223333:role/Admin*",
    ],
    [
      "a log group key administrator outside the management account",
      { "kms.logGroupKeyAdminArns": j(["arn:aws:iam::999999999999:role/Admin"]) },
      "orgwarden:kms.logGroupKeyAdminArns names arn:aws:iam::999999999999:role/Admin, which is not in the management account (111122223333) that owns the log group key",
    ],
    [
      "an audit schedule that is no EventBridge expression",
      { "audit.schedule": "daily at 5" },
      'orgwarden:audit.schedule must be an EventBridge schedule expression such as "cron(0 5 * * ? *)" or "rate(1 day)" (rate takes "1 day" or "2 days", cron six fields, UTC)',
    ],
    [
      "a rate with a plural unit for 1",
      { "audit.schedule": "rate(1 days)" },
      'orgwarden:audit.schedule must be an EventBridge schedule expression such as "cron(0 5 * * ? *)" or "rate(1 day)" (rate takes "1 day" or "2 days", cron six fields, UTC)',
    ],
    [
      "a five-field (crontab) cron",
      { "audit.schedule": "cron(0 5 * * *)" },
      'orgwarden:audit.schedule must be an EventBridge schedule expression such as "cron(0 5 * * ? *)" or "rate(1 day)" (rate takes "1 day" or "2 days", cron six fields, UTC)',
    ],
    [
      "a report retention of 0",
      { "audit.reportRetentionDays": "0" },
      "orgwarden:audit.reportRetentionDays must be an integer ≥ 1 and ≤ 36500",
    ],
    [
      "an agent concurrency above 64",
      { "audit.concurrency": "65" },
      "orgwarden:audit.concurrency must be an integer ≥ 1 and ≤ 64",
    ],
    [
      "an agent concurrency of 0",
      { "audit.concurrency": "0" },
      "orgwarden:audit.concurrency must be an integer ≥ 1 and ≤ 64",
    ],
    [
      "an audit engine that does not exist",
      { "audit.engine": "ecs" },
      'orgwarden:audit.engine must be "step-functions" or "lambda"',
    ],
    [
      "a Map MaxConcurrency of 0 (Step Functions would read it as unbounded)",
      { "audit.maxConcurrency": "0" },
      "orgwarden:audit.maxConcurrency must be an integer ≥ 1 and ≤ 10000",
    ],
    [
      "a Map MaxConcurrency above the Distributed Map's 10,000",
      { "audit.maxConcurrency": "10001" },
      "orgwarden:audit.maxConcurrency must be an integer ≥ 1 and ≤ 10000",
    ],
    ["a batch of no account", { "audit.batchSize": "0" }, "orgwarden:audit.batchSize must be an integer ≥ 1 and ≤ 500"],
    [
      "a batch larger than one worker can collect inside Lambda's timeout",
      { "audit.batchSize": "501" },
      "orgwarden:audit.batchSize must be an integer ≥ 1 and ≤ 500",
    ],
    [
      "an agent role name the step-functions engine's schedule role would overflow",
      { "audit.agentRoleName": "a".repeat(56) },
      `orgwarden:audit.agentRoleName gives the schedule role "${"a".repeat(56)}-schedule", longer than IAM's 64 characters; use at most 55 characters with audit.engine step-functions`,
    ],
    [
      "a misspelt key",
      { "logArchive.retentionDay": "7" },
      "orgwarden:logArchive.retentionDay is not a known key; did you mean orgwarden:logArchive.retentionDays? (see Pulumi.yaml for the declared keys)",
    ],
    [
      "a misspelt detection key",
      { "detection.guardDuty.feature": j(["S3_DATA_EVENTS"]) },
      "orgwarden:detection.guardDuty.feature is not a known key; did you mean orgwarden:detection.guardDuty.features? (see Pulumi.yaml for the declared keys)",
    ],
    [
      "an unknown key like no declared one",
      { colour: "blue" },
      "orgwarden:colour is not a known key (see Pulumi.yaml for the declared keys)",
    ],
    [
      "a bucket prefix that makes an invalid bucket name",
      { "logArchive.bucketPrefix": "Org_Warden" },
      "orgwarden:logArchive.bucketPrefix must be 1-20 lowercase letters, digits or hyphens, starting with a letter or digit",
    ],
  ];

  it.each(cases)("%s", (_title, overrides, expected) => {
    expect(problems(overrides)).toEqual([expected]);
  });

  it("rejects a stack name that cannot be part of a bucket name, under logArchive.bucketPrefix", () => {
    expect(() => parse(raw("dev"), "Dev_Stack")).toThrow(ConfigValidationError);
    try {
      parse(raw("dev"), "Dev_Stack");
    } catch (e) {
      expect((e as ConfigValidationError).problems).toEqual([
        'orgwarden:logArchive.bucketPrefix with stack "Dev_Stack" gives bucket name "orgwarden-Dev_Stack-cloudtrail-111122223333", which is not a valid S3 bucket name (3-63 lowercase letters, digits and single hyphens)',
        'orgwarden:logArchive.bucketPrefix with stack "Dev_Stack" gives bucket name "orgwarden-Dev_Stack-access-logs-111122223333", which is not a valid S3 bucket name (3-63 lowercase letters, digits and single hyphens)',
        'orgwarden:logArchive.bucketPrefix with stack "Dev_Stack" gives bucket name "orgwarden-Dev_Stack-audit-reports-111122223333", which is not a valid S3 bucket name (3-63 lowercase letters, digits and single hyphens)',
      ]);
    }
  });

  it("accepts the schedule forms EventBridge takes", () => {
    for (const schedule of [
      "cron(0 5 * * ? *)",
      "cron(30 2 ? * MON-FRI *)",
      "rate(1 day)",
      "rate(12 hours)",
      "rate(30 minutes)",
    ]) {
      // A weekday cron has no interval the missed-run alarm can take: its period is given (see below).
      const period = schedule.includes("MON-FRI") ? { "audit.runAlarmPeriodHours": "24" } : {};
      expect(parse(raw("dev", { "audit.schedule": schedule, ...period }), "dev").audit.schedule).toBe(schedule);
    }
  });

  it("the audit report bucket is the longest name: a bucket prefix that only it overflows is rejected naming it", () => {
    // With a 20-character prefix and a 17-character stack the access-log bucket is 63 characters, the reports bucket 65.
    const stack = "a".repeat(17);
    expect(() => parse(raw("dev", { "logArchive.bucketPrefix": "orgwarden-security-x" }), stack)).toThrow(
      ConfigValidationError,
    );
    try {
      parse(raw("dev", { "logArchive.bucketPrefix": "orgwarden-security-x" }), stack);
    } catch (e) {
      expect((e as ConfigValidationError).problems).toEqual([
        `orgwarden:logArchive.bucketPrefix with stack "${stack}" gives bucket name "orgwarden-security-x-${stack}-audit-reports-111122223333", which is not a valid S3 bucket name (3-63 lowercase letters, digits and single hyphens)`,
      ]);
    }
  });

  it("lists every problem of a config with several, in one error whose message names each key", () => {
    const overrides = {
      managementAccountId: "1234",
      "logArchive.retentionDays": "0",
      "logArchive.lockMode": "STRICT",
      "trail.logGroupRetentionDays": "17",
      tags: j(["novalue"]),
      "organization.mode": "adopt",
    };
    let err: unknown;
    try {
      parse(raw("dev", overrides), "dev");
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigValidationError);
    const e = err as ConfigValidationError;
    expect(e.problems).toEqual([
      "orgwarden:managementAccountId must be a 12-digit AWS account id",
      "orgwarden:trail.logGroupRetentionDays must be one of the values CloudWatch Logs accepts: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653",
      "orgwarden:logArchive.retentionDays must be an integer ≥ 1 and ≤ 36500",
      'orgwarden:logArchive.lockMode must be "COMPLIANCE" or "GOVERNANCE"',
      "orgwarden:tags[0] must be Key=Value (key 1-128 characters, value up to 256, one '=')",
      "orgwarden:organization.id is required when organization.mode is adopt",
      "orgwarden:organization.rootId is required when organization.mode is adopt",
    ]);
    expect(e.message).toBe(
      `invalid stack configuration (7 problems):\n${e.problems.map((p) => `  - ${p}`).join("\n")}`,
    );
  });
});

describe("parseConfig: keys of a namespace the program does not use", () => {
  const nsProblems = (otherNamespaceKeys: string[]) => {
    try {
      parseConfig(
        raw("dev"),
        "dev",
        DETECTION_CONFIG_KEYS.map((k) => k.key),
        otherNamespaceKeys,
      );
    } catch (e) {
      return (e as ConfigValidationError).problems;
    }
    throw new Error("config was accepted");
  };
  it.each([
    [
      "orgwardn:homeRegion",
      'orgwardn:homeRegion: unknown config namespace "orgwardn"; did you mean orgwarden:homeRegion? Allowed namespaces: orgwarden, aws, pulumi',
    ],
    [
      "orgwardn:homeRegon",
      'orgwardn:homeRegon: unknown config namespace "orgwardn"; did you mean orgwarden:homeRegion? Allowed namespaces: orgwarden, aws, pulumi',
    ],
    [
      "foo:homeRegion",
      'foo:homeRegion: unknown config namespace "foo"; did you mean orgwarden:homeRegion? Allowed namespaces: orgwarden, aws, pulumi',
    ],
    [
      "orgwardn:colour",
      'orgwardn:colour: unknown config namespace "orgwardn"; did you mean orgwarden:colour? Allowed namespaces: orgwarden, aws, pulumi',
    ],
    [
      "awss:region",
      'awss:region: unknown config namespace "awss"; did you mean aws:region? Allowed namespaces: orgwarden, aws, pulumi',
    ],
    [
      "pulumii:disable-default-providers",
      'pulumii:disable-default-providers: unknown config namespace "pulumii"; did you mean pulumi:disable-default-providers? Allowed namespaces: orgwarden, aws, pulumi',
    ],
  ])("%s is refused naming the key and the nearest known one", (key, message) => {
    expect(nsProblems([key])).toEqual([message]);
  });
  it("the namespaces the program uses pass", () => {
    expect(parse(raw("dev"), "dev").homeRegion).toBe("eu-west-1");
    expect(
      parseConfig(
        raw("dev"),
        "dev",
        DETECTION_CONFIG_KEYS.map((k) => k.key),
        ["aws:region", "pulumi:disable-default-providers"],
      ).homeRegion,
    ).toBe("eu-west-1");
  });
});

describe("levenshtein", () => {
  it.each([
    ["", "", 0],
    ["abc", "", 3],
    ["orgwardn", "orgwarden", 1],
    ["kitten", "sitting", 3],
    ["homeRegion", "homeRegion", 0],
  ] as const)("%s → %s is %i", (a, b, d) => {
    expect(levenshtein(a, b)).toBe(d);
    expect(levenshtein(b, a)).toBe(d);
  });
});

describe("stackSet.excludeAccounts across sections", () => {
  const stackRaw = (stack: string, exclude: string[]) => ({
    ...raw(stack),
    "stackSet.excludeAccounts": JSON.stringify(exclude),
  });
  const refused = (stack: string, exclude: string[]): string[] => {
    try {
      parseStackConfig(stackRaw(stack, exclude), stack);
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigValidationError);
      return (e as ConfigValidationError).problems;
    }
    throw new Error("config was accepted");
  };

  it("accepts member accounts and hands them to the detection section", () => {
    const { detection } = parseStackConfig(stackRaw("prod", ["123456789012"]), "prod");
    expect(detection.stackSet.excludeAccounts).toEqual(["123456789012"]);
  });

  it("refuses the management, log-archive and security accounts, naming each and the key that names it", () => {
    const prod = parse(raw("prod"), "prod");
    expect(refused("prod", [prod.managementAccountId, "555566667777", "777788889999"])).toEqual([
      `orgwarden:stackSet.excludeAccounts names ${prod.managementAccountId}, the management account (orgwarden:managementAccountId); the baseline's own accounts cannot be excluded`,
      "orgwarden:stackSet.excludeAccounts names 555566667777, the log-archive account (orgwarden:logArchive.accountId); the baseline's own accounts cannot be excluded",
      "orgwarden:stackSet.excludeAccounts names 777788889999, the security account (orgwarden:security.accountId); the baseline's own accounts cannot be excluded",
    ]);
  });
});

describe("the missed-run alarm's period across audit.schedule and audit.runAlarmPeriodHours", () => {
  it("refuses a weekly schedule without a period with the other config problems, naming both keys", () => {
    expect(problems({ "audit.schedule": "cron(0 5 ? * MON *)" })).toEqual([
      'orgwarden:audit.runAlarmPeriodHours must be set (1-168): the missed-run alarm\'s period cannot be derived from orgwarden:audit.schedule "cron(0 5 ? * MON *)" (derivable: rate() or a cron that fires daily or hourly at a fixed minute, whose interval plus the longest run and a 10-minute margin is at most 7 days)',
    ]);
  });
  it("accepts it with a period, and a daily schedule without one", () => {
    expect(
      parse(raw("dev", { "audit.schedule": "cron(0 5 ? * MON *)", "audit.runAlarmPeriodHours": "24" }), "dev").audit
        .runAlarmPeriodHours,
    ).toBe(24);
    expect(parse(raw("dev", { "audit.schedule": "rate(1 day)" }), "dev").audit.schedule).toBe("rate(1 day)");
  });
  it("refuses a period shorter than the schedule's interval, and rate(7 days) without a period (7 days plus the longest run exceed CloudWatch's 7 days)", () => {
    expect(problems({ "audit.runAlarmPeriodHours": "12" })).toEqual([
      'orgwarden:audit.runAlarmPeriodHours (12) is shorter than the interval of orgwarden:audit.schedule "cron(0 5 * * ? *)" (24 h): the missed-run alarm would be in ALARM between every two runs',
    ]);
    expect(problems({ "audit.schedule": "rate(7 days)", "audit.engine": "lambda" })).toEqual([
      'orgwarden:audit.runAlarmPeriodHours must be set (1-168): the missed-run alarm\'s period cannot be derived from orgwarden:audit.schedule "rate(7 days)" (derivable: rate() or a cron that fires daily or hourly at a fixed minute, whose interval plus the longest run and a 10-minute margin is at most 7 days)',
    ]);
    expect(problems({ "audit.runAlarmPeriodHours": "169" })).toEqual([
      "orgwarden:audit.runAlarmPeriodHours must be an integer ≥ 0 and ≤ 168",
    ]);
  });
});

describe("controlTower: the cross-key rules", () => {
  const CT_KEY = "arn:aws:kms:us-east-1:444455556666:key/1a2b3c4d-5e6f-7081-92a3-b4c5d6e7f809";

  it("reads prod on a landing zone into the exact controlTower section, names derived later from the accounts", () => {
    const cfg = parse(raw("prod", controlTowerOverrides("prod")), "prod");
    expect(cfg.controlTower).toEqual({
      enabled: true,
      trailName: "aws-controltower-BaselineCloudTrail",
      logGroupName: "aws-controltower/CloudTrailLogs",
      logArchiveBucketName: undefined,
      accessLogBucketName: undefined,
      kmsKeyArn: CT_KEY,
    });
  });

  it("refuses Control Tower keys while controlTower.enabled is false", () => {
    expect(problems({ "controlTower.trailName": "my-trail", "controlTower.kmsKeyArn": CT_KEY }, "prod")).toEqual([
      "orgwarden:controlTower.trailName is set, but orgwarden:controlTower.enabled is false; set controlTower.enabled: true or remove it",
      "orgwarden:controlTower.kmsKeyArn is set, but orgwarden:controlTower.enabled is false; set controlTower.enabled: true or remove it",
    ]);
  });

  it("on the dev stack as it is (a new organization, orgwarden's own trail keys): every conflict, each naming both keys", () => {
    expect(problems({ "controlTower.enabled": "true" }, "dev")).toEqual([
      "orgwarden:athena.enabled cannot be true with orgwarden:controlTower.enabled: the log analyst role reads the archive through statements orgwarden adds to the archive bucket's and the log key's policies, and under Control Tower both are the landing zone's; set athena.enabled: false (query Control Tower's bucket with Athena set up by its owner)",
      "orgwarden:organization.mode must be adopt when orgwarden:controlTower.enabled is true: Control Tower's organization already exists",
      "orgwarden:logArchive.accountId is required when orgwarden:controlTower.enabled is true: name Control Tower's Log Archive account",
      "orgwarden:security.accountId is required when orgwarden:controlTower.enabled is true: name Control Tower's Audit account",
      "orgwarden:controlTower.kmsKeyArn is required when orgwarden:controlTower.enabled is true: orgwarden's baseline encrypts the logs with a customer key, so configure the landing zone's KMS key (centralizedLogging kmsKeyArn) and name it here",
      "orgwarden:trail.name cannot be set when orgwarden:controlTower.enabled is true (Control Tower owns that resource): name Control Tower's trail with controlTower.trailName",
      "orgwarden:logArchive.transitionDays cannot be set when orgwarden:controlTower.enabled is true (Control Tower owns that resource): Control Tower's log-archive bucket keeps the lifecycle Control Tower gives it",
      "orgwarden:scp.exemptPrincipalArns must exempt arn:aws:iam::*:role/AWSControlTowerExecution when orgwarden:controlTower.enabled is true: Control Tower repairs its trail, buckets and Config recorders through that role, which orgwarden's SCPs would otherwise deny",
    ]);
  });

  it("refuses Athena on a landing zone: the analyst's access is written into policies Control Tower owns", () => {
    const o = controlTowerOverrides("prod");
    expect(problems({ ...o, "athena.enabled": "true", "athena.analystPrincipals": j(["responder"]) }, "prod")).toEqual([
      "orgwarden:athena.enabled cannot be true with orgwarden:controlTower.enabled: the log analyst role reads the archive through statements orgwarden adds to the archive bucket's and the log key's policies, and under Control Tower both are the landing zone's; set athena.enabled: false (query Control Tower's bucket with Athena set up by its owner)",
    ]);
  });

  it("refuses data events on a trail orgwarden does not lay, and a key outside homeRegion", () => {
    const o = controlTowerOverrides("prod");
    expect(
      problems(
        {
          ...o,
          "trail.s3DataEvents": "true",
          "controlTower.kmsKeyArn": CT_KEY.replace("us-east-1", "eu-west-1"),
        },
        "prod",
      ),
    ).toEqual([
      "orgwarden:controlTower.kmsKeyArn is in eu-west-1, but the trail and the archive are in homeRegion (us-east-1)",
      "orgwarden:trail.s3DataEvents cannot be set when orgwarden:controlTower.enabled is true (Control Tower owns that resource): Control Tower's trail logs management events only, and orgwarden lays no trail of its own",
    ]);
  });
});

describe("athena.* keys", () => {
  it("refuses athena.enabled without an analyst principal, naming the key and why", () => {
    expect(problems({ "athena.analystPrincipals": "[]" })).toEqual([
      "orgwarden:athena.analystPrincipals must name at least one role of the security account when athena.enabled is true: the log analyst role is the only way to query the logs, and nobody else is given its trust",
    ]);
  });
  it("accepts no principal when athena is off, and role names with a path and wildcards", () => {
    expect(
      parse(raw("dev", { "athena.enabled": "false", "athena.analystPrincipals": "[]" }), "dev").athena.enabled,
    ).toBe(false);
    const sso = "aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_Responder_*";
    expect(parse(raw("dev", { "athena.analystPrincipals": j([sso]) }), "dev").athena.analystPrincipals).toEqual([sso]);
  });
  it.each([
    ["athena.analystPrincipals", j(["arn:aws:iam::333333333333:role/X"])],
    ["athena.analystPrincipals", j(["/leading-slash"])],
    ["athena.bytesScannedCutoffGb", "0"],
    ["athena.resultRetentionDays", "0"],
  ])("refuses a bad %s (%s) with one problem naming it", (key, value) => {
    const out = problems({ [key]: value });
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(new RegExp(`^orgwarden:${key.replace(".", "\\.")}`));
  });
});
