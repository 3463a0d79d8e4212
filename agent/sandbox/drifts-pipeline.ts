/** Drifts of the detection pipeline (Config delivery channel and aggregator) and of the SCPs' attachment, for the scenario tests. */
import { AttachPolicyCommand, DetachPolicyCommand, OrganizationsClient } from "@aws-sdk/client-organizations";
import {
  ConfigServiceClient,
  PutConfigurationAggregatorCommand,
  PutDeliveryChannelCommand,
} from "@aws-sdk/client-config-service";
import type { Sandbox } from "./seed";

function pipelineOf(sb: Sandbox) {
  const c = sb.manifest.pipeline?.config;
  if (!c) throw new Error("the sandbox manifest has no pipeline.config: it was not seeded by seedSandboxOrganization");
  return c;
}

/** The account's channel loses its KMS key: Config then writes with the bucket's default encryption. */
export async function unencryptDeliveryChannel(sb: Sandbox, account: string, region: string): Promise<void> {
  const c = pipelineOf(sb).deliveryChannel;
  const config = await sb.session.client(ConfigServiceClient, account, region);
  await config.send(
    new PutDeliveryChannelCommand({
      DeliveryChannel: {
        name: c.name,
        s3BucketName: c.s3BucketName,
        configSnapshotDeliveryProperties: { deliveryFrequency: c.deliveryFrequency },
      },
    }),
  );
}

/** The aggregator stops aggregating one governed region. */
export async function dropAggregatorRegion(sb: Sandbox, region: string): Promise<void> {
  const a = pipelineOf(sb).aggregator;
  const regions = a.regions.filter((r) => r !== region);
  if (regions.length === a.regions.length || regions.length === 0)
    throw new Error(
      `dropAggregatorRegion: ${region} must be one of the aggregator's regions ${a.regions.join(", ")} and not its only one`,
    );
  const config = await sb.session.client(ConfigServiceClient, a.accountId, a.region);
  await config.send(
    new PutConfigurationAggregatorCommand({
      ConfigurationAggregatorName: a.name,
      OrganizationAggregationSource: { RoleArn: a.roleArn, AwsRegions: regions },
    }),
  );
}

/** The first SCP leaves the root for the Workloads OU: the Security OU's accounts lose it, the workloads keep it. */
export async function moveScpToWorkloadsOu(sb: Sandbox): Promise<void> {
  const org = await sb.session.client(OrganizationsClient, sb.accounts.management, sb.region);
  await org.send(new AttachPolicyCommand({ PolicyId: sb.scpId, TargetId: sb.ous.workloads }));
  await org.send(new DetachPolicyCommand({ PolicyId: sb.scpId, TargetId: sb.rootId }));
}
