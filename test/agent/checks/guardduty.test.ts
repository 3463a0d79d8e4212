/**
 * guardduty-organization and guardduty-features over the fixture organization: the clean state
 * PASSes, each drift FAILs naming exactly what differs, a failed read is ERROR, and a manifest
 * without the guardDuty area is NOT_APPLICABLE saying so.
 */
import { describe, expect, it } from "vitest";
import type { AuditManifest } from "../../../baseline";
import * as features from "../../../agent/checks/detection/guardduty-features";
import * as organization from "../../../agent/checks/detection/guardduty-organization";
import {
  collected,
  type ObservedGuardDutyOrgConfiguration,
  type ObservedGuardDutyOrganizationRegion,
  type ObservedState,
} from "../../../agent/model";
import {
  ACCOUNTS,
  cleanManifest,
  cleanObserved,
  CTX,
  detectionOf,
  detectorIdOf,
  failedRead,
  HOME,
  ORG,
  OTHER_REGION,
} from "./fixtures";

const regionOf = (o: ObservedState, region: string): ObservedGuardDutyOrganizationRegion =>
  o.guardDutyOrganization!.regions.find((r) => r.region === region)!;
const configOf = (o: ObservedState, region: string): ObservedGuardDutyOrgConfiguration => {
  const c = regionOf(o, region).configuration;
  if (!c.ok || !c.value) throw new Error("fixture has no configuration");
  return c.value;
};
const rows = (fs: { account: string; region: string; status: string; message: string }[]) =>
  fs.map((f) => [f.account, f.region, f.status, f.message]);
const notPass = (fs: { account: string; region: string; status: string; message: string }[]) =>
  rows(fs.filter((f) => f.status !== "PASS"));
const withoutArea = (): AuditManifest => {
  const m = cleanManifest();
  delete m.guardDuty;
  return m;
};
const SEC_DETECTOR = (region: string) =>
  `arn:aws:guardduty:${region}:${ORG.security}:detector/${detectorIdOf(ORG.security, region)}`;

