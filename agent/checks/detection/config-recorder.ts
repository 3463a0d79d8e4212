import { accountRoot, type AuditManifest } from "../../../baseline";
import type { CheckMetadata, Finding } from "../../finding";
import type { ObservedConfigRecorder, ObservedState } from "../../model";
import { configRecorderAllSupported, configRecorderGlobalResources, known } from "../../../baseline/controls";
import { blocked, verdict, type CheckContext } from "../common";
import { auditedRegions, evaluateCells, type DetectionCell } from "../scope";

export const metadata: CheckMetadata = {
  id: "config-recorder",
  title: "AWS Config records all supported resource types in every governed account and region",
  area: "detection",
  severity: "MEDIUM",
  risk: "Without a recording Config recorder, changes to resources in that account and region leave no configuration history, and Security Hub controls that depend on Config go blind.",
  remediation: {
    console:
      "AWS Config console (the account, the region) → Settings → Edit: record all resource types supported in this region (and global resource types in the home region only) → Start recording.",
    cli: "aws configservice put-configuration-recorder --configuration-recorder name=default,roleARN=<role-arn> --recording-group allSupported=true,includeGlobalResourceTypes=<true in home region>; aws configservice start-configuration-recorder --configuration-recorder-name default",
    pulumi:
      "Member accounts get their recorder from the orgwarden Config StackSet and the management account from aws.cfg.Recorder with aws.cfg.RecorderStatus (isEnabled: true); run `pulumi up` on the orgwarden stack.",
  },
  controls: ["config-recorder-all-supported", "config-recorder-global-resources"],
  references: [
    "https://docs.aws.amazon.com/config/latest/developerguide/stop-start-recorder.html",
    "https://docs.aws.amazon.com/config/latest/developerguide/select-resources.html",
    "https://docs.aws.amazon.com/securityhub/latest/userguide/config-controls.html",
    "https://www.cisecurity.org/benchmark/amazon_web_services",
  ],
};

/**
 * A service-linked recorder (AWS Config's newer kind, created by another AWS service) records only
 * what that service needs, so it neither satisfies nor breaks the baseline: only the account's own,
 * customer-managed recorder is judged. The name prefix is Config's reserved one for such recorders,
 * a second signal for responses that omit servicePrincipal.
 */
export function isServiceLinked(r: ObservedConfigRecorder): boolean {
  return r.servicePrincipal !== undefined || r.name.startsWith("AWSConfigurationRecorderFor");
}

function noCustomerRecorder(c: DetectionCell, linked: ObservedConfigRecorder[]): string {
  const only =
    linked.length > 0
      ? ` (only the service-linked ${linked.map((l) => `${l.name}${l.servicePrincipal ? ` for ${l.servicePrincipal}` : ""}`).join(", ")}, which records just what that service needs)`
      : "";
  return `account ${c.account} has no customer-managed Config recorder in ${c.region}${only}; create one and start recording`;
}

/** The audited regions of an account whose own recorder includes global resource types, as far as they could be read. */
function regionsRecordingGlobal(o: ObservedState, m: AuditManifest, account: string): string[] {
  const regions = auditedRegions(o, m);
  return o.detection
    .filter((d) => d.account === account && regions.includes(d.region))
    .filter(
      (d) =>
        d.configRecorders.ok &&
        d.configRecorders.value.some((r) => !isServiceLinked(r) && r.includeGlobalResourceTypes),
    )
    .map((d) => d.region);
}

/**
 * Global resource types (IAM users, roles, policies) are recorded in the home region and nowhere
 * else: the guardrail refuses them in several regions (each configuration item would be recorded
 * and billed once per region), and the audit judges the same control.
 */
function globalProblems(o: ObservedState, m: AuditManifest, c: DetectionCell, r: ObservedConfigRecorder): string[] {
  const home = m.regions.home;
  const v = configRecorderGlobalResources.judge(
    { regionsRecordingGlobal: known(regionsRecordingGlobal(o, m, c.account)) },
    { homeRegion: home },
  );
  if (v.passed) return [];
  if (c.region === home && !r.includeGlobalResourceTypes)
    return [`recorder ${r.name} does not record global resource types (IAM) in the home region ${home}; include them`];
  if (c.region !== home && r.includeGlobalResourceTypes)
    return [
      `recorder ${r.name} records global resource types (IAM) outside the home region ${home}; record them in ${home} only, so each configuration item is recorded once`,
    ];
  return [];
}

function judge(o: ObservedState, m: AuditManifest, c: DetectionCell): Finding {
  const home = c.region === m.regions.home;
  const scope = { account: c.account, region: c.region, resourceArn: accountRoot(c.account) };
  const want = { recording: true, allSupported: true, includeGlobalResourceTypes: home, lastStatus: "not Failure" };
  const stop = blocked(metadata, o, scope, want, c.entry.configRecorders);
  if (stop) return stop;
  const recorders = c.entry.configRecorders.ok ? c.entry.configRecorders.value : [];
  const r = recorders.find((x) => !isServiceLinked(x));
  if (!r)
    return verdict(metadata, scope, want, recorders, [noCustomerRecorder(c, recorders.filter(isServiceLinked))], "");
  const problems: string[] = [];
  if (!r.recording) problems.push(`recorder ${r.name} is not recording; start it`);
  if (!configRecorderAllSupported.judge({ allSupported: known(r.allSupported) }).passed)
    problems.push(`recorder ${r.name} does not record all supported resource types; set allSupported`);
  problems.push(...globalProblems(o, m, c, r));
  // AWS answers "Failure" (the SDK's RecorderStatus), moto "FAILURE": judge the word, not its case.
  if (r.lastStatus?.toUpperCase() === "FAILURE")
    problems.push(`recorder ${r.name}'s last recording attempt failed (check its role and delivery channel)`);
  return verdict(
    metadata,
    scope,
    want,
    r,
    problems,
    `Recorder ${r.name} records all supported types${home ? ", including global ones," : ""} in ${c.region}; last status ${r.lastStatus ?? "not reported"}.`,
  );
}

export function evaluate(observed: ObservedState, intended: AuditManifest, _ctx: CheckContext): Finding[] {
  return evaluateCells(
    metadata,
    observed,
    intended,
    { recording: true, allSupported: true },
    (c) => judge(observed, intended, c),
    { memberBaseline: "its Config recorder" },
  );
}
