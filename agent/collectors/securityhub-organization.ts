/**
 * Security Hub's organization setup (shared collection, when the manifest has a securityHub area):
 * the delegated administrator of each governed region (management account,
 * ListOrganizationAdminAccounts), and in the security account the organization configuration
 * (DescribeOrganizationConfiguration), under central the configuration policy of the intended name
 * and the root's association, the finding aggregators (home region), and the enabled standards of
 * each governed region. Every call goes through attempt(): a failed read is a
 * CollectError the checks turn into ERROR, never an empty answer.
 */
import {
  GetConfigurationPolicyAssociationCommand,
  GetConfigurationPolicyCommand,
  DescribeOrganizationConfigurationCommand,
  GetFindingAggregatorCommand,
  paginateGetEnabledStandards,
  paginateListConfigurationPolicies,
  paginateListFindingAggregators,
  paginateListOrganizationAdminAccounts,
  SecurityHubClient,
} from "@aws-sdk/client-securityhub";
import type { AuditManifest } from "../../baseline";
import { securityHubIntent } from "../../baseline/detection/security-hub";
import {
  failed,
  type Collected,
  type CollectError,
  type ObservedSecurityHubAdmin,
  type ObservedSecurityHubConfigurationPolicy,
  type ObservedSecurityHubFindingAggregator,
  type ObservedSecurityHubOrganization,
  type ObservedSecurityHubOrganizationConfiguration,
  type ObservedSecurityHubPolicyAssociation,
  type ObservedSecurityHubStandard,
} from "../model";
import { attempt, attemptOrAbsent, drain, type CallScope } from "./common";
import type { CollectRuntime, Task } from "./index";

const scopeOf = (operation: string, account: string, region: string): CallScope => ({
  service: "securityhub",
  operation,
  account,
  region,
});

export function collectAdminAccounts(
  sh: SecurityHubClient,
  account: string,
  region: string,
): Promise<Collected<ObservedSecurityHubAdmin[]>> {
  return attempt(scopeOf("ListOrganizationAdminAccounts", account, region), async () => {
    const admins = await drain(paginateListOrganizationAdminAccounts({ client: sh }, {}), (p) => p.AdminAccounts);
    return admins.map((a) => ({ accountId: a.AccountId ?? "", ...(a.Status ? { status: a.Status } : {}) }));
  });
}

export function collectOrganizationConfiguration(
  sh: SecurityHubClient,
  account: string,
  region: string,
): Promise<Collected<ObservedSecurityHubOrganizationConfiguration>> {
  return attempt(scopeOf("DescribeOrganizationConfiguration", account, region), async () => {
    const r = await sh.send(new DescribeOrganizationConfigurationCommand({}));
    const c = r.OrganizationConfiguration;
    return {
      ...(r.AutoEnable !== undefined ? { autoEnable: r.AutoEnable } : {}),
      ...(r.AutoEnableStandards ? { autoEnableStandards: r.AutoEnableStandards } : {}),
      ...(c?.ConfigurationType ? { configurationType: c.ConfigurationType } : {}),
      ...(c?.Status ? { status: c.Status } : {}),
      ...(c?.StatusMessage ? { statusMessage: c.StatusMessage } : {}),
      ...(r.MemberAccountLimitReached !== undefined ? { memberAccountLimitReached: r.MemberAccountLimitReached } : {}),
    };
  });
}

/**
 * Every configuration policy named `name` (ListConfigurationPolicies, then GetConfigurationPolicy
 * on each): none is an empty list; more than one is for the check to name.
 */
