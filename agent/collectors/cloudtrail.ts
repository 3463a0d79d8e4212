/** CloudTrail (management account, the trail's home region): trails, the intended trail's status and its event selectors. */
import {
  DescribeTrailsCommand,
  GetEventSelectorsCommand,
  GetTrailStatusCommand,
  type AdvancedEventSelector,
  type CloudTrailClient,
  type GetEventSelectorsCommandOutput,
  type Trail,
} from "@aws-sdk/client-cloudtrail";
import type { ObservedCloudTrail, ObservedEventSelectors, ObservedTrail, ObservedTrailStatus } from "../model";
import { attempt, iso, type CallScope } from "./common";
import { basicToAdvanced, type EventSelectorModel, type FieldSelector } from "../../baseline/event-selectors";

export interface TrailTarget {
  name: string;
  arn: string;
}

export async function collectCloudTrail(
  ct: CloudTrailClient,
  account: string,
  region: string,
  target: TrailTarget,
): Promise<ObservedCloudTrail> {
  const scope = (operation: string): CallScope => ({ service: "cloudtrail", operation, account, region });
  const trails = await attempt(scope("DescribeTrails"), async () => {
    const r = await ct.send(new DescribeTrailsCommand({ includeShadowTrails: true }));
    return (r.trailList ?? []).map(toObservedTrail);
  });
  if (!trails.ok) return { trails, status: trails, eventSelectors: trails };
  const found = trails.value.find((t) => t.arn === target.arn || t.name === target.name);
  if (!found) return { trails, status: { ok: true, value: undefined }, eventSelectors: { ok: true, value: undefined } };
  const [status, eventSelectors] = await Promise.all([
    attempt(scope("GetTrailStatus"), async () =>
      toStatus(await ct.send(new GetTrailStatusCommand({ Name: found.arn }))),
    ),
    attempt(scope("GetEventSelectors"), async () =>
      normalizeSelectors(await ct.send(new GetEventSelectorsCommand({ TrailName: found.arn }))),
    ),
  ]);
  return { trails, status, eventSelectors };
}

function toObservedTrail(t: Trail): ObservedTrail {
  return {
    name: t.Name ?? "",
    arn: t.TrailARN ?? "",
    homeRegion: t.HomeRegion ?? "",
    isOrganizationTrail: t.IsOrganizationTrail ?? false,
    isMultiRegionTrail: t.IsMultiRegionTrail ?? false,
    includeGlobalServiceEvents: t.IncludeGlobalServiceEvents ?? false,
    logFileValidationEnabled: t.LogFileValidationEnabled ?? false,
    kmsKeyId: t.KmsKeyId,
    s3BucketName: t.S3BucketName,
    cloudWatchLogsLogGroupArn: t.CloudWatchLogsLogGroupArn,
    cloudWatchLogsRoleArn: t.CloudWatchLogsRoleArn,
  };
}

function toStatus(r: {
  IsLogging?: boolean;
  LatestDeliveryTime?: Date;
  LatestDeliveryError?: string;
  LatestCloudWatchLogsDeliveryTime?: Date;
  LatestCloudWatchLogsDeliveryError?: string;
  LatestDigestDeliveryTime?: Date;
  LatestDigestDeliveryError?: string;
}): ObservedTrailStatus {
  // AWS returns an empty string for "no error" in some responses; both mean no error.
  const err = (s: string | undefined) => (s ? s : undefined);
  return {
    isLogging: r.IsLogging ?? false,
    latestDeliveryTime: iso(r.LatestDeliveryTime),
    latestDeliveryError: err(r.LatestDeliveryError),
    latestCloudWatchLogsDeliveryTime: iso(r.LatestCloudWatchLogsDeliveryTime),
    latestCloudWatchLogsDeliveryError: err(r.LatestCloudWatchLogsDeliveryError),
    latestDigestDeliveryTime: iso(r.LatestDigestDeliveryTime),
    latestDigestDeliveryError: err(r.LatestDigestDeliveryError),
  };
}

/** The selectors as advanced selectors, basic ones translated: what they mean is judged in baseline/event-selectors.ts. */
export function normalizeSelectors(
  r: Pick<GetEventSelectorsCommandOutput, "EventSelectors" | "AdvancedEventSelectors">,
): ObservedEventSelectors {
  if (r.AdvancedEventSelectors && r.AdvancedEventSelectors.length > 0)
    return { kind: "advanced", selectors: r.AdvancedEventSelectors.map(toModel) };
  if (r.EventSelectors && r.EventSelectors.length > 0)
    return {
      kind: "basic",
      selectors: basicToAdvanced(
        r.EventSelectors.map((s) => ({
          readWriteType: s.ReadWriteType,
          includeManagementEvents: s.IncludeManagementEvents,
          excludeManagementEventSources: s.ExcludeManagementEventSources,
          dataResources: (s.DataResources ?? []).map((d) => ({ type: d.Type, values: d.Values })),
        })),
      ),
    };
  return { kind: "none", selectors: [] };
}

function toModel(s: AdvancedEventSelector): EventSelectorModel {
  return {
    ...(s.Name ? { name: s.Name } : {}),
    fieldSelectors: (s.FieldSelectors ?? []).map((f) => {
      const out: FieldSelector = { field: f.Field ?? "" };
      if (f.Equals) out.equals = f.Equals;
      if (f.StartsWith) out.startsWith = f.StartsWith;
      if (f.EndsWith) out.endsWith = f.EndsWith;
      if (f.NotEquals) out.notEquals = f.NotEquals;
      if (f.NotStartsWith) out.notStartsWith = f.NotStartsWith;
      if (f.NotEndsWith) out.notEndsWith = f.NotEndsWith;
      return out;
    }),
  };
}
