import * as pulumi from "@pulumi/pulumi";
import { eventBusArn, roleArn } from "../../baseline/arns";
import { memberBaselineName } from "../../baseline/stackset";
import { delegatedServicePrincipals } from "../../baseline/organization";
import { alertTopicName, centralBusName, memberBaselineTemplateBody } from "../../baseline/detection";
import { guardDutyIntent, type GuardDutyIntent } from "../../baseline/detection/guardduty";
import { AlertTopic } from "./alert-topic";
import { CentralEventBus } from "./central-bus";
import { CisAlarms } from "./cis-alarms";
import type { DetectionConfig, InspectorResourceType } from "./config";
import { ConfigBucket, type ConfigBucketArgs } from "./config-bucket";
import { ConfigOrganization } from "./config-aggregator";
import { DirectBaseline } from "./direct-baseline";
import { GuardDutyOrganization } from "./guardduty";
import { InspectorOrganization } from "./inspector";
import { MemberBaselineStackSet } from "./member-stackset";
import type { LaidKey, LaidRole } from "../laid-key";
import { homeFirst, RegionalProviders, requireProviders } from "./providers";
import { SecurityHubOrganization } from "./security-hub";
import { securityHubIntent, securityHubPolicyName, type SecurityHubArea } from "../../baseline/detection/security-hub";

export interface DetectionBaselineArgs {
  stack: string;
  config: DetectionConfig;
  homeRegion: string;
  governedRegions: string[];
  managementAccountId: string;
  logArchiveAccountId: pulumi.Input<string>;
  securityAccountId: pulumi.Input<string>;
  orgId: pulumi.Input<string>;
  /** The organization root (Security Hub's central configuration policy is associated with it). */
  rootId: pulumi.Input<string>;
  /**
   * Member accounts that exist before the detection services are delegated (auto-enable reaches only
   * later ones): Inspector associates and enables each. Default: none.
   */
  existingMemberAccountIds?: pulumi.Input<string>[];
  /** Every OU of the organization by name (the StackSet targets config.stackSet.targetOus among them). */
  ouIds: Record<string, pulumi.Input<string>>;
  /** Name of the OU holding the log-archive and security accounts. */
  securityOu: string;
  /** The organization trail's CloudWatch Logs group (management account, home region). */
  trailLogGroupName: pulumi.Input<string>;
  /** stackSetDriftMaxAgeHours: the member-baseline StackSet's drift is detected every half of it (default 48). */
  audit: { readRoleName: string; agentRoleName: string; stackSetDriftMaxAgeHours?: number };
  providers: RegionalProviders;
  /** Resources to exist first (the organization with its service access). */
  waitFor?: pulumi.Input<pulumi.Resource>[];
  /** The resource that creates the trail's log group (the CIS filters need it). */
  logGroupReady?: pulumi.Input<pulumi.Resource>[];
  /** Where the Config bucket's S3 server access logs go (the foundation's access-log bucket). */
  configAccessLog?: ConfigBucketArgs["accessLog"];
  /**
   * VPC Flow Logs enforcement in the member template (infra/network): the flow-log bucket, and what
   * must exist before a stack's remediation can create a flow log into it (its bucket policy).
   */
  flowLogs?: { bucketArn: string; ready: pulumi.Resource[] };
  /** The shared Resolver query logging configuration's name; the member stacks wait for `ready` (the configurations and their RAM shares). */
  dnsQueryLogs?: { configName: string; ready: pulumi.Resource[] };
  /**
   * controlTower.enabled: Control Tower's recorder and delivery channel are in every enrolled account
   * (the StackSet's targets and the Security OU's log-archive and security accounts), so their
   * template lays none; the management account, which Control Tower does not record, keeps orgwarden's.
   */
  controlTower?: boolean;
}

export function configBucketName(prefix: string, stack: string, managementAccountId: string): string {
  return `${prefix}-${stack}-config-${managementAccountId}`;
}

export { memberBaselineName } from "../../baseline/stackset";

/** The central bus in the security account that every member account forwards to. */
export function centralBusArn(region: string, securityAccountId: string, busName: string): string {
  return eventBusArn(region, securityAccountId, busName);
}

/**
 * The organization-wide detection baseline: the member StackSet (plus a direct copy for the
 * accounts a StackSet cannot reach), the Config bucket, the security account as delegated
 * administrator of Config, GuardDuty, Security Hub and Inspector, the central bus, and the CIS
 * alarms on the organization trail's log group.
 */
