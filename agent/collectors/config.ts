/**
 * AWS Config (each account × region): recorders, what they record, and whether they are recording.
 * Called without names, both APIs describe the customer-managed recorder; service-linked recorders
 * (servicePrincipal set) are kept if a response carries them, so the check can tell them apart.
 */
import {
  DescribeConfigurationRecordersCommand,
  DescribeConfigurationRecorderStatusCommand,
  type ConfigServiceClient,
} from "@aws-sdk/client-config-service";
import type { Collected, ObservedConfigRecorder } from "../model";
import { attempt, type CallScope } from "./common";

export async function collectConfigRecorders(
  cfg: ConfigServiceClient,
  account: string,
  region: string,
): Promise<Collected<ObservedConfigRecorder[]>> {
  const scope = (operation: string): CallScope => ({ service: "config", operation, account, region });
  const recorders = await attempt(
    scope("DescribeConfigurationRecorders"),
    async () => (await cfg.send(new DescribeConfigurationRecordersCommand({}))).ConfigurationRecorders ?? [],
  );
  if (!recorders.ok) return recorders;
  const statuses = await attempt(
    scope("DescribeConfigurationRecorderStatus"),
    async () => (await cfg.send(new DescribeConfigurationRecorderStatusCommand({}))).ConfigurationRecordersStatus ?? [],
  );
  if (!statuses.ok) return statuses;
  return {
    ok: true,
    value: recorders.value.map((r) => {
      // The ARN identifies a recorder of either kind; the name is the fallback for responses without one.
      const s = statuses.value.find((x) => (r.arn && x.arn ? x.arn === r.arn : x.name === r.name));
      return {
        name: r.name ?? "",
        ...(r.servicePrincipal ? { servicePrincipal: r.servicePrincipal } : {}),
        recording: s?.recording ?? false,
        allSupported: r.recordingGroup?.allSupported ?? false,
        includeGlobalResourceTypes: r.recordingGroup?.includeGlobalResourceTypes ?? false,
        lastStatus: s?.lastStatus,
      };
    }),
  };
}
