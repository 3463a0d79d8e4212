/**
 * delegated-administrators: Organizations' own view of the baseline's delegations (management
 * account). For every service the manifest's organizationSettings.delegatedServices names (Config's
 * two principals always; guardduty, securityhub and inspector2, which their own designations
 * register), the security account must be a delegated administrator, and no other account may be:
 * a second administrator of a security service can read every account's findings or configuration
 * and suppress or rewrite them (archive rules, disabled standards, organization Config rules), so
 * that case is CRITICAL. One finding per service. Delegations for services outside the baseline's
 * list are not judged: the finding says which ones were seen. The services' own per-region
 * designations (GuardDuty, Security Hub, Inspector APIs) are other checks' subject.
 */
import { organizationAccountArn, type AuditManifest } from "../../../baseline";
import type { CheckMetadata, Finding } from "../../finding";
import type { ObservedDelegatedAdministrator, ObservedState } from "../../model";
import { blocked, errorFinding, finding, sentence, type CheckContext, type Scope } from "../common";

export const metadata: CheckMetadata = {
  id: "delegated-administrators",
  title:
    "The security account, and no other account, is delegated administrator of each service the baseline delegates",
  area: "organization",
  severity: "HIGH",
  risk: "Without the security account as delegated administrator, Config's organization aggregator, rules and conformance packs, and GuardDuty's, Security Hub's and Inspector's organization-wide administration stop working from it. Another account registered for one of those services (CRITICAL) can read the whole organization's findings or configuration and suppress them: archive GuardDuty findings, disable Security Hub standards or controls, deploy or delete organization Config rules.",
  remediation: {
    console:
      "AWS Organizations console (management account) → Services → <service-principal> → Delegated administrator: register the security account <security-account>, deregister any other account; for GuardDuty, Security Hub and Inspector designate the security account in the service's own console (Settings → Delegated administrator).",
    cli: "aws organizations list-delegated-administrators; aws organizations list-delegated-services-for-account --account-id <admin-account>; aws organizations register-delegated-administrator --account-id <security-account> --service-principal <service-principal>; aws organizations deregister-delegated-administrator --account-id <admin-account> --service-principal <service-principal>",
    pulumi:
      "Run `pulumi up` on the orgwarden stack: infra/detection/config-aggregator.ts registers the security account for Config's two principals (detection-config-*-admin) and the GuardDuty, Security Hub and Inspector components designate it through their services; Pulumi does not deregister an account it did not register, so deregister a foreign one with the CLI.",
  },
  controls: [],
  references: [
    "https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListDelegatedAdministrators.html",
    "https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListDelegatedServicesForAccount.html",
    "https://docs.aws.amazon.com/organizations/latest/userguide/orgs_integrate_delegated_admin.html",
    "https://docs.aws.amazon.com/organizations/latest/userguide/orgs_integrate_services_list.html",
  ],
};

const who = (a: ObservedDelegatedAdministrator) => (a.name ? `${a.accountId} (${a.name})` : a.accountId);

export function evaluate(observed: ObservedState, intended: AuditManifest, _ctx: CheckContext): Finding[] {
  const org = intended.organization;
  const security = org.securityAccountId;
  const base: Scope = {
    account: org.managementAccountId,
    region: "global",
    resourceArn: organizationAccountArn(org, security),
  };
  const services = intended.organizationSettings?.delegatedServices;
  if (!services)
    return [
      finding(metadata, base, {
        status: "NOT_APPLICABLE",
        intended: "no organizationSettings area in the manifest",
        observed: null,
        message: `${metadata.title}: not applicable, the audit manifest has no organizationSettings area (a manifest published before it); run \`pulumi up\` to republish it.`,
      }),
    ];
  const read = observed.organization.delegatedAdministrators;
  return services.map((service) => {
    const scope: Scope = { ...base, key: service };
    const want = { servicePrincipal: service, delegatedAdministrators: [security] };
    if (!read)
      return errorFinding(
        metadata,
        scope,
        {
          name: "NotCollected",
          operation: "ListDelegatedAdministrators",
          message: "the observed state holds no reading of the organization's delegated administrators",
        },
        want,
      );
    const stop = blocked(metadata, observed, scope, want, read);
    if (stop) return stop;
    const admins = read.ok ? read.value : [];
    return judge(service, admins, scope, want, security, services);
  });
}

function judge(
  service: string,
  admins: ObservedDelegatedAdministrator[],
  scope: Scope,
  want: unknown,
  security: string,
  baselineServices: string[],
): Finding {
  const holders = admins.filter((a) => a.services.includes(service));
  const own = holders.find((a) => a.accountId === security);
  const foreign = holders.filter((a) => a.accountId !== security);
  const problems: string[] = [];
  if (!own)
    problems.push(
      `the security account ${security} is not delegated administrator of ${service}; register it (aws organizations register-delegated-administrator --account-id ${security} --service-principal ${service}, or the service's own designation)`,
    );
  else if (own.status !== "ACTIVE") problems.push(`the security account ${security} is ${own.status}, not ACTIVE`);
  if (foreign.length > 0)
    problems.push(
      `${foreign.map(who).join(", ")} ${foreign.length === 1 ? "is" : "are"} also delegated administrator of ${service}, which the baseline registers for the security account only: deregister ${foreign.length === 1 ? "it" : "them"} (aws organizations deregister-delegated-administrator --account-id ${foreign[0].accountId} --service-principal ${service})`,
    );
  const outside = [...new Set(admins.flatMap((a) => a.services).filter((s) => !baselineServices.includes(s)))].sort();
  const notJudged =
    outside.length > 0
      ? ` Delegations for services outside the baseline's list (${outside.join(", ")}) are not judged.`
      : " Delegations for services outside the baseline's list are not judged (none were found).";
  return finding(metadata, scope, {
    status: problems.length === 0 ? "PASS" : "FAIL",
    ...(foreign.length > 0 ? { severity: "CRITICAL" as const } : {}),
    intended: want,
    observed: holders.map((a) => ({ accountId: a.accountId, name: a.name, status: a.status })),
    message:
      problems.length === 0
        ? `The security account ${security} is the one delegated administrator of ${service}.${notJudged}`
        : `${sentence(`for ${service}, ${problems.join("; ")}`)}${notJudged}`,
  });
}
