/**
 * Drifts of the organization's own settings over a seeded sandbox (agent/sandbox/seed-org-settings.ts
 * laid them): a trusted-access principal disabled or one added that infra does not lay, another
 * account registered as delegated administrator of a service.
 */
import {
  DisableAWSServiceAccessCommand,
  EnableAWSServiceAccessCommand,
  OrganizationsClient,
  RegisterDelegatedAdministratorCommand,
} from "@aws-sdk/client-organizations";
import type { Sandbox } from "./seed";

const org = (sb: Sandbox) => sb.session.client(OrganizationsClient, sb.accounts.management, sb.region);

export async function disableTrustedAccess(sb: Sandbox, ServicePrincipal: string): Promise<void> {
  await (await org(sb)).send(new DisableAWSServiceAccessCommand({ ServicePrincipal }));
}

export async function enableExtraTrustedAccess(sb: Sandbox, ServicePrincipal: string): Promise<void> {
  await (await org(sb)).send(new EnableAWSServiceAccessCommand({ ServicePrincipal }));
}

/** Registers `account` as a delegated administrator of the service (moto takes guardduty, config-multiaccountsetup, ssm, …). */
export async function registerForeignDelegatedAdministrator(
  sb: Sandbox,
  AccountId: string,
  ServicePrincipal: string,
): Promise<void> {
  await (await org(sb)).send(new RegisterDelegatedAdministratorCommand({ AccountId, ServicePrincipal }));
}
