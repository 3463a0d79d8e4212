import { describe, expect, it } from "vitest";
import * as permissions from "../../../agent/checks/iam-roles/iam-role-permissions";
import * as trust from "../../../agent/checks/iam-roles/iam-role-trust";
import { collected, type ObservedRole, type ObservedState } from "../../../agent/model";
import { logAuditorPolicy, logAuditorTrustPolicy, type AuditManifest, type PolicyDocument } from "../../../baseline";
import { memberRoles, memberRolesDigest, memberRolesInputOf } from "../../../baseline/detection";
import { configAggregatorRoleTrust } from "../../../baseline/pipeline";
import {
  ACCOUNTS,
  BUCKET,
  cleanManifest,
  cleanObserved,
  CTX,
  failedRead,
  HOME,
  KEY_ARN,
  ORG,
  TRAIL_ARN,
} from "./fixtures";

const ROLE = "orgwarden-log-auditor";
const ROLE_ARN = `arn:aws:iam::${ORG.security}:role/${ROLE}`;
const trustDoc = () =>
  logAuditorTrustPolicy({ securityAccountId: ORG.security, orgId: ORG.id, agentRoleName: "orgwarden-audit-agent" });
const policyDoc = () =>
  logAuditorPolicy({ archiveBucketName: BUCKET, orgId: ORG.id, keyArn: KEY_ARN, trailArn: TRAIL_ARN, region: HOME });
const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;
/** The shared role's findings (a manifest without roles.perAccount adds one NOT_APPLICABLE per check for the member roles). */
const shared = (fs: ReturnType<typeof trust.evaluate>) => fs.filter((f) => f.account !== "-");

function manifest(): AuditManifest {
  return {
    ...cleanManifest(),
    roles: {
      shared: [
        {
          name: "log-auditor-role",
          purpose: "the log auditor role",
          account: ORG.security,
          roleName: ROLE,
          trustPolicy: trustDoc(),
          inlinePolicies: { "orgwarden-log-auditor": policyDoc() },
          managedPolicyArns: [],
        },
      ],
    },
  };
}

function observed(change: (r: ObservedRole) => void = () => {}): ObservedState {
  const role: ObservedRole = {
    name: "log-auditor-role",
    account: ORG.security,
    roleName: ROLE,
    trust: collected(clone(trustDoc())),
    inlinePolicies: collected({ "orgwarden-log-auditor": clone(policyDoc()) }),
    managedPolicyArns: collected([]),
  };
  change(role);
  return { ...cleanObserved(), roles: [role] };
}

const trustOf = (r: ObservedRole): PolicyDocument => {
  if (!r.trust.ok || !r.trust.value) throw new Error("fixture");
  return r.trust.value;
};

