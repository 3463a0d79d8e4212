/**
 * The Security Hub organization collector over moto server, for what moto 5.2.5 serves:
 * DescribeOrganizationConfiguration (after EnableOrganizationAdminAccount from the management
 * account and UpdateOrganizationConfiguration from the administrator). moto does not implement
 * ListOrganizationAdminAccounts, configuration policies, associations, finding aggregators or
 * GetEnabledStandards: securityhub-organization-recorded.test.ts answers those in AWS's shapes, and
 * the last test here proves an API moto lacks is a failed read, never an empty one.
 */
import { afterEach, describe, expect, it } from "vitest";
import { CreateAccountCommand, CreateOrganizationCommand, OrganizationsClient } from "@aws-sdk/client-organizations";
import {
  EnableOrganizationAdminAccountCommand,
  EnableSecurityHubCommand,
  SecurityHubClient,
  UpdateOrganizationConfigurationCommand,
} from "@aws-sdk/client-securityhub";
import {
  collectAdminAccounts,
  collectOrganizationConfiguration,
} from "../../../agent/collectors/securityhub-organization";
import { useMoto } from "../../helpers/moto";
import { agentClients, MOTO_DEFAULT_ACCOUNT, REGION } from "./_clients";

const moto = useMoto();
let env: ReturnType<typeof agentClients>;
afterEach(() => env?.destroy());

async function organizationWithAdmin(): Promise<string> {
  const org = await env.get(OrganizationsClient, MOTO_DEFAULT_ACCOUNT);
  await org.send(new CreateOrganizationCommand({ FeatureSet: "ALL" }));
  const security = (await org.send(new CreateAccountCommand({ AccountName: "Security", Email: "s@example.com" })))
    .CreateAccountStatus!.AccountId!;
  await (
    await env.get(SecurityHubClient, security)
  ).send(new EnableSecurityHubCommand({ EnableDefaultStandards: false }));
  await (
    await env.get(SecurityHubClient, MOTO_DEFAULT_ACCOUNT)
  ).send(new EnableOrganizationAdminAccountCommand({ AdminAccountId: security }));
  return security;
}

describe("collectOrganizationConfiguration (moto)", () => {
  it("reads the type, status, auto-enable settings and member limit the administrator set (central)", async () => {
    env = agentClients(moto.endpoint);
    const security = await organizationWithAdmin();
    const sh = await env.get(SecurityHubClient, security);
    await sh.send(
      new UpdateOrganizationConfigurationCommand({
        AutoEnable: false,
        AutoEnableStandards: "NONE",
        // moto wants the Status AWS reports back; AWS ignores it on input.
        OrganizationConfiguration: { ConfigurationType: "CENTRAL", Status: "ENABLED" },
      }),
    );
    expect(await collectOrganizationConfiguration(sh, security, REGION)).toEqual({
      ok: true,
      value: {
        autoEnable: false,
        autoEnableStandards: "NONE",
        configurationType: "CENTRAL",
        status: "ENABLED",
        memberAccountLimitReached: false,
      },
    });
  });

  it("a local configuration with auto-enable reads as such", async () => {
    env = agentClients(moto.endpoint);
    const security = await organizationWithAdmin();
    const sh = await env.get(SecurityHubClient, security);
    await sh.send(
      new UpdateOrganizationConfigurationCommand({
        AutoEnable: true,
        AutoEnableStandards: "DEFAULT",
        OrganizationConfiguration: { ConfigurationType: "LOCAL", Status: "ENABLED" },
      }),
    );
    const r = await collectOrganizationConfiguration(sh, security, REGION);
    expect(r).toMatchObject({
      ok: true,
      value: { autoEnable: true, autoEnableStandards: "DEFAULT", configurationType: "LOCAL" },
    });
  });

  it("an account that is not the administrator is denied: a failed read naming the operation, not an empty configuration", async () => {
    env = agentClients(moto.endpoint);
    await organizationWithAdmin();
    const r = await collectOrganizationConfiguration(
      await env.get(SecurityHubClient, MOTO_DEFAULT_ACCOUNT),
      MOTO_DEFAULT_ACCOUNT,
      REGION,
    );
    expect(r.ok ? "read" : [r.error.name, r.error.operation, r.error.kind]).toEqual([
      "AccessDeniedException",
      "DescribeOrganizationConfiguration",
      "access-denied",
    ]);
  });
});

describe("collectAdminAccounts (moto does not implement ListOrganizationAdminAccounts)", () => {
  it("the unimplemented API is a failed read of ListOrganizationAdminAccounts, never an empty list", async () => {
    env = agentClients(moto.endpoint);
    await organizationWithAdmin();
    const r = await collectAdminAccounts(
      await env.get(SecurityHubClient, MOTO_DEFAULT_ACCOUNT),
      MOTO_DEFAULT_ACCOUNT,
      REGION,
    );
    expect(r.ok ? "read" : [r.error.operation, r.error.service]).toEqual([
      "ListOrganizationAdminAccounts",
      "securityhub",
    ]);
  });
});
