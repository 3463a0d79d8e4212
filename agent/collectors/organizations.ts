/**
 * Organizations (management account): the organization id and feature set, the roots with their
 * policy types, every account with its OU path, the SCPs with their targets, the trusted services,
 * and every delegated administrator with the services it administers.
 */
import {
  DescribeOrganizationCommand,
  DescribePolicyCommand,
  paginateListAccountsForParent,
  paginateListAWSServiceAccessForOrganization,
  paginateListDelegatedAdministrators,
  paginateListDelegatedServicesForAccount,
  paginateListOrganizationalUnitsForParent,
  paginateListPolicies,
  paginateListRoots,
  paginateListTargetsForPolicy,
  type OrganizationsClient,
} from "@aws-sdk/client-organizations";
import pLimit from "p-limit";
import type { PolicyDocument } from "../../baseline";
import {
  collected,
  failed,
  type Collected,
  type CollectError,
  type ObservedDelegatedAdministrator,
  type ObservedOrganization,
  type ObservedRoot,
  type ObservedScp,
  type OrgAccount,
} from "../model";
import type { Root } from "@aws-sdk/client-organizations";
import { attempt, drain, toCollectError, type CallScope } from "./common";

const GLOBAL = "global";
/** Organizations allows only a few requests per second per account: fan-out stays small so retries are rare. */
const ORG_CALLS_IN_FLIGHT = 4;

export async function collectOrganization(org: OrganizationsClient, account: string): Promise<ObservedOrganization> {
  const scope = (operation: string): CallScope => ({ service: "organizations", operation, account, region: GLOBAL });
  // One ListRoots: the tree walk starts from it and organization-settings reads its policy types.
  const roots = attempt(scope("ListRoots"), () => drain(paginateListRoots({ client: org }, {}), (p) => p.Roots));
  const [described, accounts, scps, enabledServicePrincipals, delegatedAdministrators] = await Promise.all([
    attempt(scope("DescribeOrganization"), async () => {
      const r = await org.send(new DescribeOrganizationCommand({}));
      if (!r.Organization?.Id)
        throw Object.assign(new Error("DescribeOrganization returned no id"), { name: "MalformedResponse" });
      return { id: r.Organization.Id, featureSet: r.Organization.FeatureSet ?? "" };
    }),
    roots.then((r) => listAccounts(org, scope, r)),
    listScps(org, scope),
    attempt(scope("ListAWSServiceAccessForOrganization"), () =>
      drain(paginateListAWSServiceAccessForOrganization({ client: org }, {}), (p) =>
        p.EnabledServicePrincipals?.map((s) => s.ServicePrincipal ?? ""),
      ),
    ),
    listDelegatedAdministrators(org, scope),
  ]);
  const rootsRead = await roots;
  return {
    organizationId: described.ok ? collected(described.value.id) : described,
    featureSet: described.ok ? collected(described.value.featureSet) : described,
    accounts,
    scps,
    enabledServicePrincipals,
    roots: rootsRead.ok ? collected(rootsRead.value.map(observedRoot)) : rootsRead,
    delegatedAdministrators,
  };
}

function observedRoot(r: Root): ObservedRoot {
  return {
    id: r.Id ?? "",
    policyTypes: (r.PolicyTypes ?? []).map((t) => ({ type: t.Type ?? "", status: t.Status ?? "" })),
  };
}

/**
 * Every delegated administrator (one unfiltered ListDelegatedAdministrators: a filter per service
 * would cost a call per service and miss the services nobody asked about), then the services of each
 * (ListDelegatedServicesForAccount): a handful of accounts, so a handful of calls.
 */
async function listDelegatedAdministrators(
  org: OrganizationsClient,
  scope: (op: string) => CallScope,
): Promise<Collected<ObservedDelegatedAdministrator[]>> {
  const admins = await attempt(scope("ListDelegatedAdministrators"), () =>
    drain(paginateListDelegatedAdministrators({ client: org }, {}), (p) => p.DelegatedAdministrators),
  );
  if (!admins.ok) return admins;
  const limit = pLimit(ORG_CALLS_IN_FLIGHT);
  return attempt(scope("ListDelegatedServicesForAccount"), async () => {
    const read = await Promise.all(
      admins.value.map((a) =>
        limit(async (): Promise<ObservedDelegatedAdministrator> => {
          const accountId = a.Id ?? "";
          const services = await drain(
            paginateListDelegatedServicesForAccount({ client: org }, { AccountId: accountId }),
            (p) => p.DelegatedServices,
          );
          return {
            accountId,
            name: a.Name ?? "",
            // `State` replaces the deprecated `Status`, as for ListAccountsForParent.
            status: a.State ?? a.Status ?? "UNKNOWN",
            services: services.map((s) => s.ServicePrincipal ?? "").filter((s) => s.length > 0),
          };
        }),
      ),
    );
    return read.sort((x, y) => x.accountId.localeCompare(y.accountId));
  });
}

