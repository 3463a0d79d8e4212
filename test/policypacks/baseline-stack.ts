/**
 * A compliant baseline as captured resources (the passing builder for the stack policies): every
 * test changes one thing. Names are what the rules print, so messages can be asserted exactly.
 */
import { CIS_FILTERS, cisFilterName, CIS_METRIC_NAMESPACE } from "../../baseline/detection/cis-filters";
import { loggingProtectionScp } from "../../baseline/scp";
import { res, Res, urnOf } from "./helpers";

export const T = {
  trail: "aws:cloudtrail/trail:Trail",
  bucket: "aws:s3/bucket:Bucket",
  versioning: "aws:s3/bucketVersioning:BucketVersioning",
  logging: "aws:s3/bucketLogging:BucketLogging",
  sse: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  lock: "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
  pab: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  policy: "aws:s3/bucketPolicy:BucketPolicy",
  key: "aws:kms/key:Key",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  filter: "aws:cloudwatch/logMetricFilter:LogMetricFilter",
  alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
  org: "aws:organizations/organization:Organization",
  ou: "aws:organizations/organizationalUnit:OrganizationalUnit",
  scp: "aws:organizations/policy:Policy",
  attach: "aws:organizations/policyAttachment:PolicyAttachment",
  recorder: "aws:cfg/recorder:Recorder",
  channel: "aws:cfg/deliveryChannel:DeliveryChannel",
  gdDetector: "aws:guardduty/detector:Detector",
  gdOrg: "aws:guardduty/organizationConfiguration:OrganizationConfiguration",
  gdAdmin: "aws:guardduty/organizationAdminAccount:OrganizationAdminAccount",
  shOrg: "aws:securityhub/organizationConfiguration:OrganizationConfiguration",
  shAdmin: "aws:securityhub/organizationAdminAccount:OrganizationAdminAccount",
  inOrg: "aws:inspector2/organizationConfiguration:OrganizationConfiguration",
  inAdmin: "aws:inspector2/delegatedAdminAccount:DelegatedAdminAccount",
} as const;

export const ARCHIVE = "org-archive-123";
export const ACCESS_LOGS = "org-access-logs-123";
export const CONFIG_BUCKET = "org-config-123";
export const FLOW_LOGS = "org-flow-logs-123";
export const KEY_ARN = "arn:aws:kms:us-east-1:222222222222:key/11111111-2222-3333-4444-555555555555";
export const TRAIL_ARN = "arn:aws:cloudtrail:us-east-1:111111111111:trail/org-trail";
export const LOG_GROUP_ARN = "arn:aws:logs:us-east-1:111111111111:log-group:/org/cloudtrail";
export const ROOT_ID = "r-ab12";
export const OU_IDS = { Security: "ou-ab12-11111111", Workloads: "ou-ab12-22222222" };
export const SCP_ID = "p-abcdefgh";

export function tlsDeny(bucket: string) {
  return {
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: "s3:*",
    Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  };
}

function bucketFamily(
  name: string,
  bucket: string,
  extra: { lock?: boolean; sse: Record<string, unknown>; logTo?: string; statements?: Record<string, unknown>[] },
): Res[] {
  const out: Res[] = [
    res(
      T.bucket,
      `${name}-bucket`,
      { bucket, forceDestroy: false, ...(extra.lock ? { objectLockEnabled: true } : {}) },
      { protect: true, outputs: { arn: `arn:aws:s3:::${bucket}`, id: bucket } },
    ),
    res(T.versioning, `${name}-versioning`, { bucket, versioningConfiguration: { status: "Enabled" } }),
    res(T.pab, `${name}-pab`, {
      bucket,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    }),
    res(T.sse, `${name}-encryption`, { bucket, rules: [{ applyServerSideEncryptionByDefault: extra.sse }] }),
    res(T.policy, `${name}-policy`, {
      bucket,
      policy: JSON.stringify({ Version: "2012-10-17", Statement: [tlsDeny(bucket), ...(extra.statements ?? [])] }),
    }),
  ];
  if (extra.lock)
    out.push(
      res(T.lock, `${name}-object-lock`, {
        bucket,
        objectLockEnabled: "Enabled",
        rule: { defaultRetention: { mode: "COMPLIANCE", days: 365 } },
      }),
    );
  if (extra.logTo)
    out.push(res(T.logging, `${name}-logging`, { bucket, targetBucket: extra.logTo, targetPrefix: "archive/" }));
  return out;
}

