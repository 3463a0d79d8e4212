/**
 * Fills a finding's remediation commands with the real names — the archive bucket, the key, the
 * trail, the account, the region, the SCP — from the manifest, the finding and the run's clock, and
 * points `file://<intended-file>` at the intended document written beside the report
 * (agent/report/intended.ts). A placeholder nothing here can know (e.g. `<role-arn>`, `<grant-id>`)
 * stays as written, so a reader sees what is still to be filled rather than a guess.
 */
import { logGroupArn, organizationArn, roleArn, stackSetTargets, type AuditManifest } from "../../baseline";
import { FLOW_LOG_FORMAT, flowLogRuleName } from "../../baseline/network/flow-log-remediation";
import { pipelineIntentOf } from "../collectors/detection-pipeline";
import { inspectorAutoEnable } from "../../baseline/detection/inspector";
import { driftScheduleNameOf, stackSetDriftScheduleExpression } from "../../baseline/detection/stackset-drift-schedule";
import { cisStandardArn, fsbpStandardArn } from "../../baseline/detection/security-hub";
import { securityHubIntentOf } from "../checks/securityhub-scope";
import type { Finding, Remediation } from "../finding";
import type { ObservedOrganization } from "../model";
import { intendedDocument, intendedPath, scpIdOf } from "./intended";
import { needsAction } from "./summary";
import { detectorFeaturesJson, organizationFeaturesJson } from "../../baseline/detection/guardduty";

export interface RemediationContext {
  manifest: AuditManifest;
  organization: ObservedOrganization;
  /** The run's clock (AuditResult.now): dates in commands (today's log prefix, the integrity window) are read from it. */
  now: Date;
}

type Fill = (f: Finding, c: RemediationContext) => string | undefined;

const ACCOUNT = /^\d{12}$/;
const ymd = (d: Date) => d.toISOString().slice(0, 10).split("-");

