/** CloudTrail (management account, the trail's home region): trails, the intended trail's status and its event selectors. */
import {
  DescribeTrailsCommand,
  GetEventSelectorsCommand,
  GetTrailStatusCommand,
  type AdvancedEventSelector,
  type CloudTrailClient,
  type EventSelector,
  type GetEventSelectorsCommandOutput,
  type Trail,
} from "@aws-sdk/client-cloudtrail";
import type { ObservedCloudTrail, ObservedEventSelectors, ObservedTrail, ObservedTrailStatus } from "../model";
import { attempt, iso, type CallScope } from "./common";
import { DATA_EVENT_ALL_RESOURCES } from "../../baseline/arns";

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

/** "All buckets" / "all functions" as CloudTrail writes them; a narrower value covers only some resources. */
const ALL_RESOURCES: Record<string, readonly string[]> = DATA_EVENT_ALL_RESOURCES;

/** Folds basic or advanced selectors into what the trail records. */
export function normalizeSelectors(
  r: Pick<GetEventSelectorsCommandOutput, "EventSelectors" | "AdvancedEventSelectors">,
): ObservedEventSelectors {
  const out: ObservedEventSelectors = {
    managementRead: false,
    managementWrite: false,
    s3DataEvents: false,
    lambdaDataEvents: false,
  };
  for (const s of r.EventSelectors ?? []) foldBasic(s, out);
  for (const s of r.AdvancedEventSelectors ?? []) foldAdvanced(s, out);
  return out;
}

function foldBasic(s: EventSelector, out: ObservedEventSelectors): void {
  const rw = s.ReadWriteType ?? "All";
  if (s.IncludeManagementEvents !== false) {
    out.managementRead ||= rw === "All" || rw === "ReadOnly";
    out.managementWrite ||= rw === "All" || rw === "WriteOnly";
  }
  if (rw !== "All") return; // a data selector that drops reads or writes does not cover the data events
  for (const d of s.DataResources ?? []) {
    const all = ALL_RESOURCES[d.Type ?? ""] ?? [];
    const coversAll = (d.Values ?? []).some((v) => all.includes(v));
    if (d.Type === "AWS::S3::Object" && coversAll) out.s3DataEvents = true;
    if (d.Type === "AWS::Lambda::Function" && coversAll) out.lambdaDataEvents = true;
  }
}

function foldAdvanced(s: AdvancedEventSelector, out: ObservedEventSelectors): void {
  const field = (name: string) => s.FieldSelectors?.find((f) => f.Field === name);
  const category = field("eventCategory")?.Equals ?? [];
  const readOnly = field("readOnly")?.Equals;
  const reads = !readOnly || readOnly.includes("true");
  const writes = !readOnly || readOnly.includes("false");
  if (category.includes("Management")) {
    out.managementRead ||= reads;
    out.managementWrite ||= writes;
    return;
  }
  // Any narrowing on resources.ARN (or an event-name filter) means only part of the data events are recorded.
  const narrowed = (s.FieldSelectors ?? []).some(
    (f) => !["eventCategory", "resources.type", "readOnly"].includes(f.Field ?? ""),
  );
  if (!category.includes("Data") || !reads || !writes || narrowed) return;
  const types = field("resources.type")?.Equals ?? [];
  if (types.includes("AWS::S3::Object")) out.s3DataEvents = true;
  if (types.includes("AWS::Lambda::Function")) out.lambdaDataEvents = true;
}