function cisMonitoring(): Res[] {
  return CIS_FILTERS.flatMap((f) => [
    res(T.filter, cisFilterName(f), {
      logGroupName: "/org/cloudtrail",
      pattern: f.pattern,
      metricTransformation: { name: f.metricName, namespace: CIS_METRIC_NAMESPACE, value: "1" },
    }),
    res(T.alarm, `${cisFilterName(f)}-alarm`, {
      metricName: f.metricName,
      namespace: CIS_METRIC_NAMESPACE,
      actionsEnabled: true,
      alarmActions: ["arn:aws:sns:us-east-1:111111111111:cis-alarms"],
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      threshold: 1,
      evaluationPeriods: 1,
      period: 300,
      statistic: "Sum",
    }),
  ]);
}

function organization(): Res[] {
  const scp = loggingProtectionScp({
    exemptPrincipalArns: ["arn:aws:iam::*:role/break-glass"],
    protectedBucketNames: [ARCHIVE, ACCESS_LOGS],
    objectProtectedBucketNames: [],
  });
  return [
    res(
      T.org,
      "org",
      { featureSet: "ALL", enabledPolicyTypes: ["SERVICE_CONTROL_POLICY"] },
      { protect: true, outputs: { id: "o-abcdefghij", roots: [{ id: ROOT_ID, name: "Root" }] } },
    ),
    ...Object.entries(OU_IDS).map(([n, id]) =>
      res(T.ou, `ou-${n}`, { name: n, parentId: ROOT_ID }, { outputs: { id } }),
    ),
    res(
      T.scp,
      "logging-scp",
      { name: "protect-logging", type: "SERVICE_CONTROL_POLICY", content: JSON.stringify(scp) },
      { outputs: { id: SCP_ID } },
    ),
    res(T.attach, "logging-scp-attachment", { policyId: SCP_ID, targetId: ROOT_ID }),
  ];
}

function detection(): Res[] {
  return [
    res(T.recorder, "recorder", {
      roleArn: "arn:aws:iam::111111111111:role/config",
      recordingGroup: { allSupported: true, includeGlobalResourceTypes: true },
    }),
    res(T.channel, "channel", { s3BucketName: CONFIG_BUCKET }),
    res(T.gdAdmin, "gd-admin", { adminAccountId: "333333333333" }),
    res(T.gdDetector, "gd-detector", { enable: true }),
    res(T.gdOrg, "gd-org", { autoEnableOrganizationMembers: "ALL", detectorId: "d1" }),
    res(T.shAdmin, "sh-admin", { adminAccountId: "333333333333" }),
    res(T.shOrg, "sh-org", { autoEnable: true }),
    res(T.inAdmin, "in-admin", { accountId: "333333333333" }),
    res(T.inOrg, "in-org", { autoEnable: { ec2: true, ecr: true, lambda: false } }),
  ];
}

export function compliantTrailInputs(): Record<string, unknown> {
  return {
    name: "org-trail",
    s3BucketName: ARCHIVE,
    isMultiRegionTrail: true,
    includeGlobalServiceEvents: true,
    enableLogging: true,
    isOrganizationTrail: true,
    enableLogFileValidation: true,
    kmsKeyId: KEY_ARN,
    cloudWatchLogsGroupArn: `${LOG_GROUP_ARN}:*`,
    cloudWatchLogsRoleArn: "arn:aws:iam::111111111111:role/trail-to-logs",
    advancedEventSelectors: [
      { name: "Management events", fieldSelectors: [{ field: "eventCategory", equals: ["Management"] }] },
      {
        name: "S3",
        fieldSelectors: [
          { field: "eventCategory", equals: ["Data"] },
          { field: "resources.type", equals: ["AWS::S3::Object"] },
        ],
      },
      {
        name: "Lambda",
        fieldSelectors: [
          { field: "eventCategory", equals: ["Data"] },
          { field: "resources.type", equals: ["AWS::Lambda::Function"] },
        ],
      },
    ],
  };
}

