/**
 * securityhub-admin-account: in every governed region the organization's Security Hub delegated
 * administrator is the security account, ENABLED (management account, ListOrganizationAdminAccounts,
 * region by region: a designation is regional). infra lays it as detection-securityhub-<region>-admin.
 */
import { organizationArn, type AuditManifest } from "../../../baseline";
import type { CheckMetadata, Finding } from "../../finding";
import type { ObservedState } from "../../model";
import { verdict, type CheckContext, type Scope } from "../common";
import { listed, notPublished, readOf, securityHubIntentOf } from "../securityhub-scope";

export const metadata: CheckMetadata = {
  id: "securityhub-admin-account",
  title: "The security account is Security Hub's delegated administrator in every governed region",
  area: "detection",
  severity: "HIGH",
  risk: "Without the security account as delegated administrator in a region, the organization's accounts there are not its members: their findings never reach the security account, and central configuration cannot govern them (a configuration policy reaches only the regions where the administrator is designated).",
  remediation: {
    console:
      "Security Hub console (management account, each governed region) → Settings → General → Delegated administrator: enter the security account <security-account> and choose Delegate; remove any other administrator first.",
    cli: "aws securityhub list-organization-admin-accounts --region <region>; aws securityhub enable-organization-admin-account --admin-account-id <security-account> --region <region>  (management account; another administrator listed first: aws securityhub disable-organization-admin-account --region <region> --admin-account-id \"$(aws securityhub list-organization-admin-accounts --region <region> --query 'AdminAccounts[0].AccountId' --output text)\")",
    pulumi:
      "Run `pulumi up` on the orgwarden stack: infra/detection/security-hub.ts lays aws.securityhub.OrganizationAdminAccount detection-securityhub-<region>-admin (the security account) in every governed region.",
  },
  controls: [],
  references: [
    "https://docs.aws.amazon.com/securityhub/latest/userguide/designate-orgs-admin-account.html",
    "https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_ListOrganizationAdminAccounts.html",
  ],
};

export function evaluate(observed: ObservedState, intended: AuditManifest, _ctx: CheckContext): Finding[] {
  const mgmt = intended.organization.managementAccountId;
  const security = intended.organization.securityAccountId;
  const scope = (region: string): Scope => ({
    account: mgmt,
    region,
    resourceArn: organizationArn(intended.organization),
  });
  const intent = securityHubIntentOf(intended);
  if (!intent) return [notPublished(metadata, scope(intended.regions.home))];
  const want = { adminAccountId: security, status: "ENABLED" };
  return intent.regions.map((region) => {
    const read = readOf(
      metadata,
      observed,
      scope(region),
      want,
      "ListOrganizationAdminAccounts",
      (sh) => sh.adminAccountsByRegion[region],
    );
    if ("stop" in read) return read.stop;
    const admins = read.value;
    const ours = admins.find((a) => a.accountId === security);
    const others = admins.filter((a) => a.accountId !== security).map((a) => a.accountId);
    const problems: string[] = [];
    if (!ours)
      problems.push(
        admins.length === 0
          ? `no delegated administrator is designated in ${region}; designate the security account ${security}`
          : `the delegated administrator in ${region} is ${listed(others)}, not the security account ${security}`,
      );
    else {
      if (ours.status !== "ENABLED")
        problems.push(
          `the security account ${security}'s designation in ${region} is ${ours.status ?? "in no status"}, not ENABLED`,
        );
      if (others.length > 0) problems.push(`${listed(others)} is also listed as administrator in ${region}`);
    }
    return verdict(
      metadata,
      scope(region),
      want,
      admins,
      problems,
      `The security account ${security} is Security Hub's delegated administrator in ${region} (ENABLED).`,
    );
  });
}
