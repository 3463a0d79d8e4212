import { accountRoot, guardDutyDetectorArn, type AuditManifest } from "../../../baseline";
import type { CheckMetadata, Finding } from "../../finding";
import type { ObservedState } from "../../model";
import { guarddutyEnabled, known } from "../../../baseline/controls";
import { blocked, verdict, type CheckContext } from "../common";
import { evaluateCells, type DetectionCell } from "../scope";

export const metadata: CheckMetadata = {
  id: "guardduty-enabled",
  title: "GuardDuty has an enabled detector in every governed account and region",
  area: "detection",
  severity: "HIGH",
  risk: "Without an enabled detector, credential misuse, crypto-mining and reconnaissance in that account and region raise no finding.",
  remediation: {
    console:
      "GuardDuty console (security account as delegated administrator) → Accounts → enable the account, or turn on auto-enable for the organization; in the account itself: Settings → Enable GuardDuty.",
    cli: "aws guardduty create-detector --enable --region <region>  (or, from the delegated administrator: aws guardduty create-members / update-organization-configuration --auto-enable-organization-members ALL)",
    pulumi:
      'The orgwarden stack enables GuardDuty with aws.guardduty.Detector and aws.guardduty.OrganizationConfiguration (autoEnableOrganizationMembers "ALL"); run `pulumi up`.',
  },
  controls: ["guardduty-enabled"],
  references: [
    "https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_settingup.html",
    "https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_organizations.html",
  ],
};

function judge(o: ObservedState, c: DetectionCell): Finding {
  const scope = { account: c.account, region: c.region, resourceArn: accountRoot(c.account) };
  const want = { detectorStatus: "ENABLED" };
  const stop = blocked(metadata, o, scope, want, c.entry.guardDutyDetectors);
  if (stop) return stop;
  const detectors = c.entry.guardDutyDetectors.ok ? c.entry.guardDutyDetectors.value : [];
  const on = detectors.find((d) => d.status === "ENABLED");
  const withArn = on ? { ...scope, resourceArn: guardDutyDetectorArn(c.region, c.account, on.detectorId) } : scope;
  // No detector at all is GuardDuty off, not a detector left at its default.
  const enabled = known(on !== undefined);
  const problems = guarddutyEnabled.judge({ enabled }).passed
    ? []
    : [
        detectors.length === 0
          ? `account ${c.account} has no GuardDuty detector in ${c.region}; enable GuardDuty`
          : `GuardDuty detector ${detectors.map((d) => `${d.detectorId} is ${d.status}`).join(", ")} in ${c.region}; enable it`,
      ];
  return verdict(
    metadata,
    withArn,
    want,
    detectors,
    problems,
    `GuardDuty detector ${on?.detectorId} is ENABLED in ${c.region}.`,
  );
}

export function evaluate(observed: ObservedState, intended: AuditManifest, _ctx: CheckContext): Finding[] {
  return evaluateCells(metadata, observed, intended, { detectorStatus: "ENABLED" }, (c) => judge(observed, c));
}