describe("iam-role-trust", () => {
  it("PASS: one finding per role, resource the role ARN, region global", () => {
    expect(
      shared(trust.evaluate(observed(), manifest(), CTX)).map((f) => [f.status, f.account, f.region, f.resourceArn]),
    ).toEqual([["PASS", ORG.security, "global", ROLE_ARN]]);
  });
  it("CRITICAL: the principal widened to every role of the security account (the ArnEquals condition dropped)", () => {
    const o = observed((r) => delete (trustOf(r).Statement[0].Condition as Record<string, unknown>).ArnEquals);
    expect(shared(trust.evaluate(o, manifest(), CTX)).map((f) => [f.status, f.severity])).toEqual([
      ["FAIL", "CRITICAL"],
    ]);
  });
  it("CRITICAL: a wildcard principal", () => {
    const o = observed((r) => (trustOf(r).Statement[0].Principal = { AWS: "*" }));
    const [f] = trust.evaluate(o, manifest(), CTX);
    expect([f.status, f.severity]).toEqual(["FAIL", "CRITICAL"]);
    expect(f.message).toContain("admits more than intended");
  });
  it("FAIL HIGH (not CRITICAL): a narrower trust, an added condition", () => {
    const o = observed((r) => {
      trustOf(r).Statement[0].Condition!.StringEquals["aws:PrincipalTag/team"] = "audit";
    });
    const [f] = trust.evaluate(o, manifest(), CTX);
    expect([f.status, f.severity]).toEqual(["FAIL", "HIGH"]);
    expect(f.message).toContain("is narrower than intended");
  });
  it("FAIL when the role is gone", () => {
    const o = observed((r) => (r.trust = collected(undefined)));
    expect(trust.evaluate(o, manifest(), CTX)[0].message).toBe(
      `The log auditor role ${ROLE} (account ${ORG.security}) does not exist; what depends on it fails. Run \`pulumi up\` on the orgwarden stack to lay it again.`,
    );
  });
  it("ERROR when GetRole fails, and when the state carries no roles", () => {
    const o = observed((r) => (r.trust = failedRead("GetRole", "iam", ORG.security, "global")));
    expect(trust.evaluate(o, manifest(), CTX)[0]).toMatchObject({ status: "ERROR", error: { operation: "GetRole" } });
    const none = cleanObserved();
    delete none.roles;
    expect(trust.evaluate(none, manifest(), CTX)[0]).toMatchObject({
      status: "ERROR",
      error: { name: "NotCollected" },
    });
  });
  it("NOT_APPLICABLE, saying why, for a manifest without roles", () => {
    const { roles: _roles, ...m } = cleanManifest();
    expect(trust.evaluate(observed(), m, CTX)).toMatchObject([
      { status: "NOT_APPLICABLE", message: expect.stringContaining("no `roles` section") },
      { status: "NOT_APPLICABLE", message: expect.stringContaining("has no roles.perAccount") },
    ]);
  });
});

describe("iam-role-permissions", () => {
  it("PASS", () => {
    expect(shared(permissions.evaluate(observed(), manifest(), CTX)).map((f) => f.status)).toEqual(["PASS"]);
  });
  it("FAIL: an extra inline policy, an extra managed policy, a changed inline document: each named with its command", () => {
    const o = observed((r) => {
      r.inlinePolicies = collected({
        "orgwarden-log-auditor": {
          ...policyDoc(),
          Statement: [...policyDoc().Statement, { Effect: "Allow", Action: "s3:*", Resource: "*" }],
        },
        extra: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] },
      });
      r.managedPolicyArns = collected(["arn:aws:iam::aws:policy/AdministratorAccess"]);
    });
    const [f] = permissions.evaluate(o, manifest(), CTX);
    expect(f.status).toBe("FAIL");
    expect(f.message).toContain(
      `extra inline policy extra: remove it (aws iam delete-role-policy --role-name ${ROLE} --policy-name extra)`,
    );
    expect(f.message).toContain(
      "inline policy orgwarden-log-auditor differs from the intended one (added Sid-less statement",
    );
    expect(f.message).toContain(
      `extra managed policy arn:aws:iam::aws:policy/AdministratorAccess: detach it (aws iam detach-role-policy --role-name ${ROLE} --policy-arn arn:aws:iam::aws:policy/AdministratorAccess)`,
    );
  });
  it("FAIL: the intended inline policy is missing (the integrity check would break)", () => {
    const o = observed((r) => (r.inlinePolicies = collected({})));
    expect(permissions.evaluate(o, manifest(), CTX)[0].message).toContain(
      "inline policy orgwarden-log-auditor is missing",
    );
  });
  it("ERROR when ListAttachedRolePolicies fails", () => {
    const o = observed(
      (r) => (r.managedPolicyArns = failedRead("ListAttachedRolePolicies", "iam", ORG.security, "global")),
    );
    expect(permissions.evaluate(o, manifest(), CTX)[0]).toMatchObject({
      status: "ERROR",
      error: { operation: "ListAttachedRolePolicies" },
    });
  });
});

