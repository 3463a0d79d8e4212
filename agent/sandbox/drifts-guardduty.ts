/**
 * GuardDuty detector drifts (moto serves UpdateDetector with Features, and stores the list it is
 * given whole): a protection feature turned off in one account and region, or the detector's
 * finding publishing frequency changed. The organization configuration cannot drift in moto (it
 * implements no UpdateOrganizationConfiguration): the scenarios record that drift instead.
 */
import { GuardDutyClient, UpdateDetectorCommand, type FindingPublishingFrequency } from "@aws-sdk/client-guardduty";
import type { Sandbox } from "./seed";
import { detectorInput } from "./seed-guardduty";

export interface GuardDutyDetectorChange {
  /** This feature DISABLED, the others as laid. */
  featureOff?: string;
  frequency?: FindingPublishingFrequency;
}

export async function driftGuardDutyDetector(
  sb: Sandbox,
  account: string,
  region: string,
  change: GuardDutyDetectorChange,
): Promise<void> {
  const detectorId = sb.detectors[`${account}/${region}`];
  if (!detectorId) throw new Error(`guardduty-detector drift: no seeded detector for account ${account} in ${region}`);
  const g = sb.manifest.guardDuty;
  if (!g) throw new Error("guardduty-detector drift: the sandbox manifest has no guardDuty area");
  const laid = detectorInput(g);
  const gd = await sb.session.client(GuardDutyClient, account, region);
  await gd.send(
    new UpdateDetectorCommand({
      DetectorId: detectorId,
      ...(change.frequency ? { FindingPublishingFrequency: change.frequency } : {}),
      Features: laid.Features!.map((f) =>
        f.Name === change.featureOff
          ? {
              ...f,
              Status: "DISABLED",
              AdditionalConfiguration: f.AdditionalConfiguration?.map((a) => ({ ...a, Status: "DISABLED" as const })),
            }
          : f,
      ),
    }),
  );
}
