/**
 * guardduty-organization (every governed region): the security account is GuardDuty's one delegated
 * administrator (ListOrganizationAdminAccounts, management account), and its detector's
 * organization configuration (DescribeOrganizationConfiguration, security account) auto-enables ALL
 * members and every baseline feature, with its additional configurations, for ALL. Two findings per
 * region: the designation (management account) and the configuration (security account).
 * The response's deprecated AutoEnable and DataSources are not judged: AutoEnableOrganizationMembers
 * and Features supersede them (API reference, DescribeOrganizationConfiguration).
 */
import { accountRoot, guardDutyDetectorArn, organizationArn, type AuditManifest } from "../../../baseline";
import type { GuardDutyIntent } from "../../../baseline/detection/guardduty";
import type { CheckMetadata, Finding } from "../../finding";
import type { ObservedGuardDutyOrganizationRegion, ObservedState } from "../../model";
import { blocked, errorFinding, finding, verdict, type CheckContext, type Scope } from "../common";
import { auditedRegions } from "../scope";

export const metadata: CheckMetadata = {
  id: "guardduty-organization",
  title:
    "GuardDuty is delegated to the security account and its organization configuration auto-enables every member and feature",
  area: "detection",
  severity: "HIGH",
  risk: "Without the security account as GuardDuty's delegated administrator, or with auto-enable set to NEW or NONE, or a protection plan not auto-enabled for ALL, accounts (existing or joining) run without GuardDuty or without that protection, and the security account does not see their findings.",
  remediation: {
    console:
      "GuardDuty console, management account, region <region> → Settings → Delegated administrator: <security-account>. Then in the security account <security-account>, same region → Accounts → Auto-enable: All accounts; Protection plans → each plan of the baseline (<guardduty-features>) → Auto-enable for all accounts, with its agent management.",
    cli: "aws guardduty enable-organization-admin-account --admin-account-id <security-account> --region <region>  (management account); aws guardduty update-organization-configuration --region <region> --detector-id $(aws guardduty list-detectors --region <region> --query 'DetectorIds[0]' --output text) --auto-enable-organization-members ALL --features '<guardduty-org-features>'  (security account)",
    pulumi:
      "infra/detection/guardduty.ts lays aws.guardduty.OrganizationAdminAccount (management account), aws.guardduty.OrganizationConfiguration (autoEnableOrganizationMembers ALL) and one aws.guardduty.OrganizationConfigurationFeature per feature in every governed region; run `pulumi up` on stack <stack>.",
  },
  controls: [],
  references: [
    "https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_organizations.html",
    "https://docs.aws.amazon.com/guardduty/latest/APIReference/API_ListOrganizationAdminAccounts.html",
    "https://docs.aws.amazon.com/guardduty/latest/APIReference/API_DescribeOrganizationConfiguration.html",
  ],
};

const WHY: Record<string, string> = {
  NEW: "only accounts that join from now on are enabled, the existing members are left out",
  NONE: "no member is enabled by the organization",
};

function notCollected(scope: Scope, operation: string, want: unknown): Finding {
  return errorFinding(
    metadata,
    scope,
    {
      name: "NotCollected",
      operation,
      service: "guardduty",
      message: `the observed state holds no reading of GuardDuty's organization settings in ${scope.region}`,
    },
    want,
  );
}

function adminFinding(o: ObservedState, r: ObservedGuardDutyOrganizationRegion, m: AuditManifest): Finding {
  const { managementAccountId: mgmt, securityAccountId: security } = m.organization;
  const scope = { account: mgmt, region: r.region, resourceArn: accountRoot(mgmt) };
  const want = { adminAccountId: security, adminStatus: "ENABLED" };
  const stop = blocked(metadata, o, scope, want, r.adminAccounts);
  if (stop) return stop;
  const admins = r.adminAccounts.ok ? r.adminAccounts.value : [];
  const ours = admins.find((a) => a.accountId === security);
  const others = admins.filter((a) => a.accountId !== security);
  const problems: string[] = [];
  if (!ours)
    problems.push(
      `the security account ${security} is not GuardDuty's delegated administrator in ${r.region} (ListOrganizationAdminAccounts lists ${admins.length === 0 ? "none" : "another"})`,
    );
  else if (ours.status !== "ENABLED")
    problems.push(
      `the security account ${security} is GuardDuty's delegated administrator in ${r.region} with AdminStatus ${ours.status ?? "(none)"}, not ENABLED`,
    );
  for (const a of others)
    problems.push(
      `account ${a.accountId ?? "(no id)"} is listed as GuardDuty administrator (${a.status ?? "no status"})`,
    );
  return verdict(
    metadata,
    scope,
    want,
    admins,
    problems,
    `The security account ${security} is GuardDuty's only delegated administrator in ${r.region} (AdminStatus ENABLED).`,
  );
}

