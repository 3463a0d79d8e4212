/**
 * Observed state, as collectors fill it and checks read it. Every piece a collector fetches is a
 * `Collected<T>`: either the value or the error that prevented reading it. Checks turn an error into
 * an ERROR finding; they never treat a failed read as "nothing there".
 */
import type { EventSelectorModel, LogBucketRole, PolicyDocument } from "../baseline";
import type { LifecycleRuleFacts } from "../baseline/log-bucket-lifecycle";
import type { ObservedIntegrity } from "./integrity/observed";
import type { ObservedDetectionPipeline, ObservedRule } from "./collectors/detection-pipeline";
import type { ObservedAgentDeployment } from "./collectors/audit-agent";

/**
 * What kind of failure made a read fail, which decides the advice of its ERROR finding:
 * - access-denied: the read role lacks a permission (AccessDenied, AccessDeniedException, UnauthorizedOperation, …);
 * - throttled: AWS still throttled the call when the SDK's attempts ran out;
 * - server-error: AWS answered HTTP 5xx on every attempt;
 * - network: the connection failed or was reset (ECONNRESET, ECONNREFUSED, DNS);
 * - timeout: a request (TimeoutError) or a whole collection task (TaskTimeout) ran out of time;
 * - other: anything else (an unexpected error code, an unparseable answer, nothing collected).
 */
export const ERROR_KINDS = ["access-denied", "throttled", "server-error", "network", "timeout", "other"] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

export interface CollectError {
  /** AWS error name (err.name), e.g. AccessDeniedException, or TimeoutError. */
  name: string;
  message: string;
  kind: ErrorKind;
  /** HTTP requests the SDK made for the failed call, retries included; absent when no SDK call failed. */
  attempts?: number;
  /** HTTP status of the last answer, when there was one. */
  httpStatus?: number;
  /** SDK command that failed, e.g. GetTrailStatus. */
  operation: string;
  service: string;
  account: string;
  region: string;
}

export type Collected<T> = { ok: true; value: T } | { ok: false; error: CollectError };

export const collected = <T>(value: T): Collected<T> => ({ ok: true, value });
export const failed = <T>(error: CollectError): Collected<T> => ({ ok: false, error });

// ---- Organizations (management account, global) ----
export interface OrgAccount {
  id: string;
  name: string;
  email: string;
  status: string; // ACTIVE | SUSPENDED | PENDING_CLOSURE …
  /** Chain of parent ids from the account up to the root: [directParent, …, rootId]. */
  parentPath: string[];
}
export interface ObservedScp {
  id: string;
  name: string;
  content: PolicyDocument;
  /** Root, OU and account ids it is attached to. */
  targets: string[];
}
export interface ObservedOrganization {
  organizationId: Collected<string>;
  accounts: Collected<OrgAccount[]>;
  scps: Collected<ObservedScp[]>;
  /** ListAWSServiceAccessForOrganization: the services with trusted access (RAM sharing with the organization is ram.amazonaws.com); absent in states read before it. */
  enabledServicePrincipals?: Collected<string[]>;
  /** DescribeOrganization FeatureSet (ALL or CONSOLIDATED_BILLING), from the same call as the id; absent in states read before it. */
  featureSet?: Collected<string>;
  /** ListRoots: each root with its policy types and their status, from the call that starts the tree walk; absent in states read before it. */
  roots?: Collected<ObservedRoot[]>;
  /**
   * ListDelegatedAdministrators, then ListDelegatedServicesForAccount for each account it lists: every
   * delegated administrator of the organization with the services it administers; absent in states read before it.
   */
  delegatedAdministrators?: Collected<ObservedDelegatedAdministrator[]>;
}
export interface ObservedRoot {
  id: string;
  /** PolicyTypes: ENABLED, PENDING_ENABLE or PENDING_DISABLE per type; a type not listed is not enabled. */
  policyTypes: { type: string; status: string }[];
}
export interface ObservedDelegatedAdministrator {
  accountId: string;
  name: string;
  /** The account's state (ACTIVE, SUSPENDED, …) as ListDelegatedAdministrators reports it. */
  status: string;
  /** Service principals it is delegated administrator of. */
  services: string[];
}

