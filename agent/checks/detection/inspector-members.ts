/**
 * inspector-members (every ACTIVE account × governed region, but the management and security
 * accounts): the account is an Amazon Inspector member of the security account, ENABLED, with the
 * security account as its delegated administrator (ListMembers, onlyAssociated false, in the
 * security account). One finding per account and region, so the report names the account.
 *
 * Who is judged is who infra associates (infra/program.ts existingMemberAccounts, plus the accounts
 * that join later, which Inspector associates itself): every ACTIVE account except the management
 * account, which orgwarden does not make a member, and the security account, the administrator
 * itself. An account in stackSet.excludeAccounts is judged too: Inspector is laid from the security
 * account, not by the member StackSet, and infra associates it like any other.
 */
import { accountRoot, organizationArn, type AuditManifest } from "../../../baseline";
import type { CheckMetadata, Finding } from "../../finding";
import { failed, type ObservedInspectorMember, type ObservedState } from "../../model";
import { errorFinding, finding, verdict, type CheckContext } from "../common";
import { inspectorNotCollected, inspectorNotPublished } from "../inspector-scope";
import { auditedAccounts, auditedRegions } from "../scope";

export const metadata: CheckMetadata = {
  id: "inspector-members",
  title: "Every member account is an enabled Amazon Inspector member of the security account in every governed region",
  area: "detection",
  severity: "MEDIUM",
  risk: "An account that is not associated with the security account (never associated, disassociated, or another administrator's) has its Inspector scans and findings outside the security account's view: the delegated administrator can neither enable its scans nor see its vulnerabilities.",
  remediation: {
    console:
      "Amazon Inspector console (security account <security-account>, region <region>) → Account management → select account <account> → Actions → Associate, then Activate the scan types (<inspector-resource-types>).",
    cli: "aws inspector2 associate-member --account-id <account> --region <region>; aws inspector2 enable --account-ids <account> --resource-types <inspector-resource-types> --region <region>  (both in the security account)",
    pulumi:
      "infra/detection/inspector.ts lays aws.inspector2.MemberAssociation (detection-inspector-<region>-member-<account>) and an aws.inspector2.Enabler for each member that existed before the delegation; run `pulumi up` on stack <stack> (an account that joined later is associated by Inspector itself: associate it as above).",
  },
  controls: [],
  references: [
    "https://docs.aws.amazon.com/inspector/latest/user/admin-member-relationship.html",
    "https://docs.aws.amazon.com/inspector/latest/user/managing-multiple-accounts.html",
    "https://docs.aws.amazon.com/inspector/v2/APIReference/API_ListMembers.html",
    "https://docs.aws.amazon.com/inspector/v2/APIReference/API_Member.html",
  ],
};

function judge(account: string, region: string, security: string, members: ObservedInspectorMember[]): Finding {
  const scope = { account, region, resourceArn: accountRoot(account) };
  const want = { accountId: account, relationshipStatus: "ENABLED", delegatedAdminAccountId: security };
  const m = members.find((x) => x.accountId === account);
  if (!m)
    return verdict(
      metadata,
      scope,
      want,
      null,
      [
        `account ${account} is not an Inspector member of the security account ${security} in ${region} (ListMembers does not list it): its scans and findings are outside the administrator's view; associate it`,
      ],
      "",
    );
  const problems: string[] = [];
  if (m.relationshipStatus !== "ENABLED")
    problems.push(
      `account ${account}'s Inspector membership in ${region} is ${m.relationshipStatus ?? "in no status"}, not ENABLED`,
    );
  if (m.delegatedAdminAccountId !== security)
    problems.push(
      `its delegated administrator in ${region} is ${m.delegatedAdminAccountId ?? "none"}, not the security account ${security}`,
    );
  return verdict(
    metadata,
    scope,
    want,
    m,
    problems,
    `Account ${account} is an ENABLED Inspector member of the security account ${security} in ${region}.`,
  );
}

export function evaluate(observed: ObservedState, intended: AuditManifest, _ctx: CheckContext): Finding[] {
  if (!intended.inspector) return [inspectorNotPublished(metadata, intended)];
  const { managementAccountId: mgmt, securityAccountId: security } = intended.organization;
  const want = { relationshipStatus: "ENABLED", delegatedAdminAccountId: security };
  const accounts = auditedAccounts(observed);
  if (!accounts.ok)
    return [
      errorFinding(
        metadata,
        { account: "-", region: "global", resourceArn: organizationArn(intended.organization) },
        accounts.error,
        want,
      ),
    ];
  const judged = accounts.value.filter((a) => a !== mgmt && a !== security);
  const out = auditedRegions(observed, intended).flatMap((region) => {
    const cell = (a: string) => ({ account: a, region, resourceArn: accountRoot(a) });
    const down = observed.unreachableAccounts[security];
    const members = down ? failed<never>(down) : observed.inspectorOrganization?.byRegion[region]?.members;
    if (!members)
      return judged.map((a) => errorFinding(metadata, cell(a), inspectorNotCollected(region, "ListMembers"), want));
    if (!members.ok) return judged.map((a) => errorFinding(metadata, cell(a), members.error, want));
    return judged.map((a) => judge(a, region, security, members.value));
  });
  if (out.length > 0) return out;
  return [
    finding(
      metadata,
      { account: "-", region: "global", resourceArn: organizationArn(intended.organization) },
      {
        status: "NOT_APPLICABLE",
        intended: want,
        observed: [],
        message: `${metadata.title}: no ACTIVE account in this run's scope other than the management and security accounts, so nothing was judged.`,
      },
    ),
  ];
}
