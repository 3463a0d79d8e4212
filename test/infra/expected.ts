/**
 * What each example stack must plan, written out by hand from the stack files (not read back
 * from the program), plus the ids the AWS mocks give resources that do not exist yet.
 */
import { mockAccountId } from "../../harness/aws-mocks";
import type { StackName } from "./stack";
import { securityBaselineScps, type PolicyDocument } from "../../baseline";

export interface StackExpectation {
  mgmt: string;
  home: string;
  orgId: string;
  rootId: string;
  /** Organization / OU / account import ids, when the stack adopts. */
  imports: { org?: string; ous: Record<string, string>; logArchive?: string; security?: string };
  logArchiveId: string;
  securityId: string;
  logArchiveName: string;
  logArchiveEmail: string;
  securityName: string;
  securityEmail: string;
  ous: string[];
  trailName: string;
  trailArn: string;
  archive: string;
  accessLogs: string;
  /** The detection section's Config bucket, which the logging SCP also protects. */
  configBucket: string;
  /** The VPC Flow Logs bucket (log-archive account) and its lifecycle expiry. */
  flowLogs: string;
  flowLogRetentionDays: number;
  dnsQueryLogs: string;
  dnsQueryLogRetentionDays: number;
  lockMode: "COMPLIANCE" | "GOVERNANCE";
  retentionDays: number;
  transitionDays: number;
  noncurrentDays: number;
  accessLogRetentionDays: number;
  logGroupRetentionDays: number;
  auditors: string[];
  s3DataEvents: boolean;
  lambdaDataEvents: boolean;
  governedRegions: string[];
  tags: Record<string, string>;
  /** The athena.* keys of the stack file, and the results bucket they name. */
  athena: { analystPrincipals: string[]; resultsBucket: string; resultRetentionDays: number; cutoffGb: number };
}

export const EXPECTED: Record<StackName, StackExpectation> = {
  dev: {
    mgmt: "111122223333",
    home: "eu-west-1",
    orgId: "o-a1b2c3d4e5",
    rootId: "r-a1b2",
    imports: { ous: {} },
    logArchiveId: mockAccountId("Dev Log Archive"),
    securityId: mockAccountId("Dev Security"),
    logArchiveName: "Dev Log Archive",
    logArchiveEmail: "aws-dev-log-archive@example.com",
    securityName: "Dev Security",
    securityEmail: "aws-dev-security@example.com",
    ous: ["Security", "Workloads"],
    trailName: "orgwarden-dev-trail",
    trailArn: "arn:aws:cloudtrail:eu-west-1:111122223333:trail/orgwarden-dev-trail",
    archive: "orgwarden-dev-cloudtrail-111122223333",
    accessLogs: "orgwarden-dev-access-logs-111122223333",
    configBucket: "orgwarden-dev-config-111122223333",
    flowLogs: "orgwarden-dev-flow-logs-111122223333",
    flowLogRetentionDays: 30,
    dnsQueryLogs: "orgwarden-dev-dns-logs-111122223333",
    dnsQueryLogRetentionDays: 30,
    lockMode: "GOVERNANCE",
    retentionDays: 7,
    transitionDays: 30,
    noncurrentDays: 7,
    accessLogRetentionDays: 30,
    logGroupRetentionDays: 14,
    auditors: ["orgwarden-log-auditor"],
    s3DataEvents: false,
    lambdaDataEvents: false,
    governedRegions: ["eu-west-1", "eu-central-1"],
    tags: { ManagedBy: "orgwarden", Environment: "dev" },
    athena: {
      analystPrincipals: ["orgwarden-dev-responder"],
      resultsBucket: "orgwarden-dev-query-results-111122223333",
      resultRetentionDays: 7,
      cutoffGb: 10,
    },
  },
  prod: {
    mgmt: "444455556666",
    home: "us-east-1",
    orgId: "o-exampleorg1",
    rootId: "r-ex12",
    imports: {
      org: "o-exampleorg1",
      ous: { Security: "ou-ex12-secur1ty" },
      logArchive: "555566667777",
      security: "777788889999",
    },
    logArchiveId: "555566667777",
    securityId: "777788889999",
    logArchiveName: "Log Archive",
    logArchiveEmail: "aws-log-archive@example.com",
    securityName: "Security Tooling",
    securityEmail: "aws-security@example.com",
    ous: ["Security", "Workloads", "Sandbox"],
    trailName: "orgwarden-organization-trail",
    trailArn: "arn:aws:cloudtrail:us-east-1:444455556666:trail/orgwarden-organization-trail",
    archive: "orgwarden-prod-cloudtrail-444455556666",
    accessLogs: "orgwarden-prod-access-logs-444455556666",
    configBucket: "orgwarden-prod-config-444455556666",
    flowLogs: "orgwarden-prod-flow-logs-444455556666",
    flowLogRetentionDays: 365,
    dnsQueryLogs: "orgwarden-prod-dns-logs-444455556666",
    dnsQueryLogRetentionDays: 365,
    lockMode: "COMPLIANCE",
    retentionDays: 400,
    transitionDays: 90,
    noncurrentDays: 400,
    accessLogRetentionDays: 400,
    logGroupRetentionDays: 400,
    auditors: ["orgwarden-log-auditor", "SecurityIncidentResponder"],
    s3DataEvents: true,
    lambdaDataEvents: true,
    governedRegions: ["us-east-1", "us-west-2", "eu-west-1"],
    tags: { ManagedBy: "orgwarden", Environment: "prod", CostCenter: "security-engineering" },
    athena: {
      analystPrincipals: ["aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_SecurityIncidentResponder_*"],
      resultsBucket: "orgwarden-prod-query-results-444455556666",
      resultRetentionDays: 30,
      cutoffGb: 100,
    },
  },
};