// ---- CloudTrail (management account, home region) ----
export interface ObservedTrail {
  name: string;
  arn: string;
  homeRegion: string;
  isOrganizationTrail: boolean;
  isMultiRegionTrail: boolean;
  includeGlobalServiceEvents: boolean;
  logFileValidationEnabled: boolean;
  kmsKeyId?: string;
  s3BucketName?: string;
  cloudWatchLogsLogGroupArn?: string;
  cloudWatchLogsRoleArn?: string;
}
export interface ObservedTrailStatus {
  isLogging: boolean;
  latestDeliveryTime?: string; // ISO-8601
  latestDeliveryError?: string;
  latestCloudWatchLogsDeliveryTime?: string;
  latestCloudWatchLogsDeliveryError?: string;
  latestDigestDeliveryTime?: string;
  latestDigestDeliveryError?: string;
}
export interface ObservedEventSelectors {
  /** Which kind GetEventSelectors returned: a trail carries one or the other (or none). */
  kind: "basic" | "advanced" | "none";
  /** The selectors as advanced selectors (basic ones translated by baseline/event-selectors.ts). */
  selectors: EventSelectorModel[];
}
export interface ObservedCloudTrail {
  /** All trails visible from the management account's home region (DescribeTrails includeShadowTrails). */
  trails: Collected<ObservedTrail[]>;
  /** Status of the intended trail, absent (ok with undefined) if the trail does not exist. */
  status: Collected<ObservedTrailStatus | undefined>;
  eventSelectors: Collected<ObservedEventSelectors | undefined>;
}

// ---- Archive bucket (log-archive account) ----
export interface ObservedObjectLock {
  enabled: boolean;
  mode?: "COMPLIANCE" | "GOVERNANCE";
  days?: number;
  years?: number;
}
export interface ObservedEncryption {
  algorithm?: string; // aws:kms | AES256 | aws:kms:dsse
  kmsKeyId?: string;
}
export interface ObservedPublicAccessBlock {
  blockPublicAcls: boolean;
  ignorePublicAcls: boolean;
  blockPublicPolicy: boolean;
  restrictPublicBuckets: boolean;
}
export interface ObservedArchiveBucket {
  bucketName: string;
  policy: Collected<PolicyDocument | undefined>;
  objectLock: Collected<ObservedObjectLock>;
  versioning: Collected<string | undefined>; // Enabled | Suspended | undefined (never enabled)
  encryption: Collected<ObservedEncryption | undefined>;
  publicAccessBlock: Collected<ObservedPublicAccessBlock | undefined>;
  ownership: Collected<string | undefined>; // BucketOwnerEnforced | BucketOwnerPreferred | ObjectWriter
  /**
   * Newest LastModified under AWSLogs/<orgId>/<account>/CloudTrail/<region>/, by account id, then by
   * governed region of the run (undefined = no object in the window listed).
   */
  newestDeliveryByAccount: Record<string, Record<string, Collected<string | undefined>>>;
}

/** The VPC Flow Logs bucket (log-archive account, home region): the settings its checks judge. */
export interface ObservedFlowLogBucket {
  bucketName: string;
  policy: Collected<PolicyDocument | undefined>;
  encryption: Collected<ObservedEncryption | undefined>;
  publicAccessBlock: Collected<ObservedPublicAccessBlock | undefined>;
}

/** A Glue table as the athena-catalog check compares it (baseline/athena/tables.ts TableSpec, as read back). */
export interface ObservedGlueTable {
  name: string;
  location?: string;
  inputFormat?: string;
  outputFormat?: string;
  serializationLibrary?: string;
  parameters: Record<string, string>;
  columns: { name: string; type: string }[];
  partitionKeys: { name: string; type: string }[];
}

/** The Athena log catalogue (security account, home region); collected when the manifest has an athena area. */
export interface ObservedAthenaCatalog {
  databaseName: string;
  /** False when the database does not exist (EntityNotFoundException). */
  databaseExists: Collected<boolean>;
  /** Every table of the database; [] when the database does not exist. */
  tables: Collected<ObservedGlueTable[]>;
}

/** The Athena log workgroup's settings as GetWorkGroup returns them (athena-workgroup compares them with baseline/athena/workgroup.ts). */
export interface ObservedAthenaWorkgroupSettings {
  state?: string;
  enforced?: boolean;
  publishMetrics?: boolean;
  /** Absent when the workgroup sets no per-query scan limit. */
  bytesScannedCutoff?: number;
  resultsLocation?: string;
  /** Absent when results are not encrypted. */
  encryptionOption?: string;
  kmsKey?: string;
  expectedBucketOwner?: string;
}

/** The Athena log workgroup (security account, home region); collected when the manifest has an athena area. */
export interface ObservedAthenaWorkgroup {
  name: string;
  /** undefined when the workgroup does not exist. */
  workgroup: Collected<ObservedAthenaWorkgroupSettings | undefined>;
}