export class DetectionBaseline extends pulumi.ComponentResource {
  public readonly stackSetName: pulumi.Output<string>;
  public readonly configBucketName: pulumi.Output<string>;
  /** The Config bucket's customer key (log-archive account, home region). */
  public readonly configKeyArn: pulumi.Output<string>;
  /** The Config bucket (its policy and lifecycle intent go into the audit manifest's logBuckets). */
  public readonly configBucket: ConfigBucket;
  public readonly centralBusArn: pulumi.Output<string>;
  public readonly securityTopicArn: pulumi.Output<string>;
  /** The security-alerts topic's customer key (the audit agent encrypts its message with it, through SNS). */
  public readonly securityTopicKeyArn: pulumi.Output<string>;
  public readonly managementTopicArn: pulumi.Output<string>;
  /** The customer keys it lays (Config bucket, the two alert topics), for the audit manifest's `keys`. */
  public readonly laidKeys: LaidKey[];
  /** Roles of this baseline the manifest lists in `roles.shared` (the StackSet drift schedule's, the Config aggregator's). */
  public readonly laidRoles: LaidRole[];
  /** The CIS alarm topic's customer key (management account). */
  public readonly managementTopicKeyArn: pulumi.Output<string>;
  /**
   * The services the security account is registered as delegated administrator of: Config's two
   * (ConfigOrganization), and those GuardDuty, Security Hub and Inspector register through their own
   * designations below; the manifest's organizationSettings.delegatedServices.
   */
  public readonly delegatedServices: string[];
  /** What the audit manifest's inspector area says: the scan types InspectorOrganization auto-enables and enables (inspector-organization, inspector-members). */
  public readonly inspectorIntent: { resourceTypes: InspectorResourceType[] };
  /** Accounts that get the baseline as plain stacks because the StackSet does not reach them. */
  public readonly directAccounts: string[];
  /** What the audit manifest's stackSet area says of the StackSet and the direct stacks besides the management account's (the stackset-* checks). */
  public readonly stackSetIntent: {
    name: string;
    targetOuIds: pulumi.Input<string>[];
    excludeAccounts: string[];
    directAccounts: pulumi.Input<string>[];
  };
  /** What GuardDutyOrganization lays, the audit manifest's guardDuty area (guardduty-organization, guardduty-features). */
  public readonly guardDutyIntent: GuardDutyIntent;
  /** The audit manifest's securityHub area: what securityHubIntent() builds the laid Security Hub setup from. */
  public readonly securityHubArea: SecurityHubArea;