export const DEPLOY_ROLE = "OrganizationAccountAccessRole";
export const LOG_GROUP = "/orgwarden/cloudtrail";
export const EXEMPT = [
  "arn:aws:iam::*:role/OrganizationAccountAccessRole",
  "arn:aws:iam::*:role/stacksets-exec-*",
  "arn:aws:iam::*:role/orgwarden-break-glass",
];

/** The security-baseline SCPs a stack of that name must plan with the default name prefix: Organizations name, resource name, document. */
export function scpsFor(
  stack: string,
  mgmt: string,
  exempt: string[],
): { name: string; resource: string; document: PolicyDocument }[] {
  const names = [
    "orgwarden-protect-security-logging",
    "orgwarden-protect-security-detection",
    "orgwarden-protect-security-identities",
  ];
  const resources = ["logging-scp-policy", "logging-scp-detection-policy", "logging-scp-identity-policy"];
  const bucket = (kind: string) => `orgwarden-${stack}-${kind}-${mgmt}`;
  return securityBaselineScps({
    exemptPrincipalArns: exempt,
    protectedBucketNames: [bucket("cloudtrail"), bucket("access-logs"), bucket("config")],
    objectProtectedBucketNames: [bucket("access-logs"), bucket("config")],
    forwardingRuleNamePrefix: "orgwarden-forward-",
    manifestParameterName: `/orgwarden/${stack}/audit-manifest`,
    baselineRoleNames: [
      "orgwarden-audit-read",
      "orgwarden-event-forwarder",
      "orgwarden-audit-agent",
      "orgwarden-log-auditor",
      // Both example stacks lay the network automation (DNS VPC association, flow-log remediation).
      "orgwarden-dns-query-log-association",
      "orgwarden-dns-query-log-association-events",
      "orgwarden-flow-log-remediation",
    ],
    stackSetName: "orgwarden-member-baseline",
    automationRuleNames: ["orgwarden-associate-new-vpc-dns-query-logs"],
    automationDocumentNames: ["orgwarden-AssociateVpcsDnsQueryLogs", "orgwarden-EnableVpcFlowLogs"],
  }).map((s, n) => ({ name: names[n], resource: resources[n], document: s.document }));
}

/** The security-baseline SCPs each example stack must plan. */
export function expectedScps(
  stack: StackName,
  exempt: string[] = EXEMPT,
): { name: string; resource: string; document: PolicyDocument }[] {
  return scpsFor(stack, EXPECTED[stack].mgmt, exempt);
}