/** One of the baseline's log buckets (agent/collectors/log-buckets.ts): every setting the log-bucket-* checks judge. */
export interface ObservedLogBucket {
  role: LogBucketRole;
  bucketName: string;
  account: string;
  region: string;
  policy: Collected<PolicyDocument | undefined>;
  versioning: Collected<string | undefined>;
  encryption: Collected<ObservedEncryption | undefined>;
  publicAccessBlock: Collected<ObservedPublicAccessBlock | undefined>;
  ownership: Collected<string | undefined>;
  /** undefined: no lifecycle configuration (NoSuchLifecycleConfiguration). */
  lifecycle: Collected<LifecycleRuleFacts[] | undefined>;
  /** undefined: server access logging is off. */
  accessLogging: Collected<{ targetBucket: string; targetPrefix: string } | undefined>;
}

/** A Route 53 Resolver query logging configuration as ListResolverQueryLogConfigs returns it. */
export interface ObservedDnsQueryLogConfig {
  id: string;
  arn: string;
  name: string;
  ownerId: string;
  destinationArn: string;
  /** CREATING | CREATED | DELETING | FAILED. */
  status: string;
  /** NOT_SHARED | SHARED_WITH_ME | SHARED_BY_ME. */
  shareStatus: string;
}

/** Resolver query logging (log-archive account): per governed region, the configurations it owns named configName. */
export interface ObservedDnsQueryLogs {
  configName: string;
  byRegion: Record<string, Collected<ObservedDnsQueryLogConfig[]>>;
  /**
   * Per governed region where exactly one configuration was found: the RAM shares of the
   * log-archive account that hold it (agent/collectors/ram.ts); absent for a region otherwise.
   */
  sharesByRegion?: Record<string, Collected<ObservedResourceShare[]>>;
}

/**
 * Security Hub's organization setup (agent/collectors/securityhub-organization.ts), read when the
 * manifest has a securityHub area: the delegated administrator per governed region (management
 * account), and in the security account the organization configuration, the central configuration
 * policy and its root association, the finding aggregators, and the enabled standards of each region.
 */
export interface ObservedSecurityHubOrganization {
  /** Governed region → ListOrganizationAdminAccounts (management account). */
  adminAccountsByRegion: Record<string, Collected<ObservedSecurityHubAdmin[]>>;
  /** Region → DescribeOrganizationConfiguration (security account): the home region under central, every governed region under local. */
  organizationConfigurationByRegion: Record<string, Collected<ObservedSecurityHubOrganizationConfiguration>>;
  /** Under central (home region): every configuration policy of the intended name (none: empty; more than one: the check names them). */
  configurationPolicies?: Collected<ObservedSecurityHubConfigurationPolicy[]>;
  /** Under central (home region): GetConfigurationPolicyAssociation on the organization root; undefined when the root has none (ResourceNotFoundException). */
  rootAssociation?: Collected<ObservedSecurityHubPolicyAssociation | undefined>;
  /** Security account, home region: every finding aggregator (ListFindingAggregators, then GetFindingAggregator each). */
  findingAggregators: Collected<ObservedSecurityHubFindingAggregator[]>;
  /** Governed region → GetEnabledStandards (security account). */
  enabledStandardsByRegion: Record<string, Collected<ObservedSecurityHubStandard[]>>;
}

export interface ObservedSecurityHubAdmin {
  accountId: string;
  /** ENABLED | DISABLE_IN_PROGRESS. */
  status?: string;
}

export interface ObservedSecurityHubOrganizationConfiguration {
  autoEnable?: boolean;
  /** NONE | DEFAULT. */
  autoEnableStandards?: string;
  /** CENTRAL | LOCAL. */
  configurationType?: string;
  /** PENDING | ENABLED | FAILED. */
  status?: string;
  statusMessage?: string;
  memberAccountLimitReached?: boolean;
}

export interface ObservedSecurityHubConfigurationPolicy {
  id: string;
  arn?: string;
  name: string;
  /** The policy is not a Security Hub policy (a union member this SDK does not know): its settings are unknown. */
  unknownPolicyType?: string;
  serviceEnabled?: boolean;
  enabledStandardIdentifiers?: string[];
  /** Absent when the policy has no SecurityControlsConfiguration. */
  enabledSecurityControlIdentifiers?: string[];
  disabledSecurityControlIdentifiers?: string[];
  /** Whether SecurityControlsConfiguration is present at all. */
  hasSecurityControlsConfiguration: boolean;
}

