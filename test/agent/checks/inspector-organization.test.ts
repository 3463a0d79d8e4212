/**
 * inspector-organization over the fixture state: one change per case from Inspector's organization
 * as infra lays it (test/agent/collectors/inspector-organization.test.ts reads it from moto).
 */
import { describe, expect, it } from "vitest";
import * as check from "../../../agent/checks/detection/inspector-organization";
import type { AuditManifest } from "../../../baseline";
import type { ObservedInspectorRegion, ObservedState } from "../../../agent/model";
import { collected } from "../../../agent/model";
import { cleanManifest, cleanObserved, CTX, failedRead, HOME, ORG, OTHER_REGION } from "./fixtures";

const root = (a: string) => `arn:aws:iam::${a}:root`;
const WANT = {
  delegatedAdmin: { accountId: ORG.security, status: "ENABLED" },
  autoEnable: { ec2: true, ecr: true, lambda: true, lambdaCode: false },
  maxAccountLimitReached: false,
};

function run(
  change: (r: ObservedInspectorRegion, o: ObservedState) => void = () => {},
  m: AuditManifest = cleanManifest(),
) {
  const o = cleanObserved();
  change(o.inspectorOrganization!.byRegion[HOME], o);
  return check.evaluate(o, m, CTX);
}
const home = (fs: ReturnType<typeof run>) => fs.find((f) => f.region === HOME)!;
const autoEnable = (r: ObservedInspectorRegion) =>
  (r.configuration as { value: { autoEnable: Record<string, boolean> } }).value.autoEnable;

