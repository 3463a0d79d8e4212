/** stackset-instances and stackset-drift as rules: one clean observation, one change per failing case. */
import { describe, expect, it } from "vitest";
import * as instancesCheck from "../../../agent/checks/stackset/stackset-instances";
import * as driftCheck from "../../../agent/checks/stackset/stackset-drift";
import { collected, failed, type ObservedState, type ObservedStackInstance } from "../../../agent/model";
import type { AuditManifest } from "../../../baseline";
import {
  cleanManifest,
  cleanObserved,
  CTX,
  HOME,
  minutesAgo,
  ORG,
  OTHER_REGION,
  readError,
  STACKSET_NAME,
} from "./fixtures";

type Check = typeof instancesCheck | typeof driftCheck;
const row = (c: Check, o: ObservedState, m: AuditManifest = cleanManifest()) =>
  c
    .evaluate(o, m, CTX)
    .filter((f) => f.status !== "PASS")
    .map((f) => [f.status, f.account, f.region, f.message]);

function withInstance(change: (i: ObservedStackInstance) => void, account: string = ORG.member, region = OTHER_REGION) {
  const o = cleanObserved();
  const list = o.memberBaseline!.stackSet.instances;
  if (!list.ok) throw new Error("fixture");
  change(list.value.find((i) => i.account === account && i.region === region)!);
  return o;
}

const SET = `the StackSet ${STACKSET_NAME}`;
const INSTANCE = `the stack instance of ${STACKSET_NAME} in account ${ORG.member}, ${OTHER_REGION}`;

