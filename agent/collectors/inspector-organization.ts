/**
 * Amazon Inspector's organization, per region of the run, when the manifest has an inspector area:
 * the delegation (ListDelegatedAdminAccounts, management account) and, as delegated administrator,
 * the organization configuration (DescribeOrganizationConfiguration) and the members (ListMembers,
 * onlyAssociated false, so the accounts that are not associated are listed too) of the security
 * account. Inspector's delegation and configuration are regional: each region is its own read.
 */
import {
  DescribeOrganizationConfigurationCommand,
  Inspector2Client,
  paginateListDelegatedAdminAccounts,
  paginateListMembers,
} from "@aws-sdk/client-inspector2";
import type { AuditManifest } from "../../baseline";
import { failed, type CollectError, type ObservedInspectorOrganization, type ObservedInspectorRegion } from "../model";
import { attempt, drain, iso, type CallScope } from "./common";
import type { CollectRuntime, Task } from "./index";

const scopeOf = (operation: string, account: string, region: string): CallScope => ({
  service: "inspector2",
  operation,
  account,
  region,
});

export function collectDelegatedAdmins(
  ins: Inspector2Client,
  account: string,
  region: string,
): Promise<ObservedInspectorRegion["delegatedAdmins"]> {
  return attempt(scopeOf("ListDelegatedAdminAccounts", account, region), async () =>
    (await drain(paginateListDelegatedAdminAccounts({ client: ins }, {}), (p) => p.delegatedAdminAccounts)).map(
      (a) => ({ accountId: a.accountId, status: a.status }),
    ),
  );
}

export async function collectInspectorAdministration(
  ins: Inspector2Client,
  account: string,
  region: string,
): Promise<Pick<ObservedInspectorRegion, "configuration" | "members">> {
  const configuration = await attempt(scopeOf("DescribeOrganizationConfiguration", account, region), async () => {
    const r = await ins.send(new DescribeOrganizationConfigurationCommand({}));
    const a = r.autoEnable;
    return {
      ...(a
        ? {
            autoEnable: Object.fromEntries(
              (["ec2", "ecr", "lambda", "lambdaCode", "codeRepository"] as const).flatMap((k) =>
                a[k] === undefined ? [] : [[k, a[k]]],
              ),
            ),
          }
        : {}),
      ...(r.maxAccountLimitReached === undefined ? {} : { maxAccountLimitReached: r.maxAccountLimitReached }),
    };
  });
  const members = await attempt(scopeOf("ListMembers", account, region), async () =>
    (await drain(paginateListMembers({ client: ins }, { onlyAssociated: false }), (p) => p.members)).map((m) => ({
      accountId: m.accountId,
      relationshipStatus: m.relationshipStatus,
      delegatedAdminAccountId: m.delegatedAdminAccountId,
      ...(m.updatedAt ? { updatedAt: iso(m.updatedAt) } : {}),
    })),
  );
  return { configuration, members };
}

/** Both reads of the security account failed with one error (the account could not be entered, the task timed out). */
export function unreadableInspectorAdministration(
  e: CollectError,
): Pick<ObservedInspectorRegion, "configuration" | "members"> {
  return { configuration: failed(e), members: failed(e) };
}

/** The shared collection's Inspector part: per region, one task in the management account and one in the security account. */
export async function inspectorOrganizationTasks(
  rt: CollectRuntime,
  m: AuditManifest,
  exec: <T>(t: Task<T>) => Promise<T>,
  regions: string[],
): Promise<ObservedInspectorOrganization | undefined> {
  if (!m.inspector) return undefined;
  const mgmt = m.organization.managementAccountId;
  const security = m.organization.securityAccountId;
  rt.progress?.add(regions.length * 2);
  const read = await Promise.all(
    regions.map(async (region) => {
      const [delegatedAdmins, administration] = await Promise.all([
        exec<ObservedInspectorRegion["delegatedAdmins"]>({
          account: mgmt,
          region,
          service: "inspector2",
          run: () => collectDelegatedAdmins(rt.clients.get(Inspector2Client, mgmt, region), mgmt, region),
          unreadable: (e) => failed(e),
        }),
        exec({
          account: security,
          region,
          service: "inspector2",
          run: () =>
            collectInspectorAdministration(rt.clients.get(Inspector2Client, security, region), security, region),
          unreadable: unreadableInspectorAdministration,
        }),
      ]);
      return [region, { delegatedAdmins, ...administration }] as const;
    }),
  );
  return { managementAccountId: mgmt, securityAccountId: security, byRegion: Object.fromEntries(read) };
}
