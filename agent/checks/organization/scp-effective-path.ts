import { organizationAccountArn, organizationArn, type AuditManifest } from "../../../baseline";
import type { CheckMetadata, Finding } from "../../finding";
import type { ObservedScp, ObservedState, OrgAccount } from "../../model";
import { errorFinding, finding, verdict, type CheckContext } from "../common";
import { auditedAccounts } from "../scope";

export const metadata: CheckMetadata = {
  id: "scp-effective-path",
  title: "Every security-baseline SCP applies to each account through its path root → OUs → account",
  area: "organization",
  severity: "HIGH",
  risk: "An SCP protects an account only if it is attached to the account or to an OU or root above it. An account moved under an OU outside the attachment, or an SCP detached from the root but still attached to some OUs, leaves that account's administrators free to stop the trail, delete the Config recorder or disable GuardDuty, while the organization-level view still shows the SCP attached somewhere.",
  remediation: {
    console:
      "AWS Organizations console (management account) → Policies → Service control policies → open each SCP the finding names → Targets → Attach to the root (the baseline's target), or move account <account> back under a governed OU.",
    cli: 'aws organizations list-policies-for-target --target-id <account> --filter SERVICE_CONTROL_POLICY; for p in <scp-ids>; do aws organizations attach-policy --policy-id "$p" --target-id <root-id>; done (a policy already attached there answers DuplicatePolicyAttachmentException, which is harmless)',
    pulumi:
      "Run `pulumi up` on stack <stack>: infra/logging-scp.ts attaches every security-baseline SCP to the organization root (aws.organizations.PolicyAttachment), which puts it on every account's path.",
  },
  controls: [],
  references: [
    "https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_inheritance_auth.html",
    "https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html",
    "https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListTargetsForPolicy.html",
  ],
};

const orgWide = (m: AuditManifest) => ({
  account: "-",
  region: "global",
  resourceArn: organizationArn(m.organization),
});

/** The observed SCP the manifest means: by id once infra knows it, else by name. */
function observedOf(want: AuditManifest["scps"][number], scps: ObservedScp[]): ObservedScp | undefined {
  return want.id ? scps.find((s) => s.id === want.id) : scps.find((s) => s.name === want.name);
}

/** An SCP allows something only through Allow statements; a Deny-only SCP at a level grants nothing there. */
const allowsAnything = (s: ObservedScp) => s.content.Statement.some((st) => st.Effect === "Allow");

function levelName(m: AuditManifest, id: string, account: string): string {
  if (id === account) return `the account ${id}`;
  if (id === m.organization.rootId || id.startsWith("r-")) return `the root ${id}`;
  const ou = m.organization.governedOus.find((o) => o.id === id);
  return ou ? `OU ${ou.name} (${id})` : `OU ${id}`;
}

function judgeAccount(m: AuditManifest, scps: ObservedScp[], a: OrgAccount): Finding {
  const scope = {
    account: a.id,
    region: "global",
    resourceArn: organizationAccountArn(m.organization, a.id),
  };
  // The account's path, root last: [account, direct parent, …, root].
  const path = [a.id, ...a.parentPath];
  const pathText = [...path]
    .reverse()
    .map((id) => levelName(m, id, a.id))
    .join(" → ");
  const intended = { path: [...path].reverse(), scps: m.scps.map((s) => s.name) };
  if (a.id === m.organization.managementAccountId)
    return finding(metadata, scope, {
      status: "NOT_APPLICABLE",
      intended,
      observed: null,
      message: `SCPs never restrict the management account ${a.id} (AWS Organizations), so no SCP can protect its logging; its protection is that nobody but the baseline's deploy role administers it.`,
    });
  const problems: string[] = [];
  const applied: string[] = [];
  for (const want of m.scps) {
    const have = observedOf(want, scps);
    if (!have) {
      problems.push(`SCP ${want.name}${want.id ? ` (${want.id})` : ""} does not exist in the organization`);
      continue;
    }
    const at = path.filter((id) => have.targets.includes(id));
    if (at.length === 0)
      problems.push(
        `SCP ${want.name} (${have.id}) is not attached anywhere on the path ${pathText}${have.targets.length > 0 ? ` (it is attached to ${have.targets.join(", ")} only)` : " (it is attached to nothing)"}; attach it to the root: aws organizations attach-policy --policy-id ${have.id} --target-id ${m.organization.rootId}`,
      );
    else applied.push(`${want.name} through ${at.map((id) => levelName(m, id, a.id)).join(" and ")}`);
  }
  // Every level must allow, or the intersection denies everything: not a logging gap, but said.
  const closed = path.filter((id) => !scps.some((s) => s.targets.includes(id) && allowsAnything(s)));
  const note =
    closed.length > 0
      ? ` Note: no SCP with an Allow is attached at ${closed.map((id) => levelName(m, id, a.id)).join(", ")}, so every action in this account is denied (FullAWSAccess or another allow is missing there); that locks the account down and is not a logging gap.`
      : "";
  return verdict(
    metadata,
    scope,
    intended,
    { path: [...path].reverse(), applied },
    problems,
    `Every security-baseline SCP applies to account ${a.id} on its path ${pathText}: ${applied.join("; ")}. A Deny in an SCP cannot be overridden by an Allow anywhere, so attached on the path is in effect.${note}`,
  );
}

/**
 * One finding per ACTIVE account in scope, from the tree walk and the SCPs' targets the plan
 * already read (ListTargetsForPolicy per SCP: its cost grows with the SCPs, not with accounts or
 * OUs). An SCP can only narrow what an account may do, and a Deny can never be overridden, so the
 * baseline's protection is removed only when one of its SCPs is attached nowhere on the account's
 * path; a changed SCP content is scp-logging-present's finding.
 */
export function evaluate(observed: ObservedState, intended: AuditManifest, _ctx: CheckContext): Finding[] {
  const org = observed.organization;
  const want = { scps: intended.scps.map((s) => s.name) };
  // The tree and the SCPs are read in the management account: if it could not be entered, neither is known.
  const entry = observed.unreachableAccounts[intended.organization.managementAccountId];
  if (entry) return [errorFinding(metadata, orgWide(intended), entry, want)];
  if (!org.accounts.ok) return [errorFinding(metadata, orgWide(intended), org.accounts.error, want)];
  if (!org.scps.ok) return [errorFinding(metadata, orgWide(intended), org.scps.error, want)];
  const scoped = auditedAccounts(observed);
  const ids = scoped.ok ? scoped.value : [];
  const accounts = org.accounts.value.filter((a) => ids.includes(a.id));
  const scps = org.scps.value;
  const out = accounts.map((a) => judgeAccount(intended, scps, a));
  if (out.length > 0) return out;
  return [
    finding(metadata, orgWide(intended), {
      status: "NOT_APPLICABLE",
      intended: want,
      observed: [],
      message: `${metadata.title}: no ACTIVE account is in this run's scope, so nothing was judged.`,
    }),
  ];
}