describe("guardduty-organization", () => {
  it("PASS: per governed region, the designation (management account) and the configuration (security account)", () => {
    const f = organization.evaluate(cleanObserved(), cleanManifest(), CTX);
    expect(f.map((x) => [x.account, x.region, x.status, x.resourceArn])).toEqual([
      [ORG.management, HOME, "PASS", `arn:aws:iam::${ORG.management}:root`],
      [ORG.security, HOME, "PASS", SEC_DETECTOR(HOME)],
      [ORG.management, OTHER_REGION, "PASS", `arn:aws:iam::${ORG.management}:root`],
      [ORG.security, OTHER_REGION, "PASS", SEC_DETECTOR(OTHER_REGION)],
    ]);
    expect(f[0].message).toBe(
      `The security account ${ORG.security} is GuardDuty's only delegated administrator in ${HOME} (AdminStatus ENABLED).`,
    );
    expect(f[1].message).toBe(
      `Detector ${detectorIdOf(ORG.security, HOME)}'s organization configuration in ${HOME} auto-enables ALL members and, for ALL, S3_DATA_EVENTS, RUNTIME_MONITORING (EKS_ADDON_MANAGEMENT, ECS_FARGATE_AGENT_MANAGEMENT, EC2_AGENT_MANAGEMENT); the member account limit is not reached.`,
    );
  });

  it("FAIL: another account is the administrator; the configuration then FAILs too (none of the security account's applies)", () => {
    const o = cleanObserved();
    regionOf(o, OTHER_REGION).adminAccounts = collected([{ accountId: ORG.member, status: "ENABLED" }]);
    expect(notPass(organization.evaluate(o, cleanManifest(), CTX))).toEqual([
      [
        ORG.management,
        OTHER_REGION,
        "FAIL",
        `The security account ${ORG.security} is not GuardDuty's delegated administrator in ${OTHER_REGION} (ListOrganizationAdminAccounts lists another); account ${ORG.member} is listed as GuardDuty administrator (ENABLED).`,
      ],
      [
        ORG.security,
        OTHER_REGION,
        "FAIL",
        `The security account ${ORG.security} is not GuardDuty's enabled delegated administrator in ${OTHER_REGION}, so no organization configuration of its applies: no member is auto-enabled.`,
      ],
    ]);
  });

  it("FAIL: no administrator at all, or one being disabled", () => {
    const o = cleanObserved();
    regionOf(o, HOME).adminAccounts = collected([]);
    regionOf(o, OTHER_REGION).adminAccounts = collected([{ accountId: ORG.security, status: "DISABLE_IN_PROGRESS" }]);
    const f = organization.evaluate(o, cleanManifest(), CTX).filter((x) => x.account === ORG.management);
    expect(rows(f)).toEqual([
      [
        ORG.management,
        HOME,
        "FAIL",
        `The security account ${ORG.security} is not GuardDuty's delegated administrator in ${HOME} (ListOrganizationAdminAccounts lists none).`,
      ],
      [
        ORG.management,
        OTHER_REGION,
        "FAIL",
        `The security account ${ORG.security} is GuardDuty's delegated administrator in ${OTHER_REGION} with AdminStatus DISABLE_IN_PROGRESS, not ENABLED.`,
      ],
    ]);
  });

  it.each([
    ["NEW", "only accounts that join from now on are enabled, the existing members are left out"],
    ["NONE", "no member is enabled by the organization"],
  ])("FAIL: AutoEnableOrganizationMembers %s", (value, why) => {
    const o = cleanObserved();
    configOf(o, HOME).autoEnableOrganizationMembers = value;
    expect(notPass(organization.evaluate(o, cleanManifest(), CTX))).toEqual([
      [ORG.security, HOME, "FAIL", `AutoEnableOrganizationMembers is ${value}, not ALL: ${why}.`],
    ]);
  });

  it("FAIL: each feature and additional configuration not auto-enabled for ALL is named, and the member limit", () => {
    const o = cleanObserved();
    const c = configOf(o, HOME);
    c.features = c.features.filter((x) => x.name !== "S3_DATA_EVENTS");
    const runtime = c.features.find((x) => x.name === "RUNTIME_MONITORING")!;
    runtime.autoEnable = "NEW";
    runtime.additional = [
      { name: "EKS_ADDON_MANAGEMENT", autoEnable: "ALL" },
      { name: "ECS_FARGATE_AGENT_MANAGEMENT", autoEnable: "NONE" },
    ];
    c.memberAccountLimitReached = true;
    expect(notPass(organization.evaluate(o, cleanManifest(), CTX))).toEqual([
      [
        ORG.security,
        HOME,
        "FAIL",
        "Feature S3_DATA_EVENTS is not in the organization configuration (not auto-enabled); feature RUNTIME_MONITORING auto-enables NEW, not ALL (only accounts that join from now on are enabled, the existing members are left out); feature RUNTIME_MONITORING's ECS_FARGATE_AGENT_MANAGEMENT auto-enables NONE, not ALL; feature RUNTIME_MONITORING has no additional configuration EC2_AGENT_MANAGEMENT; MemberAccountLimitReached is true: the organization has as many GuardDuty members as the administrator may have, so further accounts are not enabled.",
      ],
    ]);
  });

  it("FAIL: the security account has no detector in the region", () => {
    const o = cleanObserved();
    regionOf(o, OTHER_REGION).configuration = collected(undefined);
    expect(notPass(organization.evaluate(o, cleanManifest(), CTX))).toEqual([
      [
        ORG.security,
        OTHER_REGION,
        "FAIL",
        `The security account ${ORG.security} has no GuardDuty detector in ${OTHER_REGION}, so there is no organization configuration: no member is auto-enabled.`,
      ],
    ]);
  });

  it("ERROR: each failed read, naming the call; never a PASS", () => {
    const o = cleanObserved();
    regionOf(o, HOME).adminAccounts = failedRead("ListOrganizationAdminAccounts", "guardduty", ORG.management, HOME);
    regionOf(o, OTHER_REGION).configuration = failedRead(
      "DescribeOrganizationConfiguration",
      "guardduty",
      ORG.security,
      OTHER_REGION,
    );
    const f = organization.evaluate(o, cleanManifest(), CTX);
    expect(f.map((x) => [x.account, x.region, x.status, x.error?.operation])).toEqual([
      [ORG.management, HOME, "ERROR", "ListOrganizationAdminAccounts"],
      // The designation unread, the configuration is still judged on its own reading.
      [ORG.security, HOME, "PASS", undefined],
      [ORG.management, OTHER_REGION, "PASS", undefined],
      [ORG.security, OTHER_REGION, "ERROR", "DescribeOrganizationConfiguration"],
    ]);
    expect(f[3].message).toContain("guardduty:DescribeOrganizationConfiguration");
  });

  it("ERROR: a region with no reading at all, or an unreachable security account", () => {
    const o = cleanObserved();
    o.guardDutyOrganization!.regions = o.guardDutyOrganization!.regions.filter((r) => r.region === HOME);
    o.unreachableAccounts[ORG.security] = {
      name: "AccessDenied",
      message: "not authorized to perform sts:AssumeRole",
      kind: "access-denied",
      operation: "AssumeRole",
      service: "sts",
      account: ORG.security,
      region: "global",
    };
    const f = organization.evaluate(o, cleanManifest(), CTX);
    expect(f.map((x) => [x.account, x.region, x.status, x.error?.operation])).toEqual([
      [ORG.management, HOME, "PASS", undefined],
      [ORG.security, HOME, "ERROR", "AssumeRole"],
      [ORG.management, OTHER_REGION, "ERROR", "ListOrganizationAdminAccounts"],
      [ORG.security, OTHER_REGION, "ERROR", "DescribeOrganizationConfiguration"],
    ]);
    expect(f[2].error?.name).toBe("NotCollected");
  });

  it("NOT_APPLICABLE: a manifest published before the guardDuty area, saying so", () => {
    const f = organization.evaluate(cleanObserved(), withoutArea(), CTX);
    expect(rows(f)).toEqual([
      [
        "-",
        "global",
        "NOT_APPLICABLE",
        `${organization.metadata.title}: not judged, because the audit manifest has no guardDuty area (a manifest published before it). Run \`pulumi up\` on stack prod to publish the current manifest; until then GuardDuty's delegation and organization configuration are not audited.`,
      ],
    ]);
  });
});

