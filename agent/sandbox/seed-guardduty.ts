/**
 * GuardDuty's organization side as infra/detection/guardduty.ts lays it, from the manifest's
 * guardDuty area: the security account designated administrator from the management account in
 * every governed region (moto serves EnableOrganizationAdminAccount and
 * ListOrganizationAdminAccounts), and the detectors' features and frequency (CreateDetector
 * input, which moto stores and GetDetector returns).
 *
 * Not laid (agent/sandbox/inventory.ts NOT_LAID): the OrganizationConfiguration and its features;
 * moto 5.2.5 implements neither UpdateOrganizationConfiguration nor DescribeOrganizationConfiguration,
 * so a sandbox audit reports guardduty-organization's configuration finding ERROR (MOTO_GAP_CHECKS).
 */
import {
  EnableOrganizationAdminAccountCommand,
  GuardDutyClient,
  type CreateDetectorCommandInput,
} from "@aws-sdk/client-guardduty";
import type { GuardDutyIntent } from "../../baseline/detection/guardduty";
import type { SandboxSession } from "./session";

/** A detector as the baseline leaves it: enabled, the intended frequency, every feature ENABLED with its agent management. */
export function detectorInput(g: GuardDutyIntent): CreateDetectorCommandInput {
  return {
    Enable: true,
    FindingPublishingFrequency: g.findingPublishingFrequency,
    Features: g.features.map((f) => ({
      Name: f.name,
      Status: "ENABLED",
      AdditionalConfiguration: f.additionalConfigurations.map((Name) => ({ Name, Status: "ENABLED" })),
    })),
  };
}

export async function seedGuardDutyAdmin(
  session: SandboxSession,
  management: string,
  security: string,
  regions: string[],
): Promise<void> {
  for (const region of regions) {
    const gd = await session.client(GuardDutyClient, management, region);
    await gd.send(new EnableOrganizationAdminAccountCommand({ AdminAccountId: security }));
  }
  session.inventory.lay(
    "aws:guardduty/organizationAdminAccount:OrganizationAdminAccount",
    "detection-guardduty-*-admin",
  );
}