describe("stackset-instances", () => {
  it("the clean organization: the StackSet and 4 accounts × 2 regions PASS, the management account by its direct stack", () => {
    const f = instancesCheck.evaluate(cleanObserved(), cleanManifest(), CTX);
    expect(f.map((x) => `${x.status} ${x.account}/${x.region}`)).toEqual([
      `PASS ${ORG.management}/${HOME}`,
      ...[ORG.management, ORG.logArchive, ORG.security, ORG.member].flatMap((a) =>
        [HOME, OTHER_REGION].map((r) => `PASS ${a}/${r}`),
      ),
    ]);
  });

  it.each([
    ["OUTDATED", "FAILED", "ResourceLogicalId:AuditReadRole, ResourceStatusReason:Role already exists."],
    ["INOPERABLE", "INOPERABLE", undefined],
    ["OUTDATED", "CANCELLED", "Cancelled since failure tolerance has exceeded"],
    ["CURRENT", "FAILED", undefined],
  ])("%s / %s is FAIL naming account, region and reason", (status, detailed, reason) => {
    const o = withInstance((i) => {
      i.status = status;
      i.detailedStatus = detailed;
      if (reason) i.statusReason = reason;
    });
    const [[st, account, region, message]] = row(instancesCheck, o);
    expect([st, account, region]).toEqual(["FAIL", ORG.member, OTHER_REGION]);
    expect(message).toContain(
      `${INSTANCE[0].toUpperCase()}${INSTANCE.slice(1)} is ${status} / ${detailed}${reason ? ` (${reason})` : ""}, not CURRENT / SUCCEEDED`,
    );
  });

  it("a missing instance is FAIL", () => {
    const o = cleanObserved();
    const list = o.memberBaseline!.stackSet.instances;
    if (!list.ok) throw new Error("fixture");
    o.memberBaseline!.stackSet.instances = collected(list.value.filter((i) => i.account !== ORG.member));
    expect(row(instancesCheck, o).map((r) => r.slice(0, 3))).toEqual([
      ["FAIL", ORG.member, HOME],
      ["FAIL", ORG.member, OTHER_REGION],
    ]);
  });

  it("the StackSet missing is FAIL, and so is every instance; not ACTIVE or self-managed is FAIL", () => {
    const gone = cleanObserved();
    gone.memberBaseline!.stackSet.stackSet = collected(undefined);
    gone.memberBaseline!.stackSet.instances = collected([]);
    const r = row(instancesCheck, gone);
    expect(r).toHaveLength(1 + 3 * 2);
    expect(r[0][3]).toBe(
      `The StackSet ${STACKSET_NAME} does not exist in the management account ${ORG.management} (${HOME}): no member account gets the baseline, and accounts that join get none; run \`pulumi up\`.`,
    );
    const off = cleanObserved();
    off.memberBaseline!.stackSet.stackSet = collected({ status: "DELETED", permissionModel: "SELF_MANAGED" });
    expect(row(instancesCheck, off)[0][3]).toBe(
      `The StackSet ${STACKSET_NAME} in the management account ${ORG.management} (${HOME}) is DELETED, not ACTIVE; the StackSet ${STACKSET_NAME} is SELF_MANAGED, not SERVICE_MANAGED: it does not deploy to the organization's OUs nor to accounts that join them.`,
    );
  });

  it("an excluded account is NOT_APPLICABLE saying stackSet.excludeAccounts excludes it, never ERROR nor absent", () => {
    const m = cleanManifest();
    m.stackSet!.excludeAccounts = [ORG.member];
    const f = instancesCheck.evaluate(cleanObserved(), m, CTX).filter((x) => x.account === ORG.member);
    expect(f.map((x) => x.status)).toEqual(["NOT_APPLICABLE", "NOT_APPLICABLE"]);
    expect(f[0].message).toMatch(
      /^Account 444444444444 is excluded by stackSet\.excludeAccounts: the StackSet orgwarden-member-baseline is not meant to deploy to it in us-east-1.* An instance still exists there \(CURRENT\): the exclusion has not been applied yet\.$/,
    );
  });

  it("an account under no target OU, neither excluded nor given a direct stack, is FAIL", () => {
    const o = cleanObserved();
    if (!o.organization.accounts.ok) throw new Error("fixture");
    o.organization.accounts.value.find((a) => a.id === ORG.member)!.parentPath = [ORG.rootId];
    const r = row(instancesCheck, o);
    expect(r.map((x) => x.slice(0, 3))).toEqual([
      ["FAIL", ORG.member, HOME],
      ["FAIL", ORG.member, OTHER_REGION],
    ]);
    expect(r[0][3]).toBe(
      `Account ${ORG.member} sits under ${ORG.rootId}, outside the StackSet's target OUs (Workloads (${ORG.ou.id})), is not listed in stackSet.excludeAccounts and gets no direct stack: nothing lays the member baseline in it (${HOME}). Move it under a target OU, add its OU to stackSet.targetOus, or exclude it explicitly.`,
    );
  });

  it("the management account's stack: ROLLBACK_COMPLETE / UPDATE_ROLLBACK_COMPLETE / missing are FAIL", () => {
    for (const status of ["ROLLBACK_COMPLETE", "UPDATE_ROLLBACK_COMPLETE", "CREATE_FAILED"]) {
      const o = cleanObserved();
      o.memberBaseline!.directStacks[1].stack = collected({ status, statusReason: "Resource creation cancelled" });
      expect(row(instancesCheck, o)).toEqual([
        [
          "FAIL",
          ORG.management,
          OTHER_REGION,
          `The stack ${STACKSET_NAME} of account ${ORG.management} in ${OTHER_REGION} is ${status} (Resource creation cancelled), not CREATE_COMPLETE, UPDATE_COMPLETE, IMPORT_COMPLETE: its last create or update failed or was rolled back.`,
        ],
      ]);
    }
    const o = cleanObserved();
    o.memberBaseline!.directStacks[0].stack = collected(undefined);
    expect(row(instancesCheck, o).map((x) => x.slice(0, 3))).toEqual([["FAIL", ORG.management, HOME]]);
  });

  it("a failed read is ERROR, never PASS: the StackSet, the instance listing, a direct stack, the management account unreachable", () => {
    const o = cleanObserved();
    o.memberBaseline!.stackSet.instances = failed(
      readError("ListStackInstances", "cloudformation", ORG.management, HOME),
    );
    const r = row(instancesCheck, o);
    expect(r.map((x) => x[0])).toEqual(Array(6).fill("ERROR"));
    expect(r[0][3]).toContain("Grant the audit read role cloudformation:ListStackInstances");
    const u = cleanObserved();
    u.unreachableAccounts[ORG.management] = readError("AssumeRole", "sts", ORG.management, "global");
    expect(instancesCheck.evaluate(u, cleanManifest(), CTX).filter((f) => f.status === "PASS")).toEqual([]);
  });

  it("no stackSet area in the manifest, or nothing collected: one ERROR saying why", () => {
    const m = cleanManifest();
    delete m.stackSet;
    const [f] = instancesCheck.evaluate(cleanObserved(), m, CTX);
    expect([f.status, f.message]).toEqual([
      "ERROR",
      "The member-baseline StackSet is ACTIVE and every governed account and region has a current, succeeded stack instance: not evaluated, because the audit manifest has no stackSet area (it was published by an orgwarden that did not describe its StackSet). Run `pulumi up` on the stack to republish the manifest.",
    ]);
    const o = cleanObserved();
    delete o.memberBaseline;
    expect(driftCheck.evaluate(o, cleanManifest(), CTX).map((x) => x.status)).toEqual(["ERROR"]);
  });

  it("--accounts narrows the cells to the accounts in scope", () => {
    const o = cleanObserved();
    o.scope = { accounts: [ORG.member] };
    const f = instancesCheck.evaluate(o, cleanManifest(), CTX);
    expect(f.map((x) => x.account)).toEqual([ORG.management, ORG.member, ORG.member]);
  });
});