export interface ObservedSecurityHubPolicyAssociation {
  configurationPolicyId?: string;
  targetId?: string;
  /** APPLIED | INHERITED. */
  associationType?: string;
  /** PENDING | SUCCESS | FAILED. */
  associationStatus?: string;
  associationStatusMessage?: string;
}

export interface ObservedSecurityHubFindingAggregator {
  arn: string;
  aggregationRegion?: string;
  /** ALL_REGIONS | ALL_REGIONS_EXCEPT_SPECIFIED | SPECIFIED_REGIONS | NO_REGIONS. */
  regionLinkingMode?: string;
  regions?: string[];
}

export interface ObservedSecurityHubStandard {
  standardsArn: string;
  /** PENDING | READY | FAILED | DELETING | INCOMPLETE. */
  status?: string;
  statusReason?: string;
}

/** A RAM resource share as GetResourceShares and its PRINCIPAL associations describe it. */
export interface ObservedResourceShare {
  arn: string;
  name: string;
  /** PENDING | ACTIVE | FAILED | DELETING | DELETED. */
  status: string;
  allowExternalPrincipals?: boolean;
  principals: {
    /** An account id, or an organization, OU, role or user ARN. */
    id: string;
    /** ASSOCIATING | ASSOCIATED | FAILED | DISASSOCIATING | DISASSOCIATED. */
    status: string;
    /** RAM's own word: the principal is outside the share owner's organization. */
    external?: boolean;
  }[];
}

// ---- KMS (security account, home region) ----
export interface ObservedGrant {
  grantId: string;
  name?: string;
  granteePrincipal: string;
  retiringPrincipal?: string;
  operations: string[];
}
export interface ObservedKey {
  keyArn: string;
  policy: Collected<PolicyDocument>;
  grants: Collected<ObservedGrant[]>;
  rotationEnabled: Collected<boolean>;
  metadata: Collected<{ keyState: string; deletionDate?: string; keySpec?: string }>;
  /** The alias the manifest names for the key, as listed in the key's account and region (null: no such alias); absent when the manifest names none. */
  alias?: Collected<ObservedAlias | null>;
}

/** A baseline IAM role as read in its own account (agent/collectors/iam-roles.ts). */
export interface ObservedRole {
  /** The manifest's handle and the role it names. */
  name: string;
  account: string;
  roleName: string;
  /** The trust policy; undefined when the role does not exist. */
  trust: Collected<PolicyDocument | undefined>;
  /** Inline policies by name (empty when the role does not exist). */
  inlinePolicies: Collected<Record<string, PolicyDocument>>;
  managedPolicyArns: Collected<string[]>;
  /** GetRole's MaxSessionDuration (seconds), when the role was read and exists. */
  maxSessionDuration?: number;
}

export interface ObservedAlias {
  aliasName: string;
  /** The key id the alias points at (ListAliases TargetKeyId). */
  targetKeyId?: string;
}

