/** Rule for the organization-wide detection services (GuardDuty, Security Hub, Inspector). */
import { asRecord, isUnknown, setting, StackVerdict, StackViolation } from "./values";
import { label, ofType, StackResource } from "./stack-model";
import {
  ABSENT,
  type Fact,
  guarddutyEnabled,
  inspectorScanning,
  known,
  securityhubEnabled,
  UNKNOWN as UNKNOWN_FACT,
} from "../controls";
import { flagFact } from "./facts";

export const DETECTION_TYPES = {
  gdDetector: "aws:guardduty/detector:Detector",
  gdOrg: "aws:guardduty/organizationConfiguration:OrganizationConfiguration",
  gdAdmin: "aws:guardduty/organizationAdminAccount:OrganizationAdminAccount",
  shOrg: "aws:securityhub/organizationConfiguration:OrganizationConfiguration",
  shAdmin: "aws:securityhub/organizationAdminAccount:OrganizationAdminAccount",
  shPolicy: "aws:securityhub/configurationPolicy:ConfigurationPolicy",
  shPolicyAssociation: "aws:securityhub/configurationPolicyAssociation:ConfigurationPolicyAssociation",
  inOrg: "aws:inspector2/organizationConfiguration:OrganizationConfiguration",
  inAdmin: "aws:inspector2/delegatedAdminAccount:DelegatedAdminAccount",
} as const;

const ORGANIZATION_TYPE = "aws:organizations/organization:Organization";

export interface DetectionConfig {
  services: string[];
  /** GuardDuty autoEnableOrganizationMembers values accepted ("ALL" covers existing members too). */
  guardDutyAutoEnable: string[];
  /** Inspector scan types that must be auto-enabled (keys of autoEnable). */
  inspectorAutoEnable: string[];
}

type Say = (m: string, r?: StackResource) => void;

function guardDuty(resources: StackResource[], cfg: DetectionConfig, say: Say): void {
  if (ofType(resources, [DETECTION_TYPES.gdAdmin]).length === 0)
    say("GuardDuty: add an aws.guardduty.OrganizationAdminAccount delegating GuardDuty to the security account");
  for (const d of ofType(resources, [DETECTION_TYPES.gdDetector])) {
    // The provider enables a detector unless `enable` is false.
    const enable = d.props.enable;
    const gap = guarddutyEnabled.judge({
      enabled: isUnknown(enable)
        ? UNKNOWN_FACT
        : enable === undefined || enable === null
          ? ABSENT
          : known(enable !== false),
    }).gaps[0];
    if (gap) say(`GuardDuty ${label(d)}: ${gap.found.kind === "unknown" ? setting("enable") : "set enable: true"}`, d);
  }
  const orgs = ofType(resources, [DETECTION_TYPES.gdOrg]);
  if (orgs.length === 0)
    say(
      `GuardDuty: add an aws.guardduty.OrganizationConfiguration with autoEnableOrganizationMembers ${cfg.guardDutyAutoEnable.join(" or ")}`,
    );
  for (const o of orgs) {
    const v = o.props.autoEnableOrganizationMembers;
    if (isUnknown(v)) say(`GuardDuty ${label(o)}: ${setting("autoEnableOrganizationMembers")}`, o);
    else if (!cfg.guardDutyAutoEnable.includes(String(v)))
      say(
        `GuardDuty ${label(o)}: set autoEnableOrganizationMembers to ${cfg.guardDutyAutoEnable.join(" or ")} (it is ${String(v)})`,
        o,
      );
  }
}

function securityHub(resources: StackResource[], say: Say): void {
  if (ofType(resources, [DETECTION_TYPES.shAdmin]).length === 0)
    say(
      "Security Hub: add an aws.securityhub.OrganizationAdminAccount delegating Security Hub to the security account",
    );
  const orgs = ofType(resources, [DETECTION_TYPES.shOrg]);
  if (orgs.length === 0)
    say(
      "Security Hub: add an aws.securityhub.OrganizationConfiguration with autoEnable: true (or central configuration)",
    );
  const rootPolicy = centralPolicyOnRoot(resources);
  for (const o of orgs) {
    const central = asRecord(o.props.organizationConfiguration)?.configurationType;
    const auto = o.props.autoEnable;
    // CENTRAL alone enables nothing: a configuration policy with Security Hub on must be associated with the root.
    const enabled =
      isUnknown(auto) || isUnknown(central)
        ? UNKNOWN_FACT
        : auto === true
          ? known(true)
          : central === "CENTRAL"
            ? rootPolicy
            : known(false);
    const gap = securityhubEnabled.judge({ enabled }).gaps[0];
    const rawUnknown = isUnknown(auto) || isUnknown(central);
    if (gap?.found.kind === "unknown")
      say(
        `Security Hub ${label(o)}: ${setting(rawUnknown ? "autoEnable / configurationType" : "the configuration policy's serviceEnabled / its association's targetId")}`,
        o,
      );
    else if (gap && central === "CENTRAL" && auto !== true)
      say(
        `Security Hub ${label(o)}: central configuration enrolls no account until a configuration policy with serviceEnabled: true is associated with the organization root (aws.securityhub.ConfigurationPolicy + ConfigurationPolicyAssociation with targetId r-…)`,
        o,
      );
    else if (gap)
      say(
        `Security Hub ${label(o)}: set autoEnable: true, or use organizationConfiguration.configurationType CENTRAL with a configuration policy`,
        o,
      );
  }
}

