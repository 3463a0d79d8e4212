import { beforeAll, describe, expect, it } from "vitest";
import { resolve } from "node:path";
import { ProgramRun, runProgram } from "../../harness/run-program";
import { AccountProviders, requireProvider } from "../../infra/providers";
import { LogKey } from "../../infra/log-key";
import { DEPLOY_ROLE, EXPECTED } from "./expected";
import { one, providerUrn, runStack, stackConfig, STACKS } from "./stack";

/** Which account each resource type of the foundation must be deployed into. */
const ACCOUNT_OF: Record<string, "management" | "log-archive" | "security"> = {
  "aws:organizations/organization:Organization": "management",
  "aws:organizations/organizationalUnit:OrganizationalUnit": "management",
  "aws:organizations/account:Account": "management",
  "aws:organizations/policy:Policy": "management",
  "aws:organizations/policyAttachment:PolicyAttachment": "management",
  "aws:cloudtrail/trail:Trail": "management",
  "aws:cloudwatch/logGroup:LogGroup": "management",
  "aws:iam/role:Role": "management",
  "aws:iam/rolePolicy:RolePolicy": "management",
  "aws:kms/key:Key": "security",
  "aws:kms/alias:Alias": "security",
  "aws:ssm/parameter:Parameter": "security",
  "aws:s3/bucket:Bucket": "log-archive",
  "aws:s3/bucketVersioning:BucketVersioning": "log-archive",
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": "log-archive",
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": "log-archive",
  "aws:s3/bucketOwnershipControls:BucketOwnershipControls": "log-archive",
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": "log-archive",
  "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration": "log-archive",
  "aws:s3/bucketLogging:BucketLogging": "log-archive",
  "aws:s3/bucketPolicy:BucketPolicy": "log-archive",
};

const FOUNDATION_COMPONENTS = [
  "orgwarden:organization:Organization",
  "orgwarden:kms:LogKey",
  "orgwarden:s3:AccessLogBucket",
  "orgwarden:s3:ArchiveBucket",
  "orgwarden:cloudtrail:OrgTrail",
  "orgwarden:scp:LoggingScp",
  "orgwarden:audit:AuditManifest",
];

const json = (v: unknown) => (typeof v === "string" ? JSON.parse(v) : v);

