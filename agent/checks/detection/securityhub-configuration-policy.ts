/**
 * securityhub-configuration-policy (central configuration only): the security account's
 * configuration policy of the intended name (home region) turns Security Hub on with exactly the
 * intended standards and no control off, and it is APPLIED to the organization root with
 * AssociationStatus SUCCESS (GetConfigurationPolicyAssociation on the root). Under local
 * configuration infra lays no policy: NOT_APPLICABLE, and securityhub-standards judges the standards.
 */
import type { AuditManifest } from "../../../baseline";
import type { SecurityHubPolicyIntent } from "../../../baseline/detection/security-hub";
import type { CheckMetadata, Finding } from "../../finding";
import type { ObservedSecurityHubConfigurationPolicy, ObservedSecurityHubPolicyAssociation } from "../../model";
import type { ObservedState } from "../../model";
import { verdict, type CheckContext } from "../common";
import { listed, notApplicable, notPublished, readOf, securityHubIntentOf, securityScope } from "../securityhub-scope";

export const metadata: CheckMetadata = {
  id: "securityhub-configuration-policy",
  title:
    "Security Hub's central configuration policy enables the service, FSBP and CIS and every control, and is applied to the organization root",
  area: "detection",
  severity: "HIGH",
  risk: "The configuration policy is what enables Security Hub and the standards in every account and linked region under central configuration: one that is missing, not applied to the root, failed, turns the service off, lacks a standard or disables controls leaves accounts unmonitored or controls silent, and an allow-list of controls leaves every control AWS releases later off.",
  remediation: {
    console:
      'Security Hub console (security account <security-account>, home region <home-region>) → Configuration → Policies: edit <securityhub-policy> to Security Hub enabled, the standards <securityhub-standards>, all controls enabled ("Enable all" with no exception); then associate it with the organization root <root-id> (Deploy to: All accounts).',
    cli: 'aws securityhub update-configuration-policy --region <home-region> --identifier "$(aws securityhub list-configuration-policies --region <home-region> --query "ConfigurationPolicySummaries[?Name==\'<securityhub-policy>\'].Arn | [0]" --output text)" --configuration-policy \'{"SecurityHub":{"ServiceEnabled":true,"EnabledStandardIdentifiers":<securityhub-standards-json>,"SecurityControlsConfiguration":{"DisabledSecurityControlIdentifiers":[]}}}\'; aws securityhub start-configuration-policy-association --region <home-region> --configuration-policy-identifier "$(aws securityhub list-configuration-policies --region <home-region> --query "ConfigurationPolicySummaries[?Name==\'<securityhub-policy>\'].Arn | [0]" --output text)" --target \'{"RootId":"<root-id>"}\'  (security account)',
    pulumi:
      "Run `pulumi up` on the orgwarden stack: infra/detection/security-hub.ts lays aws.securityhub.ConfigurationPolicy detection-securityhub-policy and aws.securityhub.ConfigurationPolicyAssociation detection-securityhub-policy-root, from baseline/detection/security-hub.ts.",
  },
  controls: [],
  references: [
    "https://docs.aws.amazon.com/securityhub/latest/userguide/central-configuration-intro.html",
    "https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_GetConfigurationPolicy.html",
    "https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_GetConfigurationPolicyAssociation.html",
  ],
};

