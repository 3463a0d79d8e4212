import { describe, expect, it } from "vitest";
import * as accountsEnrolled from "../../../agent/checks/organization/accounts-enrolled";
import * as orgTrail from "../../../agent/checks/organization/org-trail-is-organization-trail";
import * as scp from "../../../agent/checks/organization/scp-logging-present";
import { collected, type ObservedState } from "../../../agent/model";
import {
  cleanManifest,
  cleanObserved,
  CTX,
  failedRead,
  HOME,
  ORG,
  readError,
  SCP_ID,
  SCP_NAME,
  TRAIL_ARN,
} from "./fixtures";

const SCP_ARN = `arn:aws:organizations::${ORG.management}:policy/${ORG.id}/service_control_policy/${SCP_ID}`;
const ORG_ARN = `arn:aws:organizations::${ORG.management}:organization/${ORG.id}`;

function scpOf(o: ObservedState) {
  if (!o.organization.scps.ok) throw new Error("fixture SCPs not readable");
  return o.organization.scps.value[0];
}

describe("scp-logging-present", () => {
  it("PASS: content means the same and attached to the root and the governed OU", () => {
    const f = scp.evaluate(cleanObserved(), cleanManifest(), CTX);
    expect(f.map((x) => [x.status, x.resourceArn, x.message])).toEqual([
      ["PASS", SCP_ARN, `SCP ${SCP_NAME} (${SCP_ID}) means the same as the intended document.`],
      ["PASS", SCP_ARN, `SCP ${SCP_NAME} is attached to the root ${ORG.rootId}.`],
      ["PASS", SCP_ARN, `SCP ${SCP_NAME} is attached to OU Workloads (${ORG.ou.id}).`],
    ]);
  });

  it("FAIL: detached from the root (and only that)", () => {
    const o = cleanObserved();
    scpOf(o).targets = [ORG.ou.id];
    const f = scp.evaluate(o, cleanManifest(), CTX);
    expect(f.map((x) => x.status)).toEqual(["PASS", "FAIL", "PASS"]);
    expect(f[1]).toMatchObject({
      checkId: "scp-logging-present",
      severity: "HIGH",
      account: ORG.management,
      region: "global",
      intended: { attachedTo: ORG.rootId },
      observed: { attachedTo: [ORG.ou.id] },
      message: `SCP ${SCP_NAME} (${SCP_ID}) is not attached to the root ${ORG.rootId}; attach it (aws organizations attach-policy --policy-id ${SCP_ID} --target-id ${ORG.rootId}).`,
    });
  });

  it("FAIL: an action dropped from a statement is a content change naming the statement", () => {
    const o = cleanObserved();
    const s = scpOf(o).content.Statement.find((x) => x.Sid === "DenyLoggingTampering")!;
    s.Action = (s.Action as string[]).filter((a) => a !== "cloudtrail:StopLogging");
    const f = scp.evaluate(o, cleanManifest(), CTX);
    expect(f.map((x) => x.status)).toEqual(["FAIL", "PASS", "PASS"]);
    expect(f[0].message).toBe(
      `SCP ${SCP_NAME} (${SCP_ID}) differs from the intended document: changed statement "DenyLoggingTampering" (Action). Restore the intended content (pulumi up).`,
    );
  });

  it("PASS: the same content with reordered, re-cased actions is not drift", () => {
    const o = cleanObserved();
    const s = scpOf(o).content.Statement.find((x) => x.Sid === "DenyLoggingTampering")!;
    s.Action = (s.Action as string[]).map((a) => a.toUpperCase()).reverse();
    expect(scp.evaluate(o, cleanManifest(), CTX)[0].status).toBe("PASS");
  });

  it("FAIL: the SCP does not exist", () => {
    const o = cleanObserved();
    o.organization.scps = collected([]);
    expect(scp.evaluate(o, cleanManifest(), CTX)).toMatchObject([
      {
        status: "FAIL",
        resourceArn: ORG_ARN,
        message: `SCP ${SCP_NAME} (${SCP_ID}) does not exist in the organization; create it and attach it to the root ${ORG.rootId}, OU Workloads (${ORG.ou.id}) (pulumi up).`,
      },
    ]);
  });

  it("judges every SCP the manifest lists: a second one missing from the organization is a FAIL naming it", () => {
    const m = cleanManifest();
    m.scps.push({
      id: "p-efgh5678",
      name: "orgwarden-protect-security-detection",
      content: m.scps[0].content,
      targets: [ORG.rootId],
    });
    const f = scp.evaluate(cleanObserved(), m, CTX);
    expect(f.map((x) => x.status)).toEqual(["PASS", "PASS", "PASS", "FAIL"]);
    expect(f[3].message).toBe(
      `SCP orgwarden-protect-security-detection (p-efgh5678) does not exist in the organization; create it and attach it to the root ${ORG.rootId} (pulumi up).`,
    );
  });

  it("finds the SCP by name when the manifest has no id yet", () => {
    const m = cleanManifest();
    delete m.scps[0].id;
    expect(scp.evaluate(cleanObserved(), m, CTX).map((x) => x.status)).toEqual(["PASS", "PASS", "PASS"]);
  });
});