describe("the member roles (roles.perAccount): read role and forwarder role in every account", () => {
  const withPerAccount = (exclude?: string[]): AuditManifest => {
    const m = manifest();
    const input = memberRolesInputOf(m)!;
    return {
      ...m,
      roles: { ...m.roles!, perAccount: { digest: memberRolesDigest(input) } },
      ...(exclude ? { stackSet: { ...m.stackSet!, excludeAccounts: exclude } } : {}),
    };
  };
  /** Every account's two roles read exactly as laid (SecurityAudit attached, the read role's session one hour). */
  const laid = (m: AuditManifest, change: (r: ObservedRole) => void = () => {}): ObservedState => ({
    ...observed(),
    memberRoles: ACCOUNTS.flatMap((a) =>
      memberRoles(memberRolesInputOf(m)!, a).map((i) => {
        const r: ObservedRole = {
          name: i.name,
          account: a,
          roleName: i.roleName,
          trust: collected(clone(i.trustPolicy)),
          inlinePolicies: collected(clone(i.inlinePolicies)),
          managedPolicyArns: collected([...i.managedPolicyArns]),
          ...(i.maxSessionDuration ? { maxSessionDuration: i.maxSessionDuration } : {}),
        };
        change(r);
        return r;
      }),
    ),
  });
  const members = (fs: ReturnType<typeof trust.evaluate>) =>
    fs.filter(
      (f) => f.resourceArn.endsWith("/orgwarden-audit-read") || f.resourceArn.endsWith("/orgwarden-event-forwarder"),
    );

  it("PASS: one finding per account × role, resource the role ARN in that account, region global", () => {
    const m = withPerAccount();
    for (const check of [trust, permissions]) {
      const fs = members(check.evaluate(laid(m), m, CTX));
      expect(fs.map((f) => [f.status, f.account, f.region, f.resourceArn]).sort()).toEqual(
        ACCOUNTS.flatMap((a) =>
          ["orgwarden-audit-read", "orgwarden-event-forwarder"].map((n) => [
            "PASS",
            a,
            "global",
            `arn:aws:iam::${a}:role/${n}`,
          ]),
        ).sort(),
      );
    }
  });
  it("CRITICAL: a member's forwarder trust that dropped its aws:SourceAccount (any account's rules could use it)", () => {
    const m = withPerAccount();
    const o = laid(m, (r) => {
      if (r.account === ORG.member && r.name === "event-forwarder-role" && r.trust.ok)
        delete r.trust.value!.Statement[0].Condition;
    });
    const fails = members(trust.evaluate(o, m, CTX)).filter((f) => f.status !== "PASS");
    expect(fails.map((f) => [f.account, f.status, f.severity])).toEqual([[ORG.member, "FAIL", "CRITICAL"]]);
  });
  it("another account's SourceAccount in a forwarder trust is drift: each account's document names that account", () => {
    const m = withPerAccount();
    const o = laid(m, (r) => {
      if (r.account === ORG.member && r.name === "event-forwarder-role" && r.trust.ok)
        r.trust.value!.Statement[0].Condition = { StringEquals: { "aws:SourceAccount": ORG.outsider } };
    });
    const [f] = members(trust.evaluate(o, m, CTX)).filter((x) => x.status !== "PASS");
    expect([f.account, f.status, f.severity]).toEqual([ORG.member, "FAIL", "CRITICAL"]);
  });
  it("NOT_APPLICABLE for an account stackSet.excludeAccounts excludes, saying it gets no member baseline", () => {
    const m = withPerAccount([ORG.member]);
    const fs = members(permissions.evaluate(laid(m), m, CTX)).filter((f) => f.account === ORG.member);
    expect(fs.map((f) => f.status)).toEqual(["NOT_APPLICABLE", "NOT_APPLICABLE"]);
    expect(fs[0].message).toBe(
      `Account ${ORG.member} is excluded by stackSet.excludeAccounts: it gets no orgwarden member baseline, so the audit read role orgwarden-audit-read is not laid there and was not judged.`,
    );
  });
  it("ERROR: a state without the member roles, an unreachable account, and a digest this agent does not rebuild", () => {
    const m = withPerAccount();
    const none = observed();
    delete none.memberRoles;
    expect(members(trust.evaluate(none, m, CTX)).map((f) => [f.status, f.error?.name])).toEqual(
      ACCOUNTS.flatMap(() => [
        ["ERROR", "NotCollected"],
        ["ERROR", "NotCollected"],
      ]),
    );
    const o = laid(m, (r) => {
      if (r.account === ORG.logArchive)
        r.managedPolicyArns = failedRead("ListAttachedRolePolicies", "iam", r.account, "global");
    });
    expect(
      members(permissions.evaluate(o, m, CTX))
        .filter((f) => f.account === ORG.logArchive)
        .map((f) => [f.status, f.error?.operation]),
    ).toEqual([
      ["ERROR", "ListAttachedRolePolicies"],
      ["ERROR", "ListAttachedRolePolicies"],
    ]);
    const other = { ...m, roles: { ...m.roles!, perAccount: { digest: "0000000000000000" } } };
    expect(trust.evaluate(laid(m), other, CTX).filter((f) => f.account === "-")).toMatchObject([
      { status: "ERROR", error: { name: "IntentDigestMismatch", operation: "rebuild roles.perAccount" } },
    ]);
  });
});