export function evaluate(observed: ObservedState, intended: AuditManifest, _ctx: CheckContext): Finding[] {
  const home = intended.regions.home;
  const scope = securityScope(intended, home);
  const intent = securityHubIntentOf(intended);
  if (!intent) return [notPublished(metadata, scope)];
  const want = intent.policy;
  if (!want)
    return [
      notApplicable(
        metadata,
        scope,
        { configuration: "local" },
        "Security Hub is under local configuration (manifest securityHub.configuration), so infra lays no configuration policy; securityhub-standards judges the standards of the security account in each governed region",
      ),
    ];
  const rootId = intended.organization.rootId;
  const wanted = { ...want, associatedWith: rootId, associationType: "APPLIED", associationStatus: "SUCCESS" };
  const policies = readOf(
    metadata,
    observed,
    scope,
    wanted,
    "ListConfigurationPolicies",
    (sh) => sh.configurationPolicies,
  );
  if ("stop" in policies) return [policies.stop];
  const association = readOf(
    metadata,
    observed,
    scope,
    wanted,
    "GetConfigurationPolicyAssociation",
    (sh) => sh.rootAssociation,
  );
  if ("stop" in association) return [association.stop];
  const found = policies.value;
  const problems: string[] = [];
  if (found.length === 0)
    problems.push(
      `the security account has no configuration policy named ${want.name} in ${home}, so no policy enables Security Hub and the standards in the organization's accounts`,
    );
  else if (found.length > 1)
    problems.push(
      `${found.length} configuration policies are named ${want.name} (${listed(found.map((p) => p.id))}); the audit cannot tell which one infra laid: delete the others`,
    );
  else problems.push(...policyProblems(found[0], want));
  problems.push(
    ...associationProblems(association.value, found.length === 1 ? found[0] : undefined, want.name, rootId),
  );
  return [
    verdict(
      metadata,
      scope,
      wanted,
      { policies: found, rootAssociation: association.value ?? null },
      problems,
      `The configuration policy ${want.name} enables Security Hub, ${listed(want.enabledStandardArns)} and every control, and is APPLIED to the root ${rootId} (SUCCESS).`,
    ),
  ];
}

function policyProblems(p: ObservedSecurityHubConfigurationPolicy, want: SecurityHubPolicyIntent): string[] {
  if (p.unknownPolicyType)
    return [
      `the policy ${want.name} is not a Security Hub policy (${p.unknownPolicyType}), so it sets none of the intended settings`,
    ];
  const problems: string[] = [];
  if (p.serviceEnabled !== true)
    problems.push(
      `the policy ${want.name} ${p.serviceEnabled === false ? "turns Security Hub off" : "does not say Security Hub is on"} (ServiceEnabled ${p.serviceEnabled ?? "absent"}, not true)`,
    );
  const have = p.enabledStandardIdentifiers ?? [];
  const missing = want.enabledStandardArns.filter((s) => !have.includes(s));
  const extra = have.filter((s) => !want.enabledStandardArns.includes(s));
  if (missing.length > 0) problems.push(`it does not enable ${listed(missing)}`);
  if (extra.length > 0) problems.push(`it enables ${listed(extra)}, which the baseline does not intend`);
  if (!p.hasSecurityControlsConfiguration)
    problems.push(
      "it has no SecurityControlsConfiguration, so which controls it enables is not the baseline's every control",
    );
  if (p.enabledSecurityControlIdentifiers !== undefined)
    problems.push(
      `it enables only an allow-list of ${p.enabledSecurityControlIdentifiers.length} control${p.enabledSecurityControlIdentifiers.length === 1 ? "" : "s"} (EnabledSecurityControlIdentifiers${p.enabledSecurityControlIdentifiers.length > 0 ? `: ${listed(p.enabledSecurityControlIdentifiers)}` : ""}), which leaves every other control and every control AWS releases later off; use an empty DisabledSecurityControlIdentifiers instead`,
    );
  const disabled = p.disabledSecurityControlIdentifiers ?? [];
  if (disabled.length > 0) problems.push(`it disables ${listed(disabled)}`);
  return problems;
}

function associationProblems(
  a: ObservedSecurityHubPolicyAssociation | undefined,
  policy: ObservedSecurityHubConfigurationPolicy | undefined,
  name: string,
  rootId: string,
): string[] {
  if (!a) return [`the organization root ${rootId} has no configuration policy association; associate ${name} with it`];
  const problems: string[] = [];
  if (policy && a.configurationPolicyId !== policy.id)
    problems.push(
      `the root ${rootId} is associated with ${a.configurationPolicyId === "SELF_MANAGED_SECURITY_HUB" ? "self-managed Security Hub (SELF_MANAGED_SECURITY_HUB)" : (a.configurationPolicyId ?? "no policy")}, not ${name} (${policy.id})`,
    );
  if (a.associationType !== "APPLIED")
    problems.push(`the root's association is ${a.associationType ?? "of no type"}, not APPLIED`);
  if (a.associationStatus !== "SUCCESS")
    problems.push(
      `the root's association is ${a.associationStatus ?? "in no status"}${a.associationStatusMessage ? ` (${a.associationStatusMessage})` : ""}, not SUCCESS`,
    );
  return problems;
}
