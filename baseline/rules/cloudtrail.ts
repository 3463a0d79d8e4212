/** Rules for CloudTrail trails (CIS 3.1, 3.2, 3.5, 3.4, 3.8/3.9 in CIS AWS Foundations v3.0.0 numbering). */
import { asList, asRecord, isUnknown, ResourceVerdict, setting, StackVerdict, StackViolation } from "./values";
import { label, ofType, StackResource } from "./stack-model";
import {
  ABSENT,
  cloudtrailCloudwatchLogs,
  cloudtrailDataEvents,
  cloudtrailGlobalServiceEvents,
  cloudtrailKmsEncryption,
  cloudtrailLogFileValidation,
  cloudtrailLogging,
  cloudtrailMultiRegion,
  cloudtrailOrganizationTrail,
  type Fact,
  known,
  UNKNOWN as UNKNOWN_FACT,
  type Verdict,
} from "../controls";
import { flagFact, stringFact } from "./facts";
import { DATA_EVENT_ALL_RESOURCES } from "../arns";

export { isAwsManagedKeyRef } from "../controls";

export const TRAIL_TYPE = "aws:cloudtrail/trail:Trail";
export const ORGANIZATION_TYPE = "aws:organizations/organization:Organization";

type Props = Record<string, unknown>;

/** A flag control's verdict as the pack words it: the prop is named, an unknown one is a setting to fix. */
function flagMessage(v: Verdict, key: string, must: string): string[] {
  const g = v.gaps[0];
  if (!g) return [];
  return [g.found.kind === "unknown" ? setting(key) : must];
}

/** Policy 1, per trail: multi-region, global service events, logging on. */
export function trailCoverage(props: Props): string[] {
  return [
    ...flagMessage(
      cloudtrailMultiRegion.judge({ isMultiRegionTrail: flagFact(props.isMultiRegionTrail) }),
      "isMultiRegionTrail",
      "set isMultiRegionTrail: true so the trail records every region",
    ),
    ...flagMessage(
      cloudtrailGlobalServiceEvents.judge({ includeGlobalServiceEvents: flagFact(props.includeGlobalServiceEvents) }),
      "includeGlobalServiceEvents",
      "set includeGlobalServiceEvents: true (or leave it unset) so IAM, STS and other global events are recorded",
    ),
    ...flagMessage(
      cloudtrailLogging.judge({ isLogging: flagFact(props.enableLogging) }),
      "enableLogging",
      "set enableLogging: true (or leave it unset): a trail that does not log records nothing",
    ),
  ];
}

/**
 * Policy 1, stack: every trail covered, and an organization trail wherever the stack manages the
 * organization. `externalOrganizationTrailArn` (policy config) names an organization trail the stack
 * relies on but does not lay, such as an AWS Control Tower landing zone's (orgwarden's
 * controlTower.enabled): the audit agent judges that trail, so its absence here is not a violation.
 */
export function trailsCoverStack(resources: StackResource[], externalOrganizationTrailArn?: string): StackVerdict {
  const trails = ofType(resources, [TRAIL_TYPE]);
  const violations: StackViolation[] = trails.flatMap((t) =>
    trailCoverage(t.props).map((m) => ({ urn: t.urn, message: `${label(t)}: ${m}` })),
  );
  const managesOrg = ofType(resources, [ORGANIZATION_TYPE]).length > 0;
  if (managesOrg) {
    const verdicts = trails.map((t) => ({
      t,
      v: cloudtrailOrganizationTrail.judge({ isOrganizationTrail: flagFact(t.props.isOrganizationTrail) }),
    }));
    const orgTrails = verdicts.filter(({ v }) => v.passed);
    const unknown = verdicts.filter(({ v }) => v.gaps[0]?.found.kind === "unknown").map(({ t }) => t);
    for (const t of unknown) violations.push({ urn: t.urn, message: `${label(t)}: ${setting("isOrganizationTrail")}` });
    if (orgTrails.length === 0 && unknown.length === 0 && !externalOrganizationTrailArn) {
      violations.push({
        message:
          "this stack manages the AWS Organization but has no organization trail: add an aws.cloudtrail.Trail with isOrganizationTrail: true in the management account",
      });
    }
  }
  return { violations };
}