/** The whole compliant stack. */
export function baselineStack(): Res[] {
  return [
    res(T.trail, "org-trail", compliantTrailInputs(), { protect: true, outputs: { arn: TRAIL_ARN } }),
    res(
      T.logGroup,
      "trail-log-group",
      { name: "/org/cloudtrail", retentionInDays: 365, kmsKeyId: KEY_ARN },
      { outputs: { arn: LOG_GROUP_ARN } },
    ),
    res(
      T.key,
      "log-key",
      {
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        policy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Sid: "Admin",
              Effect: "Allow",
              Principal: { AWS: "arn:aws:iam::222222222222:root" },
              Action: "kms:*",
              Resource: "*",
            },
          ],
        }),
      },
      { protect: true, outputs: { arn: KEY_ARN } },
    ),
    ...bucketFamily("archive", ARCHIVE, {
      lock: true,
      sse: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY_ARN },
      logTo: ACCESS_LOGS,
    }),
    ...bucketFamily("access-logs", ACCESS_LOGS, { sse: { sseAlgorithm: "AES256" } }),
    ...bucketFamily("config", CONFIG_BUCKET, { sse: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY_ARN } }),
    // The VPC Flow Logs bucket: its policy admitting the log delivery service is what makes it one.
    ...bucketFamily("flow-logs", FLOW_LOGS, {
      sse: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY_ARN },
      statements: [
        {
          Sid: "AWSLogDeliveryWrite",
          Effect: "Allow",
          Principal: { Service: "delivery.logs.amazonaws.com" },
          Action: "s3:PutObject",
          Resource: `arn:aws:s3:::${FLOW_LOGS}/AWSLogs/*`,
        },
      ],
    }),
    // The Athena results bucket and its workgroup (infra/athena): the workgroup's output location is what makes it one.
    ...bucketFamily("athena-results", ATHENA_RESULTS, { sse: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY_ARN } }),
    res("aws:athena/workgroup:Workgroup", "athena-workgroup", {
      name: "orgwarden-prod-logs",
      configuration: {
        enforceWorkgroupConfiguration: true,
        bytesScannedCutoffPerQuery: 107374182400,
        resultConfiguration: {
          outputLocation: `s3://${ATHENA_RESULTS}/results/`,
          encryptionConfiguration: { encryptionOption: "SSE_KMS", kmsKeyArn: KEY_ARN },
        },
      },
    }),
    // Route 53 Resolver query logging (infra/network/dns-query-logs.ts): its bucket, one configuration and its RAM share.
    ...bucketFamily("dns-logs", DNS_LOGS, { sse: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY_ARN } }),
    ...dnsQueryLogging(),
    ...organization(),
    ...cisMonitoring(),
    ...detection(),
  ];
}

const ATHENA_RESULTS = "orgwarden-prod-query-results-111111111111";
export const DNS_LOGS = "org-dns-logs-123";
export const DNS_CONFIG_ARN =
  "arn:aws:route53resolver:us-east-1:222222222222:resolver-query-log-config/rslvr-qlc-0123456789abcdef0";
export const DNS_SHARE_ARN = "arn:aws:ram:us-east-1:222222222222:resource-share/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
export const ORGANIZATION_ARN = "arn:aws:organizations::111111111111:organization/o-abc123def4";

/** One query logging configuration to the DNS bucket, shared with the organization only. */
function dnsQueryLogging(): Res[] {
  return [
    res(
      "aws:route53/resolverQueryLogConfig:ResolverQueryLogConfig",
      "dns-query-logs-config-us-east-1",
      { name: "org-dns-query-logs", destinationArn: `arn:aws:s3:::${DNS_LOGS}` },
      { protect: true, outputs: { arn: DNS_CONFIG_ARN, id: "rslvr-qlc-0123456789abcdef0" } },
    ),
    res(
      "aws:ram/resourceShare:ResourceShare",
      "dns-query-logs-share-us-east-1",
      { name: "org-dns-query-logs", allowExternalPrincipals: false },
      { outputs: { arn: DNS_SHARE_ARN, id: DNS_SHARE_ARN } },
    ),
    res("aws:ram/resourceAssociation:ResourceAssociation", "dns-query-logs-share-config-us-east-1", {
      resourceArn: DNS_CONFIG_ARN,
      resourceShareArn: DNS_SHARE_ARN,
    }),
    res("aws:ram/principalAssociation:PrincipalAssociation", "dns-query-logs-share-org-us-east-1", {
      principal: ORGANIZATION_ARN,
      resourceShareArn: DNS_SHARE_ARN,
    }),
  ];
}

/** Replaces (or with undefined, removes) one resource's inputs and outputs alike. */
export function mutate(
  stack: Res[],
  name: string,
  change: (inputs: Record<string, any>) => Record<string, any> | undefined,
): Res[] {
  return stack.flatMap((r) => {
    if (r.name !== name) return [r];
    const next = change(structuredClone(r.inputs));
    if (next === undefined) return [];
    const extra = Object.fromEntries(Object.entries(r.outputs).filter(([k]) => !(k in r.inputs)));
    return [{ ...r, inputs: next, outputs: { ...next, ...extra } }];
  });
}

export const without = (stack: Res[], name: string) => mutate(stack, name, () => undefined);
export { urnOf };