// ---- Detection, per account × region ----
export interface ObservedConfigRecorder {
  name: string;
  /** Set on a service-linked recorder (the AWS service it records for); absent on the account's own, customer-managed one. */
  servicePrincipal?: string;
  recording: boolean;
  allSupported: boolean;
  includeGlobalResourceTypes: boolean;
  lastStatus?: string; // as AWS answers: Pending | Success | Failure | NotApplicable (moto: upper case)
}
export interface ObservedSsmAssociation {
  name: string; // document name, e.g. AWS-UpdateSSMAgent
  associationId: string;
  status?: string; // Success | Failed | Pending …
  lastExecutionDate?: string;
  /** Document parameters (DescribeAssociation), read for AWS-ConfigureAWSPackage only: which package it installs. */
  parameters?: Record<string, string[]>;
}
/** One S3 or SNS delivery of a Config delivery channel, as DescribeDeliveryChannelStatus reports it. */
export interface ObservedDeliveryInfo {
  lastStatus?: string; // Success | Failure | Not_Applicable (as AWS spells them)
  lastErrorCode?: string;
  lastErrorMessage?: string;
  /** ISO-8601. */
  lastAttemptTime?: string;
  lastSuccessfulTime?: string;
}
export interface ObservedDeliveryChannel {
  name: string;
  s3BucketName?: string;
  s3KeyPrefix?: string;
  s3KmsKeyArn?: string;
  snsTopicArn?: string;
  /** configSnapshotDeliveryProperties.deliveryFrequency; absent when the channel names none (AWS then applies TwentyFour_Hours). */
  deliveryFrequency?: string;
  /** DescribeDeliveryChannelStatus for this channel; absent when the status response did not name it. */
  status?: { snapshot?: ObservedDeliveryInfo; history?: ObservedDeliveryInfo; stream?: ObservedDeliveryInfo };
}
/** A GuardDuty protection feature as GetDetector reports it (Features), with its additional configurations. */
export interface ObservedGuardDutyFeature {
  name: string;
  /** ENABLED | DISABLED. */
  status?: string;
  additional: { name: string; status?: string }[];
}
/** A GuardDuty detector of one account × region (ListDetectors, then GetDetector). */
export interface ObservedGuardDutyDetector {
  detectorId: string;
  /** ENABLED | DISABLED. */
  status: string;
  /** FIFTEEN_MINUTES | ONE_HOUR | SIX_HOURS. */
  findingPublishingFrequency?: string;
  /** GetDetector Features (the deprecated DataSources are not read); empty when it lists none. */
  features?: ObservedGuardDutyFeature[];
}
export interface ObservedRegionDetection {
  account: string;
  region: string;
  configRecorders: Collected<ObservedConfigRecorder[]>;
  /** Config delivery channels with their last delivery status (one channel per account and region at most). */
  configDeliveryChannels: Collected<ObservedDeliveryChannel[]>;
  guardDutyDetectors: Collected<ObservedGuardDutyDetector[]>;
  securityHubEnabled: Collected<boolean>;
  /** BatchGetAccountStatus resourceState statuses; lambdaCode is read too (judged when the manifest's inspector area asks for LAMBDA_CODE). */
  inspector: Collected<{ ec2: string; ecr: string; lambda: string; lambdaCode?: string } | undefined>;
  ssmAssociations: Collected<ObservedSsmAssociation[]>;
  /** The member baseline's forwarding rules (default bus), when the manifest has a detectionPipeline area. */
  forwardingRules?: Collected<ObservedRule[]>;
  /** The account's VPCs with their flow logs and Resolver query logging associations, when the manifest has flowLogs or dnsQueryLogs. */
  network?: ObservedRegionNetwork;
}

// ---- Network telemetry (each account × region; agent/collectors/network.ts) ----
/** A VPC as DescribeVpcs returns it. */
export interface ObservedVpc {
  vpcId: string;
  isDefault: boolean;
  /** pending | available. */
  state?: string;
}

/** A flow log as DescribeFlowLogs returns it (of any resource: VPC, subnet or network interface). */
export interface ObservedFlowLog {
  flowLogId: string;
  resourceId: string;
  /** ACCEPT | REJECT | ALL. */
  trafficType?: string;
  /** s3 | cloud-watch-logs | kinesis-data-firehose. */
  logDestinationType?: string;
  logDestination?: string;
  /** ACTIVE. */
  flowLogStatus?: string;
  /** SUCCESS | FAILED. */
  deliverLogsStatus?: string;
  deliverLogsErrorMessage?: string;
  logFormat?: string;
  /** S3 destinations only; absent when the API did not report it. */
  destinationOptions?: { fileFormat?: string; hiveCompatiblePartitions?: boolean; perHourPartition?: boolean };
}

/** An association of a VPC with a Resolver query logging configuration, as ListResolverQueryLogConfigAssociations returns it. */
export interface ObservedDnsQueryLogAssociation {
  id: string;
  configId: string;
  /** The VPC id. */
  resourceId: string;
  /** CREATING | ACTIVE | ACTION_NEEDED | DELETING | FAILED. */
  status: string;
  /** NONE | DESTINATION_NOT_FOUND | ACCESS_DENIED | INTERNAL_SERVICE_ERROR. */
  error?: string;
  errorMessage?: string;
}

/** One account × region's VPCs, and what logs them: each piece read only when the manifest intends it. */
export interface ObservedRegionNetwork {
  vpcs: Collected<ObservedVpc[]>;
  /** When the manifest has flowLogs. */
  flowLogs?: Collected<ObservedFlowLog[]>;
  /** When the manifest has dnsQueryLogs: the associations the account holds (with any configuration, its own or shared). */
  dnsQueryLogAssociations?: Collected<ObservedDnsQueryLogAssociation[]>;
}

// ---- Trail log group (management account, home region) ----
export interface ObservedLogGroup {
  name: string;
  exists: boolean;
  retentionDays?: number;
  /** DescribeLogGroups kmsKeyId: the key ARN the group encrypts with; absent = CloudWatch Logs' own encryption. */
  kmsKeyId?: string;
  /** Newest event ingestion over the group's streams (ISO-8601). */
  lastIngestionTime?: string;
}

