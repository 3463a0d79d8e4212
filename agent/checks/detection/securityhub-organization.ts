/**
 * securityhub-organization: the security account's Security Hub organization configuration
 * (DescribeOrganizationConfiguration) is the intended type, CENTRAL or LOCAL, with Status ENABLED,
 * and AutoEnable and AutoEnableStandards as infra lays them: under central in the home region
 * (detection-securityhub-organization), under local in every governed region
 * (detection-securityhub-<region>-organization).
 */
import type { AuditManifest } from "../../../baseline";
import type { CheckMetadata, Finding } from "../../finding";
import type { ObservedState } from "../../model";
import { verdict, type CheckContext } from "../common";
import { notPublished, readOf, securityHubIntentOf, securityScope } from "../securityhub-scope";

export const metadata: CheckMetadata = {
  id: "securityhub-organization",
  title: "Security Hub's organization configuration is the intended type (central or local), enabled, as laid",
  area: "detection",
  severity: "HIGH",
  risk: "Under LOCAL configuration where central was intended, no configuration policy governs the accounts and the accounts that existed before the designation stay unenrolled; a PENDING or FAILED configuration governs nothing yet; under local, auto-enable off leaves new accounts without Security Hub or without the default standards.",
  remediation: {
    console:
      "Security Hub console (security account <security-account>, home region <home-region>) → Configuration → Organization: choose <securityhub-configuration-type> configuration; under central, Security Hub asks for the finding aggregator and the configuration policy (securityhub-finding-aggregator, securityhub-configuration-policy); under local, turn on auto-enable and the default standards in each governed region.",
    cli: "aws securityhub describe-organization-configuration --region <region>; aws securityhub update-organization-configuration <securityhub-auto-enable> --auto-enable-standards <securityhub-auto-enable-standards> --organization-configuration ConfigurationType=<securityhub-configuration-type> --region <region>  (security account)",
    pulumi:
      "Run `pulumi up` on the orgwarden stack: infra/detection/security-hub.ts lays aws.securityhub.OrganizationConfiguration detection-securityhub-organization (central, home region) or detection-securityhub-<region>-organization (local, every governed region), from baseline/detection/security-hub.ts.",
  },
  controls: [],
  references: [
    "https://docs.aws.amazon.com/securityhub/latest/userguide/central-configuration-intro.html",
    "https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_DescribeOrganizationConfiguration.html",
  ],
};

export function evaluate(observed: ObservedState, intended: AuditManifest, _ctx: CheckContext): Finding[] {
  const intent = securityHubIntentOf(intended);
  if (!intent) return [notPublished(metadata, securityScope(intended, intended.regions.home))];
  const want = {
    configurationType: intent.configurationType,
    status: "ENABLED",
    autoEnable: intent.autoEnable,
    autoEnableStandards: intent.autoEnableStandards,
  };
  return intent.organizationRegions.map((region) => {
    const scope = securityScope(intended, region);
    const read = readOf(
      metadata,
      observed,
      scope,
      want,
      "DescribeOrganizationConfiguration",
      (sh) => sh.organizationConfigurationByRegion[region],
    );
    if ("stop" in read) return read.stop;
    const c = read.value;
    const problems: string[] = [];
    if (c.configurationType !== want.configurationType)
      problems.push(
        `the organization configuration in ${region} is ${c.configurationType ?? "of no type"}, not ${want.configurationType}`,
      );
    if (c.status !== "ENABLED")
      problems.push(
        `its status is ${c.status ?? "not reported"}${c.statusMessage ? ` (${c.statusMessage})` : ""}, not ENABLED`,
      );
    if (c.autoEnable !== want.autoEnable)
      problems.push(`AutoEnable is ${c.autoEnable ?? "not reported"}, not ${want.autoEnable}`);
    if (c.autoEnableStandards !== want.autoEnableStandards)
      problems.push(
        `AutoEnableStandards is ${c.autoEnableStandards ?? "not reported"}, not ${want.autoEnableStandards}`,
      );
    if (c.memberAccountLimitReached === true)
      problems.push("the organization has reached Security Hub's member account limit: new accounts are not enrolled");
    return verdict(
      metadata,
      scope,
      want,
      c,
      problems,
      `Security Hub's organization configuration in ${region} is ${want.configurationType}, ENABLED, AutoEnable ${want.autoEnable}, AutoEnableStandards ${want.autoEnableStandards}.`,
    );
  });
}