/** Policy 2. */
export function trailLogFileValidation(props: Props): ResourceVerdict {
  const v = cloudtrailLogFileValidation.judge({ logFileValidation: flagFact(props.enableLogFileValidation) });
  return {
    violations: flagMessage(
      v,
      "enableLogFileValidation",
      "set enableLogFileValidation: true so tampering with delivered log files can be detected",
    ),
  };
}

/** Policy 3: an unknown kmsKeyId counts as set (it references a key the engine will create). */
export function trailKmsEncryption(props: Props): ResourceVerdict {
  const g = cloudtrailKmsEncryption.judge({ kmsKeyId: stringFact(props.kmsKeyId), intendedKey: ABSENT }).gaps[0];
  if (g?.reason === "missing")
    return {
      violations: [
        "set kmsKeyId to a customer managed KMS key ARN so log files are encrypted with SSE-KMS under a key policy you control",
      ],
    };
  if (g)
    return { violations: [`kmsKeyId ${String(props.kmsKeyId)} is an AWS managed key; use a customer managed KMS key`] };
  return { violations: [] };
}

/** Policy 4: both references must be set; unknown references count as set. */
export function trailCloudWatchLogs(props: Props): ResourceVerdict {
  const v = cloudtrailCloudwatchLogs.judge(
    {
      cloudWatchLogsGroupArn: stringFact(props.cloudWatchLogsGroupArn),
      cloudWatchLogsRoleArn: stringFact(props.cloudWatchLogsRoleArn),
    },
    {},
  );
  const out: string[] = [];
  if (v.gaps.some((g) => g.field === "cloudWatchLogsGroupArn"))
    out.push(
      "set cloudWatchLogsGroupArn to the trail's log group ARN (ending in :*) so CIS metric filters can watch the events",
    );
  if (v.gaps.some((g) => g.field === "cloudWatchLogsRoleArn"))
    out.push("set cloudWatchLogsRoleArn to a role CloudTrail can assume to write to the log group");
  return { violations: out };
}

export interface DataEventConfig {
  s3DataEvents: boolean;
  lambdaDataEvents: boolean;
}

const RESOURCE_TYPES: Record<"s3" | "lambda", { type: string; arnPrefix: string; label: string }> = {
  s3: { type: "AWS::S3::Object", arnPrefix: DATA_EVENT_ALL_RESOURCES["AWS::S3::Object"][0], label: "S3 object" },
  lambda: {
    type: "AWS::Lambda::Function",
    arnPrefix: DATA_EVENT_ALL_RESOURCES["AWS::Lambda::Function"][0],
    label: "Lambda invoke",
  },
};

/** Whether the selectors record a data-event type, as a fact. */
function recordsDataEvents(props: Props, kind: "s3" | "lambda"): Fact<boolean> {
  const r = readsDataEvents(props, kind);
  return r === "unknown" ? UNKNOWN_FACT : known(r);
}

function readsDataEvents(props: Props, kind: "s3" | "lambda"): boolean | "unknown" {
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
      if (d.type === want.type && asList(d.values).some((v) => typeof v === "string" && v.startsWith(want.arnPrefix)))
        return true;
    }
  }
  return false;
}

/** Policy 5. */
export function trailDataEvents(props: Props, cfg: DataEventConfig): ResourceVerdict {
  const v = cloudtrailDataEvents.judge(
    { s3DataEvents: recordsDataEvents(props, "s3"), lambdaDataEvents: recordsDataEvents(props, "lambda") },
    { s3: cfg.s3DataEvents, lambda: cfg.lambdaDataEvents },
  );
  const out = v.gaps.map((g) => {
    const t = RESOURCE_TYPES[g.field === "s3DataEvents" ? "s3" : "lambda"];
    return g.found.kind === "unknown"
      ? setting("the trail's event selectors")
      : `record ${t.label} data events: add an advanced event selector with eventCategory = Data and resources.type = ${t.type}`;
  });
  return { violations: out };
}