// ---- The audit manifest parameters (security account, home region; agent/collectors/manifest-parameter.ts) ----
/** DescribeParameters' answer for one parameter: undefined when no parameter of that name exists. */
export type ObservedParameterMetadata =
  | {
      arn?: string;
      type?: string;
      tier?: string;
      /** Assigned by SSM: every PutParameter adds one; nobody can set it. */
      version?: number;
      lastModifiedDate?: string;
      /** The IAM ARN that wrote the current version (set by SSM, not by the caller). */
      lastModifiedUser?: string;
    }
  | undefined;

export interface ObservedManifestPart {
  /** <head>/part-<index> (baseline/manifest-codec.ts manifestPartName). */
  name: string;
  index: number;
  metadata: Collected<ObservedParameterMetadata>;
  /** ListTagsForResource (only read when the part exists). */
  tags: Collected<Record<string, string>>;
}

export interface ObservedManifestParameter {
  /** The head read: /orgwarden/<manifest stack>/audit-manifest. */
  name: string;
  account: string;
  region: string;
  /** DescribeParameters: undefined when no parameter of that name exists. */
  metadata: Collected<ObservedParameterMetadata>;
  /** ListTagsForResource (only read when the parameter exists). */
  tags: Collected<Record<string, string>>;
  /** Parts 2..MANIFEST_PARTS, each read the same way as the head. */
  parts: ObservedManifestPart[];
}
// ---- CIS metric filters and alarms (management account, home region) ----
export interface ObservedMetricFilter {
  name: string;
  pattern: string;
  metrics: { name: string; namespace: string; value: string; defaultValue?: number }[];
}
export interface ObservedMetricAlarm {
  name: string;
  arn?: string;
  namespace?: string;
  metricName?: string;
  statistic?: string;
  extendedStatistic?: string;
  /** Dimension names and values; a filter's metric without dimensions only matches an alarm without any. */
  dimensions: { name: string; value: string }[];
  /** Set when the alarm watches a metric-math expression instead of one metric. */
  usesMetricMath: boolean;
  period?: number;
  evaluationPeriods?: number;
  datapointsToAlarm?: number;
  threshold?: number;
  comparisonOperator?: string;
  actionsEnabled: boolean;
  alarmActions: string[];
}
export interface ObservedCisMonitoring {
  logGroupName: string;
  /** Every metric filter of the trail's log group; undefined when the group does not exist. */
  filters: Collected<ObservedMetricFilter[] | undefined>;
  /** The metric alarms on the CIS namespace or on a CIS metric name (any namespace). */
  alarms: Collected<ObservedMetricAlarm[]>;
}

// ---- The organization's Config aggregator (security account, home region; agent/collectors/config.ts) ----
export interface ObservedAggregatorSource {
  sourceId?: string;
  sourceType?: string;
  region?: string;
  lastUpdateStatus?: string;
  lastErrorCode?: string;
  lastErrorMessage?: string;
  lastUpdateTime?: string;
}
/** A feature of GuardDuty's organization configuration (DescribeOrganizationConfiguration Features). */
export interface ObservedGuardDutyOrgFeature {
  name: string;
  /** NEW | NONE | ALL. */
  autoEnable?: string;
  additional: { name: string; autoEnable?: string }[];
}
/** DescribeOrganizationConfiguration of the delegated administrator's detector (its deprecated AutoEnable and DataSources are not read). */
export interface ObservedGuardDutyOrgConfiguration {
  detectorId: string;
  /** NEW | ALL | NONE. */
  autoEnableOrganizationMembers?: string;
  memberAccountLimitReached?: boolean;
  features: ObservedGuardDutyOrgFeature[];
}
/** GuardDuty's organization settings in one governed region. */
export interface ObservedGuardDutyOrganizationRegion {
  region: string;
  /** ListOrganizationAdminAccounts, from the management account. */
  adminAccounts: Collected<{ accountId?: string; status?: string }[]>;
  /** From the security account: its detector's organization configuration; undefined when the account has no detector there. */
  configuration: Collected<ObservedGuardDutyOrgConfiguration | undefined>;
}
/** Read when the manifest has a guardDuty area: every governed region of the run. */
export interface ObservedGuardDutyOrganization {
  managementAccountId: string;
  securityAccountId: string;
  regions: ObservedGuardDutyOrganizationRegion[];
}
export interface ObservedConfigAggregator {
  /** The aggregator read: the manifest's pipeline.config.aggregator name, account and region. */
  name: string;
  account: string;
  region: string;
  /** undefined when no aggregator of that name exists. */
  aggregator: Collected<
    | {
        arn?: string;
        organizationSource?: { roleArn?: string; allRegions: boolean; regions: string[] };
        /** Account aggregation sources (the baseline lays none: it aggregates the organization). */
        accountSources: number;
        /** Set when AggregatorFilters narrow what it aggregates (the baseline sets none). */
        filters?: string;
      }
    | undefined
  >;
  /** Its sources whose last update FAILED (DescribeConfigurationAggregatorSourcesStatus, UpdateStatus FAILED). */
  failedSources: Collected<ObservedAggregatorSource[]>;
}