  constructor(name: string, args: DetectionBaselineArgs, opts?: pulumi.ComponentResourceOptions) {
    const providers = requireProviders("orgwarden:detection:DetectionBaseline", name, args.providers);
    const c = args.config;
    if (c.stackSet.excludeAccounts.includes(args.managementAccountId))
      throw new Error(
        `orgwarden:stackSet.excludeAccounts names the management account ${args.managementAccountId}, which the StackSet never reaches (it gets its own stack); remove it`,
      );
    // The log-archive and security accounts carry the baseline itself: excluding them would leave the audit blind.
    pulumi.all([args.logArchiveAccountId, args.securityAccountId]).apply(([logArchive, security]) => {
      const own = c.stackSet.excludeAccounts.filter((a) => a === logArchive || a === security);
      if (own.length > 0)
        throw new Error(
          `orgwarden:stackSet.excludeAccounts names ${own.join(", ")}, the ${own.map((a) => (a === logArchive ? "log-archive" : "security")).join(" and ")} account; the baseline's own accounts cannot be excluded`,
        );
    });
    const unknownOus = c.stackSet.targetOus.filter((ou) => !(ou in args.ouIds));
    if (unknownOus.length > 0) {
      throw new Error(
        `orgwarden:stackSet.targetOus names ${unknownOus.join(", ")}, which the organization does not have; known OUs: ${Object.keys(args.ouIds).join(", ")}`,
      );
    }
    super("orgwarden:detection:DetectionBaseline", name, {}, opts);
    const regions = homeFirst(args.homeRegion, args.governedRegions);
    const home = (account: "management" | "logArchive" | "security") => ({
      parent: this,
      provider: providers.forRegion(account, args.homeRegion),
    });
    const waitFor = args.waitFor ?? [];

    const bucketName = configBucketName(c.namePrefix, args.stack, args.managementAccountId);
    const bucket = new ConfigBucket(
      `${name}-config-bucket`,
      {
        bucketName,
        orgId: args.orgId,
        accountId: args.logArchiveAccountId,
        keyAliasName: `alias/${c.namePrefix}-config`,
        expirationDays: c.config.bucketExpirationDays,
        accessLog: args.configAccessLog,
      },
      home("logArchive"),
    );

    // The audit agent publishes its run message here and puts its event on the bus (agent/notify.ts).
    const agentRoleArn = pulumi.output(args.securityAccountId).apply((id) => roleArn(id, args.audit.agentRoleName));
    const securityTopic = new AlertTopic(
      `${name}-security-alerts`,
      {
        accountId: args.securityAccountId,
        region: args.homeRegion,
        topicName: alertTopicName(c.namePrefix, "security-alerts"),
        emails: c.alerts.emails,
        publisherRoleArns: agentRoleArn.apply((a) => [a]),
      },
      home("security"),
    );
    const busName = centralBusName(c.namePrefix);
    const bus = new CentralEventBus(
      `${name}-central-bus`,
      { busName, orgId: args.orgId, topicArn: securityTopic.topicArn, auditEventRoleArn: agentRoleArn },
      home("security"),
    );

    const template = (recordConfig: boolean) =>
      pulumi
        .all([args.orgId, args.securityAccountId, bucket.keyArn, args.logArchiveAccountId])
        .apply(([orgId, securityAccountId, configKmsKeyArn, logArchiveAccountId]) =>
          memberBaselineTemplateBody({
            orgId,
            homeRegion: args.homeRegion,
            securityAccountId,
            configBucketName: bucketName,
            configKmsKeyArn,
            configDeliveryFrequency: c.config.deliveryFrequency,
            centralBusArn: centralBusArn(args.homeRegion, securityAccountId, busName),
            auditReadRoleName: args.audit.readRoleName,
            auditAgentRoleName: args.audit.agentRoleName,
            ssm: c.ssm,
            cloudWatchAgent: c.cloudWatchAgent,
            namePrefix: c.namePrefix,
            ...(args.flowLogs ? { flowLogs: { bucketArn: args.flowLogs.bucketArn } } : {}),
            ...(args.dnsQueryLogs
              ? { dnsQueryLogs: { configName: args.dnsQueryLogs.configName, logArchiveAccountId } }
              : {}),
            ...(recordConfig ? {} : { recordConfig }),
          }),
        );
    const templateBody = template(true);
    // Enrolled accounts under Control Tower: its recorder, not a second one.
    const enrolledBody = args.controlTower ? template(false) : templateBody;
    const stackReady = [
      ...waitFor,
      bucket.policy,
      bus.policy,
      ...(args.flowLogs?.ready ?? []),
      ...(args.dnsQueryLogs?.ready ?? []),
    ];
    const stackSet = new MemberBaselineStackSet(
      `${name}-member-baseline`,
      {
        stackSetName: memberBaselineName(c.namePrefix),
        templateBody: enrolledBody,
        targetOuIds: c.stackSet.targetOus.map((ou) => args.ouIds[ou]),
        excludeAccounts: c.stackSet.excludeAccounts,
        regions,
        operationPreferences: {
          maxConcurrentPercentage: c.stackSet.maxConcurrentPercentage,
          failureTolerancePercentage: c.stackSet.failureTolerancePercentage,
          regionConcurrencyType: c.stackSet.regionConcurrencyType,
        },
        waitFor: stackReady,
        driftDetection: {
          namePrefix: c.namePrefix,
          homeRegion: args.homeRegion,
          managementAccountId: args.managementAccountId,
          maxAgeHours: args.audit.stackSetDriftMaxAgeHours ?? 48,
        },
      },
      home("management"),
    );
    // The StackSet covers the log-archive and security accounts when their OU is targeted; the management account never.
    this.directAccounts = [
      "management",
      ...(c.stackSet.targetOus.includes(args.securityOu) ? [] : ["logArchive", "security"]),
    ];
    for (const account of this.directAccounts as Array<"management" | "logArchive" | "security">) {
      new DirectBaseline(
        `${name}-${account}-baseline`,
        {
          account,
          stackName: memberBaselineName(c.namePrefix),
          templateBody: account === "management" ? templateBody : enrolledBody,
          regions,
          providers,
          createServiceRoles: c.directStacks.createServiceRoles,
          ...(account !== "management" && args.controlTower ? { recordConfig: false } : {}),
          waitFor: stackReady,
        },
        { parent: this },
      );
    }

    const accountIds = {
      management: args.managementAccountId,
      logArchive: args.logArchiveAccountId,
      security: args.securityAccountId,
    };
    this.stackSetIntent = {
      name: memberBaselineName(c.namePrefix),
      targetOuIds: c.stackSet.targetOus.map((ou) => args.ouIds[ou]),
      excludeAccounts: [...c.stackSet.excludeAccounts],
      directAccounts: (this.directAccounts.filter((a) => a !== "management") as Array<keyof typeof accountIds>).map(
        (a) => accountIds[a],
      ),
    };

    this.securityHubArea = {
      configuration: c.securityHub.configuration,
      cisVersion: c.securityHub.cisVersion,
      ...(c.securityHub.configuration === "central"
        ? { policyName: securityHubPolicyName(c.namePrefix, args.stack) }
        : {}),
    };
    const delegated = { securityAccountId: args.securityAccountId, providers };
    this.guardDutyIntent = guardDutyIntent(c.guardDuty);
    const configOrganization = new ConfigOrganization(
      `${name}-config`,
      { ...delegated, homeRegion: args.homeRegion, governedRegions: regions, namePrefix: c.namePrefix, waitFor },
      { parent: this },
    );
    new GuardDutyOrganization(
      `${name}-guardduty`,
      {
        ...delegated,
        regions,
        intent: this.guardDutyIntent,
        waitFor,
      },
      { parent: this },
    );
    new SecurityHubOrganization(
      `${name}-securityhub`,
      {
        ...delegated,
        intent: securityHubIntent({ area: this.securityHubArea, homeRegion: args.homeRegion, regions }),
        rootId: args.rootId,
        waitFor,
      },
      { parent: this },
    );
    this.inspectorIntent = { resourceTypes: [...c.inspector.resourceTypes] };
    new InspectorOrganization(
      `${name}-inspector`,
      {
        ...delegated,
        regions,
        resourceTypes: this.inspectorIntent.resourceTypes,
        existingMemberAccountIds: args.existingMemberAccountIds ?? [],
        waitFor,
      },
      { parent: this },
    );

    const managementTopic = new AlertTopic(
      `${name}-cis-alarms-topic`,
      {
        accountId: args.managementAccountId,
        region: args.homeRegion,
        topicName: alertTopicName(c.namePrefix, "cis-alarms"),
        emails: c.alerts.emails,
      },
      home("management"),
    );
    new CisAlarms(
      `${name}-cis`,
      {
        logGroupName: args.trailLogGroupName,
        topicArn: managementTopic.topicArn,
        waitFor: [...waitFor, ...(args.logGroupReady ?? [])],
      },
      home("management"),
    );

    this.stackSetName = stackSet.stackSet.name;
    this.configBucketName = bucket.bucketName;
    this.configKeyArn = bucket.keyArn;
    this.configBucket = bucket;
    this.centralBusArn = bus.busArn;
    this.securityTopicArn = securityTopic.topicArn;
    this.securityTopicKeyArn = securityTopic.keyArn;
    this.managementTopicArn = managementTopic.topicArn;
    this.laidKeys = [bucket.laidKey, securityTopic.laidKey, managementTopic.laidKey];
    this.laidRoles = [stackSet.driftRole, configOrganization.laidRole];
    this.managementTopicKeyArn = managementTopic.keyArn;
    // The three designations above are laid unconditionally, so each registers its principal.
    this.delegatedServices = delegatedServicePrincipals({ guardDuty: true, securityHub: true, inspector: true });
    this.registerOutputs({
      stackSetName: this.stackSetName,
      configBucketName: this.configBucketName,
      configKeyArn: this.configKeyArn,
      centralBusArn: this.centralBusArn,
      securityTopicArn: this.securityTopicArn,
      securityTopicKeyArn: this.securityTopicKeyArn,
      managementTopicArn: this.managementTopicArn,
    });
  }
}
