/** One account × region of detective controls: Config, GuardDuty, Security Hub, Inspector and SSM associations. */
import { ConfigServiceClient } from "@aws-sdk/client-config-service";
import { GuardDutyClient } from "@aws-sdk/client-guardduty";
import { Inspector2Client } from "@aws-sdk/client-inspector2";
import { SecurityHubClient } from "@aws-sdk/client-securityhub";
import { SSMClient } from "@aws-sdk/client-ssm";
import type { ClientFactory } from "../aws/clients";
import { failed, type CollectError, type ObservedRegionDetection } from "../model";
import { collectConfigRecorders, collectDeliveryChannels } from "./config";
import { collectGuardDuty } from "./guardduty";
import { collectInspector } from "./inspector2";
import { collectSecurityHub } from "./securityhub";
import { collectSsmAssociations } from "./ssm";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { collectRules } from "./detection-pipeline";
import { EC2Client } from "@aws-sdk/client-ec2";
import { Route53ResolverClient } from "@aws-sdk/client-route53resolver";
import { collectRegionNetwork, unreadableRegionNetwork, type NetworkReads } from "./network";

export async function collectRegionDetection(
  clients: ClientFactory,
  account: string,
  region: string,
  /** The member baseline's forwarding rules to read on the default bus (none without a detectionPipeline area). */
  forwardingRuleNames?: string[],
  /** The VPCs and what logs them, when the manifest has flowLogs or dnsQueryLogs (nothing is read otherwise). */
  network?: NetworkReads,
): Promise<ObservedRegionDetection> {
  const config = clients.get(ConfigServiceClient, account, region);
  const forwarding = forwardingRuleNames
    ? collectRules(clients.get(EventBridgeClient, account, region), account, region, undefined, forwardingRuleNames)
    : undefined;
  const networkRead =
    network && (network.flowLogs || network.dnsQueryLogAssociations)
      ? collectRegionNetwork(
          clients.get(EC2Client, account, region),
          clients.get(Route53ResolverClient, account, region),
          account,
          region,
          network,
        )
      : undefined;
  const [configRecorders, configDeliveryChannels, guardDutyDetectors, securityHubEnabled, inspector, ssmAssociations] =
    await Promise.all([
      collectConfigRecorders(config, account, region),
      collectDeliveryChannels(config, account, region),
      collectGuardDuty(clients.get(GuardDutyClient, account, region), account, region),
      collectSecurityHub(clients.get(SecurityHubClient, account, region), account, region),
      collectInspector(clients.get(Inspector2Client, account, region), account, region),
      collectSsmAssociations(clients.get(SSMClient, account, region), account, region),
    ]);
  return {
    account,
    region,
    configRecorders,
    configDeliveryChannels,
    guardDutyDetectors,
    securityHubEnabled,
    inspector,
    ssmAssociations,
    ...(forwarding ? { forwardingRules: { ok: true as const, value: await forwarding } } : {}),
    ...(networkRead ? { network: await networkRead } : {}),
  };
}

/** Every piece carries the error that kept the whole cell from being read (AssumeRole refused, task timed out). */
export function unreadableRegionDetection(
  account: string,
  region: string,
  error: CollectError,
): ObservedRegionDetection {
  const e = { ...error, account, region };
  return {
    account,
    region,
    configRecorders: failed(e),
    configDeliveryChannels: failed(e),
    guardDutyDetectors: failed(e),
    securityHubEnabled: failed(e),
    inspector: failed(e),
    ssmAssociations: failed(e),
    forwardingRules: failed(e),
    network: unreadableRegionNetwork(e),
  };
}