/**
 * Whether a Security Hub configuration policy is on for the whole organization: a policy with
 * serviceEnabled true, and an association whose target is the root (r-…; an OU or account target
 * leaves the rest of the organization self-managed). Unknown when either is unknown at preview.
 */
function centralPolicyOnRoot(resources: StackResource[]): Fact<boolean> {
  const policies = ofType(resources, [DETECTION_TYPES.shPolicy]).map(
    (p) => asRecord(p.props.configurationPolicy)?.serviceEnabled,
  );
  const associations = ofType(resources, [DETECTION_TYPES.shPolicyAssociation]);
  const targets = associations.map((a) => a.props.targetId);
  // A target unknown at preview that comes from the organization the stack creates is its root (roots[0].id).
  const orgs = new Set(ofType(resources, [ORGANIZATION_TYPE]).map((o) => o.urn));
  const fromOrg = (a: StackResource) =>
    isUnknown(a.props.targetId) && (a.propertyDependencies.targetId ?? []).some((u) => orgs.has(u));
  const on = policies.some((v) => v === true);
  const root = targets.some((t) => typeof t === "string" && /^r-[0-9a-z]{4,32}$/.test(t)) || associations.some(fromOrg);
  if (on && root) return known(true);
  if (policies.some(isUnknown) || targets.some(isUnknown)) return UNKNOWN_FACT;
  return known(false);
}

function inspector(resources: StackResource[], cfg: DetectionConfig, say: Say): void {
  if (ofType(resources, [DETECTION_TYPES.inAdmin]).length === 0)
    say("Inspector: add an aws.inspector2.DelegatedAdminAccount delegating Inspector to the security account");
  const orgs = ofType(resources, [DETECTION_TYPES.inOrg]);
  if (orgs.length === 0)
    say(
      `Inspector: add an aws.inspector2.OrganizationConfiguration auto-enabling ${cfg.inspectorAutoEnable.join(", ")}`,
    );
  for (const o of orgs) {
    const auto = o.props.autoEnable;
    const a = asRecord(auto) ?? {};
    const scanTypes: Fact<Record<string, Fact<boolean>>> = isUnknown(auto)
      ? UNKNOWN_FACT
      : known(Object.fromEntries(cfg.inspectorAutoEnable.map((k) => [k, flagFact(a[k])])));
    const v = inspectorScanning.judge({ scanTypes }, { required: cfg.inspectorAutoEnable });
    if (v.gaps.some((g) => g.field === "scanTypes")) {
      say(`Inspector ${label(o)}: ${setting("autoEnable")}`, o);
      continue;
    }
    const unknown = v.gaps.filter((g) => g.found.kind === "unknown").map((g) => g.field);
    const off = v.gaps.filter((g) => g.found.kind !== "unknown").map((g) => g.field);
    if (unknown.length) say(`Inspector ${label(o)}: ${setting(`autoEnable.${unknown.join(", autoEnable.")}`)}`, o);
    if (off.length) say(`Inspector ${label(o)}: set autoEnable.${off.join(" and autoEnable.")} to true`, o);
  }
}

/** Policy 15. */
export function detectionServices(resources: StackResource[], cfg: DetectionConfig): StackVerdict {
  const violations: StackViolation[] = [];
  const manages =
    ofType(resources, ["aws:organizations/organization:Organization", ...Object.values(DETECTION_TYPES)]).length > 0;
  if (!manages)
    return {
      violations,
      notApplicable:
        "the stack manages neither the AWS Organization nor any GuardDuty, Security Hub or Inspector resource",
    };
  const say: Say = (message, r) => violations.push(r ? { message, urn: r.urn } : { message });
  if (cfg.services.includes("guardduty")) guardDuty(resources, cfg, say);
  if (cfg.services.includes("securityhub")) securityHub(resources, say);
  if (cfg.services.includes("inspector")) inspector(resources, cfg, say);
  return { violations };
}
