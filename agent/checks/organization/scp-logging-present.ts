import { organizationArn, scpArn, type AuditManifest } from "../../../baseline";
import { comparePolicies, describeDrift } from "../../../baseline/policy-compare";
import type { CheckMetadata, Finding } from "../../finding";
import type { ObservedScp, ObservedState } from "../../model";
import { blocked, finding, type CheckContext, type Scope } from "../common";

export const metadata: CheckMetadata = {
  id: "scp-logging-present",
  title: "The logging-protection SCP exists, means what the baseline says, and is attached to its targets",
  area: "organization",
  severity: "HIGH",
  risk: "Without the SCP attached, any administrator of a member account can stop the organization trail, delete Config recorders or disable GuardDuty and erase the evidence of what they did next. An edited SCP may carry an exemption nobody reviewed.",
  remediation: {
    console:
      "AWS Organizations console (management account) → Policies → Service control policies → open the policy → Targets → Attach to the root/OUs listed as intended; to restore content, Edit policy and paste the intended document.",
    cli: "aws organizations attach-policy --policy-id <p-id> --target-id <root-or-ou-id>; aws organizations update-policy --policy-id <p-id> --content file://<intended-file>",
    pulumi:
      "Run `pulumi up` on the orgwarden stack: it re-creates the aws.organizations.Policy content from baseline/scp.ts and its aws.organizations.PolicyAttachment resources for every intended target.",
    document: "scp",
  },
  controls: [],
  references: [
    "https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html",
    "https://docs.aws.amazon.com/organizations/latest/APIReference/API_AttachPolicy.html",
  ],
};

function targetName(m: AuditManifest, target: string): string {
  if (target === m.organization.rootId) return `the root ${target}`;
  const ou = m.organization.governedOus.find((o) => o.id === target);
  return ou ? `OU ${ou.name} (${target})` : target;
}

function judgeScp(m: AuditManifest, want: AuditManifest["scps"][number], have: ObservedScp): Finding[] {
  const scope: Scope = {
    account: m.organization.managementAccountId,
    region: "global",
    resourceArn: scpArn(m.organization, have.id),
  };
  const diff = comparePolicies(want.content, have.content);
  const drift = [
    ...diff.added.map((d) => describeDrift("added", d)),
    ...diff.removed.map((d) => describeDrift("removed", d)),
    ...diff.changed.map((d) => describeDrift("changed", d)),
  ];
  // One SCP yields its content finding and one per target: the key keeps their ids apart.
  const out: Finding[] = [
    finding(
      metadata,
      { ...scope, key: "content" },
      {
        status: drift.length === 0 ? "PASS" : "FAIL",
        intended: want.content,
        observed: have.content,
        message:
          drift.length === 0
            ? `SCP ${want.name} (${have.id}) means the same as the intended document.`
            : `SCP ${want.name} (${have.id}) differs from the intended document: ${drift.join("; ")}. Restore the intended content (pulumi up).`,
      },
    ),
  ];
  for (const target of want.targets) {
    const attached = have.targets.includes(target);
    out.push(
      finding(
        metadata,
        { ...scope, key: `attached:${target}` },
        {
          status: attached ? "PASS" : "FAIL",
          intended: { attachedTo: target },
          observed: { attachedTo: have.targets },
          message: attached
            ? `SCP ${want.name} is attached to ${targetName(m, target)}.`
            : `SCP ${want.name} (${have.id}) is not attached to ${targetName(m, target)}; attach it (aws organizations attach-policy --policy-id ${have.id} --target-id ${target}).`,
        },
      ),
    );
  }
  return out;
}

export function evaluate(observed: ObservedState, intended: AuditManifest, _ctx: CheckContext): Finding[] {
  const orgScope: Scope = {
    account: intended.organization.managementAccountId,
    region: "global",
    resourceArn: organizationArn(intended.organization),
  };
  const stop = blocked(
    metadata,
    observed,
    orgScope,
    intended.scps.map((s) => s.name),
    observed.organization.scps,
  );
  if (stop) return [stop];
  const scps = observed.organization.scps.ok ? observed.organization.scps.value : [];
  return intended.scps.flatMap((want) => {
    const have = scps.find((s) => (want.id ? s.id === want.id : s.name === want.name));
    if (have) return judgeScp(intended, want, have);
    return [
      finding(
        metadata,
        { ...orgScope, key: `missing:${want.name}` },
        {
          status: "FAIL",
          intended: { name: want.name, id: want.id ?? null, targets: want.targets },
          observed: { scps: scps.map((s) => `${s.name} (${s.id})`) },
          message: `SCP ${want.name}${want.id ? ` (${want.id})` : ""} does not exist in the organization; create it and attach it to ${want.targets.map((t) => targetName(intended, t)).join(", ")} (pulumi up).`,
        },
      ),
    ];
  });
}