export async function collectConfigurationPolicies(
  sh: SecurityHubClient,
  account: string,
  region: string,
  name: string,
): Promise<Collected<ObservedSecurityHubConfigurationPolicy[]>> {
  const listed = await attempt(scopeOf("ListConfigurationPolicies", account, region), () =>
    drain(paginateListConfigurationPolicies({ client: sh }, {}), (p) => p.ConfigurationPolicySummaries),
  );
  if (!listed.ok) return listed;
  const ids = listed.value.filter((p) => p.Name === name && p.Id).map((p) => p.Id!);
  const out: ObservedSecurityHubConfigurationPolicy[] = [];
  for (const id of ids) {
    const got = await attempt(scopeOf("GetConfigurationPolicy", account, region), () =>
      sh.send(new GetConfigurationPolicyCommand({ Identifier: id })),
    );
    if (!got.ok) return got;
    const r = got.value;
    const policy = r.ConfigurationPolicy;
    const hub = policy?.SecurityHub;
    const controls = hub?.SecurityControlsConfiguration;
    out.push({
      id: r.Id ?? id,
      ...(r.Arn ? { arn: r.Arn } : {}),
      name: r.Name ?? name,
      ...(policy && !hub ? { unknownPolicyType: policy.$unknown?.[0] ?? "unknown" } : {}),
      ...(hub?.ServiceEnabled !== undefined ? { serviceEnabled: hub.ServiceEnabled } : {}),
      ...(hub?.EnabledStandardIdentifiers ? { enabledStandardIdentifiers: hub.EnabledStandardIdentifiers } : {}),
      ...(controls?.EnabledSecurityControlIdentifiers
        ? { enabledSecurityControlIdentifiers: controls.EnabledSecurityControlIdentifiers }
        : {}),
      ...(controls?.DisabledSecurityControlIdentifiers
        ? { disabledSecurityControlIdentifiers: controls.DisabledSecurityControlIdentifiers }
        : {}),
      hasSecurityControlsConfiguration: controls !== undefined,
    });
  }
  return { ok: true, value: out };
}

/** The root's association; a root with none is ResourceNotFoundException. */
export function collectRootAssociation(
  sh: SecurityHubClient,
  account: string,
  region: string,
  rootId: string,
): Promise<Collected<ObservedSecurityHubPolicyAssociation | undefined>> {
  return attemptOrAbsent(
    scopeOf("GetConfigurationPolicyAssociation", account, region),
    ["ResourceNotFoundException"],
    async () => {
      const r = await sh.send(new GetConfigurationPolicyAssociationCommand({ Target: { RootId: rootId } }));
      return {
        ...(r.ConfigurationPolicyId ? { configurationPolicyId: r.ConfigurationPolicyId } : {}),
        ...(r.TargetId ? { targetId: r.TargetId } : {}),
        ...(r.AssociationType ? { associationType: r.AssociationType } : {}),
        ...(r.AssociationStatus ? { associationStatus: r.AssociationStatus } : {}),
        ...(r.AssociationStatusMessage ? { associationStatusMessage: r.AssociationStatusMessage } : {}),
      };
    },
  );
}

export async function collectFindingAggregators(
  sh: SecurityHubClient,
  account: string,
  region: string,
): Promise<Collected<ObservedSecurityHubFindingAggregator[]>> {
  const listed = await attempt(scopeOf("ListFindingAggregators", account, region), () =>
    drain(paginateListFindingAggregators({ client: sh }, {}), (p) => p.FindingAggregators),
  );
  if (!listed.ok) return listed;
  const out: ObservedSecurityHubFindingAggregator[] = [];
  for (const arn of listed.value.flatMap((a) => (a.FindingAggregatorArn ? [a.FindingAggregatorArn] : []))) {
    const got = await attempt(scopeOf("GetFindingAggregator", account, region), () =>
      sh.send(new GetFindingAggregatorCommand({ FindingAggregatorArn: arn })),
    );
    if (!got.ok) return got;
    const r = got.value;
    out.push({
      arn: r.FindingAggregatorArn ?? arn,
      ...(r.FindingAggregationRegion ? { aggregationRegion: r.FindingAggregationRegion } : {}),
      ...(r.RegionLinkingMode ? { regionLinkingMode: r.RegionLinkingMode } : {}),
      ...(r.Regions ? { regions: r.Regions } : {}),
    });
  }
  return { ok: true, value: out };
}

export function collectEnabledStandards(
  sh: SecurityHubClient,
  account: string,
  region: string,
): Promise<Collected<ObservedSecurityHubStandard[]>> {
  return attempt(scopeOf("GetEnabledStandards", account, region), async () => {
    const subs = await drain(paginateGetEnabledStandards({ client: sh }, {}), (p) => p.StandardsSubscriptions);
    return subs.map((s) => ({
      standardsArn: s.StandardsArn ?? "",
      ...(s.StandardsStatus ? { status: s.StandardsStatus } : {}),
      ...(s.StandardsStatusReason?.StatusReasonCode ? { statusReason: s.StandardsStatusReason.StatusReasonCode } : {}),
    }));
  });
}

/**
 * The shared collection's hook: one task per governed region in the management account (its
 * administrator), one per governed region in the security account (its standards; in the home
 * region the configuration, policy, association and aggregators; under local every region's configuration).
 */