function configurationFinding(
  o: ObservedState,
  r: ObservedGuardDutyOrganizationRegion,
  m: AuditManifest,
  g: GuardDutyIntent,
): Finding {
  const security = m.organization.securityAccountId;
  const read = r.configuration.ok ? r.configuration.value : undefined;
  const scope = {
    account: security,
    region: r.region,
    resourceArn: read ? guardDutyDetectorArn(r.region, security, read.detectorId) : accountRoot(security),
  };
  const want = { autoEnableOrganizationMembers: g.autoEnable, features: g.features, autoEnable: g.autoEnable };
  const unreachable = blocked(metadata, o, scope, want);
  if (unreachable) return unreachable;
  // Without the designation no organization configuration of the security account applies (and reading it is refused).
  const admin = r.adminAccounts.ok ? r.adminAccounts.value.find((a) => a.accountId === security) : undefined;
  if (r.adminAccounts.ok && admin?.status !== "ENABLED")
    return verdict(
      metadata,
      scope,
      want,
      null,
      [
        `the security account ${security} is not GuardDuty's enabled delegated administrator in ${r.region}, so no organization configuration of its applies: no member is auto-enabled`,
      ],
      "",
    );
  const stop = blocked(metadata, o, scope, want, r.configuration);
  if (stop) return stop;
  if (!read)
    return verdict(
      metadata,
      scope,
      want,
      null,
      [
        `the security account ${security} has no GuardDuty detector in ${r.region}, so there is no organization configuration: no member is auto-enabled`,
      ],
      "",
    );
  const problems: string[] = [];
  const members = read.autoEnableOrganizationMembers;
  if (members !== g.autoEnable)
    problems.push(
      members === undefined
        ? `the organization configuration reports no AutoEnableOrganizationMembers (intended ${g.autoEnable})`
        : `AutoEnableOrganizationMembers is ${members}, not ${g.autoEnable}: ${WHY[members] ?? "members are not all enabled"}`,
    );
  for (const f of g.features) {
    const have = read.features.find((x) => x.name === f.name);
    if (!have) {
      problems.push(`feature ${f.name} is not in the organization configuration (not auto-enabled)`);
      continue;
    }
    if (have.autoEnable !== g.autoEnable)
      problems.push(
        `feature ${f.name} auto-enables ${have.autoEnable ?? "(nothing)"}, not ${g.autoEnable}${have.autoEnable && WHY[have.autoEnable] ? ` (${WHY[have.autoEnable]})` : ""}`,
      );
    for (const name of f.additionalConfigurations) {
      const extra = have.additional.find((x) => x.name === name);
      if (!extra) problems.push(`feature ${f.name} has no additional configuration ${name}`);
      else if (extra.autoEnable !== g.autoEnable)
        problems.push(
          `feature ${f.name}'s ${name} auto-enables ${extra.autoEnable ?? "(nothing)"}, not ${g.autoEnable}`,
        );
    }
  }
  if (read.memberAccountLimitReached)
    problems.push(
      "MemberAccountLimitReached is true: the organization has as many GuardDuty members as the administrator may have, so further accounts are not enabled",
    );
  const names = g.features
    .map((f) => (f.additionalConfigurations.length ? `${f.name} (${f.additionalConfigurations.join(", ")})` : f.name))
    .join(", ");
  return verdict(
    metadata,
    scope,
    want,
    read,
    problems,
    `Detector ${read.detectorId}'s organization configuration in ${r.region} auto-enables ${g.autoEnable} members and, for ${g.autoEnable}, ${names || "no feature (none intended)"}; the member account limit is not reached.`,
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
          message: `${metadata.title}: not judged, because the audit manifest has no guardDuty area (a manifest published before it). Run \`pulumi up\` on stack ${intended.stack} to publish the current manifest; until then GuardDuty's delegation and organization configuration are not audited.`,
        },
      ),
    ];
  const { managementAccountId: mgmt, securityAccountId: security } = intended.organization;
  return auditedRegions(observed, intended).flatMap((region) => {
    const r = observed.guardDutyOrganization?.regions.find((x) => x.region === region);
    if (!r)
      return [
        notCollected({ account: mgmt, region, resourceArn: accountRoot(mgmt) }, "ListOrganizationAdminAccounts", {
          adminAccountId: security,
        }),
        notCollected(
          { account: security, region, resourceArn: accountRoot(security) },
          "DescribeOrganizationConfiguration",
          g,
        ),
      ];
    return [adminFinding(observed, r, intended), configurationFinding(observed, r, intended, g)];
  });
}