describe("the Config aggregator's role: a managed policy, no inline one", () => {
  const AGG = "orgwarden-config-aggregator";
  const MANAGED = "arn:aws:iam::aws:policy/service-role/AWSConfigRoleForOrganizations";
  const aggManifest = (): AuditManifest => ({
    ...cleanManifest(),
    roles: {
      shared: [
        {
          name: "config-aggregator-role",
          purpose: "the Config aggregator's role",
          account: ORG.security,
          roleName: AGG,
          trustPolicy: configAggregatorRoleTrust(),
          inlinePolicies: {},
          managedPolicyArns: [MANAGED],
        },
      ],
    },
  });
  const aggObserved = (change: (r: ObservedRole) => void = () => {}): ObservedState => {
    const role: ObservedRole = {
      name: "config-aggregator-role",
      account: ORG.security,
      roleName: AGG,
      trust: collected(clone(configAggregatorRoleTrust())),
      inlinePolicies: collected({}),
      managedPolicyArns: collected([MANAGED]),
    };
    change(role);
    return { ...cleanObserved(), roles: [role] };
  };
  const statusOf = (fs: ReturnType<typeof trust.evaluate>) =>
    shared(fs).map((f) => [f.resourceArn, f.status, f.severity]);
  it("PASS on both checks as laid", () => {
    const arn = `arn:aws:iam::${ORG.security}:role/${AGG}`;
    expect(statusOf(trust.evaluate(aggObserved(), aggManifest(), CTX))).toEqual([[arn, "PASS", "HIGH"]]);
    expect(shared(permissions.evaluate(aggObserved(), aggManifest(), CTX)).map((f) => f.status)).toEqual(["PASS"]);
  });
  it("CRITICAL when its trust admits another principal than AWS Config", () => {
    const o = aggObserved((r) => {
      const doc = clone(configAggregatorRoleTrust());
      doc.Statement[0].Principal = { AWS: "arn:aws:iam::999999999999:root" };
      r.trust = collected(doc);
    });
    expect(shared(trust.evaluate(o, aggManifest(), CTX)).map((f) => [f.status, f.severity])).toEqual([
      ["FAIL", "CRITICAL"],
    ]);
  });
  it("FAIL when the managed policy is swapped for AdministratorAccess, or an inline policy is added", () => {
    const swapped = aggObserved((r) => {
      r.managedPolicyArns = collected(["arn:aws:iam::aws:policy/AdministratorAccess"]);
    });
    expect(shared(permissions.evaluate(swapped, aggManifest(), CTX)).map((f) => f.status)).toEqual(["FAIL"]);
    const extra = aggObserved((r) => {
      r.inlinePolicies = collected({ extra: allowAllDoc() });
    });
    expect(shared(permissions.evaluate(extra, aggManifest(), CTX)).map((f) => f.status)).toEqual(["FAIL"]);
  });
});

function allowAllDoc(): PolicyDocument {
  return { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };
}
