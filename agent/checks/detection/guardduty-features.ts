/**
 * guardduty-features (every account × governed region, as guardduty-enabled): the enabled detector's
 * GetDetector Features have every baseline feature ENABLED with its additional configurations
 * ENABLED (members get them through the organization's auto-enable, the administrator through
 * DetectorFeature), and the administrator's (security account) detector publishes findings at the
 * intended frequency. The deprecated DataSources are not judged.
 */
import { accountRoot, guardDutyDetectorArn, organizationArn, type AuditManifest } from "../../../baseline";
import type { GuardDutyIntent } from "../../../baseline/detection/guardduty";
import type { CheckMetadata, Finding } from "../../finding";
import type { ObservedState } from "../../model";
import { blocked, finding, verdict, type CheckContext } from "../common";
import { evaluateCells, type DetectionCell } from "../scope";

export const metadata: CheckMetadata = {
  id: "guardduty-features",
  title: "GuardDuty's protection features are on in every governed account and region",
  area: "detection",
  severity: "MEDIUM",
  risk: "A protection plan that is off (S3 data events, EKS audit logs, malware scans of EBS volumes, RDS logins, Lambda network activity, runtime monitoring and its agent management) leaves that activity of the account unwatched: GuardDuty raises no finding on it. A slower finding publishing frequency delays updated findings reaching the security account's alerts.",
  remediation: {
    console:
      "GuardDuty console, security account <security-account>, region <region> → Protection plans: enable each plan of the baseline (<guardduty-features>) with its agent management for the account <account> (Accounts → select it → Edit protection plans); for the security account itself, Settings → Findings export options → Frequency for updated findings: <guardduty-frequency>.",
    cli: "aws guardduty update-member-detectors --region <region> --detector-id $(aws guardduty list-detectors --region <region> --query 'DetectorIds[0]' --output text) --account-ids <account> --features '<guardduty-detector-features>'  (security account, for a member); aws guardduty update-detector --region <region> --detector-id <detector-id> --finding-publishing-frequency <guardduty-frequency> --features '<guardduty-detector-features>'  (the security account's own detector)",
    pulumi:
      "infra/detection/guardduty.ts lays one aws.guardduty.DetectorFeature per feature on the security account's detector (aws.guardduty.Detector, findingPublishingFrequency) and auto-enables each for all members (aws.guardduty.OrganizationConfigurationFeature); run `pulumi up` on stack <stack>.",
  },
  controls: [],
  references: [
    "https://docs.aws.amazon.com/guardduty/latest/APIReference/API_GetDetector.html",
    "https://docs.aws.amazon.com/guardduty/latest/APIReference/API_DetectorFeatureConfigurationResult.html",
    "https://docs.aws.amazon.com/guardduty/latest/ug/guardduty-features-activation-model.html",
    "https://docs.aws.amazon.com/securityhub/latest/userguide/guardduty-controls.html",
  ],
};

function judge(o: ObservedState, c: DetectionCell, g: GuardDutyIntent, security: string): Finding {
  const scope = { account: c.account, region: c.region, resourceArn: accountRoot(c.account) };
  const isAdmin = c.account === security;
  const want = {
    features: g.features.map((f) => ({
      name: f.name,
      status: "ENABLED",
      additional: f.additionalConfigurations.map((name) => ({ name, status: "ENABLED" })),
    })),
    ...(isAdmin ? { findingPublishingFrequency: g.findingPublishingFrequency } : {}),
  };
  const stop = blocked(metadata, o, scope, want, c.entry.guardDutyDetectors);
  if (stop) return stop;
  const detectors = c.entry.guardDutyDetectors.ok ? c.entry.guardDutyDetectors.value : [];
  const on = detectors.find((d) => d.status === "ENABLED");
  if (!on)
    return verdict(
      metadata,
      scope,
      want,
      detectors,
      [
        `account ${c.account} has no enabled GuardDuty detector in ${c.region}, so none of its protection features is on (guardduty-enabled reports the detector)`,
      ],
      "",
    );
  const withArn = { ...scope, resourceArn: guardDutyDetectorArn(c.region, c.account, on.detectorId) };
  const features = on.features ?? [];
  const problems: string[] = [];
  for (const f of g.features) {
    const have = features.find((x) => x.name === f.name);
    if (!have) {
      problems.push(`detector ${on.detectorId} reports no feature ${f.name} (not ENABLED)`);
      continue;
    }
    if (have.status !== "ENABLED") problems.push(`feature ${f.name} is ${have.status ?? "in no status"}, not ENABLED`);
    for (const name of f.additionalConfigurations) {
      const extra = have.additional.find((x) => x.name === name);
      if (!extra) problems.push(`feature ${f.name} reports no additional configuration ${name} (not ENABLED)`);
      else if (extra.status !== "ENABLED")
        problems.push(`feature ${f.name}'s ${name} is ${extra.status ?? "in no status"}, not ENABLED`);
    }
  }
  if (isAdmin && on.findingPublishingFrequency !== g.findingPublishingFrequency)
    problems.push(
      `the administrator's detector publishes updated findings every ${on.findingPublishingFrequency ?? "(not reported)"}, not ${g.findingPublishingFrequency}`,
    );
  const names = g.features.map((f) => f.name).join(", ");
  return verdict(
    metadata,
    withArn,
    want,
    { detectorId: on.detectorId, findingPublishingFrequency: on.findingPublishingFrequency, features },
    problems,
    `Detector ${on.detectorId} in ${c.region} has ${names ? `${names} ENABLED, with their additional configurations` : "no feature to judge (none intended)"}${isAdmin ? `; it publishes updated findings every ${g.findingPublishingFrequency}` : ""}.`,
  );
}

export function evaluate(observed: ObservedState, intended: AuditManifest, _ctx: CheckContext): Finding[] {
  const g = intended.guardDuty;
  if (!g)
    return [
      finding(
        metadata,
        { account: "-", region: "global", resourceArn: organizationArn(intended.organization) },
        {
          status: "NOT_APPLICABLE",
          intended: "guardDuty in the audit manifest",
          observed: null,
          message: `${metadata.title}: not judged, because the audit manifest has no guardDuty area (a manifest published before it). Run \`pulumi up\` on stack ${intended.stack} to publish the current manifest; until then GuardDuty's protection features are not audited.`,
        },
      ),
    ];
  const security = intended.organization.securityAccountId;
  return evaluateCells(metadata, observed, intended, { features: g.features }, (c) => judge(observed, c, g, security));
}
