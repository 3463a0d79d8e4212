/**
 * Every subject the policy pack and the audit agent judge, with the one control that judges it and
 * the policies and checks that must go through it; each side with one change that fails it.
 */
import type { Check } from "../../../agent/checks/common";
import type { ObservedState } from "../../../agent/model";
import { collected } from "../../../agent/model";
import { detectionOf, HOME, ORG, OTHER_REGION } from "../../agent/checks/fixtures";
import { baselineStack, mutate } from "../../policypacks/baseline-stack";
import type { Res } from "../../policypacks/helpers";
import { CIS_FILTERS, cisFilterName } from "../../../baseline/detection/cis-filters";

export interface PackCase {
  policy: string;
  /** The compliant stack with one change that only this subject's control refuses. */
  failing: () => Res[];
}

export interface AgentCase {
  check: string;
  /** The clean observation with one change that only this subject's control refuses. */
  spoil: (o: ObservedState) => void;
}

export interface Subject {
  subject: string;
  control: string;
  pack: PackCase[];
  agent: AgentCase[];
}

const trail = (o: ObservedState) => (o.cloudTrail.trails.ok ? o.cloudTrail.trails.value[0] : fail());
const recorder = (o: ObservedState, account: string, region: string) => {
  const d = detectionOf(o, account, region);
  return d.configRecorders.ok ? d.configRecorders.value[0] : fail();
};
function fail(): never {
  throw new Error("fixture");
}
const onTrail = (change: (i: Record<string, any>) => Record<string, any>) => () =>
  mutate(baselineStack(), "org-trail", change);
/** One of the log-bucket family's observations, by role (test/agent/checks/fixtures.ts cleanLogBuckets). */
const logBucket = (o: ObservedState, role: string) => o.logBuckets!.find((b) => b.role === role) ?? fail();
const set = <T extends object>(o: T, patch: Partial<T>) => Object.assign(o, patch);

