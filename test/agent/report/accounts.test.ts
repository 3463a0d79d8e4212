import { describe, expect, it } from "vitest";
import { collected, failed, type ObservedOrganization, type OrgAccount } from "../../../agent/model";
import { accountDirectory } from "../../../agent/report/accounts";
import { IDS, sandboxManifest } from "./manifest-fixture";

const acct = (id: string, name: string): OrgAccount => ({
  id,
  name,
  email: `${name}@example.com`,
  status: "ACTIVE",
  parentPath: ["ou-ab12-workload", "r-ab12"],
});

const org = (accounts: ObservedOrganization["accounts"]): ObservedOrganization => ({
  organizationId: collected("o-a1b2c3d4e5"),
  accounts,
  scps: collected([]),
});

describe("accountDirectory: names from Organizations, roles from the manifest", () => {
  const m = sandboxManifest();

  it("names every listed account and gives the manifest's three their roles, the rest member", () => {
    const listed = [
      acct(IDS.accounts.management, "acme-management"),
      acct(IDS.accounts.logArchive, "acme-log-archive"),
      acct(IDS.accounts.security, "acme-security"),
      acct("444444444444", "payments-dev"),
    ];
    expect(accountDirectory(org(collected(listed)), m)).toEqual({
      "111111111111": { name: "acme-management", role: "management" },
      "222222222222": { name: "acme-log-archive", role: "log-archive" },
      "333333333333": { name: "acme-security", role: "security" },
      "444444444444": { name: "payments-dev", role: "member" },
    });
  });

  it("an unreadable account list still gives the manifest's three accounts their roles, unnamed", () => {
    const err = {
      name: "AccessDeniedException",
      message: "denied",
      kind: "access-denied" as const,
      operation: "ListAccounts",
      service: "organizations",
      account: IDS.accounts.management,
      region: "us-east-1",
    };
    expect(accountDirectory(org(failed(err)), m)).toEqual({
      "111111111111": { name: null, role: "management" },
      "222222222222": { name: null, role: "log-archive" },
      "333333333333": { name: null, role: "security" },
    });
  });

  it("one account in two manifest roles gets the first of management, security, log-archive", () => {
    const shared = {
      ...m,
      organization: { ...m.organization, securityAccountId: IDS.accounts.logArchive },
    };
    expect(accountDirectory(org(collected([])), shared)[IDS.accounts.logArchive]).toEqual({
      name: null,
      role: "security",
    });
  });
});
