import { beforeAll, describe, expect, it } from "vitest";
import type { ProgramRun } from "../../harness/run-program";
import { ACCOUNT_IGNORE_CHANGES, ORG_SERVICE_ACCESS_PRINCIPALS } from "../../infra/organization";
import { DEPLOY_ROLE, EXPECTED } from "./expected";
import { ofType, one, providerUrn, runStack, STACKS } from "./stack";

const ORG = "aws:organizations/organization:Organization";
const OU = "aws:organizations/organizationalUnit:OrganizationalUnit";
const ACCOUNT = "aws:organizations/account:Account";

describe.each(STACKS)("Organization (%s stack)", (stack) => {
  const x = EXPECTED[stack];
  let run: ProgramRun;
  beforeAll(async () => {
    run = await runStack(stack);
  });

  it("creates or adopts the organization with feature set ALL, SCPs and trusted access for the eight services, protected", () => {
    const org = one(run, ORG, "org-organization");
    expect(org.inputs).toEqual({
      featureSet: "ALL",
      enabledPolicyTypes: ["SERVICE_CONTROL_POLICY"],
      awsServiceAccessPrincipals: [
        "cloudtrail.amazonaws.com",
        "config.amazonaws.com",
        "config-multiaccountsetup.amazonaws.com",
        "guardduty.amazonaws.com",
        "securityhub.amazonaws.com",
        "inspector2.amazonaws.com",
        "ssm.amazonaws.com",
        "member.org.stacksets.cloudformation.amazonaws.com",
        "ram.amazonaws.com",
      ],
    });
    expect(ORG_SERVICE_ACCESS_PRINCIPALS).toEqual(org.inputs.awsServiceAccessPrincipals);
    expect(org.protect).toBe(true);
    expect(org.importId).toBe(x.imports.org);
    expect(org.provider).toBe(providerUrn(run, "management"));
    expect(org.parent).toBe(one(run, "orgwarden:organization:Organization", "org").urn);
  });

  it("creates each OU directly under the root, importing those that already exist", () => {
    const ous = ofType(run, OU);
    expect(ous.map((o) => o.inputs)).toEqual(x.ous.map((name) => ({ name, parentId: x.rootId })));
    for (const o of ous) {
      expect(o.protect).toBe(true);
      expect(o.provider).toBe(providerUrn(run, "management"));
      expect(o.importId).toBe(x.imports.ous[o.inputs.name]);
    }
    expect(ous.map((o) => o.name)).toEqual(x.ous.map((n) => `org-ou-${n.toLowerCase()}`));
  });

  it("creates or imports the log-archive and security accounts in the Security OU, never closing them on delete", () => {
    const securityOuId = one(run, OU, "org-ou-security").id;
    expect(securityOuId).toMatch(/^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/);
    const accounts: [string, string, string, string | undefined][] = [
      ["org-log-archive", x.logArchiveName, x.logArchiveEmail, x.imports.logArchive],
      ["org-security", x.securityName, x.securityEmail, x.imports.security],
    ];
    for (const [name, accountName, email, importId] of accounts) {
      const a = one(run, ACCOUNT, name);
      expect(a.inputs).toEqual({
        name: accountName,
        email,
        parentId: securityOuId,
        roleName: DEPLOY_ROLE,
        closeOnDeletion: false,
      });
      expect(a.protect).toBe(true);
      expect(a.ignoreChanges).toEqual(["roleName", "iamUserAccessToBilling", "email", "name"]);
      expect(a.importId).toBe(importId);
      expect(a.provider).toBe(providerUrn(run, "management"));
    }
    expect(ACCOUNT_IGNORE_CHANGES).toEqual(["roleName", "iamUserAccessToBilling", "email", "name"]);
    expect(one(run, ACCOUNT, "org-log-archive").id).toBe(x.logArchiveId);
    expect(one(run, ACCOUNT, "org-security").id).toBe(x.securityId);
  });

  it("exports the organization's ids", () => {
    expect(run.outputs).toMatchObject({
      managementAccountId: x.mgmt,
      organizationId: x.orgId,
      rootId: x.rootId,
      logArchiveAccountId: x.logArchiveId,
      securityAccountId: x.securityId,
    });
  });
});
