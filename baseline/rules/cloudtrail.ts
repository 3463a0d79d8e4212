/** Rules for CloudTrail trails (CIS 3.1, 3.2, 3.5, 3.4, 3.8/3.9 in CIS AWS Foundations v3.0.0 numbering). */
import { asList, asRecord, isUnknown, ResourceVerdict, setting, StackVerdict, StackViolation } from "./values";
import { label, ofType, StackResource } from "./stack-model";

export const TRAIL_TYPE = "aws:cloudtrail/trail:Trail";
export const ORGANIZATION_TYPE = "aws:organizations/organization:Organization";

type Props = Record<string, unknown>;

/** A boolean setting with a provider default; unknown is reported, never assumed. */
function flag(props: Props, key: string, providerDefault: boolean): boolean | "unknown" {
  const v = props[key];
  if (isUnknown(v)) return "unknown";
  return v === undefined || v === null ? providerDefault : v === true;
}

function requireFlag(out: string[], props: Props, key: string, providerDefault: boolean, must: string): void {
  const v = flag(props, key, providerDefault);
  if (v === "unknown") out.push(setting(key));
  else if (!v) out.push(must);
}

/** Policy 1, per trail: multi-region, global service events, logging on. */
export function trailCoverage(props: Props): string[] {
  const out: string[] = [];
  requireFlag(out, props, "isMultiRegionTrail", false, "set isMultiRegionTrail: true so the trail records every region");
  requireFlag(out, props, "includeGlobalServiceEvents", true, "set includeGlobalServiceEvents: true (or leave it unset) so IAM, STS and other global events are recorded");
  requireFlag(out, props, "enableLogging", true, "set enableLogging: true (or leave it unset): a trail that does not log records nothing");
  return out;
}

/** Policy 1, stack: every trail covered, and an organization trail wherever the stack manages the organization. */
export function trailsCoverStack(resources: StackResource[]): StackVerdict {
  const trails = ofType(resources, [TRAIL_TYPE]);
  const violations: StackViolation[] = trails.flatMap((t) => trailCoverage(t.props).map((m) => ({ urn: t.urn, message: `${label(t)}: ${m}` })));
  const managesOrg = ofType(resources, [ORGANIZATION_TYPE]).length > 0;
  if (managesOrg) {
    const orgTrails = trails.filter((t) => flag(t.props, "isOrganizationTrail", false) === true);
    const unknown = trails.filter((t) => flag(t.props, "isOrganizationTrail", false) === "unknown");
    for (const t of unknown) violations.push({ urn: t.urn, message: `${label(t)}: ${setting("isOrganizationTrail")}` });
    if (orgTrails.length === 0 && unknown.length === 0) {
      violations.push({ message: "this stack manages the AWS Organization but has no organization trail: add an aws.cloudtrail.Trail with isOrganizationTrail: true in the management account" });
    }
  }
  return { violations };
}

/** Policy 2. */
export function trailLogFileValidation(props: Props): ResourceVerdict {
  const out: string[] = [];
  requireFlag(out, props, "enableLogFileValidation", false, "set enableLogFileValidation: true so tampering with delivered log files can be detected");
  return { violations: out };
}

/** AWS-managed keys cannot be governed by your key policy; CloudTrail needs a customer managed key. */
export function isAwsManagedKeyRef(ref: string): boolean {
  return /(^|:)alias\/aws\//.test(ref);
}

/** Policy 3: an unknown kmsKeyId counts as set (it references a key the engine will create). */
export function trailKmsEncryption(props: Props): ResourceVerdict {
  const v = props.kmsKeyId;
  if (isUnknown(v)) return { violations: [] };
  if (typeof v !== "string" || v === "") return { violations: ["set kmsKeyId to a customer managed KMS key ARN so log files are encrypted with SSE-KMS under a key policy you control"] };
  if (isAwsManagedKeyRef(v)) return { violations: [`kmsKeyId ${v} is an AWS managed key; use a customer managed KMS key`] };
  return { violations: [] };
}

/** Policy 4: both references must be set; unknown references count as set. */
export function trailCloudWatchLogs(props: Props): ResourceVerdict {
  const out: string[] = [];
  const set = (k: string) => isUnknown(props[k]) || (typeof props[k] === "string" && props[k] !== "");
  if (!set("cloudWatchLogsGroupArn")) out.push("set cloudWatchLogsGroupArn to the trail's log group ARN (ending in :*) so CIS metric filters can watch the events");
  if (!set("cloudWatchLogsRoleArn")) out.push("set cloudWatchLogsRoleArn to a role CloudTrail can assume to write to the log group");
  return { violations: out };
}

export interface DataEventConfig {
  s3DataEvents: boolean;
  lambdaDataEvents: boolean;
}

const RESOURCE_TYPES: Record<"s3" | "lambda", { type: string; arnPrefix: string; label: string }> = {
  s3: { type: "AWS::S3::Object", arnPrefix: "arn:aws:s3", label: "S3 object" },
  lambda: { type: "AWS::Lambda::Function", arnPrefix: "arn:aws:lambda", label: "Lambda invoke" },
};

/** Whether the selectors record a data-event type: true, false or "unknown". */
function recordsDataEvents(props: Props, kind: "s3" | "lambda"): boolean | "unknown" {
  const want = RESOURCE_TYPES[kind];
  const adv = props.advancedEventSelectors;
  const basic = props.eventSelectors;
  if (isUnknown(adv) || isUnknown(basic)) return "unknown";
  for (const sel of asList(adv)) {
    const fields = asList(asRecord(sel)?.fieldSelectors).map((f) => asRecord(f) ?? {});
    if (fields.some((f) => isUnknown(f.equals))) return "unknown";
    const eq = (field: string) => fields.find((f) => f.field === field)?.equals;
    const cat = asList(eq("eventCategory"));
    const types = asList(eq("resources.type"));
    if (cat.includes("Data") && types.includes(want.type)) return true;
  }
  for (const sel of asList(basic)) {
    const s = asRecord(sel) ?? {};
    for (const dr of asList(s.dataResources)) {
      const d = asRecord(dr) ?? {};
      if (d.type === want.type && asList(d.values).some((v) => typeof v === "string" && v.startsWith(want.arnPrefix))) return true;
    }
  }
  return false;
}

/** Policy 5. */
export function trailDataEvents(props: Props, cfg: DataEventConfig): ResourceVerdict {
  const out: string[] = [];
  for (const kind of ["s3", "lambda"] as const) {
    if (!(kind === "s3" ? cfg.s3DataEvents : cfg.lambdaDataEvents)) continue;
    const r = recordsDataEvents(props, kind);
    const t = RESOURCE_TYPES[kind];
    if (r === "unknown") out.push(setting("the trail's event selectors"));
    else if (!r) out.push(`record ${t.label} data events: add an advanced event selector with eventCategory = Data and resources.type = ${t.type}`);
  }
  return { violations: out };
}
