/**
 * The shared collection's GuardDuty organization hook (agent/collectors/index.ts stays a few lines):
 * in every region of the run, the delegated administrator from the management account and the
 * organization configuration from the security account, when the manifest has a guardDuty area.
 */
import { GuardDutyClient } from "@aws-sdk/client-guardduty";
import type { AuditManifest } from "../../baseline";
import { failed, type Collected, type ObservedGuardDutyOrganization } from "../model";
import { collectGuardDutyAdmins, collectGuardDutyOrgConfiguration } from "./guardduty";
import type { CollectRuntime, Task } from "./index";

export async function guardDutyOrganizationTask(
  m: AuditManifest,
  rt: CollectRuntime,
  exec: <T>(t: Task<T>) => Promise<T>,
  regions: string[],
): Promise<ObservedGuardDutyOrganization | undefined> {
  if (!m.guardDuty) return undefined;
  const management = m.organization.managementAccountId;
  const security = m.organization.securityAccountId;
  rt.progress?.add(regions.length * 2);
  const read = <T>(account: string, region: string, run: (gd: GuardDutyClient) => Promise<Collected<T>>) =>
    exec<Collected<T>>({
      account,
      region,
      service: "guardduty",
      run: () => run(rt.clients.get(GuardDutyClient, account, region)),
      unreadable: (e) => failed({ ...e, account, region }),
    });
  return {
    managementAccountId: management,
    securityAccountId: security,
    regions: await Promise.all(
      regions.map(async (region) => {
        const [adminAccounts, configuration] = await Promise.all([
          read(management, region, (gd) => collectGuardDutyAdmins(gd, management, region)),
          read(security, region, (gd) => collectGuardDutyOrgConfiguration(gd, security, region)),
        ]);
        return { region, adminAccounts, configuration };
      }),
    ),
  };
}
