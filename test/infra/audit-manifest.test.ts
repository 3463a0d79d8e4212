import { createHash, randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { dnsQueryLogBucketPolicy, flowLogBucketPolicy } from "../../baseline/network";
import type { ProgramRun } from "../../harness/run-program";
import {
  archiveBucketPolicy,
  AuditManifest,
  decodeManifestParameters,
  encodeManifestParameters,
  manifestCapacity,
  manifestData,
  manifestParameterNames,
  MANIFEST_PART_FORMAT,
  MANIFEST_PARTS,
  accessLogBucketPolicy,
  auditReportBucketPolicy,
  logKeyPolicy,
  MANIFEST_DIGEST_TAG,
  manifestDigest,
  MANIFEST_PARAMETER_FORMAT,
  parseAuditManifest,
  type PolicyDocument,
} from "../../baseline";
import {
  cisAlarmsIntent,
  configBucketPolicy,
  detectionPipelineArea,
  memberRolesDigest,
} from "../../baseline/detection";

/** alerts.emails of Pulumi.<stack>.yaml. */
const ALERT_EMAILS: Record<string, string[]> = {
  dev: ["dev-security-alerts@example.com"],
  prod: ["security-alerts@example.com", "soc-oncall@example.com"],
};
import { cloudTrailTable, flowLogTable, resultsBucketPolicy } from "../../baseline/athena";
import { COMMERCIAL_REGIONS } from "../../infra/config-fields";
import { ManifestTooLargeError, manifestParameterValues, SSM_ADVANCED_MAX_BYTES } from "../../infra/audit-manifest";
import { DEPLOY_ROLE, EXPECTED, expectedScps, LOG_GROUP } from "./expected";
import { doc, ofType, one, providerUrn, runStack, STACKS } from "./stack";

const PARAM = "aws:ssm/parameter:Parameter";
/** Both example stacks enable athena: the log analyst role is admitted to the archive, the key and the flow logs. */
const ANALYST = "orgwarden-log-analyst";

/** From Pulumi.<stack>.yaml: detection.config.bucketExpirationDays and audit.reportRetentionDays. */
const RETENTION = { dev: { config: 30, reports: 30 }, prod: { config: 2555, reports: 400 } } as const;

/** ssm.Parameter marks its value secret; the mock runtime hands it over wrapped. */
function unsecret(v: unknown): string {
  if (typeof v === "string") return v;
  const o = v as Record<string, unknown>;
  expect(o["4dabf18193072939515e22adb298388d"]).toBe("1b47061264138c4ac30d75fd1eb44270");
  return o.value as string;
}

/**
 * The manifest's `auditAgent` as read back from the laid resources: the schedule rule and its one
 * target, every alarm of the agent (its MetricAlarm inputs), its log groups' names, retention and key.
 */
function laidAgent(run: ProgramRun): AuditManifest["auditAgent"] {
  const rule = one(run, "aws:cloudwatch/eventRule:EventRule", "audit-agent-schedule");
  const targets = ofType(run, "aws:cloudwatch/eventTarget:EventTarget").filter((t) => t.name.startsWith("audit-agent"));
  expect(targets).toHaveLength(1);
  const t = targets[0].inputs;
  // In the order baseline's agentAlarms lists them (the mocks register them in no fixed order).
  const order = ["errors", "executions", "missed-run", "notification"];
  const rank = (n: string) => order.findIndex((o) => n === `audit-agent-${o}-alarm`);
  const alarms = ofType(run, "aws:cloudwatch/metricAlarm:MetricAlarm")
    .filter((a) => a.name.startsWith("audit-agent"))
    .sort((a, b) => rank(a.name) - rank(b.name));
  expect(alarms.map((a) => rank(a.name))).not.toContain(-1);
  const groups = ofType(run, "aws:cloudwatch/logGroup:LogGroup").filter((g) => g.name.startsWith("audit-agent"));
  const retention = [...new Set(groups.map((g) => g.inputs.retentionInDays))];
  const keys = [...new Set(groups.map((g) => g.inputs.kmsKeyId))];
  expect([retention.length, keys.length]).toEqual([1, 1]);
  type Query = { id: string; label?: string; expression?: string; metric?: Record<string, unknown> };
  return {
    engine: t.targetId === "audit-state-machine" ? "step-functions" : "lambda",
    schedule: {
      ruleName: rule.inputs.name as string,
      expression: rule.inputs.scheduleExpression as string,
      target: {
        id: t.targetId as string,
        arn: t.arn as string,
        ...(t.roleArn ? { roleArn: t.roleArn as string } : {}),
        ...(t.input !== undefined ? { input: t.input as string } : {}),
      },
    },
    alarms: alarms.map(({ inputs: a }) => {
      const queries = (a.metricQueries ?? []) as Query[];
      const math = queries.find((q) => q.expression);
      expect(a.actionsEnabled).toBe(true);
      return {
        name: a.name as string,
        ...(a.metricName
          ? {
              namespace: a.namespace as string,
              metricName: a.metricName as string,
              dimensions: a.dimensions as Record<string, string>,
              statistic: a.statistic as string,
              period: a.period as number,
            }
          : {}),
        ...(queries.length > 0
          ? {
              metrics: queries.filter((q) => q.metric).map((q) => ({ id: q.id, ...(q.metric as object) })) as never,
              expression: { id: math!.id, expression: math!.expression!, label: math!.label! },
            }
          : {}),
        evaluationPeriods: a.evaluationPeriods as number,
        threshold: a.threshold as number,
        comparisonOperator: a.comparisonOperator as string,
        treatMissingData: a.treatMissingData as "breaching",
        alarmActions: a.alarmActions as string[],
        ...(a.okActions ? { okActions: a.okActions as string[] } : {}),
      };
    }),
    logGroups: {
      names: groups.map((g) => g.inputs.name as string),
      retentionDays: retention[0] as number,
      keyArn: keys[0] as string,
    },
  };
}

/** Handle and purpose of each key infra lays besides the log key, by its resource name (the manifest's order). */
const OTHER_KEYS: [resource: string, name: string, purpose: string][] = [
  ["log-group-key-key", "log-group-key", "the organization trail's CloudWatch Logs group key"],
  ["detection-config-bucket-key", "config-key", "the AWS Config bucket's key"],
  ["detection-security-alerts-key", "orgwarden-security-alerts-key", "the orgwarden-security-alerts alert topic's key"],
  ["detection-cis-alarms-topic-key", "orgwarden-cis-alarms-key", "the orgwarden-cis-alarms alert topic's key"],
  ["flow-logs-key", "flow-log-key", "the VPC Flow Logs bucket's key"],
  ["athena-results-key", "athena-results-key", "the Athena query results bucket's key"],
  ["dns-query-logs-key", "dns-query-log-key", "the DNS query-log bucket's key"],
  ["audit-agent-logs-key", "audit-agent-logs-key", "the audit agent's CloudWatch Logs key"],
];

/**
 * The manifest's `keys.others` as read back from the laid resources: each key's own policy input and
 * the alias that targets it. Every key but the log key must be listed, so a new key fails here.
 */
function laidKeys(run: ProgramRun, stack: string) {
  const keys = ofType(run, "aws:kms/key:Key").filter((k) => k.name !== "log-key-key");
  expect(keys.map((k) => k.name).sort(), stack).toEqual(OTHER_KEYS.map(([r]) => r).sort());
  return OTHER_KEYS.map(([resource, name, purpose]) => {
    const key = one(run, "aws:kms/key:Key", resource);
    const aliases = ofType(run, "aws:kms/alias:Alias").filter((a) => a.inputs.targetKeyId === key.outputs.keyId);
    expect(aliases, resource).toHaveLength(1);
    return {
      name,
      purpose,
      arn: key.outputs.arn,
      aliasName: aliases[0].inputs.name,
      expectedKeyPolicy: doc(key.inputs.policy) as PolicyDocument,
      allowedGrantees: [],
      rotationEnabled: key.inputs.enableKeyRotation,
    };
  });
}

/** A `roles.shared` entry read back from the laid role: its trust input, its inline policies' inputs, no attachments. */
function laidRole(run: ProgramRun, resource: string, name: string, purpose: string, account: string) {
  const role = one(run, "aws:iam/role:Role", resource);
  const roleName = role.inputs.name as string;
  const inline = ofType(run, "aws:iam/rolePolicy:RolePolicy").filter((p) => p.inputs.role === roleName);
  expect(inline.length, resource).toBeGreaterThan(0);
  expect(
    ofType(run, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((a) => a.inputs.role === roleName),
  ).toEqual([]);
  return {
    name,
    purpose,
    account,
    roleName,
    trustPolicy: doc(role.inputs.assumeRolePolicy) as PolicyDocument,
    inlinePolicies: Object.fromEntries(
      inline.map((p) => [p.inputs.name as string, doc(p.inputs.policy) as PolicyDocument]),
    ),
    managedPolicyArns: [],
  };
}

describe.each(STACKS)("AuditManifest (%s stack)", (stack) => {
  const x = EXPECTED[stack];
  let run: ProgramRun;
  let expected: AuditManifest;
  beforeAll(async () => {
    run = await runStack(stack);
    const ouId = (name: string) =>
      one(run, "aws:organizations/organizationalUnit:OrganizationalUnit", `org-ou-${name.toLowerCase()}`).id!;
    expected = {
      schemaVersion: 1,
      stack,
      generatedBy: "orgwarden",
      organization: {
        id: x.orgId,
        rootId: x.rootId,
        managementAccountId: x.mgmt,
        logArchiveAccountId: x.logArchiveId,
        securityAccountId: x.securityId,
        governedOus: x.ous.map((name) => ({ id: ouId(name), name })),
      },
      regions: { home: x.home, governed: x.governedRegions },
      trail: {
        name: x.trailName,
        arn: x.trailArn,
        homeRegion: x.home,
        isOrganizationTrail: true,
        logGroupName: LOG_GROUP,
        logGroupRetentionDays: x.logGroupRetentionDays,
        // The log group's key, as laid (the same key keys.others lists as log-group-key).
        logGroupKeyArn: one(run, "aws:kms/key:Key", "log-group-key-key").outputs.arn,
        dataEvents: { s3: x.s3DataEvents, lambda: x.lambdaDataEvents },
      },
      archive: {
        bucketName: x.archive,
        accessLogBucketName: x.accessLogs,
        objectLock: { mode: x.lockMode, days: x.retentionDays },
        expectedBucketPolicy: archiveBucketPolicy({
          bucketName: x.archive,
          orgId: x.orgId,
          managementAccountId: x.mgmt,
          trailArn: x.trailArn,
          securityAccountId: x.securityId,
          auditorRoleNames: x.auditors,
          analystRoleNames: [ANALYST],
        }),
      },
      key: {
        arn: one(run, "aws:kms/key:Key", "log-key-key").outputs.arn,
        expectedKeyPolicy: logKeyPolicy({
          securityAccountId: x.securityId,
          managementAccountId: x.mgmt,
          trailArn: x.trailArn,
          adminRoleNames: [DEPLOY_ROLE],
          auditorRoleNames: x.auditors,
          auditReadRoleNames: ["orgwarden-audit-read"],
          analyst: { roleNames: [ANALYST], region: x.home },
        }),
        allowedGrantees: [],
      },
      keys: { logKeyAlias: "alias/orgwarden-cloudtrail", others: laidKeys(run, stack) },
      roles: {
        shared: [
          laidRole(
            run,
            "org-trail-logs-role",
            "trail-logs-role",
            "the organization trail's CloudWatch Logs delivery role",
            x.mgmt,
          ),
          laidRole(run, "log-auditor-role", "log-auditor-role", "the log auditor role", x.securityId),
          laidRole(run, "athena-analyst-role", "athena-analyst-role", "the Athena log analyst role", x.securityId),
          laidRole(
            run,
            "detection-member-baseline-drift-role",
            "stackset-drift-role",
            "the StackSet drift schedule's role",
            x.mgmt,
          ),
          // AWS Config's organization aggregator role: AWS's managed policy, no inline one.
          {
            name: "config-aggregator-role",
            purpose: "the Config aggregator's role",
            account: x.securityId,
            roleName: "orgwarden-config-aggregator",
            trustPolicy: doc(
              one(run, "aws:iam/role:Role", "detection-config-aggregator-role").inputs.assumeRolePolicy,
            ) as PolicyDocument,
            inlinePolicies: {},
            managedPolicyArns: [
              one(run, "aws:iam/rolePolicyAttachment:RolePolicyAttachment", "detection-config-aggregator-role-policy")
                .inputs.policyArn as string,
            ],
          },
          laidRole(run, "audit-agent-role", "audit-agent-role", "the audit agent's role", x.securityId),
          // The step-functions engine (both stacks): the state machine's and the schedule's roles.
          laidRole(
            run,
            "audit-agent-states-role",
            "audit-state-machine-role",
            "the audit state machine's role",
            x.securityId,
          ),
          laidRole(run, "audit-agent-schedule-role", "audit-schedule-role", "the audit schedule's role", x.securityId),
        ],
        // The read role and the forwarder role the member template lays everywhere: the digest of what memberRoles builds.
        perAccount: {
          digest: memberRolesDigest({
            orgId: x.orgId,
            securityAccountId: x.securityId,
            auditReadRoleName: "orgwarden-audit-read",
            auditAgentRoleName: "orgwarden-audit-agent",
            namePrefix: "orgwarden",
            centralBusArn: `arn:aws:events:${x.home}:${x.securityId}:event-bus/orgwarden-security`,
          }),
        },
      },
      flowLogs: {
        bucketName: x.flowLogs,
        keyArn: one(run, "aws:kms/key:Key", "flow-logs-key").outputs.arn,
        expectedBucketPolicy: flowLogBucketPolicy({
          bucketName: x.flowLogs,
          orgId: x.orgId,
          securityAccountId: x.securityId,
          readerRoleNames: [...x.auditors, ANALYST],
        }),
      },
      athena: {
        databaseName: `orgwarden_${stack}_logs`,
        workgroupName: `orgwarden-${stack}-logs`,
        tables: [
          cloudTrailTable({ archiveBucketName: x.archive, orgId: x.orgId, regions: COMMERCIAL_REGIONS }),
          flowLogTable({ flowLogBucketName: x.flowLogs, regions: x.governedRegions }),
        ],
        // Exactly what athena-workgroup is laid with (test/infra/athena/log-analytics.test.ts checks those inputs).
        workgroup: {
          name: `orgwarden-${stack}-logs`,
          description: "orgwarden: responder queries over the CloudTrail archive and the flow logs",
          state: "ENABLED",
          enforced: true,
          publishMetrics: true,
          bytesScannedCutoff: x.athena.cutoffGb * 1024 ** 3,
          resultsLocation: `s3://${x.athena.resultsBucket}/results/`,
          encryption: { option: "SSE_KMS", kmsKeyArn: one(run, "aws:kms/key:Key", "athena-results-key").outputs.arn },
          expectedBucketOwner: x.securityId,
        },
      },
      // Each log bucket as its component lays it (the exact inputs are tested beside each component).
      logBuckets: [
        {
          role: "archive",
          bucketName: x.archive,
          accountId: x.logArchiveId,
          region: x.home,
          lifecycle: {
            ruleId: "archive-tiering",
            logPrefixes: ["AWSLogs/"],
            noncurrentDays: x.noncurrentDays,
            lockDays: x.retentionDays,
            abortIncompleteDays: 7,
            transition: { days: x.transitionDays, storageClass: "GLACIER_IR" },
          },
          accessLogging: { targetBucket: x.accessLogs, targetPrefix: `${x.archive}/` },
        },
        {
          role: "access-log",
          bucketName: x.accessLogs,
          accountId: x.logArchiveId,
          region: x.home,
          expectedBucketPolicy: accessLogBucketPolicy({
            bucketName: x.accessLogs,
            sourceBucketName: x.archive,
            sourceAccountId: x.logArchiveId,
            orgId: x.orgId,
            prefix: `${x.archive}/`,
            additionalSources: [x.configBucket, x.flowLogs, x.dnsQueryLogs].map((b) => ({
              bucketName: b,
              prefix: `${b}/`,
            })),
          }),
          encryption: { algorithm: "AES256" },
          lifecycle: {
            ruleId: "expire-access-logs",
            logPrefixes: [`${x.archive}/`, `${x.configBucket}/`, `${x.flowLogs}/`, `${x.dnsQueryLogs}/`],
            expirationDays: x.accessLogRetentionDays,
            noncurrentDays: 30,
            abortIncompleteDays: 7,
          },
        },
        {
          role: "config",
          bucketName: x.configBucket,
          accountId: x.logArchiveId,
          region: x.home,
          expectedBucketPolicy: configBucketPolicy({ bucketName: x.configBucket, orgId: x.orgId }),
          encryption: {
            algorithm: "aws:kms",
            keyArn: one(run, "aws:kms/key:Key", "detection-config-bucket-key").outputs.arn,
          },
          lifecycle: {
            ruleId: "expire-config-history",
            logPrefixes: ["AWSLogs/"],
            expirationDays: RETENTION[stack].config,
            noncurrentDays: 30,
            abortIncompleteDays: 7,
          },
          accessLogging: { targetBucket: x.accessLogs, targetPrefix: `${x.configBucket}/` },
        },
        {
          role: "flow-log",
          bucketName: x.flowLogs,
          accountId: x.logArchiveId,
          region: x.home,
          lifecycle: {
            ruleId: "expire-flow-logs",
            logPrefixes: ["AWSLogs/"],
            expirationDays: x.flowLogRetentionDays,
            noncurrentDays: 30,
            abortIncompleteDays: 7,
          },
          accessLogging: { targetBucket: x.accessLogs, targetPrefix: `${x.flowLogs}/` },
        },
        {
          role: "dns-query-log",
          bucketName: x.dnsQueryLogs,
          accountId: x.logArchiveId,
          region: x.home,
          expectedBucketPolicy: dnsQueryLogBucketPolicy({
            bucketName: x.dnsQueryLogs,
            orgId: x.orgId,
            logArchiveAccountId: x.logArchiveId,
            regions: x.governedRegions,
            securityAccountId: x.securityId,
            readerRoleNames: x.auditors,
          }),
          encryption: { algorithm: "aws:kms", keyArn: one(run, "aws:kms/key:Key", "dns-query-logs-key").outputs.arn },
          lifecycle: {
            ruleId: "expire-dns-query-logs",
            logPrefixes: ["AWSLogs/"],
            expirationDays: x.dnsQueryLogRetentionDays,
            noncurrentDays: 30,
            abortIncompleteDays: 7,
          },
          accessLogging: { targetBucket: x.accessLogs, targetPrefix: `${x.dnsQueryLogs}/` },
        },
        // Security account; no accessLogging: infra lays none on it (the access-log bucket is the log-archive account's).
        {
          role: "athena-results",
          bucketName: x.athena.resultsBucket,
          accountId: x.securityId,
          region: x.home,
          expectedBucketPolicy: resultsBucketPolicy({
            bucketName: x.athena.resultsBucket,
            securityAccountId: x.securityId,
            region: x.home,
            analystRoleName: ANALYST,
            adminRoleNames: [DEPLOY_ROLE],
            auditReadRoleNames: ["orgwarden-audit-read"],
          }),
          encryption: { algorithm: "aws:kms", keyArn: one(run, "aws:kms/key:Key", "athena-results-key").outputs.arn },
          lifecycle: {
            ruleId: "expire-query-results",
            logPrefixes: [""],
            expirationDays: x.athena.resultRetentionDays,
            noncurrentDays: 30,
            abortIncompleteDays: 7,
          },
        },
        {
          role: "report",
          bucketName: `orgwarden-${stack}-audit-reports-${x.mgmt}`,
          accountId: x.securityId,
          region: x.home,
          expectedBucketPolicy: auditReportBucketPolicy(`orgwarden-${stack}-audit-reports-${x.mgmt}`),
          encryption: { algorithm: "AES256" },
          lifecycle: {
            ruleId: "expire-audit-reports",
            logPrefixes: ["orgwarden-audit/"],
            expirationDays: RETENTION[stack].reports,
            noncurrentDays: 30,
            abortIncompleteDays: 7,
          },
        },
      ],
      dnsQueryLogs: { bucketName: x.dnsQueryLogs, configName: `orgwarden-${stack}-dns-query-logs` },
      scps: expectedScps(stack).map((s) => ({
        id: one(run, "aws:organizations/policy:Policy", s.resource).id,
        name: s.name,
        content: s.document,
        targets: [x.rootId],
      })),
      // Both stacks target every OU they declare (dev by the default Security and Workloads), exclude none, target the Security OU (only the management account gets direct stacks) and keep the 48 h drift threshold: nothing else is written.
      stackSet: { name: "orgwarden-member-baseline", targetOuIds: x.ous.map(ouId) },
      // What org-organization was laid with (its inputs), and the five services delegated to the security account.
      organizationSettings: {
        featureSet: one(run, "aws:organizations/organization:Organization", "org-organization").inputs.featureSet,
        enabledPolicyTypes: ["SERVICE_CONTROL_POLICY"],
        serviceAccessPrincipals: one(run, "aws:organizations/organization:Organization", "org-organization").inputs
          .awsServiceAccessPrincipals,
        delegatedServices: [
          "config.amazonaws.com",
          "config-multiaccountsetup.amazonaws.com",
          "guardduty.amazonaws.com",
          "securityhub.amazonaws.com",
          "inspector2.amazonaws.com",
        ],
      },
      // infra/detection/security-hub.ts's default central configuration (the stacks leave detection.securityHub unset).
      securityHub: { configuration: "central", cisVersion: "3.0.0", policyName: `orgwarden-${stack}-security-hub` },
      detection: {
        cisAlarms: cisAlarmsIntent(one(run, "aws:sns/topic:Topic", "detection-cis-alarms-topic-topic").outputs.arn),
      },
      // The stack's detection.guardDuty.features (Pulumi.<stack>.yaml), RUNTIME_MONITORING with its three agent managements.
      guardDuty: {
        autoEnable: "ALL",
        findingPublishingFrequency: "FIFTEEN_MINUTES",
        features: [
          { name: "S3_DATA_EVENTS", additionalConfigurations: [] },
          ...(stack === "prod"
            ? [
                { name: "EKS_AUDIT_LOGS" as const, additionalConfigurations: [] },
                { name: "EBS_MALWARE_PROTECTION" as const, additionalConfigurations: [] },
              ]
            : []),
          { name: "RDS_LOGIN_EVENTS", additionalConfigurations: [] },
          { name: "LAMBDA_NETWORK_LOGS", additionalConfigurations: [] },
          {
            name: "RUNTIME_MONITORING",
            additionalConfigurations: ["EKS_ADDON_MANAGEMENT", "ECS_FARGATE_AGENT_MANAGEMENT", "EC2_AGENT_MANAGEMENT"],
          },
        ],
      },
      // detection.inspector.resourceTypes, the default in both stacks: what InspectorOrganization auto-enables and enables.
      inspector: { resourceTypes: ["EC2", "ECR", "LAMBDA"] },
      // The member template's channel and infra/detection/config-aggregator.ts's aggregator, with the stacks' defaults.
      pipeline: {
        config: {
          deliveryChannel: {
            name: "orgwarden",
            s3BucketName: `orgwarden-${stack}-config-${x.mgmt}`,
            s3KmsKeyArn: one(run, "aws:kms/key:Key", "detection-config-bucket-key").outputs.arn,
            deliveryFrequency: "TwentyFour_Hours",
          },
          aggregator: {
            name: "orgwarden-organization",
            accountId: x.securityId,
            region: x.home,
            roleArn: `arn:aws:iam::${x.securityId}:role/orgwarden-config-aggregator`,
            allRegions: false,
            regions: x.governedRegions,
          },
        },
      },
      // The alert pipeline's inputs (the topics' own keys, the stack's alerts.emails) and the digest of what they build.
      detectionPipeline: detectionPipelineArea(
        {
          namePrefix: "orgwarden",
          agentRoleName: "orgwarden-audit-agent",
          keyArns: {
            "security-alerts": one(run, "aws:kms/key:Key", "detection-security-alerts-key").outputs.arn,
            "cis-alarms": one(run, "aws:kms/key:Key", "detection-cis-alarms-topic-key").outputs.arn,
          },
          emails: ALERT_EMAILS[stack],
        },
        { orgId: x.orgId, homeRegion: x.home, managementAccountId: x.mgmt, securityAccountId: x.securityId },
      ),
      // The role infra lays (infra/log-auditor-role.ts): the nightly integrity check validates the digest chain as it.
      audit: {
        readRoleName: "orgwarden-audit-read",
        logAuditorRoleArn: `arn:aws:iam::${x.securityId}:role/orgwarden-log-auditor`,
        integrityWindowHours: 24,
      },
      thresholds: { deliveryMaxAgeMinutes: 60, digestMaxAgeMinutes: 120 },
      // What infra/audit-agent.ts lays: the agent's rule, target, alarms and log groups, read back from the resources.
      auditAgent: laidAgent(run),
    };
  });

  it("exports the manifest with the exact intended state, valid under the baseline schema", () => {
    expect(run.outputs.auditManifest).toEqual(expected);
    expect(parseAuditManifest(run.outputs.auditManifest)).toEqual(expected);
  });

  it("writes the same manifest to six Advanced String parameters in the security account: the head /orgwarden/<stack>/audit-manifest and its parts", () => {
    const names = manifestParameterNames(`/orgwarden/${stack}/audit-manifest`);
    expect(names).toEqual([
      `/orgwarden/${stack}/audit-manifest`,
      ...[2, 3, 4, 5, 6].map((i) => `/orgwarden/${stack}/audit-manifest/part-${i}`),
    ]);
    const params = ["audit-manifest-parameter", ...[2, 3, 4, 5, 6].map((i) => `audit-manifest-part-${i}`)].map((n) =>
      one(run, PARAM, n),
    );
    expect(ofType(run, PARAM).filter((p) => p.name.startsWith("audit-manifest-"))).toHaveLength(MANIFEST_PARTS);
    const values = params.map((p) => unsecret(p.inputs.value));
    const data = values.map((v) => JSON.parse(v).data).join("");
    const digest = createHash("sha256").update(data).digest("hex");
    params.forEach((p, i) => {
      const { value, ...rest } = p.inputs;
      expect(rest).toEqual({
        name: names[i],
        description:
          i === 0
            ? "orgwarden audit manifest: the intended state the drift auditor checks against"
            : `orgwarden audit manifest, part ${i + 1} of 6 (the head /orgwarden/${stack}/audit-manifest says how to join them)`,
        type: "String",
        tier: "Advanced",
        dataType: "text",
        tags: { [MANIFEST_DIGEST_TAG]: manifestDigest(expected) },
      });
      expect(p.provider).toBe(providerUrn(run, "security"));
      expect(Buffer.byteLength(values[i])).toBeLessThanOrEqual(SSM_ADVANCED_MAX_BYTES);
    });
    const head = JSON.parse(values[0]);
    expect(Object.keys(head)).toEqual(["format", "schemaVersion", "parts", "digest", "data"]);
    expect(head).toMatchObject({ format: MANIFEST_PARAMETER_FORMAT, schemaVersion: 1, parts: 6, digest });
    const parts = values.slice(1).map((v) => JSON.parse(v));
    parts.forEach((part, i) => expect(part).toMatchObject({ format: MANIFEST_PART_FORMAT, index: i + 2, digest }));
    // The head fills first, then the parts in order; with the keys' and roles' intended documents (and Resolver
    // query logging and the DNS query-log and Athena query-results buckets' logBuckets entries) both example manifests need a part (dev 12,584 / prod 12,724 encoded bytes when measured); the unused parts hold "".
    const used = { dev: 2, prod: 2 }[stack];
    expect([head, ...parts].map((x) => x.data.length > 0)).toEqual([0, 1, 2, 3, 4, 5].map((i) => i < used));
    expect(decodeManifestParameters(names.map((name, i) => ({ name, value: values[i] })))).toEqual(expected);
  });

  it("pins every parameter with the manifest's digest tag, which the Lambda's copy (parts joined, decoded and validated) reproduces", () => {
    const names = manifestParameterNames(`/orgwarden/${stack}/audit-manifest`);
    const params = ["audit-manifest-parameter", ...[2, 3, 4, 5, 6].map((i) => `audit-manifest-part-${i}`)].map((n) =>
      one(run, PARAM, n),
    );
    const lambdaCopy = parseAuditManifest(
      decodeManifestParameters(names.map((name, i) => ({ name, value: unsecret(params[i].inputs.value) }))),
    );
    const stackOutput = parseAuditManifest(run.outputs.auditManifest);
    const tags = params.map((p) => (p.inputs.tags as Record<string, string>)[MANIFEST_DIGEST_TAG]);
    expect(tags[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(new Set(tags)).toEqual(new Set([manifestDigest(lambdaCopy)]));
    expect(manifestDigest(stackOutput)).toBe(tags[0]);
  });

  it("the agent waits for every part before its first run", () => {
    const names = ["audit-manifest-parameter", ...[2, 3, 4, 5, 6].map((i) => `audit-manifest-part-${i}`)];
    const urns = names.map((n) => one(run, PARAM, n).urn);
    // The schedule's target (infra/audit-agent.ts, infra/audit-engine.ts) waits for the head; it must wait for every part.
    const targets = ofType(run, "aws:cloudwatch/eventTarget:EventTarget").filter((t) =>
      t.dependencies.includes(urns[0]),
    );
    expect(targets.map((t) => t.name)).toEqual(["audit-agent-states-target"]);
    for (const u of urns) expect(targets[0].dependencies).toContain(u);
  });
});

describe("manifest parameter size", () => {
  it("refuses a manifest whose encoded data exceeds what the six parameters hold, naming them, the capacity and the keys to shorten", () => {
    // Random bytes do not compress, so this is larger than ~48 KB once encoded.
    const big = {
      schemaVersion: 1,
      stack: "s",
      padding: randomBytes(40_000).toString("hex"),
    } as unknown as AuditManifest;
    const size = manifestData(big).length;
    const capacity = manifestCapacity(1);
    // 6 × 8,192 less the envelopes: 163 bytes around the head's chunk, 138 around each part's.
    expect(capacity).toBe(8192 * 6 - 163 - 5 * 138);
    expect(size).toBeGreaterThan(capacity);
    expect(() => manifestParameterValues("/orgwarden/x/audit-manifest", big)).toThrow(ManifestTooLargeError);
    expect(() => manifestParameterValues("/orgwarden/x/audit-manifest", big)).toThrow(
      `encoded audit manifest is ${size} bytes; its 6 SSM parameters /orgwarden/x/audit-manifest and /orgwarden/x/audit-manifest/part-2 … /part-6 (Advanced tier, 8192 bytes each, envelopes counted) hold at most ${capacity}. ` +
        "Shorten orgwarden:scp.exemptPrincipalArns, orgwarden:auditorRoleNames or orgwarden:kms.adminRoleNames (the documents the manifest carries grow with them), publish fewer waivers (orgwarden:audit.waiversFile), or set orgwarden:athena.enabled false (its table definitions are the largest optional part).",
    );
  });

  it("a manifest that fills the capacity exactly is written; every value stays within 8 KB", () => {
    const values = encodeManifestParameters(1, "A".repeat(manifestCapacity(1)));
    expect(values.map((v) => Buffer.byteLength(v))).toEqual(Array(6).fill(SSM_ADVANCED_MAX_BYTES));
    expect(() => encodeManifestParameters(1, "A".repeat(manifestCapacity(1) + 1))).toThrow(
      `audit manifest data is ${manifestCapacity(1) + 1} bytes; its 6 parameters hold at most ${manifestCapacity(1)}`,
    );
  });
});
