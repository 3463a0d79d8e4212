/** Organizations (management account): the organization id, every account with its OU path, and the SCPs with their targets. */
import {
  DescribeOrganizationCommand,
  DescribePolicyCommand,
  ListParentsCommand,
  paginateListAccounts,
  paginateListPolicies,
  paginateListTargetsForPolicy,
  type OrganizationsClient,
} from "@aws-sdk/client-organizations";
import pLimit from "p-limit";
import type { PolicyDocument } from "../../baseline";
import type { ObservedOrganization, ObservedScp, OrgAccount } from "../model";
import { attempt, drain, type CallScope } from "./common";

const GLOBAL = "global";
/** Organizations allows only a few requests per second per account: fan-out stays small so retries are rare. */
const ORG_CALLS_IN_FLIGHT = 4;

export async function collectOrganization(org: OrganizationsClient, account: string): Promise<ObservedOrganization> {
  const scope = (operation: string): CallScope => ({ service: "organizations", operation, account, region: GLOBAL });
  const [organizationId, accounts, scps] = await Promise.all([
    attempt(scope("DescribeOrganization"), async () => {
      const r = await org.send(new DescribeOrganizationCommand({}));
      if (!r.Organization?.Id) throw Object.assign(new Error("DescribeOrganization returned no id"), { name: "MalformedResponse" });
      return r.Organization.Id;
    }),
    listAccounts(org, scope),
    listScps(org, scope),
  ]);
  return { organizationId, accounts, scps };
}

async function listAccounts(org: OrganizationsClient, scope: (op: string) => CallScope) {
  const listed = await attempt(scope("ListAccounts"), () => drain(paginateListAccounts({ client: org }, {}), (p) => p.Accounts));
  if (!listed.ok) return listed;
  const parents = new ParentResolver(org);
  const limit = pLimit(ORG_CALLS_IN_FLIGHT);
  return attempt(scope("ListParents"), () =>
    Promise.all(
      listed.value.map(
        (a): Promise<OrgAccount> => limit(async () => ({
          id: a.Id ?? "",
          name: a.Name ?? "",
          email: a.Email ?? "",
          // `State` replaces the deprecated `Status`; read both so older and newer responses agree.
          status: (a as { State?: string }).State ?? a.Status ?? "UNKNOWN",
          parentPath: await parents.pathOf(a.Id ?? ""),
        })),
      ),
    ),
  );
}

/** Walks ListParents up to the root, caching each child → parent edge (OUs are shared by many accounts). */
class ParentResolver {
  private readonly parentOf = new Map<string, Promise<string | undefined>>();
  constructor(private readonly org: OrganizationsClient) {}

  async pathOf(childId: string): Promise<string[]> {
    const path: string[] = [];
    let id: string | undefined = childId;
    while (id) {
      id = await this.parent(id);
      if (id) path.push(id);
      if (path.length > 10) throw Object.assign(new Error(`OU chain of ${childId} is deeper than AWS allows`), { name: "MalformedResponse" });
    }
    return path;
  }

  private parent(childId: string): Promise<string | undefined> {
    // A root has no parent; asking would fail, so stop at an r- id.
    if (childId.startsWith("r-")) return Promise.resolve(undefined);
    let p = this.parentOf.get(childId);
    if (!p) {
      p = this.org.send(new ListParentsCommand({ ChildId: childId })).then((r) => r.Parents?.[0]?.Id);
      this.parentOf.set(childId, p);
    }
    return p;
  }
}

async function listScps(org: OrganizationsClient, scope: (op: string) => CallScope) {
  const listed = await attempt(scope("ListPolicies"), () =>
    drain(paginateListPolicies({ client: org }, { Filter: "SERVICE_CONTROL_POLICY" }), (p) => p.Policies),
  );
  if (!listed.ok) return listed;
  const limit = pLimit(ORG_CALLS_IN_FLIGHT);
  return attempt(scope("DescribePolicy"), () =>
    Promise.all(
      listed.value.map((summary): Promise<ObservedScp> => limit(async () => {
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
      })),
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
