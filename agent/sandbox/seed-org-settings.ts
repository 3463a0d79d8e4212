/**
 * The organization's own settings as infra lays them (baseline/organization.ts): trusted access for
 * every principal infra/organization.ts lays, and the security account as delegated administrator of
 * the services infra delegates. The SCP policy type is enabled with the SCPs (seedScps); the feature
 * set is ALL from CreateOrganization.
 */
import {
  EnableAWSServiceAccessCommand,
  OrganizationsClient,
  RegisterDelegatedAdministratorCommand,
} from "@aws-sdk/client-organizations";
import {
  CONFIG_DELEGATED_ADMIN_PRINCIPALS,
  delegatedServicePrincipals,
  ORG_SERVICE_ACCESS_PRINCIPALS,
} from "../../baseline/organization";
import type { SandboxAccounts } from "./layout";
import type { SandboxSession } from "./session";

/**
 * Delegations moto 5.2.5 refuses ("You specified an unrecognized service principal": its list of
 * services that take a delegated administrator lacks them, though AWS documents all three), so a
 * sandbox audit reports delegated-administrators FAIL for each (agent/sandbox/demo.ts MOTO_GAP_CHECKS);
 * test/agent/collectors/organizations-delegations.test.ts answers them recorded.
 */
export const MOTO_REFUSED_DELEGATIONS = [
  "config.amazonaws.com",
  "securityhub.amazonaws.com",
  "inspector2.amazonaws.com",
];

/** The services infra registers the security account for: Config's two, GuardDuty, Security Hub, Inspector. */
export const SANDBOX_DELEGATED_SERVICES = delegatedServicePrincipals({
  guardDuty: true,
  securityHub: true,
  inspector: true,
});

export async function seedOrganizationSettings(
  session: SandboxSession,
  home: string,
  accounts: SandboxAccounts,
): Promise<void> {
  const org = await session.client(OrganizationsClient, accounts.management, home);
  // infra/organization.ts: org-organization's awsServiceAccessPrincipals (the inventory records the organization itself).
  for (const ServicePrincipal of ORG_SERVICE_ACCESS_PRINCIPALS)
    await org.send(new EnableAWSServiceAccessCommand({ ServicePrincipal }));
  for (const ServicePrincipal of SANDBOX_DELEGATED_SERVICES.filter((s) => !MOTO_REFUSED_DELEGATIONS.includes(s))) {
    await org.send(new RegisterDelegatedAdministratorCommand({ AccountId: accounts.security, ServicePrincipal }));
    // Config's are infra's detection-config-<service>-admin; GuardDuty's registration stands in for what its own
    // designation (detection-guardduty-*-admin, NOT_LAID) does in Organizations.
    if (CONFIG_DELEGATED_ADMIN_PRINCIPALS.includes(ServicePrincipal))
      session.inventory.lay(
        "aws:organizations/delegatedAdministrator:DelegatedAdministrator",
        `detection-config-${ServicePrincipal.split(".")[0]}-admin`,
      );
  }
}