describe("stackset-drift", () => {
  it("the clean organization (IN_SYNC an hour ago everywhere) PASSes", () => {
    expect(row(driftCheck, cleanObserved())).toEqual([]);
  });

  it("a DRIFTED instance is FAIL naming account and region", () => {
    const o = withInstance((i) => (i.driftStatus = "DRIFTED"));
    expect(row(driftCheck, o)).toEqual([
      [
        "FAIL",
        ORG.member,
        OTHER_REGION,
        `${INSTANCE[0].toUpperCase()}${INSTANCE.slice(1)} has DRIFTED from its template (last checked ${minutesAgo(60)} (1h ago)).`,
      ],
    ]);
  });

  it.each([["NOT_CHECKED"], ["UNKNOWN"], [undefined]])("drift status %s is FAIL, drift unknown", (status) => {
    const o = withInstance((i) => {
      if (status) i.driftStatus = status;
      else delete i.driftStatus;
      delete i.lastDriftCheckTimestamp;
    });
    expect(row(driftCheck, o)).toEqual([
      [
        "FAIL",
        ORG.member,
        OTHER_REGION,
        `${INSTANCE[0].toUpperCase()}${INSTANCE.slice(1)}: drift unknown, the drift status is ${status ?? "not reported"} (never checked); run a drift detection.`,
      ],
    ]);
  });

  it("IN_SYNC but checked longer ago than stackSet.driftMaxAgeHours is FAIL, drift unknown; the threshold is the manifest's", () => {
    const o = withInstance((i) => (i.lastDriftCheckTimestamp = minutesAgo(49 * 60)));
    const [[, , , message]] = row(driftCheck, o);
    expect(message).toBe(
      `${INSTANCE[0].toUpperCase()}${INSTANCE.slice(1)}: drift unknown, it was IN_SYNC when last checked ${minutesAgo(49 * 60)} (2d 1h ago), longer ago than stackSet.driftMaxAgeHours (48 h); run a drift detection.`,
    );
    const m = cleanManifest();
    m.stackSet!.driftMaxAgeHours = 72;
    expect(row(driftCheck, o, m)).toEqual([]);
  });

  it("the StackSet's last detection: DRIFTED, never run, FAILED or PARTIAL_SUCCESS are FAIL", () => {
    const o = cleanObserved();
    const set = () => {
      const s = o.memberBaseline!.stackSet.stackSet;
      if (!s.ok || !s.value) throw new Error("fixture");
      return s.value;
    };
    set().drift = {
      driftStatus: "DRIFTED",
      detectionStatus: "COMPLETED",
      lastDriftCheckTimestamp: minutesAgo(60),
      driftedInstances: 2,
    };
    expect(row(driftCheck, o)[0][3]).toBe(
      `${SET[0].toUpperCase()}${SET.slice(1)} has DRIFTED from its template (last checked ${minutesAgo(60)} (1h ago)); 2 stack instance(s) drifted.`,
    );
    delete set().drift;
    expect(row(driftCheck, o)[0][3]).toBe(
      `${SET[0].toUpperCase()}${SET.slice(1)}: drift unknown, the drift status is not reported (never checked); run a drift detection.`,
    );
    set().drift = {
      driftStatus: "IN_SYNC",
      detectionStatus: "PARTIAL_SUCCESS",
      lastDriftCheckTimestamp: minutesAgo(60),
      failedInstances: 1,
    };
    expect(row(driftCheck, o)[0][3]).toBe(
      `Its last drift detection ended PARTIAL_SUCCESS (1 instance(s) failed it): their drift is unknown.`,
    );
  });

  it("the management account's stack: DRIFTED is FAIL; an excluded account is NOT_APPLICABLE", () => {
    const o = cleanObserved();
    o.memberBaseline!.directStacks[0].stack = collected({
      status: "UPDATE_COMPLETE",
      driftStatus: "DRIFTED",
      lastDriftCheckTimestamp: minutesAgo(30),
    });
    const m = cleanManifest();
    m.stackSet!.excludeAccounts = [ORG.member];
    expect(row(driftCheck, o, m).map((x) => x.slice(0, 3))).toEqual([
      ["FAIL", ORG.management, HOME],
      ["NOT_APPLICABLE", ORG.member, HOME],
      ["NOT_APPLICABLE", ORG.member, OTHER_REGION],
    ]);
  });

  it("a failed read is ERROR, never PASS", () => {
    const o = cleanObserved();
    o.memberBaseline!.stackSet.stackSet = failed(readError("DescribeStackSet", "cloudformation", ORG.management, HOME));
    o.memberBaseline!.stackSet.instances = failed(
      readError("DescribeStackSet", "cloudformation", ORG.management, HOME),
    );
    o.memberBaseline!.directStacks = o.memberBaseline!.directStacks.map((d) => ({
      ...d,
      stack: failed(readError("DescribeStacks", "cloudformation", d.account, d.region)),
    }));
    const f = driftCheck.evaluate(o, cleanManifest(), CTX);
    expect(new Set(f.map((x) => x.status))).toEqual(new Set(["ERROR"]));
  });
});