describe.each(STACKS)("account providers (%s stack)", (stack) => {
  const x = EXPECTED[stack];
  let run: ProgramRun;
  beforeAll(async () => {
    run = await runStack(stack);
  });

  it("declares one home-region provider per account, pinned to that account, member ones assuming the deploy role", () => {
    const inputs = (name: string) => {
      const p = one(run, "pulumi:providers:aws", name);
      return {
        ...p.inputs,
        allowedAccountIds: json(p.inputs.allowedAccountIds),
        assumeRoles: p.inputs.assumeRoles && json(p.inputs.assumeRoles),
        defaultTags: json(p.inputs.defaultTags),
      };
    };
    const common = {
      region: x.home,
      defaultTags: { tags: x.tags },
      skipCredentialsValidation: "false",
      skipRegionValidation: "true",
    };
    expect(inputs("management")).toEqual({ ...common, allowedAccountIds: [x.mgmt] });
    expect(inputs("log-archive")).toEqual({
      ...common,
      allowedAccountIds: [x.logArchiveId],
      assumeRoles: [
        { roleArn: `arn:aws:iam::${x.logArchiveId}:role/${DEPLOY_ROLE}`, sessionName: `orgwarden-${stack}` },
      ],
    });
    expect(inputs("security")).toEqual({
      ...common,
      allowedAccountIds: [x.securityId],
      assumeRoles: [{ roleArn: `arn:aws:iam::${x.securityId}:role/${DEPLOY_ROLE}`, sessionName: `orgwarden-${stack}` }],
    });
  });

  it("names any other provider <account>-<region>, for a governed region, pinned like its account's home provider", () => {
    const home = Object.fromEntries(
      ["management", "log-archive", "security"].map((n) => [n, one(run, "pulumi:providers:aws", n).inputs]),
    );
    const regional = run.resources.filter((r) => r.type === "pulumi:providers:aws" && !(r.name in home));
    for (const p of regional) {
      const m = /^(management|log-archive|security)-([a-z]{2}-[a-z]+-\d)$/.exec(p.name);
      expect(m, p.name).not.toBeNull();
      const [, account, region] = m!;
      expect(region).not.toBe(x.home);
      expect(x.governedRegions).toContain(region);
      expect({ ...p.inputs, region: undefined }).toEqual({ ...home[account], region: undefined });
      expect(p.inputs.region).toBe(region);
    }
  });

  it("puts every foundation resource in its account's provider, and no AWS resource on a default provider", () => {
    const providerUrns = run.resources.filter((r) => r.type === "pulumi:providers:aws").map((r) => r.urn);
    for (const r of run.resources.filter((r) => r.custom && r.type.startsWith("aws:"))) {
      expect(providerUrns, `${r.type} ${r.name} has no explicit provider`).toContain(r.provider);
    }
    const components = run.resources.filter((r) => FOUNDATION_COMPONENTS.includes(r.type)).map((r) => r.urn);
    const foundation = run.resources.filter((r) => r.custom && r.parent !== undefined && components.includes(r.parent));
    // 15 in the management account (16 with prod's third OU; three SCPs and their attachments), 16 in log-archive, 8 in
    // security (the log key and its alias, and the audit manifest's six parameters).
    expect(foundation.length).toBe(stack === "dev" ? 39 : 40);
    for (const r of foundation) {
      const account = ACCOUNT_OF[r.type];
      expect(account, `${r.type} is not expected in the foundation`).toBeDefined();
      expect(r.provider, `${r.type} ${r.name}`).toBe(providerUrn(run, account));
    }
  });

  it("turns the default aws provider off in the stack file", () => {
    expect(json(stackConfig(stack)["pulumi:disable-default-providers"])).toEqual(["aws"]);
  });
});

describe("AccountProviders and requireProvider", () => {
  it("refuses a member provider before the member accounts are bound", () => {
    const p = new AccountProviders({
      stack: "t",
      homeRegion: "us-east-1",
      managementAccountId: "111122223333",
      deployRoleName: DEPLOY_ROLE,
      tags: {},
    });
    expect(() => p.security).toThrow(
      "AccountProviders: the security provider was asked for before bindMemberAccounts()",
    );
  });

  it("refuses a component without an explicit provider, naming it", () => {
    expect(() => requireProvider("orgwarden:kms:LogKey", "log-key", {})).toThrow(
      'orgwarden:kms:LogKey "log-key" needs opts.provider: the provider of the account it deploys into (see infra/providers.ts)',
    );
  });

  it("LogKey without a provider throws before registering anything", () => {
    const make = () =>
      new LogKey("k", {
        securityAccountId: "777788889999",
        managementAccountId: "444455556666",
        trailArn: "arn:aws:cloudtrail:us-east-1:444455556666:trail/t",
        adminRoleNames: [DEPLOY_ROLE],
        auditorRoleNames: ["a"],
        aliasName: "alias/k",
      });
    expect(make).toThrow('orgwarden:kms:LogKey "k" needs opts.provider');
  });
});

describe("regional providers", () => {
  it("hands out one provider per account and region, named <account>-<region>, with the same account pinning", async () => {
    const r = await runProgram({
      program: resolve(__dirname, "fixtures/regional-providers.ts"),
      stack: "dev",
      config: {},
    });
    const providers = r.resources.filter((x) => x.type === "pulumi:providers:aws");
    expect(providers.map((p) => [p.name, p.inputs.region, json(p.inputs.allowedAccountIds)])).toEqual([
      ["management", "us-east-1", ["111122223333"]],
      ["security", "us-east-1", ["777788889999"]],
      ["security-us-west-2", "us-west-2", ["777788889999"]],
    ]);
    expect(r.outputs).toEqual({ sameInstance: true });
  });
});
