/** scp-effective-path as a rule: the fixture organization (SCP on the root and the Workloads OU), one change per case. */
import { describe, expect, it } from "vitest";
import * as check from "../../../agent/checks/organization/scp-effective-path";
import { failed, type ObservedState } from "../../../agent/model";
import { cleanManifest, cleanObserved, CTX, ORG, SCP_ID, SCP_NAME } from "./fixtures";

const FULL_ACCESS = {
  id: "p-FullAWSAccess",
  name: "FullAWSAccess",
  content: { Version: "2012-10-17" as const, Statement: [{ Effect: "Allow" as const, Action: "*", Resource: "*" }] },
  targets: [ORG.rootId, ORG.ou.id, ORG.management, ORG.logArchive, ORG.security, ORG.member],
};

function observed(change: (o: ObservedState) => void = () => {}): ObservedState {
  const o = cleanObserved();
  if (o.organization.scps.ok) o.organization.scps.value.push(structuredClone(FULL_ACCESS));
  change(o);
  return o;
}

const scpOf = (o: ObservedState) => {
  if (!o.organization.scps.ok) throw new Error("fixture SCPs unreadable");
  return o.organization.scps.value.find((s) => s.id === SCP_ID)!;
};
const run = (o: ObservedState) => check.evaluate(o, cleanManifest(), CTX).map((f) => [f.account, f.status, f.message]);

describe("scp-effective-path", () => {
  it("one finding per ACTIVE account: the management account NOT_APPLICABLE (SCPs never bind it), the others PASS through the root and the OU", () => {
    const f = run(observed());
    expect(f.map(([a, s]) => [a, s])).toEqual([
      [ORG.management, "NOT_APPLICABLE"],
      [ORG.logArchive, "PASS"],
      [ORG.security, "PASS"],
      [ORG.member, "PASS"],
    ]);
    expect(f[3][2]).toBe(
      `Every security-baseline SCP applies to account ${ORG.member} on its path the root ${ORG.rootId} → OU Workloads (${ORG.ou.id}) → the account ${ORG.member}: ${SCP_NAME} through OU Workloads (${ORG.ou.id}) and the root ${ORG.rootId}. A Deny in an SCP cannot be overridden by an Allow anywhere, so attached on the path is in effect.`,
    );
  });

  it("attached to the OU only still applies to its accounts; an account moved under the root alone then FAILs, naming the command", () => {
    const o = observed((x) => {
      scpOf(x).targets = [ORG.ou.id];
      if (x.organization.accounts.ok)
        x.organization.accounts.value.find((a) => a.id === ORG.member)!.parentPath = [ORG.rootId];
    });
    const f = run(o);
    expect(f.filter(([, s]) => s !== "PASS" && s !== "NOT_APPLICABLE")).toEqual([
      [
        ORG.member,
        "FAIL",
        `SCP ${SCP_NAME} (${SCP_ID}) is not attached anywhere on the path the root ${ORG.rootId} → the account ${ORG.member} (it is attached to ${ORG.ou.id} only); attach it to the root: aws organizations attach-policy --policy-id ${SCP_ID} --target-id ${ORG.rootId}.`,
      ],
    ]);
  });

  it("an SCP that no longer exists FAILs every account it should protect", () => {
    const o = observed((x) => {
      if (x.organization.scps.ok) x.organization.scps.value = [structuredClone(FULL_ACCESS)];
    });
    expect(
      run(o)
        .filter(([, s]) => s === "FAIL")
        .map(([a, , m]) => [a, m]),
    ).toEqual(
      [ORG.logArchive, ORG.security, ORG.member].map((a) => [
        a,
        `SCP ${SCP_NAME} (${SCP_ID}) does not exist in the organization.`,
      ]),
    );
  });

  it("a level without any Allow SCP denies everything: still PASS for logging, and the message says so", () => {
    const o = observed((x) => {
      if (x.organization.scps.ok)
        x.organization.scps.value.find((s) => s.id === "p-FullAWSAccess")!.targets = [ORG.rootId];
    });
    const member = run(o).find(([a]) => a === ORG.member)!;
    expect(member[1]).toBe("PASS");
    expect(member[2]).toContain(
      `Note: no SCP with an Allow is attached at the account ${ORG.member}, OU Workloads (${ORG.ou.id}), so every action in this account is denied`,
    );
  });

  it("ERROR, organization-wide, when the account tree or the SCPs could not be read", () => {
    const e = {
      name: "AccessDeniedException",
      operation: "ListTargetsForPolicy",
      message: "denied",
      kind: "access-denied" as const,
      service: "organizations",
      account: ORG.management,
      region: "global",
    };
    for (const change of [
      (x: ObservedState) => (x.organization.scps = failed(e)),
      (x: ObservedState) => (x.organization.accounts = failed(e)),
    ])
      expect(run(observed(change)).map(([a, s]) => [a, s])).toEqual([["-", "ERROR"]]);
  });

  it("a run narrowed by --accounts judges only those accounts", () => {
    const o = observed((x) => (x.scope = { accounts: [ORG.member] }));
    expect(run(o).map(([a, s]) => [a, s])).toEqual([[ORG.member, "PASS"]]);
  });
});
