import { organizationAccountArn, organizationArn, type AuditManifest } from "../../../baseline";
import type { CheckMetadata, Finding } from "../../finding";
import type { OrgAccount, ObservedState } from "../../model";
import { blocked, finding, type CheckContext } from "../common";

export const metadata: CheckMetadata = {
  id: "accounts-enrolled",
  title: "Every ACTIVE account sits under a governed OU",
  area: "organization",
  severity: "HIGH",
  risk: "An account outside the governed OUs gets neither the logging-protection SCP nor the StackSets that deploy Config and the agents: it can switch off what the organization relies on to see it.",
  remediation: {
    console:
      "AWS Organizations console (management account) → AWS accounts → select the account → Actions → Move → choose a governed OU.",
    cli: "aws organizations move-account --account-id <account> --source-parent-id <current-parent> --destination-parent-id <governed-ou-id>",
    pulumi:
      "Give the account's aws.organizations.Account resource a parentId of a governed OU (or import the account into the stack with that parentId) and run `pulumi up`.",
  },
  controls: [],
  references: [
    "https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_ous.html",
    "https://docs.aws.amazon.com/organizations/latest/APIReference/API_MoveAccount.html",
  ],
};

function judge(m: AuditManifest, a: OrgAccount): Finding {
  const governed = m.organization.governedOus;
  const scope = { account: a.id, region: "global", resourceArn: organizationAccountArn(m.organization, a.id) };
  const under = governed.find((ou) => a.parentPath.includes(ou.id));
  const intended = { under: governed.map((ou) => `${ou.name} (${ou.id})`) };
  const observed = { parentPath: a.parentPath };
  if (under) {
    return finding(metadata, scope, {
      status: "PASS",
      intended,
      observed,
      message: `Account ${a.name} (${a.id}) sits under the governed OU ${under.name} (${under.id}).`,
    });
  }
  if (a.id === m.organization.managementAccountId) {
    return finding(metadata, scope, {
      status: "NOT_APPLICABLE",
      intended,
      observed,
      message: `Account ${a.name} (${a.id}) is the management account: SCPs never apply to it and service-managed StackSets skip it, so OU placement governs nothing; the baseline covers it directly.`,
    });
  }
  return finding(metadata, scope, {
    status: "FAIL",
    intended,
    observed,
    message: `Account ${a.name} (${a.id}) is ACTIVE but not under any governed OU (its parent is ${a.parentPath[0] ?? "unknown"}); move it under ${governed.map((ou) => `${ou.name} (${ou.id})`).join(" or ")}.`,
  });
}

export function evaluate(observed: ObservedState, intended: AuditManifest, _ctx: CheckContext): Finding[] {
  const scope = {
    account: intended.organization.managementAccountId,
    region: "global",
    resourceArn: organizationArn(intended.organization),
  };
  const stop = blocked(metadata, observed, scope, intended.organization.governedOus, observed.organization.accounts);
  if (stop) return [stop];
  const accounts = observed.organization.accounts.ok ? observed.organization.accounts.value : [];
  const wanted = observed.scope?.accounts;
  const active = accounts.filter((a) => a.status === "ACTIVE" && (!wanted || wanted.includes(a.id)));
  if (active.length === 0) {
    return [
      finding(metadata, scope, {
        status: "FAIL",
        intended: "at least the management account",
        observed: accounts,
        message:
          "The organization lists no ACTIVE account in scope; the account list cannot be right — check the --accounts filter and the ListAccounts permission.",
      }),
    ];
  }
  return active.map((a) => judge(intended, a));
}
