/**
 * GuardDuty (each account × region): the detectors, whether each is enabled, its finding
 * publishing frequency and its protection features (one GetDetector per detector). And, when the
 * manifest has a guardDuty area, per governed region: the delegated administrator
 * (ListOrganizationAdminAccounts, management account) and the organization configuration
 * (DescribeOrganizationConfiguration on the security account's detector).
 */
import {
  GetDetectorCommand,
  paginateDescribeOrganizationConfiguration,
  paginateListDetectors,
  paginateListOrganizationAdminAccounts,
  type DetectorFeatureConfigurationResult,
  type GuardDutyClient,
} from "@aws-sdk/client-guardduty";
import type {
  Collected,
  ObservedGuardDutyDetector,
  ObservedGuardDutyFeature,
  ObservedGuardDutyOrgConfiguration,
} from "../model";
import { attempt, drain, type CallScope } from "./common";

const scopeOf =
  (account: string, region: string) =>
  (operation: string): CallScope => ({ service: "guardduty", operation, account, region });

function feature(f: DetectorFeatureConfigurationResult): ObservedGuardDutyFeature {
  return {
    name: f.Name ?? "",
    ...(f.Status ? { status: f.Status } : {}),
    additional: (f.AdditionalConfiguration ?? []).map((a) => ({
      name: a.Name ?? "",
      ...(a.Status ? { status: a.Status } : {}),
    })),
  };
}

export async function collectGuardDuty(
  gd: GuardDutyClient,
  account: string,
  region: string,
): Promise<Collected<ObservedGuardDutyDetector[]>> {
  const scope = scopeOf(account, region);
  const ids = await attempt(scope("ListDetectors"), () =>
    drain(paginateListDetectors({ client: gd }, {}), (p) => p.DetectorIds),
  );
  if (!ids.ok) return ids;
  return attempt(scope("GetDetector"), () =>
    Promise.all(
      ids.value.map(async (detectorId) => {
        const d = await gd.send(new GetDetectorCommand({ DetectorId: detectorId }));
        return {
          detectorId,
          status: d.Status ?? "UNKNOWN",
          ...(d.FindingPublishingFrequency ? { findingPublishingFrequency: d.FindingPublishingFrequency } : {}),
          features: (d.Features ?? []).map(feature),
        };
      }),
    ),
  );
}

/** The organization's GuardDuty administrators in one region (management account). */
export function collectGuardDutyAdmins(
  gd: GuardDutyClient,
  account: string,
  region: string,
): Promise<Collected<{ accountId?: string; status?: string }[]>> {
  return attempt(scopeOf(account, region)("ListOrganizationAdminAccounts"), () =>
    drain(paginateListOrganizationAdminAccounts({ client: gd }, {}), (p) =>
      (p.AdminAccounts ?? []).map((a) => ({
        ...(a.AdminAccountId ? { accountId: a.AdminAccountId } : {}),
        ...(a.AdminStatus ? { status: a.AdminStatus } : {}),
      })),
    ),
  );
}

/**
 * The organization configuration of the administrator's detector in one region (security
 * account); undefined when the account has no detector there (there is then nothing to configure).
 * Features are judged, not the deprecated AutoEnable / DataSources; the pages' Features are joined.
 */
export async function collectGuardDutyOrgConfiguration(
  gd: GuardDutyClient,
  account: string,
  region: string,
): Promise<Collected<ObservedGuardDutyOrgConfiguration | undefined>> {
  const scope = scopeOf(account, region);
  const ids = await attempt(scope("ListDetectors"), () =>
    drain(paginateListDetectors({ client: gd }, {}), (p) => p.DetectorIds),
  );
  if (!ids.ok) return ids;
  // GuardDuty allows one detector per account and region.
  const detectorId = ids.value[0];
  if (detectorId === undefined) return { ok: true, value: undefined };
  return attempt(scope("DescribeOrganizationConfiguration"), async () => {
    const out: ObservedGuardDutyOrgConfiguration = { detectorId, features: [] };
    for await (const p of paginateDescribeOrganizationConfiguration({ client: gd }, { DetectorId: detectorId })) {
      if (p.AutoEnableOrganizationMembers) out.autoEnableOrganizationMembers = p.AutoEnableOrganizationMembers;
      if (p.MemberAccountLimitReached !== undefined) out.memberAccountLimitReached = p.MemberAccountLimitReached;
      for (const f of p.Features ?? [])
        out.features.push({
          name: f.Name ?? "",
          ...(f.AutoEnable ? { autoEnable: f.AutoEnable } : {}),
          additional: (f.AdditionalConfiguration ?? []).map((a) => ({
            name: a.Name ?? "",
            ...(a.AutoEnable ? { autoEnable: a.AutoEnable } : {}),
          })),
        });
    }
    return out;
  });
}
