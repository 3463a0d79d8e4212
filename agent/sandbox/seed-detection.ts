/**
 * Detection services per account × governed region: Config recorder + delivery channel (started),
 * the organization's Config aggregator (security account),
 * GuardDuty detector, Security Hub, Inspector (EC2, ECR, Lambda), and Inspector's organization
 * (delegation, auto-enable, member associations; seedInspectorOrganization).
 *
 * Moto notes (5.2.5, probed): inspector2 Enable needs accountIds (moto iterates it; without it the
 * server answers 500 with an HTML page), and each account's status lives in that account's backend.
 * SSM associations are not implemented by moto, so none are seeded.
 */
import {
  ConfigServiceClient,
  PutConfigurationAggregatorCommand,
  PutConfigurationRecorderCommand,
  PutDeliveryChannelCommand,
  StartConfigurationRecorderCommand,
} from "@aws-sdk/client-config-service";
import { CreateDetectorCommand, GuardDutyClient } from "@aws-sdk/client-guardduty";
import {
  AssociateMemberCommand,
  EnableCommand,
  EnableDelegatedAdminAccountCommand,
  Inspector2Client,
  UpdateOrganizationConfigurationCommand,
} from "@aws-sdk/client-inspector2";
import { inspectorAutoEnable, type InspectorResourceType } from "../../baseline/detection/inspector";
import { EnableSecurityHubCommand, SecurityHubClient } from "@aws-sdk/client-securityhub";
import { roleArn } from "../../baseline/arns";
import type { ConfigAggregatorSpec, ConfigDeliveryChannelSpec } from "../../baseline/pipeline";
import type { GuardDutyIntent } from "../../baseline/detection/guardduty";
import { SANDBOX } from "./layout";
import { detectorInput } from "./seed-guardduty";
import type { SandboxSession } from "./session";

export interface DetectionTarget {
  account: string;
  region: string;
  /** Global resource types are recorded in the home region only, as AWS advises. */
  isHome: boolean;
  /** Recorder name; default orgwarden's (Control Tower's differs). */
  recorderName?: string;
  /** The member template's channel (the manifest's pipeline.config.deliveryChannel). */
  deliveryChannel: ConfigDeliveryChannelSpec;
  /** The manifest's guardDuty area: every detector gets its features and frequency (seed-guardduty.ts detectorInput). */
  guardDuty: GuardDutyIntent;
}

/** The organization aggregator in the security account, as infra/detection/config-aggregator.ts lays it. */
export async function seedConfigAggregator(session: SandboxSession, a: ConfigAggregatorSpec): Promise<void> {
  const config = await session.client(ConfigServiceClient, a.accountId, a.region);
  await config.send(
    new PutConfigurationAggregatorCommand({
      ConfigurationAggregatorName: a.name,
      OrganizationAggregationSource: a.allRegions
        ? { RoleArn: a.roleArn, AllAwsRegions: true }
        : { RoleArn: a.roleArn, AwsRegions: a.regions },
    }),
  );
  session.inventory.lay("aws:cfg/configurationAggregator:ConfigurationAggregator", "detection-config-aggregator");
}

async function seedConfig(session: SandboxSession, t: DetectionTarget): Promise<void> {
  const config = await session.client(ConfigServiceClient, t.account, t.region);
  const name = t.recorderName ?? SANDBOX.configRecorderName;
  await config.send(
    new PutConfigurationRecorderCommand({
      ConfigurationRecorder: {
        name,
        roleARN: roleArn(t.account, "aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig"),
        recordingGroup: { allSupported: true, includeGlobalResourceTypes: t.isHome },
      },
    }),
  );
  const c = t.deliveryChannel;
  await config.send(
    new PutDeliveryChannelCommand({
      DeliveryChannel: {
        name: c.name,
        s3BucketName: c.s3BucketName,
        ...(c.s3KeyPrefix ? { s3KeyPrefix: c.s3KeyPrefix } : {}),
        s3KmsKeyArn: c.s3KmsKeyArn,
        configSnapshotDeliveryProperties: { deliveryFrequency: c.deliveryFrequency },
      },
    }),
  );
  await config.send(new StartConfigurationRecorderCommand({ ConfigurationRecorderName: name }));
  // What the member StackSet (and the management account's own stack) lays in each account and region.
  session.inventory.lay("aws:cloudformation/stackSet:StackSet", "detection-member-baseline-stackset");
  session.inventory.lay("aws:cloudformation/stack:Stack", "detection-management-baseline-*");
}

export async function seedDetection(session: SandboxSession, t: DetectionTarget): Promise<{ detectorId: string }> {
  await seedConfig(session, t);
  const gd = await session.client(GuardDutyClient, t.account, t.region);
  const det = await gd.send(new CreateDetectorCommand(detectorInput(t.guardDuty)));
  if (!det.DetectorId) throw new Error(`CreateDetector in ${t.account}/${t.region} returned no detector id`);
  session.inventory.lay("aws:guardduty/detector:Detector", "detection-guardduty-*-detector");
  // The administrator's features are its DetectorFeatures; a member's come from the organization's auto-enable (moto: none, so laid here).
  session.inventory.lay("aws:guardduty/detectorFeature:DetectorFeature", "detection-guardduty-*-admin");
  const hub = await session.client(SecurityHubClient, t.account, t.region);
  await hub.send(new EnableSecurityHubCommand({ EnableDefaultStandards: false }));
  session.inventory.lay("aws:securityhub/account:Account", "detection-securityhub-*-account");
  const insp = await session.client(Inspector2Client, t.account, t.region);
  await insp.send(new EnableCommand({ accountIds: [t.account], resourceTypes: [...SANDBOX.inspectorResourceTypes] }));
  session.inventory.lay("aws:inspector2/enabler:Enabler", "detection-inspector-*-scanning*");
  return { detectorId: det.DetectorId };
}

export interface InspectorOrganizationTarget {
  management: string;
  security: string;
  /** The accounts infra associates: every account but the management and security accounts. */
  members: string[];
  regions: string[];
  resourceTypes: readonly InspectorResourceType[];
}

/**
 * Inspector's organization in every governed region, as infra/detection/inspector.ts lays it: the
 * security account delegated from the management account, the organization configuration's
 * autoEnable from the same baseline function, and each member associated (moto keeps each in the
 * calling account's backend: the delegation in the management account's, the rest in the security account's).
 */
export async function seedInspectorOrganization(
  session: SandboxSession,
  t: InspectorOrganizationTarget,
): Promise<void> {
  for (const region of t.regions) {
    const mgmt = await session.client(Inspector2Client, t.management, region);
    await mgmt.send(new EnableDelegatedAdminAccountCommand({ delegatedAdminAccountId: t.security }));
    session.inventory.lay("aws:inspector2/delegatedAdminAccount:DelegatedAdminAccount", "detection-inspector-*-admin");
    const security = await session.client(Inspector2Client, t.security, region);
    await security.send(
      new UpdateOrganizationConfigurationCommand({ autoEnable: inspectorAutoEnable(t.resourceTypes) }),
    );
    session.inventory.lay(
      "aws:inspector2/organizationConfiguration:OrganizationConfiguration",
      "detection-inspector-*-organization",
    );
    for (const accountId of t.members) await security.send(new AssociateMemberCommand({ accountId }));
    session.inventory.lay("aws:inspector2/memberAssociation:MemberAssociation", "detection-inspector-*-member-*");
  }
}