describe("inspector-organization", () => {
  it("PASSes each governed region as infra lays it: the security account delegated, EC2, ECR and Lambda auto-enabled", () => {
    const fs = run();
    expect(fs.map((f) => [f.status, f.account, f.region, f.resourceArn])).toEqual([
      ["PASS", ORG.security, HOME, root(ORG.security)],
      ["PASS", ORG.security, OTHER_REGION, root(ORG.security)],
    ]);
    expect(fs[0].intended).toEqual(WANT);
    expect(fs[0].message).toBe(
      `The security account ${ORG.security} is Inspector's delegated administrator in ${HOME} and auto-enables EC2, ECR, Lambda for new accounts.`,
    );
  });

  it("judges against the manifest's resource types: LAMBDA_CODE intended and off is a FAIL", () => {
    const m = cleanManifest();
    m.inspector = { resourceTypes: ["EC2", "ECR", "LAMBDA", "LAMBDA_CODE"] };
    const f = home(run(() => {}, m));
    expect([f.status, f.message]).toEqual([
      "FAIL",
      `AutoEnable.lambdaCode is false in ${HOME}: accounts that join later get no Lambda code scanning.`,
    ]);
    expect((f.intended as typeof WANT).autoEnable).toEqual({ ec2: true, ecr: true, lambda: true, lambdaCode: true });
  });

  it("a type intended on but off is a FAIL naming it, and each one", () => {
    const f = home(
      run((r) => {
        autoEnable(r).ecr = false;
        delete autoEnable(r).lambda;
      }),
    );
    expect([f.status, f.message]).toEqual([
      "FAIL",
      `AutoEnable.ecr is false in ${HOME}: accounts that join later get no ECR scanning; autoEnable.lambda is not set in ${HOME}: accounts that join later get no Lambda scanning.`,
    ]);
  });

  it("no autoEnable at all fails every intended type", () => {
    const f = home(run((r) => (r.configuration = collected({ maxAccountLimitReached: false }))));
    expect(f.status).toBe("FAIL");
    expect(f.message.match(/autoEnable\.\w+ is not set/gi)).toEqual([
      "AutoEnable.ec2 is not set",
      "autoEnable.ecr is not set",
      "autoEnable.lambda is not set",
    ]);
  });

  it("a type on that is not intended (Lambda code, code repository) PASSes and is named: pulumi up turns it off", () => {
    const f = home(
      run((r) => {
        autoEnable(r).lambdaCode = true;
        autoEnable(r).codeRepository = true;
      }),
    );
    expect([f.status, f.message]).toEqual([
      "PASS",
      `The security account ${ORG.security} is Inspector's delegated administrator in ${HOME} and auto-enables EC2, ECR, Lambda for new accounts. It also auto-enables Lambda code, code repository, which the baseline does not intend: the next \`pulumi up\` turns them off.`,
    ]);
  });

  it("maxAccountLimitReached true is a FAIL saying what it means", () => {
    const f = home(
      run(
        (r) =>
          ((r.configuration as { value: { maxAccountLimitReached: boolean } }).value.maxAccountLimitReached = true),
      ),
    );
    expect([f.status, f.message]).toEqual([
      "FAIL",
      `MaxAccountLimitReached is true in ${HOME}: the organization has reached Inspector's limit of member accounts, so accounts beyond it are neither associated nor scanned.`,
    ]);
  });

  it.each<[string, { accountId?: string; status?: string }[], string]>([
    [
      "no delegated administrator",
      [],
      `The security account ${ORG.security} is not Inspector's delegated administrator in ${HOME}.`,
    ],
    [
      "another account delegated",
      [{ accountId: ORG.logArchive, status: "ENABLED" }],
      `The security account ${ORG.security} is not Inspector's delegated administrator in ${HOME}; account ${ORG.logArchive} is Inspector's delegated administrator in ${HOME} (ENABLED), not the security account.`,
    ],
    [
      "the delegation being removed",
      [{ accountId: ORG.security, status: "DISABLE_IN_PROGRESS" }],
      `The security account's delegation in ${HOME} is DISABLE_IN_PROGRESS, not ENABLED (it is being removed).`,
    ],
  ])("%s is a FAIL", (_name, admins, message) => {
    const f = home(run((r) => (r.delegatedAdmins = collected(admins))));
    expect([f.status, f.message]).toEqual(["FAIL", message]);
  });

  it("a delegation FAIL stands when the configuration could not be read (the non-administrator is refused it)", () => {
    const f = home(
      run((r) => {
        r.delegatedAdmins = collected([]);
        r.configuration = failedRead("DescribeOrganizationConfiguration", "inspector2", ORG.security, HOME);
      }),
    );
    expect([f.status, f.message]).toEqual([
      "FAIL",
      `The security account ${ORG.security} is not Inspector's delegated administrator in ${HOME}; the organization configuration could not be read (AccessDeniedException on DescribeOrganizationConfiguration).`,
    ]);
  });

  it.each([
    [
      "the delegation",
      (r: ObservedInspectorRegion) =>
        (r.delegatedAdmins = failedRead("ListDelegatedAdminAccounts", "inspector2", ORG.management, HOME)),
      "ListDelegatedAdminAccounts",
    ],
    [
      "the configuration",
      (r: ObservedInspectorRegion) =>
        (r.configuration = failedRead("DescribeOrganizationConfiguration", "inspector2", ORG.security, HOME)),
      "DescribeOrganizationConfiguration",
    ],
  ])("a failed read of %s is an ERROR with the AWS error name, never a PASS", (_what, change, operation) => {
    const f = home(run(change));
    expect([f.status, f.error?.name, f.error?.operation]).toEqual(["ERROR", "AccessDeniedException", operation]);
  });

  it("an account that could not be entered is an ERROR even where the state holds a reading", () => {
    for (const account of [ORG.management, ORG.security]) {
      const f = home(
        run((_r, o) => {
          o.unreachableAccounts[account] = {
            name: "AccessDenied",
            message: "no",
            kind: "access-denied",
            operation: "AssumeRole",
            service: "sts",
            account,
            region: "global",
          };
        }),
      );
      expect([account, f.status, f.error?.operation]).toEqual([account, "ERROR", "AssumeRole"]);
    }
  });

  it("a region the state holds no reading of is an ERROR NotCollected", () => {
    const f = home(run((_r, o) => delete o.inspectorOrganization!.byRegion[HOME]));
    expect([f.status, f.error?.name]).toEqual(["ERROR", "NotCollected"]);
    const none = cleanObserved();
    delete none.inspectorOrganization;
    expect(check.evaluate(none, cleanManifest(), CTX).map((x) => [x.status, x.error?.name])).toEqual([
      ["ERROR", "NotCollected"],
      ["ERROR", "NotCollected"],
    ]);
  });

  it("a run narrowed by --regions judges those regions only", () => {
    const o = cleanObserved();
    o.scope = { regions: [OTHER_REGION] };
    expect(check.evaluate(o, cleanManifest(), CTX).map((f) => [f.status, f.region])).toEqual([["PASS", OTHER_REGION]]);
  });

  it("a manifest published before the inspector area: one NOT_APPLICABLE saying so, never a PASS", () => {
    const m = cleanManifest();
    delete m.inspector;
    const fs = check.evaluate(cleanObserved(), m, CTX);
    expect(fs.map((f) => [f.status, f.account, f.region])).toEqual([["NOT_APPLICABLE", "-", "global"]]);
    expect(fs[0].message).toContain("the audit manifest has no inspector area (a manifest published before it)");
  });
});