/** Placeholder → its value for one finding; a placeholder whose value is unknown for the finding returns undefined. */
const FILLS: Record<string, Fill> = {
  "<archive-bucket>": (_f, c) => c.manifest.archive.bucketName,
  // A KMS check's finding names its key by ARN: one of the baseline's other keys, or the log key.
  "<key-arn>": (f, c) => c.manifest.keys?.others.find((k) => k.arn === f.resourceArn)?.arn ?? c.manifest.key.arn,
  "<alias>": (f, c) =>
    c.manifest.keys?.others.find((k) => k.arn === f.resourceArn)?.aliasName ??
    (f.resourceArn === c.manifest.key.arn ? c.manifest.keys?.logKeyAlias : undefined),
  "<trail>": (_f, c) => c.manifest.trail.name,
  // The role checks' findings name their role by ARN.
  "<role-name>": (f, c) =>
    c.manifest.roles?.shared.find((r) => roleArn(r.account, r.roleName) === f.resourceArn)?.roleName ??
    // A member role (the read role or the forwarder role of one account): its name is in its ARN.
    (f.checkId.startsWith("iam-role-")
      ? /^arn:aws[a-z-]*:iam::\d{12}:role\/(.+)$/.exec(f.resourceArn)?.[1]
      : undefined),
  "<read-role-name>": (_f, c) => c.manifest.audit.readRoleName,
  "<trail-arn>": (_f, c) => c.manifest.trail.arn,
  "<home-region>": (_f, c) => c.manifest.trail.homeRegion,
  "<org-id>": (_f, c) => c.manifest.organization.id,
  "<stack>": (_f, c) => c.manifest.stack,
  "<flow-log-bucket>": (_f, c) => c.manifest.flowLogs?.bucketName,
  "<flow-log-key-arn>": (_f, c) => c.manifest.flowLogs?.keyArn,
  "<root-id>": (_f, c) => c.manifest.organization.rootId,
  // Every baseline SCP, once infra knows their ids (the manifest omits an id until the first deploy).
  "<scp-ids>": (_f, c) => (c.manifest.scps.every((s) => s.id) ? c.manifest.scps.map((s) => s.id).join(" ") : undefined),
  "<config-bucket>": (_f, c) => c.manifest.pipeline?.config?.deliveryChannel.s3BucketName,
  "<config-key-arn>": (_f, c) => c.manifest.pipeline?.config?.deliveryChannel.s3KmsKeyArn,
  "<delivery-channel>": (_f, c) => c.manifest.pipeline?.config?.deliveryChannel.name,
  "<delivery-frequency>": (_f, c) => c.manifest.pipeline?.config?.deliveryChannel.deliveryFrequency,
  "<aggregator>": (_f, c) => c.manifest.pipeline?.config?.aggregator.name,
  "<aggregator-role-arn>": (_f, c) => c.manifest.pipeline?.config?.aggregator.roleArn,
  "<aggregator-regions>": (_f, c) => c.manifest.pipeline?.config?.aggregator.regions.join(","),
  "<log-database>": (_f, c) => c.manifest.athena?.databaseName,
  "<log-workgroup>": (_f, c) => c.manifest.athena?.workgroupName,
  "<results-location>": (_f, c) => c.manifest.athena?.workgroup?.resultsLocation,
  "<results-key-arn>": (_f, c) => c.manifest.athena?.workgroup?.encryption.kmsKeyArn,
  "<bytes-cutoff>": (_f, c) => {
    const n = c.manifest.athena?.workgroup?.bytesScannedCutoff;
    return n === undefined ? undefined : String(n);
  },
  // The StackSet's name from the stackSet area; a manifest without it (older release) from detection.namePrefix, as infra names it.
  "<stack-set>": (_f, c) =>
    c.manifest.stackSet?.name ??
    (c.manifest.detectionPipeline ? `${c.manifest.detectionPipeline.namePrefix}-member-baseline` : undefined),
  // The drift schedule and its role are named after the StackSet (baseline/detection/stackset-drift-schedule.ts).
  "<drift-schedule>": (_f, c) => (c.manifest.stackSet ? driftScheduleNameOf(c.manifest.stackSet.name) : undefined),
  "<drift-role-arn>": (_f, c) =>
    c.manifest.stackSet
      ? roleArn(c.manifest.organization.managementAccountId, driftScheduleNameOf(c.manifest.stackSet.name))
      : undefined,
  "<drift-schedule-expression>": (_f, c) =>
    c.manifest.stackSet
      ? stackSetDriftScheduleExpression(
          stackSetTargets(c.manifest.stackSet, c.manifest.organization.managementAccountId).driftMaxAgeHours,
        )
      : undefined,
  "<target-ous-json>": (_f, c) => (c.manifest.stackSet ? JSON.stringify(c.manifest.stackSet.targetOuIds) : undefined),
  // The log-bucket-* checks name the bucket in the finding's resource: arn:aws:s3:::<name>.
  "<log-bucket>": (f) =>
    f.checkId.startsWith("log-bucket-") ? /^arn:aws[a-z-]*:s3:::([^/*]+)$/.exec(f.resourceArn)?.[1] : undefined,
  "<dns-query-log-bucket>": (_f, c) => c.manifest.dnsQueryLogs?.bucketName,
  // The per-VPC checks name their VPC in the finding's resource.
  "<vpc-id>": (f) => /^arn:aws[a-z-]*:ec2:[^:]+:\d{12}:vpc\/(vpc-[0-9a-f]+)$/.exec(f.resourceArn)?.[1],
  "<flow-log-format>": () => FLOW_LOG_FORMAT,
  // The member template's rule, named by the prefix its StackSet is named with (detectionPipeline.namePrefix).
  "<flow-log-rule>": (_f, c) =>
    c.manifest.detectionPipeline ? flowLogRuleName(c.manifest.detectionPipeline.namePrefix) : undefined,
  // dns-query-log-associations names the region's baseline configuration in its intended value, when it is exactly one.
  "<dns-config-id>": (f) => {
    const ids = (f.intended as { configIds?: unknown } | null | undefined)?.configIds;
    return Array.isArray(ids) && ids.length === 1 && typeof ids[0] === "string" ? ids[0] : undefined;
  },
  "<dns-config-name>": (_f, c) => c.manifest.dnsQueryLogs?.configName,
  "<organization-arn>": (_f, c) =>
    organizationArn({
      managementAccountId: c.manifest.organization.managementAccountId,
      id: c.manifest.organization.id,
    }),
  // dns-query-log-share names the baseline's share it judged; none was found when it names resource-share/*.
  "<share-arn>": (f) => (/:resource-share\/[0-9a-f-]+$/.test(f.resourceArn) ? f.resourceArn : undefined),
  // dns-query-log-config names the configuration it judged; a missing one has no ARN until it is created.
  "<config-arn>": (f) => (/:resolver-query-log-config\/rslvr-/.test(f.resourceArn) ? f.resourceArn : undefined),
  // The guardduty-* checks: the manifest's guardDuty area, and the detector a finding names in its resource.
  "<security-account>": (_f, c) => c.manifest.organization.securityAccountId,
  "<guardduty-features>": (_f, c) => c.manifest.guardDuty?.features.map((x) => x.name).join(", "),
  "<guardduty-org-features>": (_f, c) =>
    c.manifest.guardDuty ? organizationFeaturesJson(c.manifest.guardDuty) : undefined,
  "<guardduty-detector-features>": (_f, c) =>
    c.manifest.guardDuty ? detectorFeaturesJson(c.manifest.guardDuty) : undefined,
  "<guardduty-frequency>": (_f, c) => c.manifest.guardDuty?.findingPublishingFrequency,
  "<detector-id>": (f) => /^arn:aws[a-z-]*:guardduty:[^:]+:\d{12}:detector\/([0-9a-z]+)$/.exec(f.resourceArn)?.[1],
  "<region>": (f) => (f.region === "global" ? undefined : f.region),
  "<account>": (f) => (ACCOUNT.test(f.account) ? f.account : undefined),
  "<group>": (_f, c) => c.manifest.trail.logGroupName,
  "<log-group-key-arn>": (_f, c) => c.manifest.trail.logGroupKeyArn,
  "<log-group-arn>": (_f, c) =>
    logGroupArn(
      c.manifest.trail.homeRegion,
      c.manifest.organization.managementAccountId,
      c.manifest.trail.logGroupName,
    ),
  "<mode>": (_f, c) => c.manifest.archive.objectLock.mode,
  // Two checks say <days>: the archive's Object Lock retention and the trail log group's retention.
  "<days>": (f, c) =>
    f.checkId === "archive-object-lock"
      ? String(c.manifest.archive.objectLock.days)
      : f.checkId === "trail-log-group"
        ? String(c.manifest.trail.logGroupRetentionDays)
        : undefined,
  "<p-id>": (f) => scpIdOf(f.resourceArn),
  "<root-or-ou-id>": (f) => (f.key?.startsWith("attached:") ? f.key.slice("attached:".length) : undefined),
  // The account's direct parent as Organizations listed it.
  "<current-parent>": (f, c) =>
    c.organization.accounts.ok
      ? c.organization.accounts.value.find((a) => a.id === f.account)?.parentPath[0]
      : undefined,
  // kms-grants reports the grant it judged as its observed value.
  "<grant-id>": (f) => {
    const id = (f.observed as { grantId?: unknown } | null | undefined)?.grantId;
    return typeof id === "string" ? id : undefined;
  },
  "<governed-ou-id>": (_f, c) =>
    c.manifest.organization.governedOus.length === 1 ? c.manifest.organization.governedOus[0].id : undefined,
  "<true in home region>": (f, c) => (f.region === "global" ? undefined : String(f.region === c.manifest.regions.home)),
  "<yyyy>": (_f, c) => ymd(c.now)[0],
  "<mm>": (_f, c) => ymd(c.now)[1],
  "<dd>": (_f, c) => ymd(c.now)[2],
  "<topic-arn>": (f) => (f.resourceArn.includes(":sns:") ? f.resourceArn : undefined),
  "<topic-key-arn>": (f, c) => pipelineIntentOf(c.manifest)?.topics.find((t) => t.arn === f.resourceArn)?.keyArn,
  "<security-alerts-topic-arn>": (_f, c) => pipelineIntentOf(c.manifest)?.topics[0].arn,
  "<central-bus>": (_f, c) => pipelineIntentOf(c.manifest)?.bus.name,
  "<central-bus-arn>": (_f, c) => pipelineIntentOf(c.manifest)?.bus.arn,
  "<forwarder-role-arn>": (f, c) => {
    const i = pipelineIntentOf(c.manifest);
    return i && ACCOUNT.test(f.account) ? roleArn(f.account, i.forwarderRoleName) : undefined;
  },
  "<rule>": (f) => (f.key?.startsWith("rule:") ? f.key.slice("rule:".length) : undefined),
  // The audit-agent-* checks: the manifest's auditAgent area, and the alarm or log group the finding names.
  "<agent-rule>": (_f, c) => c.manifest.auditAgent?.schedule.ruleName,
  "<agent-schedule-expression>": (_f, c) => c.manifest.auditAgent?.schedule.expression,
  "<agent-target-arn>": (_f, c) => c.manifest.auditAgent?.schedule.target.arn,
  "<agent-target-role-arn>": (_f, c) => c.manifest.auditAgent?.schedule.target.roleArn,
  "<agent-targets-json>": (_f, c) => {
    const t = c.manifest.auditAgent?.schedule.target;
    return t
      ? JSON.stringify([
          {
            Id: t.id,
            Arn: t.arn,
            ...(t.roleArn ? { RoleArn: t.roleArn } : {}),
            ...(t.input !== undefined ? { Input: t.input } : {}),
          },
        ])
      : undefined;
  },
  "<alarm-name>": (f) => (f.checkId === "audit-agent-alarms" ? /:alarm:([^*]+)$/.exec(f.resourceArn)?.[1] : undefined),
  "<agent-alarm-topic-arn>": (f, c) => {
    const name = /:alarm:([^*]+)$/.exec(f.resourceArn)?.[1];
    return c.manifest.auditAgent?.alarms.find((a) => a.name === name)?.alarmActions.join(" ");
  },
  "<agent-log-group>": (f) =>
    f.checkId === "audit-agent-log-groups" ? /:log-group:([^*]+)$/.exec(f.resourceArn)?.[1] : undefined,
  "<agent-log-retention-days>": (_f, c) => {
    const d = c.manifest.auditAgent?.logGroups.retentionDays;
    return d === undefined ? undefined : String(d);
  },
  "<agent-log-key-arn>": (_f, c) => c.manifest.auditAgent?.logGroups.keyArn,
  "<securityhub-policy>": (_f, c) => c.manifest.securityHub?.policyName,
  "<securityhub-standards>": (_f, c) => securityHubIntentOf(c.manifest)?.policy?.enabledStandardArns.join(", "),
  "<securityhub-standards-json>": (_f, c) => {
    const p = securityHubIntentOf(c.manifest)?.policy;
    return p ? JSON.stringify(p.enabledStandardArns) : undefined;
  },
  "<securityhub-configuration-type>": (_f, c) => securityHubIntentOf(c.manifest)?.configurationType,
  "<securityhub-auto-enable>": (_f, c) => {
    const i = securityHubIntentOf(c.manifest);
    return i ? (i.autoEnable ? "--auto-enable" : "--no-auto-enable") : undefined;
  },
  "<securityhub-auto-enable-standards>": (_f, c) => securityHubIntentOf(c.manifest)?.autoEnableStandards,
  "<securityhub-cis-version>": (_f, c) => c.manifest.securityHub?.cisVersion,
  "<securityhub-fsbp-arn>": (f, c) =>
    c.manifest.securityHub && f.region !== "global" ? fsbpStandardArn(f.region) : undefined,
  "<securityhub-cis-arn>": (f, c) =>
    c.manifest.securityHub && f.region !== "global"
      ? cisStandardArn(f.region, c.manifest.securityHub.cisVersion)
      : undefined,
  "<securityhub-linking-mode>": (_f, c) => securityHubIntentOf(c.manifest)?.aggregator?.linkingMode,
  "<securityhub-linked-regions>": (_f, c) => {
    const a = securityHubIntentOf(c.manifest)?.aggregator;
    return a ? (a.regions.length > 0 ? a.regions.join(", ") : "no other region (NO_REGIONS)") : undefined;
  },
  "<securityhub-regions-option>": (_f, c) => {
    const a = securityHubIntentOf(c.manifest)?.aggregator;
    return a ? (a.regions.length > 0 ? `--regions ${a.regions.join(" ")}` : "") : undefined;
  },
  "<from>": (_f, c) => new Date(c.now.getTime() - c.manifest.audit.integrityWindowHours * 3_600_000).toISOString(),
  "<to>": (_f, c) => c.now.toISOString(),
  // delegated-administrators keys each finding by its service principal.
  "<service-principal>": (f) => (f.key && /\.amazonaws\.com$/.test(f.key) ? f.key : undefined),
  "<inspector-auto-enable>": (_f, c) =>
    c.manifest.inspector
      ? Object.entries(inspectorAutoEnable(c.manifest.inspector.resourceTypes))
          .map(([k, v]) => `${k}=${v}`)
          .join(",")
      : undefined,
  "<inspector-resource-types>": (_f, c) => c.manifest.inspector?.resourceTypes.join(" "),
};

function fillText(text: string, f: Finding, c: RemediationContext, file: string | undefined): string {
  return text.replace(/<[a-z][a-z0-9 -]*>/g, (ph) => {
    if (ph === "<intended-file>") return file ?? ph;
    return FILLS[ph]?.(f, c) ?? ph;
  });
}

/**
 * The finding with its remediation filled, and the intended document its command reads (keyed by
 * the file's path relative to the report directory), when its check declares one, one applies, and
 * the finding needs action (FAIL or ERROR); otherwise `<intended-file>` stays as written.
 */
export function fillRemediation(
  f: Finding,
  c: RemediationContext,
): { finding: Finding; document?: { file: string; content: unknown } } {
  const r = f.remediation;
  // Only what needs action gets a file: a PASS restores nothing, and a clean run's directory holds its reports alone.
  const content =
    r.document && needsAction(f) ? intendedDocument(r.document, f, c.manifest, c.organization) : undefined;
  const file = content === undefined ? undefined : intendedPath(f.id);
  const remediation: Remediation = {
    ...r,
    console: fillText(r.console, f, c, file),
    cli: fillText(r.cli, f, c, file),
    pulumi: fillText(r.pulumi, f, c, file),
    ...(file ? { intendedFile: file } : {}),
  };
  return { finding: { ...f, remediation }, ...(file ? { document: { file, content } } : {}) };
}
