import type { AuditManifest } from "../../../baseline";
import { comparePolicies, describeDrift } from "../../../baseline/policy-compare";
import type { CheckMetadata, Finding } from "../../finding";
import type { ObservedState } from "../../model";
import { blocked, finding, sentence, type CheckContext } from "../common";
import { baselineRoles, memberRoleSubjects, noRolesListed, roleLabel, type JudgedRole } from "../iam-roles-of";

export const metadata: CheckMetadata = {
  id: "iam-role-permissions",
  title: "Every role the baseline depends on holds exactly the intended permissions",
  area: "iam-roles",
  severity: "HIGH",
  risk: "A role's inline and attached managed policies decide what whoever assumes it can do: an extra policy gives the agent, the log auditor, the trail's delivery role, an account's audit read role (meant to read, never write) or its event forwarder (meant only to put events on the central bus) powers the baseline never granted (and whoever can assume it gets them too); a missing or narrowed one breaks the audit, the integrity check, delivery or the forwarding of findings.",
  remediation: {
    console:
      "IAM console (the role's account) → Roles → the role → Permissions: remove the extra policies, restore the intended ones (the finding names each).",
    cli: "aws iam delete-role-policy --role-name <role-name> --policy-name <policy>; aws iam detach-role-policy --role-name <role-name> --policy-arn <policy-arn>; aws iam put-role-policy --role-name <role-name> --policy-name <policy> --policy-document file://<policy-file>",
    pulumi:
      "Run `pulumi up` on the orgwarden stack: every role's inline policy is built from baseline/ (the read role's audit-extra-read and the forwarder's put-events-central-bus in the member baseline's stacks, which a stack instance update re-applies); neither Pulumi nor CloudFormation removes a policy it did not create, so delete an extra one with the CLI.",
  },
  controls: [],
  references: [
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_manage-attach-detach.html",
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-vs-inline.html",
  ],
};

function problemsOf(r: JudgedRole, inline: Record<string, unknown>, managed: string[]): string[] {
  const role = r.intent.roleName;
  const want = r.intent.inlinePolicies;
  const problems: string[] = [];
  for (const name of Object.keys(inline)
    .filter((n) => !(n in want))
    .sort())
    problems.push(
      `extra inline policy ${name}: remove it (aws iam delete-role-policy --role-name ${role} --policy-name ${name})`,
    );
  for (const name of Object.keys(want).sort()) {
    if (!(name in inline)) {
      problems.push(
        `inline policy ${name} is missing: restore it (pulumi up, or aws iam put-role-policy --role-name ${role} --policy-name ${name} --policy-document file://<policy-file>)`,
      );
      continue;
    }
    const diff = comparePolicies(want[name], inline[name] as (typeof want)[string]);
    if (diff.equal) continue;
    const lines = (["added", "removed", "changed"] as const).flatMap((k) => diff[k].map((d) => describeDrift(k, d)));
    problems.push(`inline policy ${name} differs from the intended one (${lines.join("; ")}): restore it (pulumi up)`);
  }
  for (const arn of managed.filter((a) => !r.intent.managedPolicyArns.includes(a)))
    problems.push(
      `extra managed policy ${arn}: detach it (aws iam detach-role-policy --role-name ${role} --policy-arn ${arn})`,
    );
  for (const arn of r.intent.managedPolicyArns.filter((a) => !managed.includes(a)))
    problems.push(
      `managed policy ${arn} is not attached: attach it (aws iam attach-role-policy --role-name ${role} --policy-arn ${arn})`,
    );
  return problems;
}

function judge(o: ObservedState, r: JudgedRole): Finding {
  const want = { inlinePolicies: r.intent.inlinePolicies, managedPolicyArns: r.intent.managedPolicyArns };
  const stop = blocked(
    metadata,
    o,
    r.scope,
    want,
    r.observed.trust,
    r.observed.inlinePolicies,
    r.observed.managedPolicyArns,
  );
  if (stop) return stop;
  const exists = r.observed.trust.ok && r.observed.trust.value !== undefined;
  const inline = r.observed.inlinePolicies.ok ? r.observed.inlinePolicies.value : {};
  const managed = r.observed.managedPolicyArns.ok ? r.observed.managedPolicyArns.value : [];
  const who = roleLabel(r.intent);
  const problems = exists
    ? problemsOf(r, inline, managed)
    : [`${who} does not exist; run \`pulumi up\` on the orgwarden stack to lay it again`];
  return finding(metadata, r.scope, {
    status: problems.length === 0 ? "PASS" : "FAIL",
    intended: want,
    observed: exists ? { inlinePolicies: inline, managedPolicyArns: managed } : null,
    message:
      problems.length === 0
        ? `The permissions of ${who} mean the same as the intended ones (${Object.keys(inline).length} inline, ${managed.length} managed).`
        : sentence(exists ? `The permissions of ${who} drifted: ${problems.join("; ")}` : problems[0]),
  });
}

/** One finding per role, and per account × member role (resource = the role's ARN, region "global"). */
export function evaluate(observed: ObservedState, intended: AuditManifest, _ctx: CheckContext): Finding[] {
  const shared = intended.roles?.shared.length
    ? baselineRoles(observed, intended).map((r) => judge(observed, r))
    : [noRolesListed(metadata, intended)];
  const members = memberRoleSubjects(metadata, observed, intended);
  return [...shared, ...members.findings, ...members.roles.map((r) => judge(observed, r))];
}
