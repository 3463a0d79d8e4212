/** GuardDuty (each account × region): the detectors and whether each is enabled. */
import { GetDetectorCommand, paginateListDetectors, type GuardDutyClient } from "@aws-sdk/client-guardduty";
import type { Collected } from "../model";
import { attempt, drain, type CallScope } from "./common";

export async function collectGuardDuty(
  gd: GuardDutyClient,
  account: string,
  region: string,
): Promise<Collected<{ detectorId: string; status: string }[]>> {
  const scope = (operation: string): CallScope => ({ service: "guardduty", operation, account, region });
  const ids = await attempt(scope("ListDetectors"), () =>
    drain(paginateListDetectors({ client: gd }, {}), (p) => p.DetectorIds),
  );
  if (!ids.ok) return ids;
  return attempt(scope("GetDetector"), () =>
    Promise.all(
      ids.value.map(async (detectorId) => ({
        detectorId,
        status: (await gd.send(new GetDetectorCommand({ DetectorId: detectorId }))).Status ?? "UNKNOWN",
      })),
    ),
  );
}
