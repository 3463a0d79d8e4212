/**
 * guardduty-organization and guardduty-features over moto: the sandbox lays the security account
 * as GuardDuty's delegated administrator (EnableOrganizationAdminAccount) and every detector with
 * the baseline's features and frequency, from the manifest's guardDuty area. moto serves the
 * detectors and the designation; DescribeOrganizationConfiguration, which it does not implement,
 * is a recorded answer (what AWS reports for what infra lays, or its drift), and the tests that
 * rely on it say so. One seeded sandbox for the file: audited as laid, then drifted and audited again.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyDrift } from "../../../agent/sandbox/drifts";
import type { Sandbox } from "../../../agent/sandbox/seed";
import type { AuditResult } from "../../../agent/finding";
import { resetMoto, startMoto } from "../../helpers/moto";
import { audit, seed } from "./_harness";

let endpoint: string;
let sb: Sandbox;
let clean: AuditResult;
let drifted: AuditResult;

const of = (r: AuditResult, checkId: string) => r.findings.filter((f) => f.checkId === checkId);

beforeAll(async () => {
  endpoint = (await startMoto()).endpoint;
  await resetMoto(endpoint);
  sb = await seed(endpoint);
  clean = await audit(sb);
  await applyDrift(sb, {
    kind: "guardduty-detector",
    account: "member-0",
    region: "eu-west-1",
    change: { featureOff: "RUNTIME_MONITORING" },
  });
  await applyDrift(sb, {
    kind: "guardduty-detector",
    account: "security",
    region: "us-east-1",
    change: { frequency: "SIX_HOURS" },
  });
  drifted = await audit(sb, { gaps: { guardDuty: [{ region: "eu-west-1", autoEnableOrganizationMembers: "NEW" }] } });
});
afterAll(async () => {
  if (endpoint) await resetMoto(endpoint);
});

describe("GuardDuty's organization settings and features over moto (DescribeOrganizationConfiguration recorded)", () => {
  it("recorded: the sandbox as laid PASSes both checks, the designation and the configuration in every governed region", () => {
    const org = of(clean, "guardduty-organization");
    expect(org.map((f) => [f.status, f.account, f.region])).toEqual(
      sb.governedRegions.flatMap((r) => [
        ["PASS", sb.accounts.management, r],
        ["PASS", sb.accounts.security, r],
      ]),
    );
    expect(org[0].message).toBe(
      `The security account ${sb.accounts.security} is GuardDuty's only delegated administrator in ${sb.governedRegions[0]} (AdminStatus ENABLED).`,
    );
    const cells = [sb.accounts.management, sb.accounts.logArchive, sb.accounts.security, ...sb.accounts.members]
      .flatMap((a) => sb.governedRegions.map((r) => `${a}/${r}`))
      .sort();
    const features = of(clean, "guardduty-features");
    expect(features.map((f) => `${f.account}/${f.region}`).sort()).toEqual(cells);
    expect(features.filter((f) => f.status !== "PASS")).toEqual([]);
    const admin = features.find((f) => f.account === sb.accounts.security && f.region === sb.region)!;
    expect(admin.message).toBe(
      `Detector ${sb.detectors[`${sb.accounts.security}/${sb.region}`]} in ${sb.region} has S3_DATA_EVENTS, EKS_AUDIT_LOGS, EBS_MALWARE_PROTECTION, RDS_LOGIN_EVENTS, LAMBDA_NETWORK_LOGS, RUNTIME_MONITORING ENABLED, with their additional configurations; it publishes updated findings every FIFTEEN_MINUTES.`,
    );
  });

  it("drifted (moto): the feature turned off and the administrator's frequency FAIL in their cells only", () => {
    const [member0] = sb.accounts.members;
    const notPass = of(drifted, "guardduty-features")
      .filter((f) => f.status !== "PASS")
      .map((f) => [f.account, f.region, f.status, f.message])
      .sort();
    // moto's account ids are random: the findings' order (by account) is too, so both sides are sorted.
    expect(notPass).toEqual(
      [
        [
          sb.accounts.security,
          "us-east-1",
          "FAIL",
          "The administrator's detector publishes updated findings every SIX_HOURS, not FIFTEEN_MINUTES.",
        ],
        [
          member0,
          "eu-west-1",
          "FAIL",
          "Feature RUNTIME_MONITORING is DISABLED, not ENABLED; feature RUNTIME_MONITORING's EKS_ADDON_MANAGEMENT is DISABLED, not ENABLED; feature RUNTIME_MONITORING's ECS_FARGATE_AGENT_MANAGEMENT is DISABLED, not ENABLED; feature RUNTIME_MONITORING's EC2_AGENT_MANAGEMENT is DISABLED, not ENABLED.",
        ],
      ].sort(),
    );
  });

  it("recorded drift: AutoEnableOrganizationMembers NEW FAILs the configuration of that region only", () => {
    expect(
      of(drifted, "guardduty-organization")
        .filter((f) => f.status !== "PASS")
        .map((f) => [f.account, f.region, f.status, f.message]),
    ).toEqual([
      [
        sb.accounts.security,
        "eu-west-1",
        "FAIL",
        "AutoEnableOrganizationMembers is NEW, not ALL: only accounts that join from now on are enabled, the existing members are left out.",
      ],
    ]);
  });
});
