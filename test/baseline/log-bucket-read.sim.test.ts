/**
 * IAM simulation (@cloud-copilot/iam-simulate): the audit read role may make exactly the reads the
 * log-bucket collector makes on each log bucket, under that bucket's own policy, with the extra
 * policy alone (not counting on what SecurityAudit holds); it still reads no log object; and the
 * report bucket's policy lets the security account's read role read the report bucket's settings.
 */
import { describe, expect, it } from "vitest";
import {
  accessLogBucketPolicy,
  archiveBucketPolicy,
  auditReportBucketPolicy,
  bucketArn,
  LOG_BUCKET_READ_ACTIONS,
  trailArn,
  type PolicyDocument,
} from "../../baseline";
import { resultsBucketPolicy } from "../../baseline/athena";
import { auditRoleExtraPolicy, configBucketPolicy } from "../../baseline/detection";
import { dnsQueryLogBucketPolicy, flowLogBucketPolicy } from "../../baseline/network";
import { allowAll, ORG, roleCaller, simulate } from "../helpers/iam-sim";

const READ_ROLE = "orgwarden-audit-read";
const b = (kind: string) => `orgwarden-prod-${kind}-${ORG.management}`;
const ARCHIVE = b("cloudtrail");

/** Each log bucket, its account and the policy infra lays on it. */
const BUCKETS: Array<{ role: string; bucket: string; account: string; policy: PolicyDocument }> = [
  {
    role: "archive",
    bucket: ARCHIVE,
    account: ORG.logArchive,
    policy: archiveBucketPolicy({
      bucketName: ARCHIVE,
      orgId: ORG.orgId,
      managementAccountId: ORG.management,
      trailArn: trailArn(ORG.region, ORG.management, ORG.trailName),
      securityAccountId: ORG.security,
      auditorRoleNames: ["orgwarden-log-auditor"],
    }),
  },
  {
    role: "access-log",
    bucket: b("access-logs"),
    account: ORG.logArchive,
    policy: accessLogBucketPolicy({
      bucketName: b("access-logs"),
      sourceBucketName: ARCHIVE,
      sourceAccountId: ORG.logArchive,
      orgId: ORG.orgId,
      prefix: `${ARCHIVE}/`,
      additionalSources: [b("config"), b("flow-logs"), b("dns-logs")].map((x) => ({ bucketName: x, prefix: `${x}/` })),
    }),
  },
  {
    role: "config",
    bucket: b("config"),
    account: ORG.logArchive,
    policy: configBucketPolicy({ bucketName: b("config"), orgId: ORG.orgId }),
  },
  {
    role: "flow-log",
    bucket: b("flow-logs"),
    account: ORG.logArchive,
    policy: flowLogBucketPolicy({
      bucketName: b("flow-logs"),
      orgId: ORG.orgId,
      securityAccountId: ORG.security,
      readerRoleNames: ["orgwarden-log-auditor"],
    }),
  },
  {
    role: "dns-query-log",
    bucket: b("dns-logs"),
    account: ORG.logArchive,
    policy: dnsQueryLogBucketPolicy({
      bucketName: b("dns-logs"),
      orgId: ORG.orgId,
      logArchiveAccountId: ORG.logArchive,
      regions: [ORG.region, "eu-west-1"],
      securityAccountId: ORG.security,
      readerRoleNames: ["orgwarden-log-auditor"],
    }),
  },
  {
    // Its "deny result access except the analyst" covers objects only: the read role's configuration reads stay allowed.
    role: "athena-results",
    bucket: b("query-results"),
    account: ORG.security,
    policy: resultsBucketPolicy({
      bucketName: b("query-results"),
      securityAccountId: ORG.security,
      region: ORG.region,
      analystRoleName: "orgwarden-log-analyst",
      adminRoleNames: ["OrganizationAccountAccessRole"],
      auditReadRoleNames: [READ_ROLE],
    }),
  },
  {
    role: "report",
    bucket: b("audit-reports"),
    account: ORG.security,
    policy: auditReportBucketPolicy(b("audit-reports")),
  },
];

const reader = (accountId: string, identityPolicies: PolicyDocument[]) =>
  roleCaller({ accountId, roleName: READ_ROLE, identityPolicies });

describe("audit read role on the log buckets", () => {
  const cases = BUCKETS.flatMap((x) => LOG_BUCKET_READ_ACTIONS.map((action) => [x.role, action, x] as const));

  it.each(cases)("%s bucket: the extra policy alone allows %s under the bucket's policy", async (_r, action, x) => {
    const r = await simulate({
      caller: reader(x.account, [auditRoleExtraPolicy("orgwarden", "orgwarden-audit-read")]),
      action,
      resource: bucketArn(x.bucket),
      resourceAccount: x.account,
      resourcePolicy: x.policy,
    });
    expect(r.result).toBe("Allowed");
    expect(r.grants).toEqual(["identity:LogBucketConfigurationRead"]);
  });

  it.each(BUCKETS.map((x) => [x.role, x] as const))(
    "%s bucket: no log object is read, even if SecurityAudit granted everything",
    async (_r, x) => {
      const r = await simulate({
        caller: reader(x.account, [allowAll("*"), auditRoleExtraPolicy("orgwarden", "orgwarden-audit-read")]),
        action: "s3:GetObject",
        resource: `${bucketArn(x.bucket)}/AWSLogs/${ORG.member}/x.json.gz`,
        resourceAccount: x.account,
        resourcePolicy: x.policy,
      });
      expect(r.result).toBe("ExplicitlyDenied");
      expect(r.explicitDenials).toContain("identity:DenyDataAccessAndWrites");
    },
  );

  it.each([
    "s3:PutLifecycleConfiguration",
    "s3:PutBucketLogging",
    "s3:PutBucketPolicy",
    "s3:PutEncryptionConfiguration",
    "s3:DeleteBucketPolicy",
    "s3:GetObjectAcl",
  ])("grants nothing beyond the reads: %s on the Config bucket is not allowed by the extra policy", async (action) => {
    const x = BUCKETS.find((y) => y.role === "config")!;
    const r = await simulate({
      caller: reader(x.account, [auditRoleExtraPolicy("orgwarden", "orgwarden-audit-read")]),
      action,
      resource: action === "s3:GetObjectAcl" ? `${bucketArn(x.bucket)}/AWSLogs/x` : bucketArn(x.bucket),
      resourceAccount: x.account,
      resourcePolicy: x.policy,
    });
    expect(r.result).not.toBe("Allowed");
  });

  it("the report bucket's TLS-only policy refuses the read role's reads over plain HTTP", async () => {
    const x = BUCKETS.find((y) => y.role === "report")!;
    const r = await simulate({
      caller: roleCaller({
        accountId: x.account,
        roleName: READ_ROLE,
        identityPolicies: [auditRoleExtraPolicy("orgwarden", "orgwarden-audit-read")],
        secureTransport: false,
      }),
      action: "s3:GetLifecycleConfiguration",
      resource: bucketArn(x.bucket),
      resourceAccount: x.account,
      resourcePolicy: x.policy,
    });
    expect(r.result).toBe("ExplicitlyDenied");
  });
});
