/**
 * inspector-members over the fixture state: one change per case from the members infra associates
 * (test/agent/collectors/inspector-organization.test.ts reads them from moto).
 */
import { describe, expect, it } from "vitest";
import * as check from "../../../agent/checks/detection/inspector-members";
import type { ObservedInspectorMember, ObservedInspectorRegion, ObservedState } from "../../../agent/model";
import { collected, failed } from "../../../agent/model";
import { cleanManifest, cleanObserved, CTX, failedRead, HOME, ORG, OTHER_REGION, readError } from "./fixtures";

const root = (a: string) => `arn:aws:iam::${a}:root`;
const members = (r: ObservedInspectorRegion) => (r.members as { value: ObservedInspectorMember[] }).value;

function run(change: (r: ObservedInspectorRegion, o: ObservedState) => void = () => {}) {
  const o = cleanObserved();
  change(o.inspectorOrganization!.byRegion[HOME], o);
  return check.evaluate(o, cleanManifest(), CTX);
}
const at = (fs: ReturnType<typeof run>, account: string, region = HOME) =>
  fs.find((f) => f.account === account && f.region === region)!;

describe("inspector-members", () => {
  it("one PASS per member account × governed region; the management and security accounts are not judged", () => {
    const fs = run();
    expect(fs.map((f) => [f.status, f.account, f.region, f.resourceArn])).toEqual([
      ["PASS", ORG.logArchive, HOME, root(ORG.logArchive)],
      ["PASS", ORG.member, HOME, root(ORG.member)],
      ["PASS", ORG.logArchive, OTHER_REGION, root(ORG.logArchive)],
      ["PASS", ORG.member, OTHER_REGION, root(ORG.member)],
    ]);
    expect(at(fs, ORG.member).message).toBe(
      `Account ${ORG.member} is an ENABLED Inspector member of the security account ${ORG.security} in ${HOME}.`,
    );
  });

  it("an account ListMembers does not list is a FAIL naming it, in that region only", () => {
    const fs = run((r) => (r.members = collected(members(r).filter((m) => m.accountId !== ORG.member))));
    expect(at(fs, ORG.member).status).toBe("FAIL");
    expect(at(fs, ORG.member).message).toBe(
      `Account ${ORG.member} is not an Inspector member of the security account ${ORG.security} in ${HOME} (ListMembers does not list it): its scans and findings are outside the administrator's view; associate it.`,
    );
    expect([at(fs, ORG.logArchive).status, at(fs, ORG.member, OTHER_REGION).status]).toEqual(["PASS", "PASS"]);
  });

  it.each(["DISABLED", "CREATED", "REMOVED", "RESIGNED", "ACCOUNT_SUSPENDED", "REGION_DISABLED"])(
    "relationshipStatus %s is a FAIL naming the status",
    (status) => {
      const f = at(
        run((r) => (members(r).find((m) => m.accountId === ORG.member)!.relationshipStatus = status)),
        ORG.member,
      );
      expect([f.status, f.message]).toEqual([
        "FAIL",
        `Account ${ORG.member}'s Inspector membership in ${HOME} is ${status}, not ENABLED.`,
      ]);
    },
  );

  it("another delegated administrator is a FAIL, each differing setting named", () => {
    const f = at(
      run((r) => {
        const m = members(r).find((x) => x.accountId === ORG.member)!;
        m.delegatedAdminAccountId = ORG.outsider;
        m.relationshipStatus = "INVITED";
      }),
      ORG.member,
    );
    expect([f.status, f.message]).toEqual([
      "FAIL",
      `Account ${ORG.member}'s Inspector membership in ${HOME} is INVITED, not ENABLED; its delegated administrator in ${HOME} is ${ORG.outsider}, not the security account ${ORG.security}.`,
    ]);
  });

  it("an account in stackSet.excludeAccounts is judged too (infra associates it; Inspector is not the StackSet's)", () => {
    const m = cleanManifest();
    m.stackSet = { ...m.stackSet!, excludeAccounts: [ORG.member] };
    const o = cleanObserved();
    const r = o.inspectorOrganization!.byRegion[HOME];
    r.members = collected(members(r).filter((x) => x.accountId !== ORG.member));
    expect(at(check.evaluate(o, m, CTX), ORG.member).status).toBe("FAIL");
  });

  it("a failed ListMembers is an ERROR for every account of that region, with the AWS error name", () => {
    const fs = run((r) => (r.members = failedRead("ListMembers", "inspector2", ORG.security, HOME)));
    expect(fs.map((f) => [f.status, f.account, f.region, f.error?.name])).toEqual([
      ["ERROR", ORG.logArchive, HOME, "AccessDeniedException"],
      ["ERROR", ORG.member, HOME, "AccessDeniedException"],
      ["PASS", ORG.logArchive, OTHER_REGION, undefined],
      ["PASS", ORG.member, OTHER_REGION, undefined],
    ]);
  });

  it("the security account unreachable: every account is an ERROR, whatever the state holds", () => {
    const fs = run((_r, o) => {
      o.unreachableAccounts[ORG.security] = readError("AssumeRole", "sts", ORG.security, "global", "AccessDenied");
    });
    expect(new Set(fs.map((f) => `${f.status} ${f.error?.operation}`))).toEqual(new Set(["ERROR AssumeRole"]));
    expect(fs).toHaveLength(4);
  });

  it("a region the state holds no reading of is an ERROR NotCollected per account", () => {
    const fs = run((_r, o) => delete o.inspectorOrganization!.byRegion[OTHER_REGION]);
    expect(fs.filter((f) => f.region === OTHER_REGION).map((f) => [f.status, f.account, f.error?.name])).toEqual([
      ["ERROR", ORG.logArchive, "NotCollected"],
      ["ERROR", ORG.member, "NotCollected"],
    ]);
  });

  it("an unreadable account list is one ERROR: who must be a member is unknown", () => {
    const fs = run((_r, o) => {
      o.organization.accounts = failed(readError("ListAccounts", "organizations", ORG.management, HOME));
    });
    expect(fs.map((f) => [f.status, f.account, f.region, f.error?.operation])).toEqual([
      ["ERROR", "-", "global", "ListAccounts"],
    ]);
  });

  it("--accounts: only those accounts; none but the management and security accounts is one NOT_APPLICABLE", () => {
    const o = cleanObserved();
    o.scope = { accounts: [ORG.member] };
    expect(check.evaluate(o, cleanManifest(), CTX).map((f) => [f.status, f.account])).toEqual([
      ["PASS", ORG.member],
      ["PASS", ORG.member],
    ]);
    o.scope = { accounts: [ORG.management, ORG.security] };
    expect(check.evaluate(o, cleanManifest(), CTX).map((f) => [f.status, f.account])).toEqual([
      ["NOT_APPLICABLE", "-"],
    ]);
  });

  it("a manifest published before the inspector area: one NOT_APPLICABLE saying so, never a PASS", () => {
    const m = cleanManifest();
    delete m.inspector;
    const fs = check.evaluate(cleanObserved(), m, CTX);
    expect(fs.map((f) => [f.status, f.account, f.region])).toEqual([["NOT_APPLICABLE", "-", "global"]]);
    expect(fs[0].message).toContain("the audit manifest has no inspector area (a manifest published before it)");
  });
});
