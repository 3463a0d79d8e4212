import { describe, expect, it } from "vitest";
import * as grants from "../../../agent/checks/kms/kms-grants";
import * as keyPolicy from "../../../agent/checks/kms/kms-key-policy";
import * as keyState from "../../../agent/checks/kms/kms-key-state";
import { collected, type ObservedGrant, type ObservedState } from "../../../agent/model";
import type { PolicyDocument } from "../../../baseline";
import * as alias from "../../../agent/checks/kms/kms-key-alias";
import {
  cleanManifest,
  cleanObserved,
  CTX,
  failedRead,
  HOME,
  KEY_ARN,
  LOG_GROUP_KEY_ALIAS,
  LOG_GROUP_KEY_ARN,
  LOG_KEY_ALIAS,
  ORG,
  readError,
} from "./fixtures";

/** The log key alone (no other keys listed): the tests of its findings as they always were. */
function logKeyOnly() {
  const m = cleanManifest();
  return { ...m, keys: { ...m.keys!, others: [] } };
}

function policyOf(o: ObservedState): PolicyDocument {
  if (!o.key.policy.ok) throw new Error("fixture");
  return o.key.policy.value;
}

describe("kms-key-policy", () => {
  it("PASS", () => {
    expect(keyPolicy.evaluate(cleanObserved(), logKeyOnly(), CTX)).toMatchObject([
      {
        status: "PASS",
        account: ORG.security,
        region: HOME,
        resourceArn: KEY_ARN,
        message: `The key policy of ${KEY_ARN} means the same as the intended policy.`,
      },
    ]);
  });
  it("FAIL CRITICAL: Decrypt granted to an outside account", () => {
    const o = cleanObserved();
    policyOf(o).Statement.push({
      Sid: "Share",
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${ORG.outsider}:role/reader` },
      Action: "kms:Decrypt",
      Resource: "*",
    });
    const f = keyPolicy.evaluate(o, logKeyOnly(), CTX);
    expect(f.map((x) => [x.status, x.severity])).toEqual([["FAIL", "CRITICAL"]]);
    expect(f[0].message).toBe(
      `The key policy of ${KEY_ARN}: added statement "Share" for AWS:arn:aws:iam::${ORG.outsider}:role/reader. It grants to a principal outside the organization: AWS:arn:aws:iam::${ORG.outsider}:role/reader (account ${ORG.outsider} is not an account of organization ${ORG.id}). To fix: remove it, or add it to the baseline and deploy.`,
    );
  });
  it("FAIL HIGH: the decrypt condition widened to every role of the security account", () => {
    const o = cleanObserved();
    policyOf(o).Statement.find((s) => s.Sid === "AuditorDecrypt")!.Condition!.ArnLike["aws:PrincipalArn"] = [
      `arn:aws:iam::${ORG.security}:role/*`,
    ];
    const f = keyPolicy.evaluate(o, logKeyOnly(), CTX);
    expect(f.map((x) => [x.status, x.severity, x.message])).toEqual([
      [
        "FAIL",
        "HIGH",
        `The key policy of ${KEY_ARN}: changed statement "AuditorDecrypt" (Condition). To fix: restore the intended statement (pulumi up restores the intended policy).`,
      ],
    ]);
  });
  it("FAIL CRITICAL: an Allow to * with no limiting condition", () => {
    const o = cleanObserved();
    policyOf(o).Statement.find((s) => s.Sid === "AuditorDecrypt")!.Principal = "*";
    policyOf(o).Statement.find((s) => s.Sid === "AuditorDecrypt")!.Condition = undefined;
    expect(keyPolicy.evaluate(o, logKeyOnly(), CTX)[0].severity).toBe("CRITICAL");
  });
  it("ERROR", () => {
    const o = cleanObserved();
    o.key.policy = failedRead("GetKeyPolicy", "kms", ORG.security, HOME);
    expect(keyPolicy.evaluate(o, logKeyOnly(), CTX)).toEqual([
      expect.objectContaining({
        status: "ERROR",
        error: expect.objectContaining({ name: "AccessDeniedException", operation: "GetKeyPolicy" }),
      }),
    ]);
  });
});

describe("kms-grants", () => {
  const grant = (g: Partial<ObservedGrant>): ObservedGrant => ({
    grantId: "g-0002",
    granteePrincipal: `arn:aws:iam::${ORG.security}:role/orgwarden-log-auditor`,
    operations: ["Decrypt"],
    ...g,
  });
  it("PASS, one finding per grant", () => {
    expect(grants.evaluate(cleanObserved(), logKeyOnly(), CTX)).toMatchObject([
      {
        status: "PASS",
        message: `Grant g-0001 (auditor-decrypt) to arn:aws:iam::${ORG.security}:role/orgwarden-log-auditor for Decrypt is allowed.`,
      },
    ]);
  });
  it("PASS: no grants at all", () => {
    const o = cleanObserved();
    o.key.grants = collected([]);
    expect(grants.evaluate(o, logKeyOnly(), CTX)).toMatchObject([
      { status: "PASS", message: "The log key has no grants." },
    ]);
  });
  const cases: [string, Partial<ObservedGrant>, string][] = [
    [
      "grantee outside the allow-list",
      { granteePrincipal: `arn:aws:iam::${ORG.outsider}:role/x` },
      `grantee arn:aws:iam::${ORG.outsider}:role/x is not in the allow-list`,
    ],
    [
      "an operation not allowed",
      { operations: ["Decrypt", "CreateGrant"] },
      "operations CreateGrant are not allowed (allowed: Decrypt, DescribeKey)",
    ],
    [
      "a retiring principal where none is allowed",
      { retiringPrincipal: `arn:aws:iam::${ORG.member}:root` },
      `retiring principal arn:aws:iam::${ORG.member}:root is set, none is allowed`,
    ],
  ];
  it.each(cases)("FAIL: %s, naming the grant", (_n, change, why) => {
    const o = cleanObserved();
    const g = grant({ name: "suspicious", ...change });
    o.key.grants = collected([g]);
    expect(grants.evaluate(o, logKeyOnly(), CTX)).toMatchObject([
      {
        status: "FAIL",
        observed: {
          grantId: "g-0002",
          name: "suspicious",
          granteePrincipal: g.granteePrincipal,
          operations: g.operations,
          retiringPrincipal: g.retiringPrincipal ?? null,
        },
        message: `The log key has grant g-0002 (suspicious) to ${g.granteePrincipal} that is not allowed: ${why}. Revoke it (aws kms revoke-grant --key-id ${KEY_ARN} --grant-id g-0002) or add it to the allow-list.`,
      },
    ]);
  });
  it("the wildcard in the allow-list matches only within its pattern", () => {
    expect(
      grants.matchesPattern(
        `arn:aws:iam::${ORG.security}:role/orgwarden-log-x`,
        "arn:aws:iam::333333333333:role/orgwarden-log-*",
      ),
    ).toBe(true);
    expect(
      grants.matchesPattern(
        `arn:aws:iam::${ORG.security}:role/other`,
        "arn:aws:iam::333333333333:role/orgwarden-log-*",
      ),
    ).toBe(false);
    expect(grants.matchesPattern("arn:aws:iam::333333333333:role/a.b", "arn:aws:iam::333333333333:role/a.b")).toBe(
      true,
    );
    expect(grants.matchesPattern("arn:aws:iam::333333333333:role/aXb", "arn:aws:iam::333333333333:role/a.b")).toBe(
      false,
    );
  });
  it("an allowed retiring principal passes", () => {
    const m = logKeyOnly();
    m.key.allowedGrantees[0].retiringPrincipal = `arn:aws:iam::${ORG.security}:role/orgwarden-*`;
    const o = cleanObserved();
    o.key.grants = collected([grant({ retiringPrincipal: `arn:aws:iam::${ORG.security}:role/orgwarden-deployer` })]);
    expect(grants.evaluate(o, m, CTX)[0].status).toBe("PASS");
  });
  it("ERROR", () => {
    const o = cleanObserved();
    o.key.grants = failedRead("ListGrants", "kms", ORG.security, HOME);
    expect(grants.evaluate(o, logKeyOnly(), CTX)).toEqual([
      expect.objectContaining({ status: "ERROR", error: expect.objectContaining({ operation: "ListGrants" }) }),
    ]);
  });
});

describe("kms-key-state", () => {
  it("PASS: rotation and state", () => {
    expect(keyState.evaluate(cleanObserved(), logKeyOnly(), CTX).map((f) => [f.status, f.message])).toEqual([
      ["PASS", "Automatic rotation of the log key is on."],
      ["PASS", "The log key is Enabled and not pending deletion."],
    ]);
  });
  it("FAIL: rotation off", () => {
    const o = cleanObserved();
    o.key.rotationEnabled = collected(false);
    expect(keyState.evaluate(o, logKeyOnly(), CTX).map((f) => [f.status, f.message])).toEqual([
      ["FAIL", "Automatic rotation of the log key is off; enable it."],
      ["PASS", "The log key is Enabled and not pending deletion."],
    ]);
  });
  it("FAIL: pending deletion names the date", () => {
    const o = cleanObserved();
    o.key.metadata = collected({ keyState: "PendingDeletion", deletionDate: "2026-11-29T12:00:00.000Z" });
    expect(keyState.evaluate(o, logKeyOnly(), CTX)[1]).toMatchObject({
      status: "FAIL",
      intended: { keyState: "Enabled", deletionDate: null },
      observed: { keyState: "PendingDeletion", deletionDate: "2026-11-29T12:00:00.000Z" },
      message: `The log key is scheduled for deletion on 2026-11-29T12:00:00.000Z; cancel the deletion (aws kms cancel-key-deletion --key-id ${KEY_ARN}) before that date or everything it encrypted becomes unreadable; key state is PendingDeletion, not Enabled; nothing can encrypt with it (aws kms enable-key --key-id ${KEY_ARN}).`,
    });
  });
  it("FAIL: disabled", () => {
    const o = cleanObserved();
    o.key.metadata = collected({ keyState: "Disabled" });
    expect(keyState.evaluate(o, logKeyOnly(), CTX)[1].message).toBe(
      `Key state is Disabled, not Enabled; nothing can encrypt with it (aws kms enable-key --key-id ${KEY_ARN}).`,
    );
  });
  it("ERROR for each unreadable piece, the readable one still judged", () => {
    const o = cleanObserved();
    o.key.rotationEnabled = failedRead("GetKeyRotationStatus", "kms", ORG.security, HOME);
    expect(keyState.evaluate(o, logKeyOnly(), CTX).map((f) => [f.status, f.error?.operation])).toEqual([
      ["ERROR", "GetKeyRotationStatus"],
      ["PASS", undefined],
    ]);
    o.key.metadata = failedRead("DescribeKey", "kms", ORG.security, HOME, "NotFoundException");
    expect(keyState.evaluate(o, logKeyOnly(), CTX).map((f) => [f.status, f.error?.name])).toEqual([
      ["ERROR", "AccessDeniedException"],
      ["ERROR", "NotFoundException"],
    ]);
  });
});

describe("kms checks: security account unreachable", () => {
  it.each([
    ["kms-key-policy", keyPolicy] as const,
    ["kms-grants", grants] as const,
    ["kms-key-state", keyState] as const,
  ])("%s", (_id, check) => {
    const o = cleanObserved();
    o.unreachableAccounts[ORG.security] = readError("AssumeRole", "sts", ORG.security, "global");
    const f = check.evaluate(o, logKeyOnly(), CTX);
    expect(f.length).toBeGreaterThan(0);
    expect(
      f.every((x) => x.status === "ERROR" && x.account === ORG.security && x.error?.operation === "AssumeRole"),
    ).toBe(true);
  });
});

describe("the baseline's other keys (manifest keys.others)", () => {
  const other = <F extends { resourceArn: string }>(f: F[]) => f.filter((x) => x.resourceArn === LOG_GROUP_KEY_ARN);
  it("one finding per key and check; the log key's ids are the ones they always were", () => {
    const m = cleanManifest();
    const o = cleanObserved();
    expect(keyPolicy.evaluate(o, m, CTX).map((f) => [f.id, f.status, f.message])).toEqual([
      [
        `kms-key-policy|${ORG.security}|${HOME}|${KEY_ARN}`,
        "PASS",
        `The key policy of ${KEY_ARN} means the same as the intended policy.`,
      ],
      [
        `kms-key-policy|${ORG.management}|${HOME}|${LOG_GROUP_KEY_ARN}`,
        "PASS",
        `The key policy of ${LOG_GROUP_KEY_ARN} (the organization trail's CloudWatch Logs group key) means the same as the intended policy.`,
      ],
    ]);
    expect(keyState.evaluate(o, m, CTX).map((f) => f.id)).toEqual([
      `kms-key-state|${ORG.security}|${HOME}|${KEY_ARN}#rotation`,
      `kms-key-state|${ORG.security}|${HOME}|${KEY_ARN}#state`,
      `kms-key-state|${ORG.management}|${HOME}|${LOG_GROUP_KEY_ARN}#rotation`,
      `kms-key-state|${ORG.management}|${HOME}|${LOG_GROUP_KEY_ARN}#state`,
    ]);
    expect(other(grants.evaluate(o, m, CTX)).map((f) => [f.status, f.message])).toEqual([
      ["PASS", `The key ${LOG_GROUP_KEY_ARN} (the organization trail's CloudWatch Logs group key) has no grants.`],
    ]);
  });
  it("FAIL: a statement added to the other key's policy, the log key still PASS", () => {
    const o = cleanObserved();
    const p = o.keys![0].policy;
    if (!p.ok) throw new Error("fixture");
    p.value.Statement.push({
      Sid: "Extra",
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${ORG.management}:root` },
      Action: "kms:Decrypt",
      Resource: "*",
    });
    const f = keyPolicy.evaluate(o, cleanManifest(), CTX);
    expect(f.map((x) => [x.resourceArn, x.status])).toEqual([
      [KEY_ARN, "PASS"],
      [LOG_GROUP_KEY_ARN, "FAIL"],
    ]);
    expect(f[1].message).toContain(
      `The key policy of ${LOG_GROUP_KEY_ARN} (the organization trail's CloudWatch Logs group key): added statement "Extra"`,
    );
  });
  it("FAIL: rotation off and pending deletion on the other key name it", () => {
    const o = cleanObserved();
    o.keys![0].rotationEnabled = collected(false);
    o.keys![0].metadata = collected({ keyState: "PendingDeletion", deletionDate: "2026-12-20T00:00:00.000Z" });
    expect(other(keyState.evaluate(o, cleanManifest(), CTX)).map((f) => [f.status, f.message])).toEqual([
      [
        "FAIL",
        `Automatic rotation of the organization trail's CloudWatch Logs group key ${LOG_GROUP_KEY_ARN} is off; enable it.`,
      ],
      [
        "FAIL",
        `The organization trail's CloudWatch Logs group key ${LOG_GROUP_KEY_ARN} is scheduled for deletion on 2026-12-20T00:00:00.000Z; cancel the deletion (aws kms cancel-key-deletion --key-id ${LOG_GROUP_KEY_ARN}) before that date or everything it encrypted becomes unreadable; key state is PendingDeletion, not Enabled; nothing can encrypt with it (aws kms enable-key --key-id ${LOG_GROUP_KEY_ARN}).`,
      ],
    ]);
  });
  it("ERROR, never PASS, when the state carries no reading of the other keys", () => {
    const o = cleanObserved();
    delete o.keys;
    for (const check of [keyPolicy, grants, keyState, alias]) {
      const f = other(check.evaluate(o, cleanManifest(), CTX));
      expect(f.length, check.metadata.id).toBeGreaterThan(0);
      expect(f.every((x) => x.status === "ERROR" && x.error?.name === "NotCollected")).toBe(true);
    }
  });
  it("ERROR when the other key's account cannot be entered; the log key is still judged", () => {
    const o = cleanObserved();
    o.unreachableAccounts[ORG.management] = readError("AssumeRole", "sts", ORG.management, "global");
    expect(keyPolicy.evaluate(o, cleanManifest(), CTX).map((f) => [f.resourceArn, f.status])).toEqual([
      [KEY_ARN, "PASS"],
      [LOG_GROUP_KEY_ARN, "ERROR"],
    ]);
  });
});

describe("kms-key-alias", () => {
  it("PASS: each alias points at its key", () => {
    expect(
      alias.evaluate(cleanObserved(), cleanManifest(), CTX).map((f) => [f.resourceArn, f.status, f.message]),
    ).toEqual([
      [KEY_ARN, "PASS", `The alias ${LOG_KEY_ALIAS} points at the log key ${KEY_ARN}.`],
      [
        LOG_GROUP_KEY_ARN,
        "PASS",
        `The alias ${LOG_GROUP_KEY_ALIAS} points at the organization trail's CloudWatch Logs group key ${LOG_GROUP_KEY_ARN}.`,
      ],
    ]);
  });
  it("FAIL: the log key's alias re-pointed at another key", () => {
    const o = cleanObserved();
    o.key.alias = collected({ aliasName: LOG_KEY_ALIAS, targetKeyId: "ffffffff-0000-4000-8000-000000000000" });
    expect(alias.evaluate(o, cleanManifest(), CTX)[0]).toMatchObject({
      status: "FAIL",
      severity: "HIGH",
      message: `The alias ${LOG_KEY_ALIAS} points at key ffffffff-0000-4000-8000-000000000000, not at the log key ${KEY_ARN}; point it back (aws kms update-alias --alias-name ${LOG_KEY_ALIAS} --target-key-id ${KEY_ARN}).`,
    });
  });
  it("FAIL: the other key's alias is gone", () => {
    const o = cleanObserved();
    o.keys![0].alias = collected(null);
    expect(alias.evaluate(o, cleanManifest(), CTX)[1].message).toBe(
      `The alias ${LOG_GROUP_KEY_ALIAS} does not exist in ${ORG.management}/${HOME}; create it (aws kms create-alias --alias-name ${LOG_GROUP_KEY_ALIAS} --target-key-id ${LOG_GROUP_KEY_ARN}).`,
    );
  });
  it("ERROR when ListAliases fails", () => {
    const o = cleanObserved();
    o.key.alias = failedRead("ListAliases", "kms", ORG.security, HOME);
    expect(alias.evaluate(o, cleanManifest(), CTX)[0]).toMatchObject({
      status: "ERROR",
      error: { operation: "ListAliases", name: "AccessDeniedException" },
    });
  });
  it("NOT_APPLICABLE, saying why, for a manifest written before `keys`", () => {
    const { keys: _keys, ...m } = cleanManifest();
    expect(alias.evaluate(cleanObserved(), m, CTX)).toMatchObject([
      {
        status: "NOT_APPLICABLE",
        resourceArn: KEY_ARN,
        message: expect.stringContaining("it has no `keys` section"),
      },
    ]);
  });
});