export async function securityHubOrganizationTask(
  m: AuditManifest,
  rt: CollectRuntime,
  exec: <T>(t: Task<T>) => Promise<T>,
): Promise<ObservedSecurityHubOrganization | undefined> {
  if (!m.securityHub) return undefined;
  const intent = securityHubIntent({ area: m.securityHub, homeRegion: m.regions.home, regions: m.regions.governed });
  const mgmt = m.organization.managementAccountId;
  const security = m.organization.securityAccountId;
  const home = m.regions.home;
  const central = intent.configuration === "central";
  const securityRegions = intent.regions;
  rt.progress?.add(intent.regions.length * 2);
  const sh = (account: string, region: string) => rt.clients.get(SecurityHubClient, account, region);
  const admins = Promise.all(
    intent.regions.map((region) =>
      exec<Collected<ObservedSecurityHubAdmin[]>>({
        account: mgmt,
        region,
        service: "securityhub",
        run: () => collectAdminAccounts(sh(mgmt, region), mgmt, region),
        unreadable: (e) => failed(e),
      }),
    ),
  );
  const reads = Promise.all(
    securityRegions.map((region) =>
      exec<SecurityRegionRead>({
        account: security,
        region,
        service: "securityhub",
        run: () => securityRegionRead(sh(security, region), m, security, region, region === home, central),
        unreadable: (e) =>
          unreadableSecurityRegion(e, region === home, central, intent.organizationRegions.includes(region)),
      }),
    ),
  );
  const [adminReads, securityReads] = await Promise.all([admins, reads]);
  const homeRead = securityReads[securityRegions.indexOf(home)];
  return {
    adminAccountsByRegion: Object.fromEntries(intent.regions.map((r, i) => [r, adminReads[i]])),
    organizationConfigurationByRegion: Object.fromEntries(
      securityRegions.flatMap((r, i) => {
        const c = securityReads[i].organizationConfiguration;
        return c ? [[r, c] as const] : [];
      }),
    ),
    ...(homeRead.configurationPolicies ? { configurationPolicies: homeRead.configurationPolicies } : {}),
    ...(homeRead.rootAssociation ? { rootAssociation: homeRead.rootAssociation } : {}),
    findingAggregators: homeRead.findingAggregators!,
    enabledStandardsByRegion: Object.fromEntries(securityRegions.map((r, i) => [r, securityReads[i].enabledStandards])),
  };
}

interface SecurityRegionRead {
  /** Where infra sets it: the home region under central, every governed region under local. */
  organizationConfiguration?: Collected<ObservedSecurityHubOrganizationConfiguration>;
  configurationPolicies?: Collected<ObservedSecurityHubConfigurationPolicy[]>;
  rootAssociation?: Collected<ObservedSecurityHubPolicyAssociation | undefined>;
  findingAggregators?: Collected<ObservedSecurityHubFindingAggregator[]>;
  enabledStandards: Collected<ObservedSecurityHubStandard[]>;
}

async function securityRegionRead(
  sh: SecurityHubClient,
  m: AuditManifest,
  account: string,
  region: string,
  isHome: boolean,
  central: boolean,
): Promise<SecurityRegionRead> {
  const policyName = m.securityHub?.policyName;
  const [organizationConfiguration, configurationPolicies, rootAssociation, findingAggregators, enabledStandards] =
    await Promise.all([
      isHome || !central ? collectOrganizationConfiguration(sh, account, region) : undefined,
      isHome && central && policyName ? collectConfigurationPolicies(sh, account, region, policyName) : undefined,
      isHome && central ? collectRootAssociation(sh, account, region, m.organization.rootId) : undefined,
      isHome ? collectFindingAggregators(sh, account, region) : undefined,
      collectEnabledStandards(sh, account, region),
    ]);
  return {
    enabledStandards,
    ...(organizationConfiguration ? { organizationConfiguration } : {}),
    ...(configurationPolicies ? { configurationPolicies } : {}),
    ...(rootAssociation ? { rootAssociation } : {}),
    ...(findingAggregators ? { findingAggregators } : {}),
  };
}

function unreadableSecurityRegion(
  e: CollectError,
  isHome: boolean,
  central: boolean,
  organizationRegion: boolean,
): SecurityRegionRead {
  return {
    enabledStandards: failed(e),
    ...(organizationRegion ? { organizationConfiguration: failed(e) } : {}),
    ...(isHome && central ? { configurationPolicies: failed(e), rootAssociation: failed(e) } : {}),
    ...(isHome ? { findingAggregators: failed(e) } : {}),
  };
}
