/**
 * organization-settings: the organization's own settings are what infra/organization.ts lays
 * (baseline/organization.ts, published as the manifest's organizationSettings): feature set ALL,
 * every intended policy type ENABLED on the root (manifest organization.rootId; PENDING_ENABLE and
 * PENDING_DISABLE are not ENABLED), and trusted access for exactly the principals infra laid. One
 * finding, management account. Infra's lists are authoritative (awsServiceAccessPrincipals and
 * enabledPolicyTypes: the next `pulumi up` disables anything else), so an extra principal or an
 * extra policy type is a FAIL naming it too, MEDIUM when it is the only problem: nothing the
 * baseline relies on is off, but a service nobody reviewed holds organization-wide access (or a
 * policy type's policies are one deploy away from being detached).
 */
import { organizationArn, type AuditManifest } from "../../../baseline";
import type { OrganizationSettings } from "../../../baseline/organization";
import type { CheckMetadata, Finding } from "../../finding";
import type { Collected, ObservedRoot, ObservedState } from "../../model";
import { blocked, errorFinding, finding, sentence, type CheckContext, type Scope } from "../common";

export const metadata: CheckMetadata = {
  id: "organization-settings",
  title:
    "The organization has all features, the intended policy types enabled on its root, and trusted access for exactly the baseline's services",
  area: "organization",
  severity: "HIGH",
  risk: "Without all features or with the SCP policy type not ENABLED on the root, no SCP applies (disabling the type detaches every SCP), so the logging-protection SCP protects nothing; without trusted access for a baseline service (CloudTrail, Config, GuardDuty, Security Hub, Inspector, SSM, StackSets, RAM) its organization-wide part stops reaching member accounts. An extra trusted service (or policy type) is drift too, MEDIUM on its own: it holds organization-wide access nobody reviewed, and the next `pulumi up` disables it, breaking whatever came to rely on it.",
  remediation: {
    console:
      "AWS Organizations console (management account) → Settings: all features enabled; Policies → Service control policies: Enable on the root; Services: enable trusted access for each missing service and disable it for each service the finding names as extra (or add it to the stack's serviceAccessPrincipals).",
    cli: "aws organizations describe-organization; aws organizations list-roots; aws organizations enable-policy-type --root-id <root-id> --policy-type SERVICE_CONTROL_POLICY; aws organizations list-aws-service-access-for-organization; aws organizations enable-aws-service-access --service-principal <service-principal>; aws organizations disable-aws-service-access --service-principal <service-principal>",
    pulumi:
      "Run `pulumi up` on the orgwarden stack: infra/organization.ts lays the organization (org-organization) with featureSet ALL, enabledPolicyTypes and awsServiceAccessPrincipals from baseline/organization.ts and restores them; a feature set of CONSOLIDATED_BILLING must first be raised to ALL in the console (every member account accepts the handshake).",
  },
  controls: [],
  references: [
    "https://docs.aws.amazon.com/organizations/latest/APIReference/API_DescribeOrganization.html",
    "https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListRoots.html",
    "https://docs.aws.amazon.com/organizations/latest/APIReference/API_PolicyTypeSummary.html",
    "https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListAWSServiceAccessForOrganization.html",
    "https://docs.aws.amazon.com/organizations/latest/userguide/orgs_integrate_services.html",
  ],
};

const list = (xs: string[]) => xs.join(", ");

interface Judged {
  /** What the baseline relies on is off. */
  missing: string[];
  /** Something infra does not lay is on. */
  extra: string[];
}

function judgeRoot(want: OrganizationSettings, rootId: string, roots: ObservedRoot[], out: Judged): void {
  const root = roots.find((r) => r.id === rootId);
  if (!root) {
    out.missing.push(
      `the root ${rootId} named by the manifest is not among the organization's roots (${list(roots.map((r) => r.id)) || "none"}), so its policy types cannot be read`,
    );
    return;
  }
  for (const type of want.enabledPolicyTypes) {
    const t = root.policyTypes.find((p) => p.type === type);
    if (!t) out.missing.push(`the policy type ${type} is not enabled on the root ${rootId}`);
    else if (t.status !== "ENABLED")
      out.missing.push(`the policy type ${type} is ${t.status || "in no status"} on the root ${rootId}, not ENABLED`);
  }
  const others = root.policyTypes.filter((p) => !(want.enabledPolicyTypes as string[]).includes(p.type));
  if (others.length > 0)
    out.extra.push(
      `the root ${rootId} also has ${list(others.map((p) => `${p.type} (${p.status})`))}, which infra does not enable (the next \`pulumi up\` disables ${others.length === 1 ? "it" : "them"})`,
    );
}