// ---- The member-baseline StackSet (management account, home region) and its direct stacks ----
export interface ObservedStackInstance {
  account: string;
  region: string;
  /** StackInstanceSummary.Status: CURRENT, OUTDATED or INOPERABLE. */
  status?: string;
  statusReason?: string;
  /** StackInstanceStatus.DetailedStatus: SUCCEEDED, FAILED, CANCELLED, PENDING, RUNNING, INOPERABLE, SKIPPED_SUSPENDED_ACCOUNT, FAILED_IMPORT. */
  detailedStatus?: string;
  /** DRIFTED, IN_SYNC, UNKNOWN or NOT_CHECKED; absent when the answer carried none. */
  driftStatus?: string;
  lastDriftCheckTimestamp?: string;
  stackId?: string;
}
export interface ObservedStackSetDrift {
  /** StackSetDriftDetectionDetails.DriftStatus: DRIFTED, IN_SYNC or NOT_CHECKED. */
  driftStatus?: string;
  /** COMPLETED, FAILED, PARTIAL_SUCCESS, IN_PROGRESS or STOPPED. */
  detectionStatus?: string;
  lastDriftCheckTimestamp?: string;
  driftedInstances?: number;
  failedInstances?: number;
}
export interface ObservedStackSet {
  name: string;
  account: string;
  region: string;
  /** DescribeStackSet (CallAs SELF): undefined when no StackSet of that name exists. */
  stackSet: Collected<
    { arn?: string; status?: string; permissionModel?: string; drift?: ObservedStackSetDrift } | undefined
  >;
  /** ListStackInstances, every page (only read when the StackSet exists). */
  instances: Collected<ObservedStackInstance[]>;
}
export interface ObservedBaselineStack {
  account: string;
  region: string;
  /** DescribeStacks by name: undefined when no stack of that name exists. */
  stack: Collected<
    | {
        stackId?: string;
        status?: string;
        statusReason?: string;
        /** DriftInformation.StackDriftStatus: DRIFTED, IN_SYNC, UNKNOWN or NOT_CHECKED. */
        driftStatus?: string;
        lastDriftCheckTimestamp?: string;
      }
    | undefined
  >;
}
/** The StackSet and the direct stacks of the manifest's stackSet area. */
export interface ObservedMemberBaseline {
  stackSet: ObservedStackSet;
  /** One per direct account in scope × governed region. */
  directStacks: ObservedBaselineStack[];
  /** The StackSet's drift schedule (EventBridge Scheduler GetSchedule, management account, home region); absent in states read before it. */
  driftSchedule?: ObservedDriftSchedule;
}

export interface ObservedDriftSchedule {
  name: string;
  account: string;
  region: string;
  /** undefined: no schedule of that name in the default group. */
  schedule: Collected<
    | {
        state?: string;
        scheduleExpression?: string;
        targetArn?: string;
        roleArn?: string;
        /** The target's input, as the raw JSON text Scheduler holds. */
        input?: string;
        endDate?: string;
      }
    | undefined
  >;
}

