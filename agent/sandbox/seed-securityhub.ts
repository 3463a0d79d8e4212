/**
 * Security Hub's organization setup as infra/detection/security-hub.ts lays it, as far as moto 5.2.5
 * serves it: the security account as delegated administrator in every governed region (management
 * account, EnableOrganizationAdminAccount) and the organization configuration (security account,
 * home region, UpdateOrganizationConfiguration) from securityHubIntent(). moto keeps one
 * administrator and one configuration per organization, not per region, and wants the Status AWS
 * reports back on input. It implements no configuration policy, association, finding aggregator or
 * StandardsSubscription reads: those are NOT_LAID (inventory.ts), and their checks are moto gaps.
 */
import {
  EnableOrganizationAdminAccountCommand,
  SecurityHubClient,
  UpdateOrganizationConfigurationCommand,
} from "@aws-sdk/client-securityhub";
import type { SecurityHubIntent } from "../../baseline/detection/security-hub";
import type { SandboxSession } from "./session";

export async function seedSecurityHubOrganization(
  session: SandboxSession,
  t: { managementAccountId: string; securityAccountId: string; intent: SecurityHubIntent },
): Promise<void> {
  for (const region of t.intent.regions) {
    const mgmt = await session.client(SecurityHubClient, t.managementAccountId, region);
    await mgmt.send(new EnableOrganizationAdminAccountCommand({ AdminAccountId: t.securityAccountId }));
    session.inventory.lay(
      "aws:securityhub/organizationAdminAccount:OrganizationAdminAccount",
      "detection-securityhub-*-admin",
    );
  }
  for (const region of t.intent.organizationRegions) {
    const security = await session.client(SecurityHubClient, t.securityAccountId, region);
    await security.send(
      new UpdateOrganizationConfigurationCommand({
        AutoEnable: t.intent.autoEnable,
        AutoEnableStandards: t.intent.autoEnableStandards,
        OrganizationConfiguration: { ConfigurationType: t.intent.configurationType, Status: "ENABLED" },
      }),
    );
    session.inventory.lay(
      "aws:securityhub/organizationConfiguration:OrganizationConfiguration",
      "detection-securityhub-*organization",
    );
  }
}