function judgePrincipals(want: string[], have: string[], out: Judged): void {
  const missing = want.filter((p) => !have.includes(p));
  const extra = [...new Set(have.filter((p) => !want.includes(p)))].sort();
  if (missing.length > 0) out.missing.push(`trusted access is not enabled for ${list(missing)}`);
  if (extra.length > 0)
    out.extra.push(
      `trusted access is enabled for ${list(extra)}, which infra does not lay (the next \`pulumi up\` disables ${extra.length === 1 ? "it" : "them"}; add ${extra.length === 1 ? "it" : "them"} to serviceAccessPrincipals if intended)`,
    );
}

/** The piece, or the ERROR for a state that holds no reading of it. */
function read<T>(piece: Collected<T> | undefined, operation: string, what: string, scope: Scope, want: unknown) {
  return (
    piece ??
    errorFinding(
      metadata,
      scope,
      { name: "NotCollected", operation, message: `the observed state holds no reading of ${what}` },
      want,
    )
  );
}

const isFinding = (x: unknown): x is Finding => typeof x === "object" && x !== null && "checkId" in x;

export function evaluate(observed: ObservedState, intended: AuditManifest, _ctx: CheckContext): Finding[] {
  const scope: Scope = {
    account: intended.organization.managementAccountId,
    region: "global",
    resourceArn: organizationArn(intended.organization),
  };
  const want = intended.organizationSettings;
  if (!want)
    return [
      finding(metadata, scope, {
        status: "NOT_APPLICABLE",
        intended: "no organizationSettings area in the manifest",
        observed: null,
        message: `${metadata.title}: not applicable, the audit manifest has no organizationSettings area (a manifest published before it); run \`pulumi up\` to republish it.`,
      }),
    ];
  const intent = {
    featureSet: want.featureSet,
    root: intended.organization.rootId,
    enabledPolicyTypes: want.enabledPolicyTypes,
    serviceAccessPrincipals: want.serviceAccessPrincipals,
  };
  const o = observed.organization;
  const featureSet = read(o.featureSet, "DescribeOrganization", "the organization's feature set", scope, intent);
  const roots = read(o.roots, "ListRoots", "the organization's roots", scope, intent);
  const principals = read(
    o.enabledServicePrincipals,
    "ListAWSServiceAccessForOrganization",
    "the organization's trusted services",
    scope,
    intent,
  );
  for (const piece of [featureSet, roots, principals]) if (isFinding(piece)) return [piece];
  const pieces = [featureSet, roots, principals] as [Collected<string>, Collected<ObservedRoot[]>, Collected<string[]>];
  const stop = blocked(metadata, observed, scope, intent, ...pieces);
  if (stop) return [stop];
  const [fs, rs, sp] = pieces.map((p) => (p.ok ? p.value : undefined)) as [string, ObservedRoot[], string[]];
  const out: Judged = { missing: [], extra: [] };
  if (fs !== want.featureSet)
    out.missing.push(
      `the organization's feature set is ${fs || "not reported"}, not ${want.featureSet}: without all features no SCP applies`,
    );
  judgeRoot(want, intended.organization.rootId, rs, out);
  judgePrincipals(want.serviceAccessPrincipals, sp, out);
  const problems = [...out.missing, ...out.extra];
  return [
    finding(metadata, scope, {
      status: problems.length === 0 ? "PASS" : "FAIL",
      ...(problems.length > 0 && out.missing.length === 0 ? { severity: "MEDIUM" as const } : {}),
      intended: intent,
      observed: { featureSet: fs, roots: rs, serviceAccessPrincipals: sp },
      message:
        problems.length === 0
          ? `The organization ${intended.organization.id} has feature set ${fs}, ${list(want.enabledPolicyTypes)} ENABLED on the root ${intended.organization.rootId}, and trusted access for exactly the ${want.serviceAccessPrincipals.length} services infra lays (${list(want.serviceAccessPrincipals)}).`
          : sentence(`The organization ${intended.organization.id}: ${problems.join("; ")}`),
    }),
  ];
}
