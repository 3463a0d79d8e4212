/**
 * A result as a nightly run over a named organization produces it: accounts with names and roles,
 * the same ListAssociations denial in 5 accounts × 2 regions (10 ERRORs that read as one), a
 * CRITICAL bucket-policy FAIL whose remediation reads an intended document, a waived FAIL, passes.
 */
import type { AuditResult, Finding } from "../../../agent/finding";
import { findingId } from "../../../agent/finding";
import { intendedPath } from "../../../agent/report/intended";

export const MGMT = "111111111111";
export const LOG = "222222222222";
export const SEC = "333333333333";
export const DEV = "444444444444";
export const PROD = "555555555555";
const REGIONS = ["us-east-1", "eu-west-1"];

const make = (x: Omit<Finding, "id">): Finding => ({ ...x, id: findingId(x) });

const ssmDenied = (account: string, region: string): Finding =>
  make({
    checkId: "ssm-agent-associations",
    status: "ERROR",
    severity: "MEDIUM",
    account,
    region,
    resourceArn: `arn:aws:ssm:${region}:${account}:association/*`,
    intended: ["AWS-UpdateSSMAgent", "AWS-ConfigureAWSPackage", "AmazonCloudWatch-ManageAgent"],
    observed: "not read: ListAssociations failed with AccessDeniedException",
    message: `The SSM agent associations in ${account}/${region}: not evaluated, because ListAssociations was denied (AccessDeniedException: User: arn:aws:sts::${account}:assumed-role/orgwarden-audit-read/orgwarden-audit is not authorized to perform: ssm:ListAssociations). Grant the audit read role ssm:ListAssociations, then run the audit again.`,
    remediation: {
      console: "Systems Manager console (the account, the region) → State Manager",
      cli: `aws ssm list-associations --region ${region}`,
      pulumi: "run `pulumi up`",
    },
    error: {
      name: "AccessDeniedException",
      operation: "ListAssociations",
      message: `User: arn:aws:sts::${account}:assumed-role/orgwarden-audit-read/orgwarden-audit is not authorized to perform: ssm:ListAssociations on resource: arn:aws:ssm:${region}:${account}:*`,
      kind: "access-denied",
      attempts: 1,
    },
  });

export const SSM_ERRORS: Finding[] = [MGMT, LOG, SEC, DEV, PROD].flatMap((a) => REGIONS.map((r) => ssmDenied(a, r)));

/** Same check, same call, another error: never folded into the denial group. */
export const SSM_THROTTLED: Finding = {
  ...ssmDenied(DEV, "ap-southeast-2"),
  message:
    "The SSM agent associations in 444444444444/ap-southeast-2: not evaluated, because ListAssociations was throttled by AWS after 3 attempts (ThrottlingException).",
  error: {
    name: "ThrottlingException",
    operation: "ListAssociations",
    message: "Rate exceeded",
    kind: "throttled",
    attempts: 3,
  },
};

export const BUCKET = "orgwarden-prod-cloudtrail-222222222222";
export const EXPECTED_BUCKET_POLICY = {
  Version: "2012-10-17",
  Statement: [
    {
      Sid: "DenyInsecureTransport",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: [`arn:aws:s3:::${BUCKET}`, `arn:aws:s3:::${BUCKET}/*`],
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    },
  ],
};

const policyFail = make({
  checkId: "archive-bucket-policy",
  status: "FAIL",
  severity: "CRITICAL",
  account: LOG,
  region: "us-east-1",
  resourceArn: `arn:aws:s3:::${BUCKET}`,
  intended: null,
  observed: { Sid: "ForeignRead", Effect: "Allow", Principal: { AWS: "arn:aws:iam::999999999999:root" } },
  message: 'The bucket policy of orgwarden-prod-cloudtrail-222222222222: statement "ForeignRead" was added.',
  remediation: {
    console: "S3 console (log-archive account) → the archive bucket → Permissions → Bucket policy",
    cli: "",
    pulumi: "run `pulumi up`",
    document: "bucket-policy",
  },
});
export const POLICY_FAIL: Finding = {
  ...policyFail,
  remediation: {
    ...policyFail.remediation,
    cli: `aws s3api put-bucket-policy --bucket ${BUCKET} --policy file://${intendedPath(policyFail.id)}`,
    intendedFile: intendedPath(policyFail.id),
  },
};

export const WAIVED_FAIL: Finding = {
  ...make({
    checkId: "guardduty-enabled",
    status: "FAIL",
    severity: "HIGH",
    account: DEV,
    region: "eu-west-1",
    resourceArn: `arn:aws:guardduty:eu-west-1:${DEV}:detector`,
    intended: "enabled",
    observed: "disabled",
    message: "GuardDuty is off",
    remediation: { console: "GuardDuty console", cli: "aws guardduty create-detector --enable", pulumi: "pulumi up" },
  }),
  waived: { reason: "sandbox account, closing in December", expires: "2026-12-31", approvedBy: "alice" },
};

const pass = (checkId: string, account: string, region: string): Finding =>
  make({
    checkId,
    status: "PASS",
    severity: "HIGH",
    account,
    region,
    resourceArn: `arn:aws:${checkId}:${region}:${account}:x`,
    intended: true,
    observed: true,
    message: `${checkId} is as intended`,
    remediation: { console: "c", cli: "aws x", pulumi: "pulumi up" },
  });

export const PASSES: Finding[] = [
  pass("trail-logging", MGMT, "us-east-1"),
  pass("config-recorder", DEV, "us-east-1"),
  pass("config-recorder", PROD, "eu-west-1"),
];

export const NAMED_RESULT: AuditResult = {
  reportSchemaVersion: 1,
  runId: "6a1f0c2e-8d3b-4e5f-9a7b-1c2d3e4f5a6b",
  stack: "prod",
  organizationId: "o-a1b2c3d4e5",
  securityAccountId: SEC,
  homeRegion: "us-east-1",
  now: "2026-11-23T06:00:00.000Z",
  startedAt: "2026-11-23T06:00:01.000Z",
  finishedAt: "2026-11-23T06:02:09.000Z",
  scope: { accounts: [MGMT, LOG, SEC, DEV, PROD], regions: REGIONS, organizationAccounts: 5 },
  incomplete: [],
  accounts: {
    [MGMT]: { name: "acme-management", role: "management" },
    [LOG]: { name: "acme-log-archive", role: "log-archive" },
    [SEC]: { name: "acme-security", role: "security" },
    [DEV]: { name: "payments-dev", role: "member" },
    [PROD]: { name: null, role: "member" },
  },
  intendedDocuments: { [POLICY_FAIL.remediation.intendedFile!]: EXPECTED_BUCKET_POLICY },
  findings: [...PASSES, ...SSM_ERRORS, SSM_THROTTLED, POLICY_FAIL, WAIVED_FAIL],
  exitCode: 3,
};