describe("accounts-enrolled", () => {
  it("PASS for members under the governed OU, NOT_APPLICABLE with a reason for the management account", () => {
    const f = accountsEnrolled.evaluate(cleanObserved(), cleanManifest(), CTX);
    expect(f.map((x) => [x.account, x.status])).toEqual([
      [ORG.management, "NOT_APPLICABLE"],
      [ORG.logArchive, "PASS"],
      [ORG.security, "PASS"],
      [ORG.member, "PASS"],
    ]);
    expect(f[0].message).toBe(
      `Account management (${ORG.management}) is the management account: SCPs never apply to it and service-managed StackSets skip it, so OU placement governs nothing; the baseline covers it directly.`,
    );
  });

  it("FAIL naming the account that sits outside every governed OU", () => {
    const o = cleanObserved();
    if (!o.organization.accounts.ok) throw new Error("fixture");
    o.organization.accounts.value.push({
      id: "555555555555",
      name: "rogue",
      email: "r@example.com",
      status: "ACTIVE",
      parentPath: ["ou-a1b2-sandbox01", ORG.rootId],
    });
    const f = accountsEnrolled.evaluate(o, cleanManifest(), CTX);
    expect(f.filter((x) => x.status === "FAIL")).toEqual([
      expect.objectContaining({
        account: "555555555555",
        resourceArn: `arn:aws:organizations::${ORG.management}:account/${ORG.id}/555555555555`,
        intended: { under: [`Workloads (${ORG.ou.id})`] },
        observed: { parentPath: ["ou-a1b2-sandbox01", ORG.rootId] },
        message: `Account rogue (555555555555) is ACTIVE but not under any governed OU (its parent is ou-a1b2-sandbox01); move it under Workloads (${ORG.ou.id}).`,
      }),
    ]);
  });

  it("accepts an account nested deeper below a governed OU, and skips suspended accounts", () => {
    const o = cleanObserved();
    if (!o.organization.accounts.ok) throw new Error("fixture");
    o.organization.accounts.value.push(
      {
        id: "555555555555",
        name: "nested",
        email: "n@example.com",
        status: "ACTIVE",
        parentPath: ["ou-a1b2-team0001", ORG.ou.id, ORG.rootId],
      },
      { id: "666666666666", name: "closed", email: "c@example.com", status: "SUSPENDED", parentPath: [ORG.rootId] },
    );
    const f = accountsEnrolled.evaluate(o, cleanManifest(), CTX);
    expect(f.map((x) => [x.account, x.status])).toContainEqual(["555555555555", "PASS"]);
    expect(f.map((x) => x.account)).not.toContain("666666666666");
  });
});

describe("org-trail-is-organization-trail", () => {
  it("PASS", () => {
    expect(orgTrail.evaluate(cleanObserved(), cleanManifest(), CTX)).toMatchObject([
      {
        status: "PASS",
        account: ORG.management,
        region: HOME,
        resourceArn: TRAIL_ARN,
        message: "Trail orgwarden-org-trail is the organization trail.",
      },
    ]);
  });

  it("FAIL when the trail records the management account only", () => {
    const o = cleanObserved();
    if (!o.cloudTrail.trails.ok) throw new Error("fixture");
    o.cloudTrail.trails.value[0].isOrganizationTrail = false;
    expect(orgTrail.evaluate(o, cleanManifest(), CTX)).toMatchObject([
      {
        status: "FAIL",
        intended: { trailArn: TRAIL_ARN, isOrganizationTrail: true },
        observed: { trailArn: TRAIL_ARN, isOrganizationTrail: false },
        message:
          "Trail orgwarden-org-trail is not an organization trail, so member accounts are not recorded; set IsOrganizationTrail to true.",
      },
    ]);
  });

  it("FAIL when the trail is gone", () => {
    const o = cleanObserved();
    o.cloudTrail.trails = collected([]);
    expect(orgTrail.evaluate(o, cleanManifest(), CTX)).toMatchObject([
      {
        status: "FAIL",
        observed: null,
        message: `Trail ${TRAIL_ARN} does not exist in the management account; create it (pulumi up) as an organization trail in ${HOME}.`,
      },
    ]);
  });
});

describe("organization checks: a failed read is ERROR, never PASS", () => {
  const cases = [
    [
      "scp-logging-present",
      scp,
      (o: ObservedState) =>
        (o.organization.scps = failedRead("ListPolicies", "organizations", ORG.management, "global")),
    ],
    [
      "accounts-enrolled",
      accountsEnrolled,
      (o: ObservedState) =>
        (o.organization.accounts = failedRead("ListAccounts", "organizations", ORG.management, "global")),
    ],
    [
      "org-trail-is-organization-trail",
      orgTrail,
      (o: ObservedState) => (o.cloudTrail.trails = failedRead("DescribeTrails", "cloudtrail", ORG.management, HOME)),
    ],
  ] as const;
  it.each(cases)("%s", (id, check, breakIt) => {
    const o = cleanObserved();
    const { operation: op, service } = (breakIt(o) as { ok: false; error: { operation: string; service: string } })
      .error;
    const f = check.evaluate(o, cleanManifest(), CTX);
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({
      checkId: id,
      status: "ERROR",
      account: ORG.management,
      error: { name: "AccessDeniedException", operation: op, kind: "access-denied", attempts: 1 },
    });
    expect(f[0].message).toContain(
      `not evaluated, because ${op} was denied (AccessDeniedException: User is not authorized to perform: ${service}:${op}). Grant the audit read role ${service}:${op}, then run the audit again.`,
    );
  });

  it.each([
    ["scp-logging-present", scp] as const,
    ["accounts-enrolled", accountsEnrolled] as const,
    ["org-trail-is-organization-trail", orgTrail] as const,
  ])("%s: management account unreachable", (id, check) => {
    const o = cleanObserved();
    o.unreachableAccounts[ORG.management] = readError("AssumeRole", "sts", ORG.management, "global");
    expect(check.evaluate(o, cleanManifest(), CTX)).toMatchObject([
      {
        checkId: id,
        status: "ERROR",
        account: ORG.management,
        error: { name: "AccessDeniedException", operation: "AssumeRole" },
      },
    ]);
  });
});