describe("guardduty-features", () => {
  const CELLS = ACCOUNTS.flatMap((a) => [HOME, OTHER_REGION].map((r) => [a, r]));

  it("PASS in every account × governed region; the administrator's also on its finding frequency", () => {
    const f = features.evaluate(cleanObserved(), cleanManifest(), CTX);
    expect(f.map((x) => [x.account, x.region, x.status])).toEqual(CELLS.map(([a, r]) => [a, r, "PASS"]));
    expect(f.find((x) => x.account === ORG.member && x.region === HOME)!.message).toBe(
      `Detector ${detectorIdOf(ORG.member, HOME)} in ${HOME} has S3_DATA_EVENTS, RUNTIME_MONITORING ENABLED, with their additional configurations.`,
    );
    expect(f.find((x) => x.account === ORG.security && x.region === HOME)!.message).toBe(
      `Detector ${detectorIdOf(ORG.security, HOME)} in ${HOME} has S3_DATA_EVENTS, RUNTIME_MONITORING ENABLED, with their additional configurations; it publishes updated findings every FIFTEEN_MINUTES.`,
    );
  });

  it("FAIL: a feature DISABLED, one absent, an additional configuration DISABLED or absent, each named", () => {
    const o = cleanObserved();
    const d = detectionOf(o, ORG.member, OTHER_REGION).guardDutyDetectors;
    if (!d.ok) throw new Error("fixture");
    const det = d.value[0];
    det.features = det.features!.filter((x) => x.name !== "S3_DATA_EVENTS");
    const runtime = det.features.find((x) => x.name === "RUNTIME_MONITORING")!;
    runtime.status = "DISABLED";
    runtime.additional = [
      { name: "EKS_ADDON_MANAGEMENT", status: "DISABLED" },
      { name: "ECS_FARGATE_AGENT_MANAGEMENT", status: "ENABLED" },
    ];
    expect(notPass(features.evaluate(o, cleanManifest(), CTX))).toEqual([
      [
        ORG.member,
        OTHER_REGION,
        "FAIL",
        `Detector ${detectorIdOf(ORG.member, OTHER_REGION)} reports no feature S3_DATA_EVENTS (not ENABLED); feature RUNTIME_MONITORING is DISABLED, not ENABLED; feature RUNTIME_MONITORING's EKS_ADDON_MANAGEMENT is DISABLED, not ENABLED; feature RUNTIME_MONITORING reports no additional configuration EC2_AGENT_MANAGEMENT (not ENABLED).`,
      ],
    ]);
  });

  it("FAIL: the administrator's detector at another finding frequency; a member's frequency is not judged", () => {
    const o = cleanObserved();
    for (const account of [ORG.security, ORG.member]) {
      const d = detectionOf(o, account, HOME).guardDutyDetectors;
      if (d.ok) d.value[0].findingPublishingFrequency = "SIX_HOURS";
    }
    expect(notPass(features.evaluate(o, cleanManifest(), CTX))).toEqual([
      [
        ORG.security,
        HOME,
        "FAIL",
        "The administrator's detector publishes updated findings every SIX_HOURS, not FIFTEEN_MINUTES.",
      ],
    ]);
  });

  it("FAIL: no enabled detector (guardduty-enabled reports it; no feature can be on)", () => {
    const o = cleanObserved();
    detectionOf(o, ORG.member, HOME).guardDutyDetectors = collected([
      { detectorId: "abc", status: "DISABLED", features: [] },
    ]);
    expect(notPass(features.evaluate(o, cleanManifest(), CTX))).toEqual([
      [
        ORG.member,
        HOME,
        "FAIL",
        `Account ${ORG.member} has no enabled GuardDuty detector in ${HOME}, so none of its protection features is on (guardduty-enabled reports the detector).`,
      ],
    ]);
  });

  it("ERROR: a failed GetDetector, naming the call", () => {
    const o = cleanObserved();
    detectionOf(o, ORG.logArchive, OTHER_REGION).guardDutyDetectors = failedRead(
      "GetDetector",
      "guardduty",
      ORG.logArchive,
      OTHER_REGION,
    );
    const f = features.evaluate(o, cleanManifest(), CTX).filter((x) => x.status !== "PASS");
    expect(f.map((x) => [x.account, x.region, x.status, x.error?.operation])).toEqual([
      [ORG.logArchive, OTHER_REGION, "ERROR", "GetDetector"],
    ]);
  });

  it("an account excluded from the member baseline is still judged (GuardDuty is the organization's, not the StackSet's)", () => {
    const m = cleanManifest();
    m.stackSet = { ...m.stackSet!, excludeAccounts: [ORG.member] };
    const f = features.evaluate(cleanObserved(), m, CTX).filter((x) => x.account === ORG.member);
    expect(f.map((x) => x.status)).toEqual(["PASS", "PASS"]);
  });

  it("NOT_APPLICABLE: a manifest published before the guardDuty area, saying so", () => {
    expect(rows(features.evaluate(cleanObserved(), withoutArea(), CTX))).toEqual([
      [
        "-",
        "global",
        "NOT_APPLICABLE",
        `${features.metadata.title}: not judged, because the audit manifest has no guardDuty area (a manifest published before it). Run \`pulumi up\` on stack prod to publish the current manifest; until then GuardDuty's protection features are not audited.`,
      ],
    ]);
  });
});