/**
 * Every account with its OU path, from one walk of the organization tree (ListRoots, then per root
 * and OU ListOrganizationalUnitsForParent and ListAccountsForParent). The calls grow with the
 * number of OUs and pages, not of accounts: one ListParents per account would cost a 1,000-account
 * organization 1,000 calls against Organizations' few requests per second.
 */
async function listAccounts(
  org: OrganizationsClient,
  scope: (op: string) => CallScope,
  roots: Collected<Root[]>,
): Promise<Collected<OrgAccount[]>> {
  if (!roots.ok) return roots;
  const limit = pLimit(ORG_CALLS_IN_FLIGHT);
  const accounts: OrgAccount[] = [];
  // The first call that fails names the ERROR, so it says which call could not list the tree.
  let failure: CollectError | undefined;
  const read = async <T>(operation: string, call: () => Promise<T>): Promise<T> => {
    try {
      return await limit(call);
    } catch (err) {
      failure ??= toCollectError(err, scope(operation));
      throw err;
    }
  };
  const walk = async (parentPath: string[]): Promise<void> => {
    if (parentPath.length > MAX_TREE_DEPTH)
      throw Object.assign(new Error(`OU chain under ${parentPath.at(-1)} is deeper than AWS allows`), {
        name: "MalformedResponse",
      });
    const parentId = parentPath[0];
    const [children, ous] = await Promise.all([
      read("ListAccountsForParent", () =>
        drain(paginateListAccountsForParent({ client: org }, { ParentId: parentId }), (p) => p.Accounts),
      ),
      read("ListOrganizationalUnitsForParent", () =>
        drain(
          paginateListOrganizationalUnitsForParent({ client: org }, { ParentId: parentId }),
          (p) => p.OrganizationalUnits,
        ),
      ),
    ]);
    for (const a of children) {
      accounts.push({
        id: a.Id ?? "",
        name: a.Name ?? "",
        email: a.Email ?? "",
        // `State` replaces the deprecated `Status`; read both so older and newer responses agree.
        status: (a as { State?: string }).State ?? a.Status ?? "UNKNOWN",
        parentPath,
      });
    }
    await Promise.all(ous.map((ou) => walk([ou.Id ?? "", ...parentPath])));
  };
  try {
    await Promise.all(roots.value.map((r) => walk([r.Id ?? ""])));
  } catch (err) {
    return failed(failure ?? toCollectError(err, scope("ListAccountsForParent")));
  }
  return collected(accounts.sort((a, b) => a.id.localeCompare(b.id)));
}

/** A root, then at most five levels of OUs (AWS's limit): a deeper chain is a malformed answer. */
const MAX_TREE_DEPTH = 6;

async function listScps(org: OrganizationsClient, scope: (op: string) => CallScope) {
  const listed = await attempt(scope("ListPolicies"), () =>
    drain(paginateListPolicies({ client: org }, { Filter: "SERVICE_CONTROL_POLICY" }), (p) => p.Policies),
  );
  if (!listed.ok) return listed;
  const limit = pLimit(ORG_CALLS_IN_FLIGHT);
  return attempt(scope("DescribePolicy"), () =>
    Promise.all(
      listed.value.map((summary): Promise<ObservedScp> =>
        limit(async () => {
          const id = summary.Id ?? "";
          const [described, targets] = await Promise.all([
            org.send(new DescribePolicyCommand({ PolicyId: id })),
            drain(paginateListTargetsForPolicy({ client: org }, { PolicyId: id }), (p) => p.Targets),
          ]);
          return {
            id,
            name: summary.Name ?? "",
            content: parsePolicy(described.Policy?.Content, `SCP ${id}`),
            targets: targets.map((t) => t.TargetId ?? "").filter((t) => t.length > 0),
          };
        }),
      ),
    ),
  );
}

export function parsePolicy(text: string | undefined, what: string): PolicyDocument {
  if (!text) throw Object.assign(new Error(`${what} has no policy text`), { name: "MalformedResponse" });
  try {
    return JSON.parse(text) as PolicyDocument;
  } catch (err) {
    if (!(err instanceof SyntaxError)) throw err;
    throw Object.assign(new Error(`${what} is not valid JSON`), { name: "MalformedPolicyDocument" });
  }
}