/** One Inspector member as ListMembers returns it (the security account as delegated administrator). */
export interface ObservedInspectorMember {
  accountId?: string;
  /** RelationshipStatus: ENABLED, CREATED, DISABLED, REMOVED, RESIGNED, ACCOUNT_SUSPENDED, … */
  relationshipStatus?: string;
  delegatedAdminAccountId?: string;
  updatedAt?: string;
}
/** Amazon Inspector's organization in one region: its delegation, its configuration and its members. */
export interface ObservedInspectorRegion {
  /** ListDelegatedAdminAccounts (management account), every page: DelegatedAdminStatus ENABLED or DISABLE_IN_PROGRESS. */
  delegatedAdmins: Collected<{ accountId?: string; status?: string }[]>;
  /** DescribeOrganizationConfiguration (security account, as delegated administrator). */
  configuration: Collected<{
    /** As returned; a key AWS leaves out stays out (an unknown is never read as off). */
    autoEnable?: { ec2?: boolean; ecr?: boolean; lambda?: boolean; lambdaCode?: boolean; codeRepository?: boolean };
    maxAccountLimitReached?: boolean;
  }>;
  /** ListMembers with onlyAssociated false (security account), every page. */
  members: Collected<ObservedInspectorMember[]>;
}
/** Read when the manifest has an inspector area, in every region of the run. */
export interface ObservedInspectorOrganization {
  managementAccountId: string;
  securityAccountId: string;
  byRegion: Record<string, ObservedInspectorRegion>;
}

export interface ObservedState {
  organization: ObservedOrganization;
  cloudTrail: ObservedCloudTrail;
  archive: ObservedArchiveBucket;
  /** Collected when the manifest names a flow-log bucket; absent otherwise (its checks then never PASS). */
  flowLogBucket?: ObservedFlowLogBucket;
  /** Collected when the manifest has an athena area; absent otherwise (athena-catalog then never PASSes). */
  athenaCatalog?: ObservedAthenaCatalog;
  /** Collected when the manifest has an athena area; absent otherwise (athena-workgroup then never PASSes). */
  athenaWorkgroup?: ObservedAthenaWorkgroup;
  /** The manifest's logBuckets, each read once by the plan; absent when the manifest has none. */
  logBuckets?: ObservedLogBucket[];
  /** Collected when the manifest names Resolver query logging (dnsQueryLogs); absent otherwise (its check then never PASSes). */
  dnsQueryLogs?: ObservedDnsQueryLogs;
  key: ObservedKey;
  /** The baseline's other keys (manifest `keys.others`, same order); absent when the state was built without them (their checks are then ERROR). */
  keys?: ObservedKey[];
  /** The manifest's shared roles (`roles.shared`, same order); absent when the state was built without them (their checks are then ERROR). */
  roles?: ObservedRole[];
  /** The member roles (read role and forwarder role) of the batch's accounts, when the manifest has `roles.perAccount`. */
  memberRoles?: ObservedRole[];
  logGroup: Collected<ObservedLogGroup>;
  cis: ObservedCisMonitoring;
  detection: ObservedRegionDetection[];
  /**
   * The digest chains, validated as the log auditor role (audit.logAuditorRoleArn); absent when the
   * manifest names no such role, or when the state was built without it (the check is then never PASS).
   */
  integrity?: ObservedIntegrity;
  /** The manifest parameter's metadata and tags; absent when the state was built without it (the check is then ERROR). */
  manifestParameter?: ObservedManifestParameter;
  /** The Config aggregator, when the manifest's pipeline area names one; absent otherwise (its check is then never PASS). */
  configAggregator?: ObservedConfigAggregator;
  /** GuardDuty's delegated administrator and organization configuration, when the manifest has a guardDuty area. */
  guardDutyOrganization?: ObservedGuardDutyOrganization;
  /** The alert topics and the central bus, when the manifest has a detectionPipeline area. */
  detectionPipeline?: ObservedDetectionPipeline;
  /** The member-baseline StackSet and direct stacks, when the manifest has a stackSet area; absent otherwise (the stackset-* checks are then never PASS). */
  memberBaseline?: ObservedMemberBaseline;
  /** The audit agent's schedule, alarms and log groups, when the manifest has an auditAgent area; absent otherwise (the audit-agent-* checks are then never PASS). */
  auditAgent?: ObservedAgentDeployment;
  /** Amazon Inspector's delegation, organization configuration and members, when the manifest has an inspector area; absent otherwise (inspector-organization and inspector-members then never PASS). */
  inspectorOrganization?: ObservedInspectorOrganization;
  /** Security Hub's organization setup, when the manifest has a securityHub area; absent otherwise (its checks then never PASS). */
  securityHub?: ObservedSecurityHubOrganization;
  /** Accounts that could not be entered at all (AssumeRole failed): every check for them reports ERROR. */
  unreachableAccounts: Record<string, CollectError>;
  /**
   * What this run was asked to audit (after --accounts / --regions). Per-account and per-region checks
   * report on exactly these, and an ACTIVE account × region inside it with no observation is an ERROR.
   * Absent: every ACTIVE account of the organization × every governed region of the manifest.
   */
  scope?: { accounts?: string[]; regions?: string[] };
}