export const SUBJECTS: Subject[] = [
  {
    subject: "public access block of a log bucket",
    control: "s3-public-access-block",
    pack: [
      {
        policy: "s3-log-bucket-public-access",
        failing: () => mutate(baselineStack(), "archive-pab", (i) => ({ ...i, restrictPublicBuckets: false })),
      },
      {
        policy: "s3-flow-log-bucket",
        failing: () => mutate(baselineStack(), "flow-logs-pab", (i) => ({ ...i, restrictPublicBuckets: false })),
      },
      {
        policy: "athena-workgroup",
        failing: () => mutate(baselineStack(), "athena-results-pab", (i) => ({ ...i, restrictPublicBuckets: false })),
      },
      {
        policy: "route53-resolver-query-logging",
        failing: () => mutate(baselineStack(), "dns-logs-pab", (i) => ({ ...i, restrictPublicBuckets: false })),
      },
    ],
    agent: [
      {
        check: "archive-public-access",
        spoil: (o) =>
          (o.archive.publicAccessBlock = collected({
            blockPublicAcls: true,
            ignorePublicAcls: true,
            blockPublicPolicy: true,
            restrictPublicBuckets: false,
          })),
      },
      {
        check: "flow-log-bucket-encryption",
        spoil: (o) =>
          (o.flowLogBucket!.publicAccessBlock = collected({
            blockPublicAcls: true,
            ignorePublicAcls: true,
            blockPublicPolicy: true,
            restrictPublicBuckets: false,
          })),
      },
      {
        check: "log-bucket-public-access",
        spoil: (o) =>
          (logBucket(o, "config").publicAccessBlock = collected({
            blockPublicAcls: true,
            ignorePublicAcls: true,
            blockPublicPolicy: true,
            restrictPublicBuckets: false,
          })),
      },
    ],
  },
  {
    subject: "default encryption of a log bucket (algorithm and key)",
    control: "s3-default-encryption",
    pack: [
      {
        policy: "s3-log-bucket-kms-encryption",
        failing: () =>
          mutate(baselineStack(), "archive-encryption", (i) => ({
            ...i,
            rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
          })),
      },
      {
        policy: "s3-flow-log-bucket",
        failing: () =>
          mutate(baselineStack(), "flow-logs-encryption", (i) => ({
            ...i,
            rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
          })),
      },
      {
        policy: "athena-workgroup",
        failing: () =>
          mutate(baselineStack(), "athena-results-encryption", (i) => ({
            ...i,
            rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
          })),
      },
      {
        policy: "route53-resolver-query-logging",
        failing: () =>
          mutate(baselineStack(), "dns-logs-encryption", (i) => ({
            ...i,
            rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
          })),
      },
    ],
    agent: [
      { check: "archive-encryption", spoil: (o) => (o.archive.encryption = collected({ algorithm: "AES256" })) },
      {
        check: "flow-log-bucket-encryption",
        spoil: (o) => (o.flowLogBucket!.encryption = collected({ algorithm: "AES256" })),
      },
      {
        check: "log-bucket-encryption",
        spoil: (o) => (logBucket(o, "config").encryption = collected({ algorithm: "AES256" })),
      },
    ],
  },
  {
    subject: "versioning of a log bucket",
    control: "s3-versioning",
    pack: [
      {
        policy: "s3-log-bucket-versioning",
        failing: () =>
          mutate(baselineStack(), "access-logs-versioning", (i) => ({
            ...i,
            versioningConfiguration: { status: "Suspended" },
          })),
      },
    ],
    agent: [
      { check: "archive-versioning", spoil: (o) => (o.archive.versioning = collected("Suspended")) },
      { check: "log-bucket-versioning", spoil: (o) => (logBucket(o, "config").versioning = collected("Suspended")) },
    ],
  },
  {
    subject: "Object Lock of the trail archive",
    control: "s3-object-lock",
    pack: [
      {
        policy: "s3-archive-object-lock",
        failing: () =>
          mutate(baselineStack(), "archive-object-lock", (i) => ({
            ...i,
            rule: { defaultRetention: { mode: "GOVERNANCE", days: 30 } },
          })),
      },
    ],
    agent: [
      {
        check: "archive-object-lock",
        spoil: (o) => (o.archive.objectLock = collected({ enabled: true, mode: "GOVERNANCE", days: 30 })),
      },
    ],
  },
  {
    subject: "the trail records every region",
    control: "cloudtrail-multi-region",
    pack: [
      { policy: "cloudtrail-multi-region-logging", failing: onTrail((i) => ({ ...i, isMultiRegionTrail: false })) },
    ],
    agent: [{ check: "trail-configuration", spoil: (o) => set(trail(o), { isMultiRegionTrail: false }) }],
  },
  {
    subject: "the trail records global service events",
    control: "cloudtrail-global-service-events",
    pack: [
      {
        policy: "cloudtrail-multi-region-logging",
        failing: onTrail((i) => ({ ...i, includeGlobalServiceEvents: false })),
      },
    ],
    agent: [{ check: "trail-configuration", spoil: (o) => set(trail(o), { includeGlobalServiceEvents: false }) }],
  },
  {
    subject: "the trail is logging",
    control: "cloudtrail-logging",
    pack: [{ policy: "cloudtrail-multi-region-logging", failing: onTrail((i) => ({ ...i, enableLogging: false })) }],
    agent: [
      {
        check: "trail-logging",
        spoil: (o) =>
          o.cloudTrail.status.ok && o.cloudTrail.status.value && set(o.cloudTrail.status.value, { isLogging: false }),
      },
    ],
  },
  {
    subject: "the trail validates its log files",
    control: "cloudtrail-log-file-validation",
    pack: [
      { policy: "cloudtrail-log-file-validation", failing: onTrail((i) => ({ ...i, enableLogFileValidation: false })) },
    ],
    agent: [{ check: "trail-configuration", spoil: (o) => set(trail(o), { logFileValidationEnabled: false }) }],
  },
  {
    subject: "the trail is an organization trail",
    control: "cloudtrail-organization-trail",
    pack: [
      { policy: "cloudtrail-multi-region-logging", failing: onTrail((i) => ({ ...i, isOrganizationTrail: false })) },
    ],
    agent: [{ check: "org-trail-is-organization-trail", spoil: (o) => set(trail(o), { isOrganizationTrail: false }) }],
  },
  {
    subject: "the trail's KMS key",
    control: "cloudtrail-kms-encryption",
    pack: [{ policy: "cloudtrail-kms-encryption", failing: onTrail(({ kmsKeyId, ...i }) => i) }],
    agent: [{ check: "trail-configuration", spoil: (o) => set(trail(o), { kmsKeyId: undefined }) }],
  },
  {
    subject: "the trail delivers to CloudWatch Logs (group and role)",
    control: "cloudtrail-cloudwatch-logs",
    pack: [{ policy: "cloudtrail-cloudwatch-logs", failing: onTrail(({ cloudWatchLogsRoleArn, ...i }) => i) }],
    agent: [{ check: "trail-cloudwatch-delivery", spoil: (o) => set(trail(o), { cloudWatchLogsRoleArn: undefined }) }],
  },
  {
    subject: "the trail records management read and write events",
    control: "cloudtrail-management-events",
    pack: [
      {
        policy: "cloudtrail-multi-region-logging",
        failing: onTrail((i) => ({
          ...i,
          advancedEventSelectors: [
            {
              name: "Management events",
              fieldSelectors: [
                { field: "eventCategory", equals: ["Management"] },
                { field: "readOnly", equals: ["false"] },
              ],
            },
          ],
        })),
      },
    ],
    agent: [
      {
        check: "trail-event-selectors",
        spoil: (o) =>
          o.cloudTrail.eventSelectors.ok &&
          o.cloudTrail.eventSelectors.value &&
          set(o.cloudTrail.eventSelectors.value, {
            // Write-only management events; the data selectors stay as they are.
            selectors: o.cloudTrail.eventSelectors.value.selectors.map((s) =>
              s.fieldSelectors.some((f) => f.equals?.includes("Management"))
                ? { fieldSelectors: [...s.fieldSelectors, { field: "readOnly", equals: ["false"] }] }
                : s,
            ),
          }),
      },
    ],
  },
  {
    subject: "the trail records the data events asked for",
    control: "cloudtrail-data-events",
    pack: [
      {
        policy: "cloudtrail-data-events",
        failing: onTrail((i) => ({ ...i, advancedEventSelectors: i.advancedEventSelectors.slice(0, 1) })),
      },
    ],
    agent: [
      {
        check: "trail-event-selectors",
        spoil: (o) =>
          o.cloudTrail.eventSelectors.ok &&
          o.cloudTrail.eventSelectors.value &&
          set(o.cloudTrail.eventSelectors.value, {
            selectors: o.cloudTrail.eventSelectors.value.selectors.filter(
              (s) => !s.fieldSelectors.some((f) => f.equals?.includes("AWS::S3::Object")),
            ),
          }),
      },
    ],
  },
  {
    subject: "KMS key rotation",
    control: "kms-key-rotation",
    pack: [
      {
        policy: "kms-key-rotation",
        failing: () => mutate(baselineStack(), "log-key", (i) => ({ ...i, enableKeyRotation: false })),
      },
    ],
    agent: [{ check: "kms-key-state", spoil: (o) => (o.key.rotationEnabled = collected(false)) }],
  },
  {
    subject: "retention of a log group",
    control: "log-group-retention",
    pack: [
      {
        policy: "cloudwatch-log-group-retention",
        failing: () => mutate(baselineStack(), "trail-log-group", (i) => ({ ...i, retentionInDays: 30 })),
      },
    ],
    agent: [
      { check: "trail-log-group", spoil: (o) => o.logGroup.ok && set(o.logGroup.value, { retentionDays: 30 }) },
      {
        check: "audit-agent-log-groups",
        spoil: (o) => o.auditAgent?.logGroups[0].ok && set(o.auditAgent.logGroups[0].value, { retentionDays: 30 }),
      },
    ],
  },
  {
    subject: "KMS encryption of a log group",
    control: "log-group-kms",
    pack: [
      {
        policy: "cloudwatch-log-group-kms",
        failing: () => mutate(baselineStack(), "trail-log-group", ({ kmsKeyId, ...i }) => i),
      },
    ],
    agent: [
      { check: "trail-log-group", spoil: (o) => o.logGroup.ok && set(o.logGroup.value, { kmsKeyId: undefined }) },
      {
        check: "audit-agent-log-groups",
        spoil: (o) => o.auditAgent?.logGroups[0].ok && set(o.auditAgent.logGroups[0].value, { kmsKeyId: undefined }),
      },
    ],
  },
  {
    subject: "a Config recorder records all supported types",
    control: "config-recorder-all-supported",
    pack: [
      {
        policy: "config-recorder-all-resources",
        failing: () =>
          mutate(baselineStack(), "recorder", (i) => ({
            ...i,
            recordingGroup: { allSupported: false, includeGlobalResourceTypes: true },
          })),
      },
    ],
    agent: [
      { check: "config-recorder", spoil: (o) => set(recorder(o, ORG.member, OTHER_REGION), { allSupported: false }) },
    ],
  },
  {
    subject: "global resource types recorded in exactly one region per account",
    control: "config-recorder-global-resources",
    pack: [
      {
        policy: "config-recorder-all-resources",
        failing: () =>
          mutate(baselineStack(), "recorder", (i) => ({
            ...i,
            recordingGroup: { allSupported: true, includeGlobalResourceTypes: false },
          })),
      },
    ],
    agent: [
      {
        check: "config-recorder",
        spoil: (o) => set(recorder(o, ORG.member, HOME), { includeGlobalResourceTypes: false }),
      },
    ],
  },
  {
    subject: "GuardDuty is enabled",
    control: "guardduty-enabled",
    pack: [
      {
        policy: "detection-services-organization",
        failing: () => mutate(baselineStack(), "gd-detector", (i) => ({ ...i, enable: false })),
      },
    ],
    agent: [
      {
        check: "guardduty-enabled",
        spoil: (o) =>
          (detectionOf(o, ORG.member, HOME).guardDutyDetectors = collected([{ detectorId: "d1", status: "DISABLED" }])),
      },
    ],
  },
  {
    subject: "Security Hub is enabled for the accounts",
    control: "securityhub-enabled",
    pack: [
      {
        policy: "detection-services-organization",
        failing: () => mutate(baselineStack(), "sh-org", (i) => ({ ...i, autoEnable: false })),
      },
    ],
    agent: [
      {
        check: "securityhub-enabled",
        spoil: (o) => (detectionOf(o, ORG.member, HOME).securityHubEnabled = collected(false)),
      },
    ],
  },
  {
    subject: "Inspector scans the required resource types",
    control: "inspector-scanning",
    pack: [
      {
        policy: "detection-services-organization",
        failing: () =>
          mutate(baselineStack(), "in-org", (i) => ({ ...i, autoEnable: { ec2: false, ecr: true, lambda: false } })),
      },
    ],
    agent: [
      {
        check: "inspector-enabled",
        spoil: (o) =>
          (detectionOf(o, ORG.member, HOME).inspector = collected({
            ec2: "ENABLED",
            ecr: "DISABLED",
            lambda: "ENABLED",
          })),
      },
      {
        // The organization configuration's autoEnable, judged through the same control (security account).
        check: "inspector-organization",
        spoil: (o) => {
          const r = o.inspectorOrganization!.byRegion[HOME]!;
          r.configuration = collected({
            autoEnable: { ec2: true, ecr: false, lambda: true, lambdaCode: false, codeRepository: false },
            maxAccountLimitReached: false,
          });
        },
      },
    ],
  },
  {
    subject: "a log bucket refuses plain HTTP (the flow-log bucket)",
    control: "s3-tls-only",
    pack: [
      {
        policy: "s3-flow-log-bucket",
        failing: () =>
          mutate(baselineStack(), "flow-logs-policy", (i) => {
            const doc = JSON.parse(i.policy as string) as { Statement: { Sid?: string }[] };
            return {
              ...i,
              policy: JSON.stringify({
                ...doc,
                Statement: doc.Statement.filter((st) => st.Sid !== "DenyInsecureTransport"),
              }),
            };
          }),
      },
      {
        policy: "athena-workgroup",
        failing: () =>
          mutate(baselineStack(), "athena-results-policy", (i) => {
            const doc = JSON.parse(i.policy as string) as { Statement: { Sid?: string }[] };
            return {
              ...i,
              policy: JSON.stringify({
                ...doc,
                Statement: doc.Statement.filter((st) => st.Sid !== "DenyInsecureTransport"),
              }),
            };
          }),
      },
      {
        policy: "route53-resolver-query-logging",
        failing: () =>
          mutate(baselineStack(), "dns-logs-policy", (i) => {
            const doc = JSON.parse(i.policy as string) as { Statement: { Sid?: string }[] };
            return {
              ...i,
              policy: JSON.stringify({
                ...doc,
                Statement: doc.Statement.filter((st) => st.Sid !== "DenyInsecureTransport"),
              }),
            };
          }),
      },
    ],
    agent: [
      {
        check: "flow-log-bucket-tls",
        spoil: (o) => {
          const p = o.flowLogBucket!.policy;
          if (!p.ok || !p.value) fail();
          p.value.Statement = p.value.Statement.filter((st) => st.Sid !== "DenyInsecureTransport");
        },
      },
    ],
  },
  {
    subject: "a CIS monitoring metric filter and its alarm",
    control: "cis-metric-filter-alarm",
    pack: [
      {
        policy: "cis-metric-filters-alarms",
        failing: () =>
          mutate(baselineStack(), `${cisFilterName(CIS_FILTERS[2])}-alarm`, (i) => ({ ...i, actionsEnabled: false })),
      },
    ],
    agent: [
      {
        check: "cis-metric-filter-alarms",
        spoil: (o) => {
          if (o.cis.alarms.ok) o.cis.alarms.value[2].actionsEnabled = false;
        },
      },
    ],
  },
];

export function checkById(checks: readonly Check[], id: string): Check {
  const c = checks.find((x) => x.metadata.id === id);
  if (!c) throw new Error(`no check ${id}`);
  return c;
}
