/**
 * AWS Config for the scenario tests: moto implements the recorders, the delivery channels and the
 * aggregators (those calls reach it), but not DescribeDeliveryChannelStatus nor
 * DescribeConfigurationAggregatorSourcesStatus. Those two are answered with recorded AWS
 * responses: a healthy channel (history delivered, snapshot delivered, no SNS stream) and an
 * aggregator with no FAILED source; or, for the accounts and regions named, a failed delivery.
 */
import { mockClient } from "aws-sdk-client-mock";
import {
  ConfigServiceClient,
  DescribeConfigurationAggregatorsCommand,
  DescribeConfigurationAggregatorSourcesStatusCommand,
  DescribeConfigurationRecordersCommand,
  DescribeConfigurationRecorderStatusCommand,
  DescribeDeliveryChannelsCommand,
  DescribeDeliveryChannelStatusCommand,
  type DescribeConfigurationAggregatorSourcesStatusCommandOutput,
  type DescribeDeliveryChannelStatusCommandOutput,
} from "@aws-sdk/client-config-service";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";

export interface RecordedConfigGaps {
  /** "<account>/<region>" cells whose last history delivery failed (AccessDenied on the bucket). */
  failedDeliveries?: string[];
  /** Sources the aggregator reports FAILED (account and region). */
  failedSources?: { account: string; region: string }[];
}

/** Recorded from a healthy account: the channel's three deliveries (no SNS topic: Not_Applicable). */
export function recordedChannelStatus(name: string, failed: boolean): DescribeDeliveryChannelStatusCommandOutput {
  const attempt = new Date("2026-03-01T06:10:31.000Z");
  return {
    $metadata: { httpStatusCode: 200 },
    DeliveryChannelsStatus: [
      {
        name,
        configSnapshotDeliveryInfo: {
          lastStatus: "Success",
          lastAttemptTime: new Date("2026-03-01T00:05:12.000Z"),
          lastSuccessfulTime: new Date("2026-03-01T00:05:12.000Z"),
          nextDeliveryTime: new Date("2026-03-02T00:05:12.000Z"),
        },
        configHistoryDeliveryInfo: failed
          ? {
              lastStatus: "Failure",
              lastErrorCode: "AccessDenied",
              lastErrorMessage: "Access Denied",
              lastAttemptTime: attempt,
              lastSuccessfulTime: new Date("2026-02-28T18:10:30.000Z"),
            }
          : { lastStatus: "Success", lastAttemptTime: attempt, lastSuccessfulTime: attempt },
        configStreamDeliveryInfo: { lastStatus: "Not_Applicable", lastStatusChangeTime: attempt },
      },
    ],
  };
}

/** Recorded DescribeConfigurationAggregatorSourcesStatus with UpdateStatus FAILED. */
export function recordedFailedSources(
  sources: { account: string; region: string }[],
): DescribeConfigurationAggregatorSourcesStatusCommandOutput {
  return {
    $metadata: { httpStatusCode: 200 },
    AggregatedSourceStatusList: sources.map((s) => ({
      SourceId: s.account,
      SourceType: "ORGANIZATION",
      AwsRegion: s.region,
      LastUpdateStatus: "FAILED",
      LastUpdateTime: new Date("2026-03-01T06:00:00.000Z"),
      LastErrorCode: "AccessDeniedException",
      LastErrorMessage: "Config is not enabled in the source account",
    })),
  };
}

async function cellOf(endpoint: string, client: ConfigServiceClient): Promise<string> {
  const region = await client.config.region();
  const sts = new STSClient({ endpoint, region, credentials: await client.config.credentials() });
  try {
    return `${(await sts.send(new GetCallerIdentityCommand({}))).Account ?? ""}/${region}`;
  } finally {
    sts.destroy();
  }
}

/** Installs the Config answers; returns the function that removes them. */
export function installRecordedConfig(endpoint: string, gaps: RecordedConfigGaps = {}): () => void {
  const realSend = ConfigServiceClient.prototype.send as unknown as (
    this: ConfigServiceClient,
    command: unknown,
  ) => Promise<unknown>;
  const config = mockClient(ConfigServiceClient);
  const pass = (Cmd: new (input: any) => any) => (input: unknown, getClient: () => ConfigServiceClient) =>
    realSend.call(getClient(), new Cmd(input));
  config.on(DescribeConfigurationRecordersCommand).callsFake(pass(DescribeConfigurationRecordersCommand));
  config.on(DescribeConfigurationRecorderStatusCommand).callsFake(pass(DescribeConfigurationRecorderStatusCommand));
  config.on(DescribeDeliveryChannelsCommand).callsFake(pass(DescribeDeliveryChannelsCommand));
  config.on(DescribeConfigurationAggregatorsCommand).callsFake(pass(DescribeConfigurationAggregatorsCommand));
  const failing = new Set(gaps.failedDeliveries ?? []);
  config.on(DescribeDeliveryChannelStatusCommand).callsFake(async (_input: unknown, getClient) => {
    const client = getClient() as ConfigServiceClient;
    // The status names the channel moto holds, as AWS does.
    const channels = (await realSend.call(client, new DescribeDeliveryChannelsCommand({}))) as {
      DeliveryChannels?: { name?: string }[];
    };
    const failed = failing.size > 0 && failing.has(await cellOf(endpoint, client));
    const out = recordedChannelStatus("", failed);
    return {
      ...out,
      DeliveryChannelsStatus: (channels.DeliveryChannels ?? []).map((c) => ({
        ...out.DeliveryChannelsStatus![0],
        name: c.name,
      })),
    };
  });
  config
    .on(DescribeConfigurationAggregatorSourcesStatusCommand)
    .resolves(recordedFailedSources(gaps.failedSources ?? []));
  return () => config.restore();
}
