import type { AuditResult, Finding, Remediation } from "../../../agent/finding";

const fix = (what: string): Remediation => ({
  console: `Console: ${what}`,
  cli: `aws ${what}`,
  pulumi: `pulumi up restores ${what}`,
});

export const FOREIGN_POLICY_FAIL: Finding = {
  id: "archive-bucket-policy|222222222222|us-east-1|arn:aws:s3:::orgwarden-dev-cloudtrail-111111111111",
  checkId: "archive-bucket-policy",
  status: "FAIL",
  severity: "CRITICAL",
  account: "222222222222",
  region: "us-east-1",
  resourceArn: "arn:aws:s3:::orgwarden-dev-cloudtrail-111111111111",
  intended: { statements: ["DenyInsecureTransport", "AWSCloudTrailWrite"] },
  observed: {
    added: [
      {
        Sid: "ForeignRead",
        Principal: { AWS: "arn:aws:iam::999999999999:root" },
        Action: ["s3:GetObject", "s3:ListBucket"],
      },
    ],
  },
  message:
    'Statement "ForeignRead" was added and grants arn:aws:iam::999999999999:root (outside the organization) s3:GetObject',
  remediation: fix("s3api put-bucket-policy"),
};

export const CONFIG_ERROR: Finding = {
  id: "config-recorder|444444444444|eu-west-1|arn:aws:config:eu-west-1:444444444444:config-recorder/default",
  checkId: "config-recorder",
  status: "ERROR",
  severity: "HIGH",
  account: "444444444444",
  region: "eu-west-1",
  resourceArn: "arn:aws:config:eu-west-1:444444444444:config-recorder/default",
  intended: "recording, all supported types",
  observed: "not read: AccessDeniedException",
  message: "Could not read the Config recorders of 444444444444 in eu-west-1",
  remediation: fix("configservice describe-configuration-recorders"),
  error: {
    name: "AccessDeniedException",
    operation: "DescribeConfigurationRecorders",
    message: "User is not authorized",
  },
};

export const TRAIL_PASS: Finding = {
  id: "trail-logging|111111111111|us-east-1|arn:aws:cloudtrail:us-east-1:111111111111:trail/orgwarden-organization-trail",
  checkId: "trail-logging",
  status: "PASS",
  severity: "HIGH",
  account: "111111111111",
  region: "us-east-1",
  resourceArn: "arn:aws:cloudtrail:us-east-1:111111111111:trail/orgwarden-organization-trail",
  intended: true,
  observed: true,
  message: "The organization trail is logging",
  remediation: fix("cloudtrail start-logging"),
};

export const INSPECTOR_NA: Finding = {
  id: "inspector-enabled|-|global|",
  checkId: "inspector-enabled",
  status: "NOT_APPLICABLE",
  severity: "MEDIUM",
  account: "-",
  region: "global",
  resourceArn: "",
  intended: undefined,
  observed: null,
  message: "Inspector is not governed in this stack",
  remediation: fix("inspector2 enable"),
};

export const HOSTILE_PASS: Finding = {
  id: "log-group-retention|111111111111|us-east-1|arn:aws:logs:us-east-1:111111111111:log-group:/orgwarden/cloudtrail",
  checkId: "log-group-retention",
  status: "PASS",
  severity: "LOW",
  account: "111111111111",
  region: "us-east-1",
  resourceArn: "arn:aws:logs:us-east-1:111111111111:log-group:/orgwarden/cloudtrail",
  intended: { retentionDays: 365 },
  observed: { note: "<img src=x onerror=alert(2)>" },
  message: "Retention 365 | <script>alert(1)</script> & `tick`",
  remediation: {
    console: "<b>bold</b>",
    cli: "aws logs put-retention-policy --retention-in-days `365`",
    pulumi: "n/a",
  },
};

export const SMALL_RUN_ID = "0b5e3a8e-6f1d-4c2a-9e7b-3d2f1a0c9b8e";

export const SMALL_RESULT: AuditResult = {
  reportSchemaVersion: 1,
  runId: SMALL_RUN_ID,
  stack: "dev",
  organizationId: "o-a1b2c3d4e5",
  now: "2026-11-22T10:00:00.000Z",
  startedAt: "2026-11-22T10:00:01.000Z",
  finishedAt: "2026-11-22T10:00:09.000Z",
  scope: {
    accounts: ["111111111111", "222222222222", "444444444444"],
    regions: ["us-east-1", "eu-west-1"],
    organizationAccounts: 3,
  },
  incomplete: [],
  findings: [HOSTILE_PASS, TRAIL_PASS, INSPECTOR_NA, CONFIG_ERROR, FOREIGN_POLICY_FAIL],
  exitCode: 3,
};
