/**
 * AWS Config (each account × region): recorders, what they record, and whether they are recording;
 * the delivery channel and its last deliveries; the organization aggregator (shared).
 * Called without names, both APIs describe the customer-managed recorder; service-linked recorders
 * (servicePrincipal set) are kept if a response carries them, so the check can tell them apart.
 */
import {
  DescribeConfigurationRecordersCommand,
  DescribeConfigurationRecorderStatusCommand,
  DescribeDeliveryChannelsCommand,
  DescribeDeliveryChannelStatusCommand,
  DescribeConfigurationAggregatorsCommand,
  paginateDescribeConfigurationAggregatorSourcesStatus,
  type ConfigExportDeliveryInfo,
  type ConfigServiceClient,
  type ConfigStreamDeliveryInfo,
} from "@aws-sdk/client-config-service";
import {
  failed,
  type Collected,
  type CollectError,
  type ObservedConfigAggregator,
  type ObservedConfigRecorder,
  type ObservedDeliveryChannel,
  type ObservedDeliveryInfo,
} from "../model";
import { attempt, attemptOrAbsent, drain, iso, type CallScope } from "./common";

const NO_AGGREGATOR = "NoSuchConfigurationAggregatorException";

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

function deliveryInfo(
  i: ConfigExportDeliveryInfo | ConfigStreamDeliveryInfo | undefined,
): ObservedDeliveryInfo | undefined {
  if (!i) return undefined;
  const e = i as ConfigExportDeliveryInfo;
  return {
    ...(i.lastStatus ? { lastStatus: i.lastStatus } : {}),
    ...(i.lastErrorCode ? { lastErrorCode: i.lastErrorCode } : {}),
    ...(i.lastErrorMessage ? { lastErrorMessage: i.lastErrorMessage } : {}),
    ...(e.lastAttemptTime ? { lastAttemptTime: iso(e.lastAttemptTime) } : {}),
    ...(e.lastSuccessfulTime ? { lastSuccessfulTime: iso(e.lastSuccessfulTime) } : {}),
  };
}

/**
 * The delivery channels of one account × region (Config allows one) and their last delivery
 * status. Both reads are needed for a verdict: an unreadable status is the whole piece unreadable,
 * never a channel "without failures". Without names, both APIs describe every channel.
 */
export async function collectDeliveryChannels(
  cfg: ConfigServiceClient,
  account: string,
  region: string,
): Promise<Collected<ObservedDeliveryChannel[]>> {
  const scope = (operation: string): CallScope => ({ service: "config", operation, account, region });
  const channels = await attempt(
    scope("DescribeDeliveryChannels"),
    async () => (await cfg.send(new DescribeDeliveryChannelsCommand({}))).DeliveryChannels ?? [],
  );
  if (!channels.ok) return channels;
  // No channel: nothing to ask the status of (Config answers an empty list; moto does not implement the call).
  if (channels.value.length === 0) return { ok: true, value: [] };
  const statuses = await attempt(
    scope("DescribeDeliveryChannelStatus"),
    async () => (await cfg.send(new DescribeDeliveryChannelStatusCommand({}))).DeliveryChannelsStatus ?? [],
  );
  if (!statuses.ok) return statuses;
  return {
    ok: true,
    value: channels.value.map((c) => {
      const s = statuses.value.find((x) => x.name === c.name);
      const frequency = c.configSnapshotDeliveryProperties?.deliveryFrequency;
      const status = s
        ? {
            ...(s.configSnapshotDeliveryInfo ? { snapshot: deliveryInfo(s.configSnapshotDeliveryInfo) } : {}),
            ...(s.configHistoryDeliveryInfo ? { history: deliveryInfo(s.configHistoryDeliveryInfo) } : {}),
            ...(s.configStreamDeliveryInfo ? { stream: deliveryInfo(s.configStreamDeliveryInfo) } : {}),
          }
        : undefined;
      return {
        name: c.name ?? "",
        ...(c.s3BucketName ? { s3BucketName: c.s3BucketName } : {}),
        ...(c.s3KeyPrefix ? { s3KeyPrefix: c.s3KeyPrefix } : {}),
        ...(c.s3KmsKeyArn ? { s3KmsKeyArn: c.s3KmsKeyArn } : {}),
        ...(c.snsTopicARN ? { snsTopicArn: c.snsTopicARN } : {}),
        ...(frequency ? { deliveryFrequency: frequency } : {}),
        ...(status ? { status } : {}),
      };
    }),
  };
}

/**
 * The organization's Config aggregator (security account, home region) and its sources whose last
 * update failed. Only FAILED sources are listed (the API filters them), so an organization of
 * thousands of accounts × regions costs pages of failures, not of every source.
 */
export async function collectConfigAggregator(
  cfg: ConfigServiceClient,
  account: string,
  region: string,
  name: string,
): Promise<ObservedConfigAggregator> {
  const scope = (operation: string): CallScope => ({ service: "config", operation, account, region });
  const aggregator = await attemptOrAbsent(scope("DescribeConfigurationAggregators"), [NO_AGGREGATOR], async () => {
    const a = (
      await cfg.send(new DescribeConfigurationAggregatorsCommand({ ConfigurationAggregatorNames: [name] }))
    ).ConfigurationAggregators?.find((x) => x.ConfigurationAggregatorName === name);
    if (!a) return undefined;
    const org = a.OrganizationAggregationSource;
    const filters = a.AggregatorFilters;
    return {
      ...(a.ConfigurationAggregatorArn ? { arn: a.ConfigurationAggregatorArn } : {}),
      ...(org
        ? {
            organizationSource: {
              ...(org.RoleArn ? { roleArn: org.RoleArn } : {}),
              allRegions: org.AllAwsRegions ?? false,
              regions: org.AwsRegions ?? [],
            },
          }
        : {}),
      accountSources: a.AccountAggregationSources?.length ?? 0,
      ...(filters && (filters.ResourceType || filters.ServicePrincipal) ? { filters: JSON.stringify(filters) } : {}),
    };
  });
  if (!aggregator.ok || aggregator.value === undefined)
    return { name, account, region, aggregator, failedSources: { ok: true, value: [] } };
  const failedSources = await attempt(scope("DescribeConfigurationAggregatorSourcesStatus"), () =>
    drain(
      paginateDescribeConfigurationAggregatorSourcesStatus(
        { client: cfg },
        { ConfigurationAggregatorName: name, UpdateStatus: ["FAILED"] },
      ),
      (p) =>
        p.AggregatedSourceStatusList?.map((s) => ({
          ...(s.SourceId ? { sourceId: s.SourceId } : {}),
          ...(s.SourceType ? { sourceType: s.SourceType } : {}),
          ...(s.AwsRegion ? { region: s.AwsRegion } : {}),
          ...(s.LastUpdateStatus ? { lastUpdateStatus: s.LastUpdateStatus } : {}),
          ...(s.LastErrorCode ? { lastErrorCode: s.LastErrorCode } : {}),
          ...(s.LastErrorMessage ? { lastErrorMessage: s.LastErrorMessage } : {}),
          ...(s.LastUpdateTime ? { lastUpdateTime: iso(s.LastUpdateTime) } : {}),
        })),
    ),
  );
  return { name, account, region, aggregator, failedSources };
}

/** A failed read of the aggregator: both pieces carry the error. */
export function unreadableConfigAggregator(
  name: string,
  account: string,
  region: string,
  e: CollectError,
): ObservedConfigAggregator {
  return { name, account, region, aggregator: failed(e), failedSources: failed(e) };
}
